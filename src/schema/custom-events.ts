import { ValidationError } from '../core/errors.js';
import { APP_REF_DESCRIPTION, parseAppRef } from '../core/ids.js';
import { ONESIGNAL_ID } from '../loaders/users.js';
import type { WireCustomEvent, WireCustomEventError, WireCustomEventsBody } from '../onesignal/index.js';
import { builder } from './builder.js';
import { ErrorInterface, mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import { upstream } from './upstream-errors.js';
import { parseUserRef, UserRefInput, type UserRefShape } from './users/refs.js';

const MAX_NAME = 128;

/**
 * One event OneSignal did not record, out of a batch it otherwise accepted (its 202 answer). Listed in
 * the payload, not thrown, and a plain object: GraphQL treats an Error instance in a list as a failure.
 */
interface CustomEventFailure {
  kind: 'CustomEventFailure';
  code: 'NOT_FOUND' | 'VALIDATION_FAILED';
  message: string;
  eventIndexes: number[];
  userId: string | null;
  oneSignalCode: string | null;
}

const CustomEventFailureRef = builder.objectRef<CustomEventFailure>('CustomEventFailure').implement({
  description:
    'Events of the batch OneSignal did not record (most often: no user with that external id or OneSignal id). The rest of the batch was recorded; send only these again.',
  // Shares the fields every typed error has (`code`, `message`), so `... on Error` reads it too.
  // The interface is typed by ApiError; its fields read only `code` and `message`, which this shape has.
  interfaces: [ErrorInterface] as never,
  isTypeOf: (value) => (value as Partial<CustomEventFailure> | null)?.kind === 'CustomEventFailure',
  fields: (t) => ({
    eventIndexes: t.exposeIntList('eventIndexes', {
      description:
        'Positions in `input.events` of the events this failure is about (every event naming that user).',
    }),
    userId: t.exposeString('userId', {
      nullable: true,
      description: 'The external id or OneSignal id the events named, as OneSignal reported it.',
    }),
    oneSignalCode: t.exposeString('oneSignalCode', {
      nullable: true,
      description: "OneSignal's own code for the failure, e.g. `not found`.",
    }),
  }),
});

interface CustomEventOutcome {
  recordedCount: number;
  failures: CustomEventFailure[];
}

const CustomEventCreatePayloadRef = builder
  .objectRef<CustomEventOutcome>('CustomEventCreatePayload')
  .implement({
    description:
      'The result of `customEventCreate`: how many events OneSignal recorded and, when it answered with a partial success, which it did not.',
    fields: (t) => ({
      recordedCount: t.exposeInt('recordedCount', {
        description: 'Events OneSignal accepted for processing.',
      }),
      failures: t.field({
        type: [CustomEventFailureRef],
        description: 'Events OneSignal did not record, each a typed error; empty when all were recorded.',
        resolve: (o) => o.failures,
      }),
    }),
  });

const CustomEventInput = builder.inputType('CustomEventInput', {
  description:
    'One user action to record, e.g. `{ name: "purchase", user: { byAlias: { label: "external_id", id: "u-42" } } }`.',
  fields: (t) => ({
    name: t.string({ required: true, description: `The event's name, 1–${MAX_NAME} characters.` }),
    user: t.field({
      type: UserRefInput,
      required: true,
      description:
        'Who did it: `byId` (OneSignal id) or `byAlias` with the label `external_id`; OneSignal accepts no other alias here.',
    }),
    occurredAt: t.field({ type: 'DateTime', description: 'When it happened; now when omitted.' }),
    properties: t.field({
      type: 'JSONObject',
      description: 'Properties of the event for Journeys and personalization, e.g. `{ "sku": "A-1" }`.',
    }),
  }),
});

interface CustomEventShape {
  name: string;
  user: UserRefShape;
  occurredAt?: Date | null;
  properties?: Record<string, unknown> | null;
}

builder.mutationField('customEventCreate', (t) =>
  t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      "Records custom events of an app's users (create_custom_events), to start Journeys or let them go on. OneSignal records what it can: events it cannot are listed as `failures` in the payload, not as an error.",
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      events: t.input.field({
        type: [CustomEventInput],
        required: true,
        description: 'The events, at least one.',
      }),
    },
    type: CustomEventCreatePayloadRef,
    typeOptions: { description: "Input of `customEventCreate`: the app and its users' events." },
    errors: mutationResult(
      'customEventCreate',
      UPSTREAM_ERRORS,
      'What `customEventCreate` returns: what was recorded and what not (per event), or a `ValidationError` (nothing recorded), `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const body = toCustomEventsBody(appId, input.events as CustomEventShape[]);
      const answer = await upstream(ctx.client.customEvents.create(appId, body));
      const failures = (answer.errors ?? []).map((e) => toFailure(e, body.events));
      const failed = new Set(failures.flatMap((f) => f.eventIndexes));
      return { recordedCount: body.events.length - failed.size, failures };
    },
  }),
);

/** Ties an entry of OneSignal's `errors` to the events that named its user. */
function toFailure(error: WireCustomEventError, events: WireCustomEvent[]): CustomEventFailure {
  const userId = error.event_user_id ?? null;
  const indexes = events.flatMap((e, i) =>
    userId !== null && (e.external_id === userId || e.onesignal_id === userId) ? [i] : [],
  );
  const oneSignalCode = error.error?.code ?? null;
  return {
    kind: 'CustomEventFailure',
    // "not found" is the one per-event failure OneSignal documents; anything else is about the event itself.
    code:
      oneSignalCode?.toLowerCase().replace(/[\s_-]+/g, ' ') === 'not found'
        ? 'NOT_FOUND'
        : 'VALIDATION_FAILED',
    message: error.error?.title ?? `OneSignal did not record the events of user ${userId ?? '(unknown)'}.`,
    eventIndexes: indexes,
    userId,
    oneSignalCode,
  };
}

/** The one place GraphQL names meet create_custom_events's wire names. */
function toCustomEventsBody(appId: string, events: CustomEventShape[]): WireCustomEventsBody {
  if (events.length === 0) throw ValidationError.field(['input', 'events'], 'send at least one event.');
  return {
    events: events.map((e, i) => {
      const path = ['input', 'events', String(i)];
      const name = e.name.trim();
      if (!name || name.length > MAX_NAME)
        throw ValidationError.field([...path, 'name'], `must be 1–${MAX_NAME} characters.`);
      const user = parseUserRef(appId, e.user, [...path, 'user']);
      if (user.label !== ONESIGNAL_ID && user.label !== 'external_id')
        throw ValidationError.field(
          [...path, 'user', 'byAlias', 'label'],
          'custom events name their user by external_id or OneSignal id only.',
        );
      return {
        name,
        ...(user.label === ONESIGNAL_ID ? { onesignal_id: user.id } : { external_id: user.id }),
        ...(e.occurredAt && { timestamp: e.occurredAt.toISOString() }),
        ...(e.properties && { payload: e.properties }),
      };
    }),
  };
}
