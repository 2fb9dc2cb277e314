import { channelOf, PLATFORM_FLAGS } from './devices.js';
import type { AppState } from './store.js';
import type { FilterExpression, PlayerRecord, SegmentRecord } from './types.js';
import { fail, isObject, isUuid } from './util.js';

export const isSubscribed = (p: PlayerRecord): boolean => p.notification_types > 0 && !p.invalid_identifier;

const INACTIVE_AFTER_SECONDS = 7 * 86400;
const RELATIONS = new Set([
  '>',
  '<',
  '=',
  '!=',
  'exists',
  'not_exists',
  'time_elapsed_gt',
  'time_elapsed_lt',
]);

/** A number sent as a JSON number or a numeric string (OneSignal's examples quote them: "radius": "1000"). */
function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Fields whose condition counts hours since a session (`hours_ago`), not a stored value. */
const HOURS_FIELDS = new Set(['last_session', 'first_session']);

/**
 * A location condition: `radius` (meters), `lat`, `long`, kept as sent. OneSignal documents no
 * relation for it, so none is added.
 */
function parseLocation(f: Record<string, unknown>, at: string): FilterExpression {
  const radius = numeric(f.radius);
  const lat = numeric(f.lat);
  const long = numeric(f.long);
  if (radius === undefined || radius < 0)
    throw fail(400, `${at}.radius must be a non-negative number of meters for a location filter`);
  if (lat === undefined || lat < -90 || lat > 90)
    throw fail(400, `${at}.lat must be a latitude between -90 and 90 for a location filter`);
  if (long === undefined || long < -180 || long > 180)
    throw fail(400, `${at}.long must be a longitude between -180 and 180 for a location filter`);
  return {
    field: 'location',
    radius: f.radius as number | string,
    lat: f.lat as number | string,
    long: f.long as number | string,
  };
}

/** Validates segment / notification filters; throws a 400 on a malformed entry. */
export function parseFilters(raw: unknown, what = 'filters'): FilterExpression[] {
  if (!Array.isArray(raw)) throw fail(400, `${what} must be an array`);
  return raw.map((f, i) => {
    const at = `${what}[${i}]`;
    if (!isObject(f)) throw fail(400, `${at} must be an object`);
    if (f.operator !== undefined) {
      if (f.operator !== 'OR' && f.operator !== 'AND') throw fail(400, `${at}.operator must be OR or AND`);
      return { operator: f.operator };
    }
    if (typeof f.field !== 'string' || f.field === '') throw fail(400, `${at} is missing field`);
    if (f.field === 'location') return parseLocation(f, at);
    const relation = f.relation ?? '=';
    if (typeof relation !== 'string' || !RELATIONS.has(relation))
      throw fail(400, `${at} has an invalid relation '${String(relation)}'`);
    if (f.field === 'tag' && typeof f.key !== 'string') throw fail(400, `${at} tag filters need a key`);
    const out: FilterExpression = { field: f.field, relation };
    if (HOURS_FIELDS.has(f.field)) {
      // OneSignal documents only ">" and "<" here, with `hours_ago`; `value` is still read when
      // `hours_ago` is absent (this emulator took it before, and older clients send it).
      if (relation !== '>' && relation !== '<')
        throw fail(400, `${at}: ${f.field} filters take the relation ">" or "<"`);
      const hours = f.hours_ago ?? f.value;
      if (numeric(hours) === undefined)
        throw fail(400, `${at}.hours_ago must be a number of hours for a ${f.field} filter`);
      if (f.hours_ago !== undefined) out.hours_ago = String(f.hours_ago);
    }
    if (typeof f.key === 'string') out.key = f.key;
    if (f.value !== undefined && f.value !== null) out.value = String(f.value);
    return out;
  });
}

