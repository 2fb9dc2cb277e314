import { inSegment, isSubscribed } from '../audience.js';
import { VALID_DEVICE_TYPES } from '../devices.js';
import { type OpContext, type Operation, ok } from '../operation.js';
import { presentPlayer } from '../present.js';
import { applyPlayerFields, newPlayer, newUser, userForExternalId } from '../records.js';
import type { AppState } from '../store.js';
import type { PlayerRecord } from '../types.js';
import { csvRow, fail, isUuid, mergeTags, optionalStringArray, paging } from '../util.js';
import { publishCsv } from './notifications.js';

function playerOr404(app: AppState, id: string | undefined): PlayerRecord {
  if (!isUuid(id)) throw fail(400, `Player id '${id}' is not a valid UUID`);
  const p = app.players.get(id);
  if (!p) throw fail(404, `Player with id '${id}' not found`);
  return p;
}

function deviceType(value: unknown, required: boolean): number | undefined {
  if (value === undefined || value === null) {
    if (required) throw fail(400, 'device_type is required');
    return undefined;
  }
  if (typeof value !== 'number' || !VALID_DEVICE_TYPES.has(value))
    throw fail(400, `device_type '${String(value)}' is not a valid device type`);
  return value;
}

/** update_player may omit app_id: the player id alone says which app it belongs to. */
function appIdForPlayer(ctx: OpContext): string | undefined {
  const fromBody = ctx.body.app_id;
  if (typeof fromBody === 'string') return fromBody;
  const fromQuery = ctx.query.get('app_id');
  if (fromQuery) return fromQuery;
  const id = ctx.params.player_id ?? '';
  for (const app of ctx.store.apps.values()) if (app.players.has(id)) return app.id;
  return undefined;
}

const DEFAULT_COLUMNS = [
  'id',
  'identifier',
  'session_count',
  'language',
  'timezone',
  'game_version',
  'device_os',
  'device_type',
  'device_model',
  'ad_id',
  'tags',
  'last_active',
  'playtime',
  'amount_spent',
  'created_at',
  'invalid_identifier',
  'badge_count',
];
const EXTRA_COLUMNS = new Set([
  'location',
  'country',
  'rooted',
  'notification_types',
  'ip',
  'external_user_id',
  'web_auth',
  'web_p256',
]);

function exportValue(app: AppState, p: PlayerRecord, column: string): unknown {
  switch (column) {
    case 'tags':
      return app.tagsOf(p);
    case 'invalid_identifier':
      return p.invalid_identifier ? 't' : 'f';
    case 'external_user_id':
      return app.externalIdOf(p);
    case 'location':
      return p.lat === null || p.long === null ? '' : `${p.lat},${p.long}`;
    case 'ip':
      return app.users.get(p.user_id)?.properties.ip ?? '';
    default:
      return (p as unknown as Record<string, unknown>)[column];
  }
}

