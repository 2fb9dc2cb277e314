/**
 * The notification mutations: `notificationCreate` (send or schedule), `notificationCancel`, and the
 * two CSV exports, with their payloads and the errors they return. What a send accepts and how it
 * becomes the wire body is in input.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SendOutcomeUnknown, UpstreamError } from '../../core/errors.js';
import { type AppScopedKey, encodeNodeId, parseAppRef, parseNodeId } from '../../core/ids.js';
import type { WireCreateNotificationResult } from '../../onesignal/index.js';
import { OneSignalError } from '../../onesignal/index.js';
import {
  type SentNotification,
  sentNotification,
  withTemplateContent,
} from '../../onesignal/notifications.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { mutationResult, UPSTREAM_ERRORS } from '../error-types.js';
import { CsvExportRef } from '../exports.js';
import { toApiError, upstream } from '../upstream-errors.js';
import {
  type NotificationCreateInputShape,
  notificationCreateInputFields,
  toCreateNotificationBody,
} from './input.js';
import { NotificationRef } from './types.js';

export const HistoryEventEnum = builder.enumType('HistoryEvent', {
  description: 'Which recipients a history export lists.',
  values: {
    SENT: {
      value: 'sent',
      description: 'Every recipient the notification was sent to (only recorded above 1000 recipients).',
    },
    CLICKED: { value: 'clicked', description: 'Every recipient that clicked the notification.' },
  } as const,
});

interface CreateOutcome {
  appId: string;
  id: string;
  idempotencyKey: string;
  recipientCount: number | null;
  invalidIds: string[];
  warnings: string[];
  /** The notification as the send made it known (what was sent, OneSignal's id and recipients). */
  sent?: SentNotification | undefined;
}

/** What a payload's `notification` holds before OneSignal's own view of it replaces it. */
const SNAPSHOT =
  "Right after the send it is answered from the send itself, with no read of the notification from OneSignal: what you sent (content, targeting, options; a named template's content where you set none), the id and recipient count OneSignal answered (`remainingCount`), `status` SENDING (queued) or SCHEDULED when `sendAfter` is in the future, `queuedAt` now, delivery counts 0. Fields OneSignal adds later, such as delivery counts and per-platform statistics, come from its own view: reads of the notification get it once a few seconds have passed.";

const NotificationCreatePayload = builder.objectRef<CreateOutcome>('NotificationCreatePayload').implement({
  description: `The notification was created and will be (or was) sent to at least one recipient. OneSignal's answer to the create alone makes this payload. ${SNAPSHOT}`,
  fields: (t) => ({
    notification: t.field({
      type: NotificationRef,
      nullable: true,
      // Checked before the read, so a caller without the scope costs no upstream request.
      skipTypeScopes: true,
      authScopes: { 'notifications:read': true },
      description: `The new notification, as the send made it known. ${SNAPSHOT} Null, with an error at this field only, when the caller may not read notifications (or a read it needed failed): the send itself succeeded.`,
      resolve: async (o, _a, ctx) => {
        const key = { appId: o.appId, id: o.id };
        // Primed per request, so it holds with the shared cache off too; else read from OneSignal.
        const sent = o.sent && (await completed(o.sent, ctx));
        if (sent) ctx.loaders.primeNotification(key, sent);
        return upstream(ctx.loaders.notification.load(key));
      },
    }),
    // Not `id`: a payload is not the notification, and clients that key records by `id` (Relay,
    // Apollo) would merge the two.
    notificationId: t.id({
      description: 'Global id of the new notification (for `node` and `notificationCancel`).',
      resolve: (o) => encodeNodeId('Notification', { appId: o.appId, id: o.id }),
    }),
    idempotencyKey: t.field({
      type: 'UUID',
      description:
        'The idempotency key the send carried (yours, or a fresh one): sending again with it returns this notification.',
      resolve: (o) => o.idempotencyKey,
    }),
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The new notification id as OneSignal shows it.',
      resolve: (o) => o.id,
    }),
    recipientCount: t.int({
      nullable: true,
      description:
        'Estimated recipients; null for scheduled or delayed notifications OneSignal has not counted yet.',
      resolve: (o) => o.recipientCount,
    }),
    invalidIds: t.stringList({
      description: 'Given subscription ids or alias values that matched nobody; the others were targeted.',
      resolve: (o) => o.invalidIds,
    }),
    warnings: t.stringList({
      description: 'Other remarks OneSignal returned with the notification.',
      resolve: (o) => o.warnings,
    }),
  }),
});

/**
 * The snapshot with what OneSignal adds at once: a named template's content, read through the same
 * loader as `Notification.template` (no rate limit on it, unlike notification views). Undefined when
 * that read fails: OneSignal's view of the notification answers instead.
 */
