/**
 * `journeyCreate`, `journeyUpdate`, `journeyNodeUpdate` and `journeyDelete`, with their payloads.
 * What they accept, and their wire bodies, live in input.ts and node-input.ts.
 */
import { encodeNodeId, parseAppRef, parseNodeId } from '../../core/ids.js';
import type { LoadedJourney } from '../../loaders/journeys.js';
import type { WireJourney } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { mutationResult, UPSTREAM_ERRORS, UPSTREAM_ERRORS_WITH_CONFLICT } from '../error-types.js';
import { upstream } from '../upstream-errors.js';
import {
  type JourneyInputShape,
  journeyCreateInputFields,
  journeyNodeUpdateInputFields,
  journeyUpdateInputFields,
  toJourneyBody,
  toNodePatch,
} from './input.js';
import { JourneyNodeRef } from './nodes.js';
import { JourneyRef } from './types.js';

const BETA = 'OneSignal marks the Journeys API as beta: its fields and rules may still change.';

/** What a payload's `journey` holds, and how long later reads are answered from it. */
const OWN_WRITE =
  "It is OneSignal's answer to the write (the whole journey), with no read of OneSignal; reads of it in the next few seconds are answered from it too.";

const JourneyPayload = (name: string, description: string, what: string) =>
  builder.simpleObject(name, {
    description,
    fields: (t) => ({ journey: t.field({ type: JourneyRef, description: `${what} ${OWN_WRITE}` }) }),
  });

const JourneyCreatePayload = JourneyPayload(
  'JourneyCreatePayload',
  'The result of `journeyCreate`.',
  'The new journey, a draft.',
);
const JourneyUpdatePayload = JourneyPayload(
  'JourneyUpdatePayload',
  'The result of `journeyUpdate`.',
  'The journey as it is now.',
);

const JourneyNodeUpdatePayload = builder.simpleObject('JourneyNodeUpdatePayload', {
  description: 'The result of `journeyNodeUpdate`.',
  fields: (t) => ({
    journey: t.field({ type: JourneyRef, description: `The journey as it is now. ${OWN_WRITE}` }),
    node: t.field({
      type: JourneyNodeRef,
      nullable: true,
      description: 'The node as it is now; null if OneSignal’s answer does not show it.',
    }),
  }),
});

const JourneyDeletePayload = builder
  .objectRef<{ appId: string; key: { appId: string; id: string } }>('JourneyDeletePayload')
  .implement({
    description: 'The result of `journeyDelete`.',
    fields: (t) => ({
      deletedJourneyId: t.id({
        description: 'Global id of the deleted journey, to evict it from client caches.',
        resolve: ({ key }) => encodeNodeId('Journey', key),
      }),
      // Read only when one of its settings is selected: `app { id }` costs nothing.
      app: t.field({
        type: AppRef,
        description: 'The app the journey belonged to.',
        resolve: ({ appId }, _a, ctx, info) => belongingApp(ctx, appId, info),
      }),
    }),
  });

/** After a write: the app's pages are stale, the journey is what OneSignal answered. */
function wrote(ctx: Context, appId: string, answer: WireJourney): LoadedJourney {
  const journey = { ...answer, app_id: appId } as LoadedJourney;
  ctx.loaders.journeyPage.clearAll();
  ctx.loaders.journeyStats.clearAll();
  const key = { appId, id: journey.id.toLowerCase() };
  ctx.loaders.journey.clear(key).prime(key, journey);
  return journey;
}

function findNode(
  nodes: WireJourney['nodes'],
  id: string,
): NonNullable<WireJourney['nodes']>[number] | undefined {
  for (const node of nodes ?? []) {
    if (node.id?.toLowerCase() === id) return node;
    for (const b of node.branches ?? []) {
      const found = findNode(b.nodes, id);
      if (found) return found;
    }
  }
  return undefined;
}

builder.mutationFields((t) => ({
  journeyCreate: t.fieldWithInput({
    authScopes: { 'journeys:write': true },
    description: `Creates a journey, always as a draft (needs the app REST API key); activate it with \`journeyUpdate(state: ACTIVE)\`. ${BETA}`,
    type: JourneyCreatePayload,
    input: journeyCreateInputFields(t.input),
    typeOptions: { description: 'Input of `journeyCreate`.' },
    errors: mutationResult('journeyCreate', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const body = toJourneyBody(input as JourneyInputShape, true);
      const created = await upstream(ctx.client.journeys.create(appId, { ...body, name: input.name }));
      return { journey: wrote(ctx, appId, created) };
    },
  }),
  journeyUpdate: t.fieldWithInput({
    authScopes: { 'journeys:write': true },
    description: `Changes a journey (needs the app REST API key): the given fields replace the stored ones (\`nodes\` the whole graph), explicit nulls reset, the rest stays; \`state\` activates, schedules, returns to draft or archives it. ${BETA}`,
    type: JourneyUpdatePayload,
    input: journeyUpdateInputFields(t.input),
    typeOptions: { description: 'Input of `journeyUpdate`.' },
    errors: mutationResult('journeyUpdate', UPSTREAM_ERRORS_WITH_CONFLICT),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Journey', ['input', 'id']);
      const body = toJourneyBody(input as JourneyInputShape, false);
      const updated = await upstream(ctx.client.journeys.update(key.appId, key.id, body));
      return { journey: wrote(ctx, key.appId, updated) };
    },
  }),
  journeyNodeUpdate: t.fieldWithInput({
    authScopes: { 'journeys:write': true },
    description: `Changes one node of a journey, leaving the rest of the graph and the users on other nodes alone (needs the app REST API key). The given fields replace the node’s, the rest stay; its kind cannot change. ${BETA}`,
    type: JourneyNodeUpdatePayload,
    input: journeyNodeUpdateInputFields(t.input),
    typeOptions: { description: 'Input of `journeyNodeUpdate`.' },
    errors: mutationResult('journeyNodeUpdate', UPSTREAM_ERRORS_WITH_CONFLICT),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.journeyId, 'Journey', ['input', 'journeyId']);
      const nodeId = input.nodeId.toLowerCase();
      const patch = toNodePatch(input);
      const updated = await upstream(ctx.client.journeys.updateNode(key.appId, key.id, nodeId, patch));
      const journey = wrote(ctx, key.appId, updated);
      const node = findNode(journey.nodes, nodeId);
      return { journey, node: node ? { wire: node, appId: key.appId } : null };
    },
  }),
  journeyDelete: t.fieldWithInput({
    authScopes: { 'journeys:write': true },
    description: `Deletes a journey for good, its stats and reports with it (needs the app REST API key); to stop one and keep its data, archive it with \`journeyUpdate(state: ARCHIVED)\`. ${BETA}`,
    type: JourneyDeletePayload,
    input: { id: t.input.id({ required: true, description: 'Global id of the journey to delete.' }) },
    typeOptions: { description: 'Input of `journeyDelete`.' },
    errors: mutationResult('journeyDelete', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Journey', ['input', 'id']);
      await upstream(ctx.client.journeys.delete(key.appId, key.id));
      ctx.loaders.journeyPage.clearAll();
      ctx.loaders.journeyStats.clear(key);
      ctx.loaders.journey.clear(key);
      return { appId: key.appId, key };
    },
  }),
}));
