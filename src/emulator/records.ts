import { randomUUID } from 'node:crypto';
import type { AppState } from './store.js';
import type { PlayerRecord, UserRecord } from './types.js';
import { fail, isObject, mergeTags, nowSeconds } from './util.js';

export function newUser(app: AppState, aliases: Record<string, string> = {}): UserRecord {
  const now = nowSeconds();
  const user: UserRecord = {
    onesignal_id: randomUUID(),
    aliases: {},
    properties: { tags: {}, first_active: now, last_active: now },
    subscriptions: [],
  };
  app.addUser(user);
  for (const [label, id] of Object.entries(aliases)) app.setAlias(user, label, id);
  return user;
}

export function userForExternalId(app: AppState, externalId: string): UserRecord {
  return app.userByAlias('external_id', externalId) ?? newUser(app, { external_id: externalId });
}

export function newPlayer(
  app: AppState,
  user: UserRecord,
  deviceType: number,
  id: string = randomUUID(),
): PlayerRecord {
  const now = nowSeconds();
  const player: PlayerRecord = {
    id,
    app_id: app.id,
    user_id: user.onesignal_id,
    device_type: deviceType,
    identifier: null,
    language: user.properties.language ?? 'en',
    timezone: null,
    game_version: null,
    device_model: null,
    device_os: null,
    ad_id: null,
    sdk: null,
    session_count: 1,
    amount_spent: 0,
    created_at: now,
    playtime: 0,
    badge_count: 0,
    last_active: now,
    notification_types: 1,
    invalid_identifier: false,
    test_type: null,
    long: null,
    lat: null,
    country: user.properties.country ?? null,
    rooted: false,
    net_type: null,
    carrier: null,
    web_auth: null,
    web_p256: null,
  };
  app.addPlayer(player);
  return player;
}

const STRING_FIELDS = [
  'language',
  'game_version',
  'device_model',
  'device_os',
  'ad_id',
  'sdk',
  'country',
] as const;
const NUMBER_FIELDS = [
  'timezone',
  'session_count',
  'amount_spent',
  'created_at',
  'playtime',
  'badge_count',
  'last_active',
  'notification_types',
  'test_type',
  'long',
  'lat',
] as const;
const NULLABLE = new Set([
  'timezone',
  'test_type',
  'long',
  'lat',
  'game_version',
  'device_model',
  'device_os',
  'ad_id',
  'sdk',
  'country',
]);

/** Applies v1 Player fields from a request body (create_player / update_player). */
export function applyPlayerFields(app: AppState, p: PlayerRecord, body: Record<string, unknown>): void {
  const target = p as unknown as Record<string, unknown>;
  for (const key of STRING_FIELDS) {
    const v = body[key];
    if (v === undefined) continue;
    if (v === null && NULLABLE.has(key)) target[key] = null;
    else if (typeof v === 'string') target[key] = v;
    else throw fail(400, `${key} must be a string`);
  }
  for (const key of NUMBER_FIELDS) {
    const v = body[key];
    if (v === undefined) continue;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (v === null && NULLABLE.has(key)) target[key] = null;
    else if (typeof n === 'number' && Number.isFinite(n)) target[key] = n;
    else throw fail(400, `${key} must be a number`);
  }
  if (body.identifier !== undefined) {
    if (body.identifier !== null && typeof body.identifier !== 'string')
      throw fail(400, 'identifier must be a string');
    app.setIdentifier(p, body.identifier);
  }
  if (body.notification_types !== undefined) p.invalid_identifier = false;
  if (body.external_user_id !== undefined) {
    const ext = body.external_user_id;
    if (ext !== null && typeof ext !== 'string') throw fail(400, 'external_user_id must be a string');
    const current = app.externalIdOf(p);
    if (ext && ext !== current) app.transferPlayer(p, userForExternalId(app, ext));
    else if (!ext && current) app.transferPlayer(p, newUser(app));
  }
  if (body.tags !== undefined && body.tags !== null) {
    if (!isObject(body.tags)) throw fail(400, 'tags must be an object');
    const user = app.users.get(p.user_id);
    if (user) mergeTags(user.properties.tags, body.tags);
  }
}