async function completed(sent: SentNotification, ctx: Context): Promise<SentNotification | undefined> {
  const templateId = sent.template_id;
  if (!templateId) return sent;
  try {
    const key = { appId: sent.app_id.toLowerCase(), id: templateId.toLowerCase() };
    return withTemplateContent(sent, (await ctx.loaders.template.load(key)).content);
  } catch {
    return undefined;
  }
}

/** OneSignal accepted the request but sent nothing: no subscribed recipient matched. */
export class NotificationNotSent extends Error {
  constructor(
    readonly reasons: string[],
    readonly invalidIds: string[],
  ) {
    super(`Nothing was sent: ${reasons.join('; ') || 'no subscribed recipient matched the targeting.'}`);
  }
}

builder.objectType(NotificationNotSent, {
  name: 'NotificationNotSent',
  description:
    'OneSignal accepted the request but created no notification because no subscribed recipient matched. Not a success: nothing was sent.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'Why nothing was sent.' }),
    reasons: t.stringList({
      description: "OneSignal's reasons, e.g. `All included players are not subscribed`.",
      resolve: (e) => e.reasons,
    }),
    invalidIds: t.stringList({
      description: 'Given subscription ids or alias values that matched nobody.',
      resolve: (e) => e.invalidIds,
    }),
  }),
});

const NotificationCancelPayload = builder.objectRef<AppScopedKey>('NotificationCancelPayload').implement({
  description: 'The result of `notificationCancel`: OneSignal canceled the notification.',
  fields: (t) => ({
    notificationId: t.id({
      description: 'Global id of the canceled notification.',
      resolve: (key) => encodeNodeId('Notification', key),
    }),
    notification: t.field({
      type: NotificationRef,
      nullable: true,
      // Checked before the read, so a caller without the scope costs no upstream request.
      skipTypeScopes: true,
      authScopes: { 'notifications:read': true },
      description:
        'The canceled notification, read again from OneSignal. Null, with an error at this field only, when that read fails or the caller may not read notifications: the cancel itself succeeded.',
      resolve: (key, _a, ctx) => upstream(ctx.loaders.notification.load(key)),
    }),
  }),
});

const NotificationExportHistoryPayload = builder.simpleObject('NotificationExportHistoryPayload', {
  description: 'The result of `notificationExportHistory`: a CSV being prepared.',
  fields: (t) => ({
    destinationUrl: t.field({
      type: 'URL',
      description: 'Where the CSV will be available once OneSignal has built it (poll until it answers 200).',
    }),
    event: t.field({ type: HistoryEventEnum, description: 'Which recipients it lists.' }),
    export: t.field({ type: CsvExportRef, description: 'The file and whether it is ready yet.' }),
  }),
});

const NotificationExportEventsPayload = builder.simpleObject('NotificationExportEventsPayload', {
  description: 'The result of `notificationExportEvents`: a CSV of per-recipient events being prepared.',
  fields: (t) => ({
    csvFileUrl: t.field({
      type: 'URL',
      description: 'Where the CSV will be available once OneSignal has built it.',
    }),
    export: t.field({ type: CsvExportRef, description: 'The file and whether it is ready yet.' }),
  }),
});

