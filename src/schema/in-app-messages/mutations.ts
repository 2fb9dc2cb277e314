/**
 * `inAppMessageCreate`, `inAppMessageUpdate`, `inAppMessagePause`, `inAppMessageResume` and
 * `inAppMessageDelete`, with their payloads and `InAppMessageInUseError`. What create and update
 * accept, and their wire body, live in input.ts.
 */
import { ApiError } from '../../core/errors.js';
import { type AppScopedKey, encodeNodeId, parseAppRef, parseNodeId } from '../../core/ids.js';
import type { LoadedInAppMessage } from '../../loaders/in-app-messages.js';
import { IN_USE_BY_JOURNEY, OneSignalError, type WireIam } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { ErrorInterface, mutationResult, UPSTREAM_ERRORS } from '../error-types.js';
import { toApiError, upstream } from '../upstream-errors.js';
import {
  type InAppMessageInputShape,
  inAppMessageCreateInputFields,
  inAppMessageUpdateInputFields,
  toInAppMessageBody,
} from './input.js';
import { InAppMessageRef, InAppMessageStatusEnum, STATUS } from './types.js';

/**
 * OneSignal refused to delete the message because a journey shows it. Its documented answer (400,
 * "In-App Message is used by a Journey and cannot be deleted") names no journey; `journeyIds` holds
 * those an answer does name (the emulator lists them), and is empty otherwise.
 */
export class InAppMessageInUseError extends ApiError {
  readonly code = 'CONFLICT' as const;
  constructor(
    message: string,
    readonly journeyIds: string[],
  ) {
    super(message, { code: 'CONFLICT', journeyIds });
  }
}

builder.objectType(InAppMessageInUseError, {
  name: 'InAppMessageInUseError',
  description:
    'The in-app message is shown by a journey, so OneSignal keeps it: remove it from the journey (or pause the message with `inAppMessagePause`) first. Nothing was changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    journeyIds: t.stringList({
      description:
        "The journeys using the message, when OneSignal's answer names them (its documented answer does not: then empty).",
      resolve: (e) => e.journeyIds,
    }),
  }),
});

const JOURNEYS_LINE = /^Journeys using it:\s*(.*)$/i;

/** `InAppMessageInUseError` for OneSignal's refusal of a delete while a journey uses the message. */
function inUseError(error: unknown): InAppMessageInUseError | undefined {
  if (!(error instanceof OneSignalError) || error.code !== 'BAD_REQUEST') return undefined;
  if (!error.errors.some((e) => e.toLowerCase().includes(IN_USE_BY_JOURNEY.toLowerCase()))) return undefined;
  const journeyIds = error.errors.flatMap((e) =>
    (JOURNEYS_LINE.exec(e)?.[1] ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
  return new InAppMessageInUseError(
    `${IN_USE_BY_JOURNEY}${journeyIds.length ? ` (journeys: ${journeyIds.join(', ')})` : ''}.`,
    journeyIds,
  );
}

/** What a create or update payload's `inAppMessage` holds, and how long later reads are answered from it. */
const OWN_WRITE =
  "It is OneSignal's answer to the write (the whole message), with no read of OneSignal. Reads of it in the next few seconds are answered from it too; after that, from OneSignal's own view.";

const payload = (name: string, description: string, what: string) =>
  builder.simpleObject(name, {
    description,
    fields: (t) => ({ inAppMessage: t.field({ type: InAppMessageRef, description: what }) }),
  });

const InAppMessageCreatePayload = payload(
  'InAppMessageCreatePayload',
  `The result of \`inAppMessageCreate\`: the new in-app message. ${OWN_WRITE}`,
  `The new in-app message. ${OWN_WRITE}`,
);
const InAppMessageUpdatePayload = payload(
  'InAppMessageUpdatePayload',
  `The result of \`inAppMessageUpdate\`: the message as it is now. ${OWN_WRITE}`,
  `The message as it is now. ${OWN_WRITE}`,
);

interface EnabledResult {
  key: AppScopedKey;
  enabled: boolean;
  answer: Partial<WireIam> | undefined;
}

const InAppMessageEnabledPayload = builder.objectRef<EnabledResult>('InAppMessageEnabledPayload').implement({
  description: 'The result of `inAppMessagePause` and `inAppMessageResume`.',
  fields: (t) => ({
    enabled: t.boolean({
      description: 'false: paused (shown to no one, content and stats kept); true: resumed.',
      resolve: (r) => (r.answer?.enabled === undefined ? r.enabled : Boolean(r.answer.enabled)),
    }),
    status: t.field({
      type: InAppMessageStatusEnum,
      nullable: true,
      description:
        "The message's status after the change, when OneSignal's answer says (no further request).",
      resolve: (r) => (typeof r.answer?.status === 'string' ? (STATUS[r.answer.status] ?? 'UNKNOWN') : null),
    }),
    inAppMessage: t.field({
      type: InAppMessageRef,
      description:
        "The message as it is now: one view_in_app_message, since OneSignal's answer to set_enabled is not the whole message.",
      resolve: async (r, _a, ctx) => {
        if (typeof r.answer?.html === 'string' && r.answer.id)
          return { ...(r.answer as WireIam), app_id: r.key.appId } as LoadedInAppMessage;
        return upstream(ctx.loaders.inAppMessage.load(r.key));
      },
    }),
  }),
});

const InAppMessageDeletePayload = builder.objectRef<AppScopedKey>('InAppMessageDeletePayload').implement({
  description: 'The result of `inAppMessageDelete`.',
  fields: (t) => ({
    deletedInAppMessageId: t.id({
      description: 'Global id of the deleted in-app message, to evict it from client caches.',
      resolve: (key) => encodeNodeId('InAppMessage', key),
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the message belonged to (read only when its settings are selected).',
      resolve: (key, _a, ctx, info) => belongingApp(ctx, key.appId, info),
    }),
  }),
});

const withApp = (appId: string, m: WireIam): LoadedInAppMessage => ({ ...m, app_id: appId });

/** After any write: this request's pages, messages and stats of the app are read afresh. */
function forget(ctx: Context, key?: AppScopedKey) {
  ctx.loaders.inAppMessagePage.clearAll();
  ctx.loaders.inAppMessageStats.clearAll();
  if (key) ctx.loaders.inAppMessage.clear(key);
}

const idInput = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0], what: string) => ({
  id: t.input.id({ required: true, description: `Global id of the in-app message to ${what}.` }),
});

