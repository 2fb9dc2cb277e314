export interface FaultConfig {
  /** Fixed delay added to every matching response. */
  latencyMs?: number;
  /** Extra random delay, 0..jitterMs, on top of latencyMs. */
  jitterMs?: number;
  /** 0..1 chance of a 429 with a Retry-After header. */
  rateLimitRate?: number;
  retryAfterSeconds?: number;
  /** 0..1 chance of a 5xx. */
  serverErrorRate?: number;
  serverErrorStatus?: number;
  /** 0..1 chance of destroying the socket without any response. */
  dropRate?: number;
  /** 0..1 chance of executing the operation, then destroying the socket: the answer is lost. */
  lostAnswerRate?: number;
  /** 'before' (default): fault instead of executing; 'after': execute, then replace the response (5xx/drop). */
  when?: 'before' | 'after';
  /** Only these operationIds (default all). */
  operations?: string[];
  /** Apply the error/drop faults to the next N matching requests only (latency keeps applying). */
  times?: number;
}

export interface EmulatorStats {
  total: number;
  byOperation: Record<string, number>;
  /**
   * Requests per app (lower-case id, as the operation names it: path, query or body) and operation,
   * the 429s of OneSignal's limits included: what each app's budget is spent on. Requests naming no
   * app, and injected faults answered before the operation ran, are in `total` only.
   */
  byApp: Record<string, Record<string, number>>;
  /** 429s answered by the OneSignal rate limits (not injected faults), per limit name. */
  rateLimited: Record<string, number>;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Record<string, unknown>;

export interface AppRecord {
  id: string;
  name: string;
  basic_auth_key: string;
  created_at: string;
  updated_at: string;
  /** Writable App settings as sent by clients (gcm_key, apns_env, site_name, ...). */
  settings: JsonObject;
}

/** A v1 player and a v5 subscription are the same record (same id). */
export interface PlayerRecord {
  id: string;
  app_id: string;
  /** onesignal_id of the owning user. */
  user_id: string;
  device_type: number;
  identifier: string | null;
  language: string;
  timezone: number | null;
  game_version: string | null;
  device_model: string | null;
  device_os: string | null;
  ad_id: string | null;
  sdk: string | null;
  session_count: number;
  amount_spent: number;
  created_at: number;
  playtime: number;
  badge_count: number;
  last_active: number;
  notification_types: number;
  invalid_identifier: boolean;
  test_type: number | null;
  long: number | null;
  lat: number | null;
  country: string | null;
  rooted: boolean;
  net_type: number | null;
  carrier: string | null;
  web_auth: string | null;
  web_p256: string | null;
}

export interface Purchase {
  sku: string;
  amount: string;
  iso: string;
  count?: number;
}

export interface UserProperties {
  tags: Record<string, string>;
  language?: string;
  timezone_id?: string;
  lat?: number;
  long?: number;
  country?: string;
  first_active?: number;
  last_active?: number;
  amount_spent?: number;
  purchases?: Purchase[];
  ip?: string;
  session_count?: number;
  session_time?: number;
}

export interface UserRecord {
  onesignal_id: string;
  /** Every alias but onesignal_id (external_id and custom labels). */
  aliases: Record<string, string>;
  properties: UserProperties;
  /** Ids of owned subscriptions (players), in creation order. */
  subscriptions: string[];
}

export interface FilterExpression {
  field?: string;
  key?: string;
  value?: string;
  relation?: string;
  /** last_session / first_session: the hours the relation compares with (a decimal string, e.g. "1.1"). */
  hours_ago?: string;
  /** location: radius in meters around lat/long (as sent: numbers or numeric strings). */
  radius?: number | string;
  lat?: number | string;
  long?: number | string;
  operator?: 'OR' | 'AND';
}

export interface SegmentRecord {
  id: string;
  app_id: string;
  name: string;
  filters: FilterExpression[];
  created_at: string;
  updated_at: string;
  read_only: boolean;
  is_active: boolean;
  /** Set through update_segment. */
  description?: string;
  /** Built-in audience for the default segments (the filters of those are empty). */
  builtin?: 'subscribed' | 'active' | 'inactive';
}

/** A message template (TemplateResource); `content` holds what a send takes from it. */
export interface TemplateRecord {
  id: string;
  app_id: string;
  name: string;
  channel: 'push' | 'email' | 'sms';
  content: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface DeliveryStats {
  successful: number;
  failed: number;
  errored: number;
  converted: number;
  received: number;
}

export interface OutcomeValue {
  id: string;
  value: number;
  aggregation: 'sum' | 'count';
}

export interface NotificationRecord {
  id: string;
  app_id: string;
  /** 0 dashboard, 1 api, 3 automated. */
  kind: number;
  /** The content/targeting fields as sent (snake_case wire names). */
  fields: JsonObject;
  external_id: string | null;
  queued_at: number;
  send_after: number | null;
  completed_at: number | null;
  canceled: boolean;
  recipients: number;
  /** Recipient player ids (kept for API-created notifications; seeded ones derive them). */
  recipient_ids: string[] | null;
  /** Recipients per platform_delivery_stats key. */
  platform_counts: Record<string, number>;
  stats: DeliveryStats;
  platform_stats: Record<string, DeliveryStats>;
  outcomes: OutcomeValue[];
  throttle_rate_per_minute: number | null;
  /** Pacing: delivery runs from `delivery_start_ms` (epoch ms) over `delivery_ms`; absent: at once. */
  delivery_ms?: number;
  delivery_start_ms?: number;
}

/** How long the emulator takes to do what OneSignal does over time (0: at once). */
export interface Pacing {
  /** A send's delivery, from its start: counts grow, then it completes. */
  deliveryMs: number;
  /** A CSV export, from its request until its file is served. */
  exportMs: number;
}

export interface CreateNotificationResult {
  id: string;
  recipients: number;
  external_id: string | null;
  errors?: unknown;
}

/**
 * One REST API key of an app (current API). OneSignal shows a key once, in the answer to create or
 * rotate, and never again; the emulator likewise keeps only its SHA-256, which is all it needs to
 * accept the key on later requests, so neither its memory nor a `--data` snapshot holds it in clear.
 */
export interface ApiKeyRecord {
  token_id: string;
  name: string;
  created_at: string;
  updated_at: string;
  ip_allowlist_mode: 'disabled' | 'explicit';
  ip_allowlist: string[];
  /** Hex SHA-256 of the key. */
  token_sha256: string;
}

/** A custom event the emulator recorded (create_custom_events); OneSignal offers no endpoint to read them. */
export interface RecordedEvent {
  id: string;
  name: string;
  onesignal_id: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

/** One recorded event, in list_audit_logs's wire shape (AuditLogEvent). */
export interface AuditEntry {
  id: string;
  organization_id: string;
  app_id: string;
  action: string;
  /** RFC 3339, second precision. */
  occurred_at: string;
  version: 1;
  actor: { type: string; id: string; name: string; email?: string; metadata: Record<string, unknown> };
  targets: { type: string; id: string; name?: string; metadata: Record<string, unknown> }[];
  context: { ip: string; user_agent: string; country: string; metadata: Record<string, unknown> };
  metadata: Record<string, unknown>;
  /** Order among events of the same second (not on the wire). */
  seq: number;
}
