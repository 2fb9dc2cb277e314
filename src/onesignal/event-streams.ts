/**
 * OneSignal Event Streams: the events OneSignal POSTs to a URL of ours, one per request, for each
 * message event of an app (documentation.onesignal.com, "Event Streams" and "Event Stream data").
 *
 * OneSignal sends whatever JSON body the stream is configured with (Liquid placeholders such as
 * `{{ event.id }}`); docs/event-streams.md gives the body this server expects, which mirrors the
 * documented properties: `event` (id, kind, timestamp, app_id, subscription_device_type, data),
 * `message` (id, name, template_id), `user` (onesignal_id, external_id) and `subscription` (id).
 * A placeholder OneSignal has no value for renders as an empty string, so empty strings read as
 * absent. Not an operation of the REST client: nothing here calls OneSignal.
 */

/** Every documented `event.kind`, by channel. */
export const EVENT_KINDS = {
  push: ['sent', 'received', 'clicked', 'failed', 'unsubscribed'],
  email: [
    'sent',
    'received',
    'opened',
    'clicked',
    'unsubscribed',
    'reported_as_spam',
    'hardbounced',
    'failed',
    // Spelled so in OneSignal's kind reference.
    'supressed',
  ],
  sms: ['sent', 'delivered', 'failed', 'clicked', 'unsubscribed'],
  iam: ['displayed', 'clicked', 'pagedisplayed'],
  // The reference lists Live Activity events (sent, delivered, confirmed, failed, unsubscribed,
  // clicked) without their kind strings; these follow the other channels' pattern.
  liveactivity: ['sent', 'delivered', 'received', 'failed', 'unsubscribed', 'clicked'],
} as const;

export type EventChannel = keyof typeof EVENT_KINDS;
export type EventAction = (typeof EVENT_KINDS)[EventChannel][number];

/** One event as the wire carries it (what the configured body renders to). */
export interface WireStreamEvent {
  event: {
    /** UUID v4, unique per event: the de-duplication key (delivery is at least once). */
    id: string;
    /** `message.<channel>.<action>`, e.g. `message.push.clicked`. */
    kind: string;
    /** Unix seconds. */
    timestamp?: number | string;
    /** ISO 8601, UTC. */
    datetime?: string;
    app_id: string;
    /** e.g. iOS, Android, Chrome, Email, SMS. */
    subscription_device_type?: string;
    subscription_id?: string;
    /** Channel-specific fields (event.data.*). */
    data?: Record<string, unknown>;
  };
  /** Blank on interaction events more than 30 days after the send; `id` joins them to it. */
  message?: { id?: string; name?: string; template_id?: string };
  user?: { onesignal_id?: string; external_id?: string };
  subscription?: { id?: string };
}

/** A validated event, in our names: what is de-duplicated, published and shown to subscribers. */
export interface StreamEvent {
  id: string;
  /** The wire kind, e.g. `message.email.opened`. */
  kind: string;
  channel: EventChannel;
  action: EventAction;
  appId: string;
  /** Epoch ms when it happened (OneSignal's timestamp; when it sent none, when we received it). */
  occurredAt: number;
  receivedAt: number;
  deviceType: string | null;
  subscriptionId: string | null;
  userId: string | null;
  externalId: string | null;
  messageId: string | null;
  messageName: string | null;
  templateId: string | null;
  data: Record<string, unknown> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown for a body that is not one event of a known kind; the message says what is wrong. */
export class StreamEventError extends Error {}

/** Splits a kind such as `message.push.clicked` into channel and action; undefined for an unknown kind. */
export function kindOf(kind: string): { channel: EventChannel; action: EventAction } | undefined {
  const match = /^message\.([a-z_]+)\.([a-z_]+)$/.exec(kind);
  if (!match) return undefined;
  const channel = match[1] as EventChannel;
  const actions = EVENT_KINDS[channel] as readonly string[] | undefined;
  if (!actions?.includes(match[2] as string)) return undefined;
  return { channel, action: match[2] as EventAction };
}

/** Validates one received body; throws `StreamEventError` naming the first problem's path. */
export function parseStreamEvent(body: unknown, receivedAt = Date.now()): StreamEvent {
  if (!isObject(body)) throw new StreamEventError('The body must be a JSON object with an "event" object.');
  const event = body.event;
  if (!isObject(event)) throw new StreamEventError('"event" must be an object.');
  const id = text(event, 'id', 'event');
  if (!id || !UUID.test(id)) throw new StreamEventError('"event.id" must be a UUID.');
  const kind = text(event, 'kind', 'event');
  const parsed = kind ? kindOf(kind) : undefined;
  // The value is not repeated: an answer echoes nothing a sender put in the body.
  if (!kind || !parsed)
    throw new StreamEventError('"event.kind" is not a known event kind (message.<channel>.<action>).');
  const appId = text(event, 'app_id', 'event');
  if (!appId || !UUID.test(appId)) throw new StreamEventError('"event.app_id" must be a UUID.');
  const message = optionalObject(body, 'message');
  const user = optionalObject(body, 'user');
  const subscription = optionalObject(body, 'subscription');
  const data = event.data === undefined || event.data === '' || event.data === null ? null : event.data;
  if (data !== null && !isObject(data)) throw new StreamEventError('"event.data" must be an object.');
  return {
    id: id.toLowerCase(),
    kind,
    ...parsed,
    appId: appId.toLowerCase(),
    occurredAt: occurredAt(event) ?? receivedAt,
    receivedAt,
    deviceType: text(event, 'subscription_device_type', 'event'),
    subscriptionId: uuid(subscription, 'id', 'subscription') ?? uuid(event, 'subscription_id', 'event'),
    userId: uuid(user, 'onesignal_id', 'user'),
    externalId: text(user, 'external_id', 'user'),
    messageId: uuid(message, 'id', 'message'),
    messageName: text(message, 'name', 'message'),
    templateId: uuid(message, 'template_id', 'message'),
    data,
  };
}

function optionalObject(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (!isObject(v)) throw new StreamEventError(`"${key}" must be an object.`);
  return v;
}

/** A string property; empty (an unrendered placeholder) reads as null. */
function text(obj: Record<string, unknown> | undefined, key: string, where: string): string | null {
  const v = obj?.[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') throw new StreamEventError(`"${where}.${key}" must be a string.`);
  return v.trim() || null;
}

function uuid(obj: Record<string, unknown> | undefined, key: string, where: string): string | null {
  const v = text(obj, key, where);
  if (v === null) return null;
  if (!UUID.test(v)) throw new StreamEventError(`"${where}.${key}" must be a UUID.`);
  return v.toLowerCase();
}

function occurredAt(event: Record<string, unknown>): number | undefined {
  const ts = event.timestamp;
  if (ts !== undefined && ts !== null && ts !== '') {
    const n = Number(ts);
    if (!Number.isFinite(n) || n <= 0) throw new StreamEventError('"event.timestamp" must be Unix seconds.');
    return Math.round(n * 1000);
  }
  const dt = text(event, 'datetime', 'event');
  if (dt === null) return undefined;
  const ms = Date.parse(dt);
  if (!Number.isFinite(ms)) throw new StreamEventError('"event.datetime" must be an ISO 8601 time.');
  return ms;
}