export const playerOperations: Operation[] = [
  {
    id: 'get_players',
    method: 'GET',
    path: '/players',
    auth: 'app',
    handler: ({ app, query }) => {
      const { limit, offset } = paging(query, 300, 'players');
      const ids = app.playerIdsSorted();
      const players = ids
        .slice(offset, offset + limit)
        .map((id) => presentPlayer(app, app.players.get(id) as PlayerRecord));
      return ok({ total_count: ids.length, offset, limit, players });
    },
  },
  {
    id: 'create_player',
    method: 'POST',
    path: '/players',
    auth: 'app',
    handler: ({ app, body }) => {
      const type = deviceType(body.device_type, true) as number;
      const identifier = body.identifier;
      if ((type === 11 || type === 14) && (typeof identifier !== 'string' || identifier === ''))
        throw fail(
          400,
          type === 11
            ? 'identifier (the email address) is required for email players'
            : 'identifier (the phone number) is required for SMS players',
        );
      // Like OneSignal: registering a known push token / email again updates that player.
      const existing =
        typeof identifier === 'string' && identifier ? app.playerByToken(identifier) : undefined;
      if (existing && existing.device_type === type) {
        applyPlayerFields(app, existing, body);
        return ok({ success: true, id: existing.id });
      }
      const ext =
        typeof body.external_user_id === 'string' && body.external_user_id
          ? body.external_user_id
          : undefined;
      const user = ext ? userForExternalId(app, ext) : newUser(app);
      const p = newPlayer(app, user, type);
      applyPlayerFields(app, p, body);
      return ok({ success: true, id: p.id });
    },
  },
  {
    id: 'get_player',
    method: 'GET',
    path: '/players/:player_id',
    auth: 'app',
    handler: ({ app, params }) => ok(presentPlayer(app, playerOr404(app, params.player_id))),
  },
  {
    id: 'update_player',
    method: 'PUT',
    path: '/players/:player_id',
    auth: 'app',
    appId: appIdForPlayer,
    handler: ({ app, params, body }) => {
      const p = playerOr404(app, params.player_id);
      const type = deviceType(body.device_type, false);
      applyPlayerFields(app, p, body);
      if (type !== undefined) p.device_type = type;
      return ok({ success: true });
    },
  },
  {
    id: 'delete_player',
    method: 'DELETE',
    path: '/players/:player_id',
    auth: 'app',
    handler: ({ app, params }) => {
      const id = params.player_id;
      if (!isUuid(id)) throw fail(400, `Player id '${id}' is not a valid UUID`);
      const removed = app.removePlayer(id);
      return removed ? ok({ success: true }) : ok({ success: false }, 404);
    },
  },
  {
    id: 'update_player_tags',
    method: 'PUT',
    path: '/apps/:app_id/users/:external_user_id',
    auth: 'app',
    handler: ({ app, params, body }) => {
      const ext = params.external_user_id ?? '';
      const user = app.userByAlias('external_id', ext);
      if (!user) throw fail(400, `No player with external_user_id '${ext}' found`);
      if (body.tags === undefined || body.tags === null) throw fail(400, 'tags is required');
      mergeTags(user.properties.tags, body.tags);
      return ok({ success: true });
    },
  },
  {
    id: 'export_players',
    method: 'POST',
    path: '/players/csv_export',
    auth: 'app',
    handler: ({ app, store, body, baseUrl, now, pacing }) => {
      const extra = optionalStringArray(body, 'extra_fields') ?? [];
      const unknown = extra.filter((f) => !EXTRA_COLUMNS.has(f));
      if (unknown.length > 0) throw fail(400, `Unsupported extra_fields: ${unknown.join(', ')}`);
      const sinceRaw = body.last_active_since;
      const since = sinceRaw === undefined || sinceRaw === null ? undefined : Number(sinceRaw);
      if (since !== undefined && !Number.isFinite(since))
        throw fail(400, 'last_active_since must be a unix timestamp');
      const segmentName = body.segment_name;
      if (segmentName !== undefined && segmentName !== null && typeof segmentName !== 'string')
        throw fail(400, 'segment_name must be a string');
      const segment = segmentName ? app.segmentByName(segmentName) : undefined;
      if (segmentName && !segment) throw fail(400, `Segment '${segmentName}' not found`);
      const columns = [...DEFAULT_COLUMNS, ...extra];
      const lines = [csvRow(columns)];
      for (const id of app.playerIdsSorted()) {
        const p = app.players.get(id) as PlayerRecord;
        if (since !== undefined && p.last_active <= since) continue;
        if (segment && !(isSubscribed(p) && inSegment(app, segment, p, now))) continue;
        lines.push(csvRow(columns.map((c) => exportValue(app, p, c))));
      }
      const csv = `${lines.join('\n')}\n`;
      return ok({ csv_file_url: publishCsv(store, baseUrl, `players-${app.id}`, csv, pacing.exportMs) });
    },
  },
];