builder.mutationFields((t) => ({
  notificationCreate: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description:
      'Creates and sends (or schedules) a notification (needs the app REST API key). Returns `NotificationNotSent` when nobody matched the targeting.',
    type: NotificationCreatePayload,
    input: notificationCreateInputFields(t.input),
    typeOptions: { description: 'Input of `notificationCreate`.' },
    errors: mutationResult('notificationCreate', [
      ...UPSTREAM_ERRORS,
      NotificationNotSent,
      SendOutcomeUnknown,
    ]),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      // Chosen here, not in the client, so an unknown outcome can hand it back for a safe resend.
      const idempotencyKey =
        input.idempotencyKey ??
        (ctx.requestId ? keyOfRequest(ctx.caller.name, ctx.requestId, input) : randomUUID());
      const body = {
        ...toCreateNotificationBody(input as NotificationCreateInputShape),
        idempotency_key: idempotencyKey,
      };
      let result: WireCreateNotificationResult;
      try {
        result = await ctx.client.notifications.create(appId, body);
      } catch (error) {
        // Retries reuse the key, so a lost answer is replayed when one gets through; when none did,
        // only the key can tell what happened.
        if (error instanceof OneSignalError && error.mayHaveActed)
          throw new SendOutcomeUnknown(idempotencyKey, error.operation, error.message);
        throw toApiError(error);
      }
      const { reasons, invalidIds } = readCreateErrors(result);
      if (!result.id) throw new NotificationNotSent(reasons, invalidIds);
      return {
        appId,
        id: result.id,
        idempotencyKey,
        recipientCount: result.recipients ?? null,
        invalidIds,
        warnings: reasons,
        sent: sentNotification(result),
      };
    },
  }),
  notificationCancel: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description: 'Stops a scheduled or sending notification (needs the app REST API key).',
    type: NotificationCancelPayload,
    input: { id: t.input.id({ required: true, description: 'Global id of the notification.' }) },
    typeOptions: { description: 'Input of `notificationCancel`.' },
    errors: mutationResult('notificationCancel', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Notification', ['input', 'id']);
      try {
        await ctx.client.notifications.cancel(key.appId, key.id);
      } catch (error) {
        if (!cancelledByLostAttempt(error)) throw toApiError(error);
      }
      ctx.loaders.notification.clear(key);
      ctx.loaders.notificationPage.clearAll();
      return key;
    },
  }),
  notificationExportHistory: t.fieldWithInput({
    authScopes: { exports: true },
    description:
      'Starts a CSV export of who was sent or clicked a notification (needs the app REST API key).',
    type: NotificationExportHistoryPayload,
    input: {
      id: t.input.id({ required: true, description: 'Global id of the notification.' }),
      event: t.input.field({
        type: HistoryEventEnum,
        required: true,
        description: 'Which recipients to list.',
      }),
      email: t.input.field({
        type: 'EmailAddress',
        description: 'Also email the CSV link to this address when ready.',
      }),
    },
    typeOptions: { description: 'Input of `notificationExportHistory`.' },
    errors: mutationResult('notificationExportHistory', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Notification', ['input', 'id']);
      const result = await upstream(
        ctx.client.notifications.history(key.appId, key.id, {
          events: input.event,
          ...(input.email ? { email: input.email } : {}),
        }),
      );
      const url = exportUrl(result.destination_url, 'get_notification_history');
      return { destinationUrl: url, event: input.event, export: { url } };
    },
  }),
  notificationExportEvents: t.fieldWithInput({
    authScopes: { exports: true },
    description:
      'Starts a CSV export of every per-recipient event of a notification (needs the app REST API key).',
    type: NotificationExportEventsPayload,
    input: { id: t.input.id({ required: true, description: 'Global id of the notification.' }) },
    typeOptions: { description: 'Input of `notificationExportEvents`.' },
    errors: mutationResult('notificationExportEvents', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Notification', ['input', 'id']);
      const result = await upstream(ctx.client.notifications.exportEvents(key.appId, key.id));
      const url = exportUrl(result.csv_file_url, 'export_events');
      return { csvFileUrl: url, export: { url } };
    },
  }),
}));

/**
 * A retried cancel whose earlier answer was lost finds the notification already canceled: that was
 * this cancel, so it succeeded.
 */
function cancelledByLostAttempt(error: unknown): boolean {
  return (
    error instanceof OneSignalError &&
    error.mayHaveActed &&
    error.code === 'BAD_REQUEST' &&
    error.errors.some((m) => /already been canceled/i.test(m))
  );
}

/** Flattens create_notification's `errors`, which is a list of reasons or an object of invalid-id lists. */
function readCreateErrors(result: WireCreateNotificationResult): { reasons: string[]; invalidIds: string[] } {
  const errors = (result as { errors?: unknown }).errors;
  const reasons: string[] = [];
  const invalidIds: string[] = [];
  if (Array.isArray(errors)) reasons.push(...errors.map(String));
  else if (errors && typeof errors === 'object') {
    for (const [key, value] of Object.entries(errors)) {
      if (Array.isArray(value)) {
        invalidIds.push(...value.map(String));
      } else if (value && typeof value === 'object') {
        for (const ids of Object.values(value)) if (Array.isArray(ids)) invalidIds.push(...ids.map(String));
      } else if (typeof value === 'string') {
        reasons.push(`${key}: ${value}`);
      }
    }
  } else if (typeof errors === 'string') reasons.push(errors);
  return { reasons, invalidIds };
}

/** OneSignal promises a download link; without a usable one the export failed upstream, not here. */
function exportUrl(url: string | undefined, operation: string): URL {
  if (url && URL.canParse(url)) return new URL(url);
  throw new UpstreamError(
    'UPSTREAM_UNAVAILABLE',
    `${operation}: OneSignal answered without a download URL.`,
    operation,
  );
}

/**
 * The idempotency key of a send that brought none but came with a request id: a UUID (v4 layout) from
 * a SHA-256 of the caller, the request id and the input. A balancer resending the same request to
 * another replica gets the same key, so OneSignal answers the first send; a client reusing a request
 * id for a different send (other input) gets another.
 */
function keyOfRequest(caller: string, requestId: string, input: unknown): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([caller, requestId, input]))
    .digest('hex')
    .slice(0, 32)
    .split('');
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