/** Mean Earth radius in meters (IUGG), for great-circle distances. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle (haversine) distance in meters between two points given in degrees. */
export function distanceMeters(lat1: number, long1: number, lat2: number, long2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLong = (long2 - long1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLong / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a player's last known position lies within the filter's radius (players without one never do). */
function withinRadius(p: PlayerRecord, f: FilterExpression): boolean {
  const radius = numeric(f.radius);
  const lat = numeric(f.lat);
  const long = numeric(f.long);
  if (p.lat === null || p.long === null || radius === undefined || lat === undefined || long === undefined)
    return false;
  return distanceMeters(lat, long, p.lat, p.long) <= radius;
}

/**
 * last_session / first_session: the hours elapsed since that session, compared with `hours_ago`.
 * OneSignal's reference only says "number of hours before or after the user's last session"; we read
 * `">"` as "the session was MORE than N hours ago" (inactive for N hours; the dashboard's "greater than
 * N hours ago", as in the reference's `{"last_session", "<", hours_ago: "30"}` example for recent
 * users) and `"<"` as "less than N hours ago". first_session is the player's `created_at`.
 */
function hoursSince(at: number, f: FilterExpression, now: number): boolean {
  const hours = numeric(f.hours_ago ?? f.value);
  if (hours === undefined) return false;
  const elapsed = (now - at) / 3600;
  return f.relation === '<' ? elapsed < hours : elapsed > hours;
}

function compare(
  actual: string | number | null | undefined,
  relation: string,
  expected: string | undefined,
  now: number,
): boolean {
  if (relation === 'exists') return actual !== undefined && actual !== null && actual !== '';
  if (relation === 'not_exists') return actual === undefined || actual === null || actual === '';
  if (actual === undefined || actual === null) return relation === '!=';
  // Time operators (tags only): the tag holds a unix time in seconds and `value` is a duration in
  // seconds; time_elapsed_gt matches when more than `value` seconds have passed since the tag's time,
  // time_elapsed_lt when fewer. OneSignal's reference names them ("time elapsed greater/less than")
  // without the units; the seed has no time tags, so only tags set by a test or client match.
  if (relation === 'time_elapsed_gt' || relation === 'time_elapsed_lt') {
    const t = Number(actual);
    const limit = Number(expected);
    if (!Number.isFinite(t) || !Number.isFinite(limit)) return false;
    return relation === 'time_elapsed_gt' ? now - t > limit : now - t < limit;
  }
  const an = Number(actual);
  const en = Number(expected);
  const numeric =
    expected !== undefined && expected !== '' && actual !== '' && Number.isFinite(an) && Number.isFinite(en);
  switch (relation) {
    case '=':
      return numeric ? an === en : String(actual) === expected;
    case '!=':
      return numeric ? an !== en : String(actual) !== expected;
    case '>':
      return numeric ? an > en : String(actual) > (expected ?? '');
    case '<':
      return numeric ? an < en : String(actual) < (expected ?? '');
    default:
      return false;
  }
}

function matchesOne(state: AppState, p: PlayerRecord, f: FilterExpression, now: number): boolean {
  const relation = f.relation ?? '=';
  switch (f.field) {
    case 'tag':
      return compare(state.tagsOf(p)[f.key ?? ''], relation, f.value, now);
    case 'language':
      return compare(p.language, relation, f.value, now);
    case 'country':
      return compare(p.country, relation, f.value, now);
    case 'session_count':
      return compare(p.session_count, relation, f.value, now);
    case 'session_time':
      return compare(p.playtime, relation, f.value, now);
    case 'amount_spent':
      return compare(p.amount_spent, relation, f.value, now);
    case 'app_version':
      return compare(p.game_version, relation, f.value, now);
    case 'device_type':
      return compare(p.device_type, relation, f.value, now);
    case 'email':
      return p.device_type === 11 && compare(p.identifier, relation, f.value, now);
    case 'phone_number':
      return p.device_type === 14 && compare(p.identifier, relation, f.value, now);
    case 'external_id':
    case 'external_user_id':
      return compare(state.externalIdOf(p), relation, f.value, now);
    case 'last_session':
      return hoursSince(p.last_active, f, now);
    case 'first_session':
      return hoursSince(p.created_at, f, now);
    case 'location':
      return withinRadius(p, f);
    default:
      return false;
  }
}

/** OneSignal semantics: OR splits the list into groups; every filter within a group must match. */
export function matchesFilters(
  state: AppState,
  p: PlayerRecord,
  filters: FilterExpression[],
  now: number,
): boolean {
  let groupOk = true;
  let any = false;
  for (const f of filters) {
    if (f.operator === 'OR') {
      if (groupOk && any) return true;
      groupOk = true;
      any = false;
      continue;
    }
    if (f.operator === 'AND') continue;
    any = true;
    if (groupOk && !matchesOne(state, p, f, now)) groupOk = false;
  }
  return groupOk && any;
}

export function inSegment(state: AppState, segment: SegmentRecord, p: PlayerRecord, now: number): boolean {
  if (!isSubscribed(p)) return false;
  switch (segment.builtin) {
    case 'subscribed':
    case 'active':
      return true;
    case 'inactive':
      return now - p.last_active > INACTIVE_AFTER_SECONDS;
    default:
      return matchesFilters(state, p, segment.filters, now);
  }
}

export interface Audience {
  players: PlayerRecord[];
  invalidPlayerIds: string[];
  invalidExternalUserIds: string[];
}

const TOKEN_TARGETS = [
  'include_email_tokens',
  // The current API's email targeting beside include_email_tokens (onesignal-node 5.x); same lookup.
  'email_to',
  'include_phone_numbers',
  'include_ios_tokens',
  'include_wp_wns_uris',
  'include_amazon_reg_ids',
  'include_chrome_reg_ids',
  'include_chrome_web_reg_ids',
  'include_android_reg_ids',
];

const stringList = (body: Record<string, unknown>, key: string): string[] | undefined => {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw fail(400, `${key} must be an array of strings`);
  return v as string[];
};

const EXPLICIT_TARGETS = [
  'included_segments',
  'include_player_ids',
  'include_subscription_ids',
  'include_external_user_ids',
  'include_aliases',
  'filters',
  ...TOKEN_TARGETS,
];

const hasExplicitTargeting = (body: Record<string, unknown>): boolean =>
  EXPLICIT_TARGETS.some((k) => body[k] !== undefined && body[k] !== null);

/** Whether a create_notification body names any audience at all. */
export const hasTargeting = (body: Record<string, unknown>): boolean =>
  hasExplicitTargeting(body) || Object.keys(PLATFORM_FLAGS).some((k) => body[k] === true);

/** Resolves a notification's targeting to the subscribed players it reaches. */
export function resolveAudience(
  state: AppState,
  body: Record<string, unknown>,
  now: number,
  /** The channel to keep (default: body.target_channel; none: every channel). */
  onlyChannel?: 'push' | 'email' | 'sms',
): Audience {
  const selected = new Map<string, PlayerRecord>();
  const invalidPlayerIds: string[] = [];
  const invalidExternalUserIds: string[] = [];
  const add = (p: PlayerRecord | undefined) => {
    if (p) selected.set(p.id, p);
  };

  const segmentNames = stringList(body, 'included_segments');
  if (segmentNames) {
    const segments = segmentNames.map((n) => state.segmentByName(n)).filter((s): s is SegmentRecord => !!s);
    if (segments.length > 0)
      for (const p of state.players.values()) if (segments.some((s) => inSegment(state, s, p, now))) add(p);
  }
  for (const key of ['include_player_ids', 'include_subscription_ids']) {
    for (const id of stringList(body, key) ?? []) {
      const p = isUuid(id) ? state.players.get(id) : undefined;
      if (p) add(p);
      else invalidPlayerIds.push(id);
    }
  }
  for (const ext of stringList(body, 'include_external_user_ids') ?? []) {
    const user = state.userByAlias('external_id', ext);
    if (!user) invalidExternalUserIds.push(ext);
    else for (const id of user.subscriptions) add(state.players.get(id));
  }
  const aliases = body.include_aliases;
  if (aliases !== undefined && aliases !== null) {
    if (!isObject(aliases))
      throw fail(400, 'include_aliases must be an object of alias label to array of ids');
    for (const [label, ids] of Object.entries(aliases)) {
      if (!Array.isArray(ids)) throw fail(400, `include_aliases.${label} must be an array`);
      for (const id of ids) {
        const user = state.userByAlias(label, String(id));
        if (user) for (const sid of user.subscriptions) add(state.players.get(sid));
      }
    }
  }
  for (const key of TOKEN_TARGETS)
    for (const token of stringList(body, key) ?? []) add(state.playerByToken(token));
  if (body.filters !== undefined && body.filters !== null) {
    const filters = parseFilters(body.filters);
    for (const p of state.players.values()) if (matchesFilters(state, p, filters, now)) add(p);
  }
  const flagged = Object.entries(PLATFORM_FLAGS).filter(([k]) => body[k] === true);
  // Platform flags alone mean "everyone on those platforms".
  if (flagged.length > 0 && !hasExplicitTargeting(body)) for (const p of state.players.values()) add(p);

  const excluded = (stringList(body, 'excluded_segments') ?? [])
    .map((n) => state.segmentByName(n))
    .filter((s): s is SegmentRecord => !!s);
  const deviceTypes = flagged.length > 0 ? new Set(flagged.flatMap(([, types]) => types)) : undefined;
  const channel = onlyChannel ?? (typeof body.target_channel === 'string' ? body.target_channel : undefined);
  const includeUnsubscribed = body.include_unsubscribed === true;

  const players: PlayerRecord[] = [];
  for (const p of selected.values()) {
    if (!isSubscribed(p) && !(includeUnsubscribed && p.device_type === 11)) continue;
    if (deviceTypes && !deviceTypes.has(p.device_type)) continue;
    if (channel && channelOf(p.device_type) !== channel) continue;
    if (excluded.some((s) => inSegment(state, s, p, now))) continue;
    players.push(p);
  }
  return { players, invalidPlayerIds, invalidExternalUserIds };
}