async function setEnabled(ctx: Context, id: string, enabled: boolean): Promise<EnabledResult> {
  const key = parseNodeId(id, 'InAppMessage', ['input', 'id']);
  const answer = await upstream(ctx.client.inAppMessages.setEnabled(key.appId, key.id, enabled));
  forget(ctx, key);
  return { key, enabled, answer: answer?.payload };
}

builder.mutationFields((t) => ({
  inAppMessageCreate: t.fieldWithInput({
    authScopes: { 'inappmessages:write': true },
    description:
      'Creates a custom HTML in-app message, as a draft or live (needs the app REST API key). Shown full screen; the HTML controls how it looks.',
    type: InAppMessageCreatePayload,
    input: inAppMessageCreateInputFields(t.input),
    typeOptions: { description: 'Input of `inAppMessageCreate`.' },
    errors: mutationResult('inAppMessageCreate', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const body = toInAppMessageBody(input as InAppMessageInputShape, false);
      const created = await upstream(ctx.client.inAppMessages.create(appId, body));
      forget(ctx);
      const inAppMessage = withApp(appId, created.payload);
      ctx.loaders.inAppMessage.prime({ appId, id: inAppMessage.id.toLowerCase() }, inAppMessage);
      return { inAppMessage };
    },
  }),
  inAppMessageUpdate: t.fieldWithInput({
    authScopes: { 'inappmessages:write': true },
    description:
      'Replaces an in-app message (needs the app REST API key): not a patch. `html`, `startTime`, `endTime` (null for none), `triggers` and `draft` are required, and the audience left out is sent as none; read the message first and send back what should stay. `draft: false` publishes a draft. Messages built with the block editor, or with language variants, are refused by OneSignal.',
    type: InAppMessageUpdatePayload,
    input: inAppMessageUpdateInputFields(t.input),
    typeOptions: { description: 'Input of `inAppMessageUpdate`: the whole message.' },
    errors: mutationResult('inAppMessageUpdate', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'InAppMessage', ['input', 'id']);
      const body = toInAppMessageBody(input as InAppMessageInputShape, true);
      const updated = await upstream(ctx.client.inAppMessages.update(key.appId, key.id, body));
      forget(ctx, key);
      const inAppMessage = withApp(key.appId, updated.payload);
      ctx.loaders.inAppMessage.prime(key, inAppMessage);
      return { inAppMessage };
    },
  }),
  inAppMessagePause: t.fieldWithInput({
    authScopes: { 'inappmessages:write': true },
    description:
      'Pauses an in-app message (needs the app REST API key): shown to no one; its content, schedule and stats are kept.',
    type: InAppMessageEnabledPayload,
    input: idInput(t, 'pause'),
    typeOptions: { description: 'Input of `inAppMessagePause`.' },
    errors: mutationResult('inAppMessagePause', UPSTREAM_ERRORS),
    resolve: (_root, { input }, ctx) => setEnabled(ctx, input.id, false),
  }),
  inAppMessageResume: t.fieldWithInput({
    authScopes: { 'inappmessages:write': true },
    description:
      'Resumes a paused in-app message (needs the app REST API key). OneSignal refuses when it targets a paused segment.',
    type: InAppMessageEnabledPayload,
    input: idInput(t, 'resume'),
    typeOptions: { description: 'Input of `inAppMessageResume`.' },
    errors: mutationResult('inAppMessageResume', UPSTREAM_ERRORS),
    resolve: (_root, { input }, ctx) => setEnabled(ctx, input.id, true),
  }),
  inAppMessageDelete: t.fieldWithInput({
    authScopes: { 'inappmessages:write': true },
    description:
      'Deletes an in-app message for good (needs the app REST API key). Refused with `InAppMessageInUseError` while a journey uses it; pause it instead to keep it and its stats.',
    type: InAppMessageDeletePayload,
    input: idInput(t, 'delete'),
    typeOptions: { description: 'Input of `inAppMessageDelete`.' },
    errors: mutationResult('inAppMessageDelete', [InAppMessageInUseError, ...UPSTREAM_ERRORS]),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'InAppMessage', ['input', 'id']);
      try {
        await ctx.client.inAppMessages.delete(key.appId, key.id);
      } catch (error) {
        throw inUseError(error) ?? toApiError(error);
      } finally {
        forget(ctx, key);
      }
      return key;
    },
  }),
}));
