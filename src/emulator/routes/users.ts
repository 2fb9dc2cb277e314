import { isSubscribed } from '../audience.js';
import { channelOf, deviceTypeOf } from '../devices.js';
import { manifestOf, statusOf } from '../in-app-messages.js';
import { type AppOpContext, type Operation, ok } from '../operation.js';
import { identityOf, presentSubscription, presentUser } from '../present.js';
import { newPlayer, newUser } from '../records.js';
import type { AppState } from '../store.js';
import type { PlayerRecord, Purchase, UserProperties, UserRecord } from '../types.js';
import { ApiError, failCode, isObject, isUuid, mergeTags } from '../util.js';

const userNotFound = () => failCode(404, 'user-2', 'User not found');
const subscriptionNotFound = () => failCode(404, 'subscription-0', 'Subscription not found');
const bad = (title: string) => failCode(400, 'invalid_value', title);

function userOr404({ app, params }: AppOpContext): UserRecord {
  const user = app.userByAlias(params.alias_label ?? '', params.alias_id ?? '');
  if (!user) throw userNotFound();
  return user;
}

function subscriptionOr404({ app, params }: AppOpContext): PlayerRecord {
  const id = params.subscription_id;
  if (!isUuid(id)) throw bad(`subscription_id '${id}' is not a valid UUID`);
  const p = app.players.get(id);
  if (!p) throw subscriptionNotFound();
  return p;
}

/** Parses an `identity` object: alias label → alias id, onesignal_id excluded (it cannot be assigned). */
function parseIdentity(raw: unknown, required: boolean): Record<string, string> {
  if (raw === undefined || raw === null) {
    if (required) throw bad('identity is required');
    return {};
  }
  if (!isObject(raw)) throw bad('identity must be an object of alias label to alias id');
  const out: Record<string, string> = {};
  for (const [label, id] of Object.entries(raw)) {
    if (label === 'onesignal_id') continue;
    if (typeof id !== 'string' || id === '') throw bad(`alias '${label}' must be a non-empty string`);
    if (label.trim() === '') throw bad('alias labels must be non-empty');
    out[label] = id;
  }
  if (required && Object.keys(out).length === 0) throw bad('identity must contain at least one alias');
  return out;
}

/** Aliases owned by a user other than `user` → 409 in OneSignal's conflict shape. */
function checkAliasConflicts(
  app: AppState,
  identity: Record<string, string>,
  user: UserRecord | undefined,
): void {
  const conflicting: Record<string, string> = {};
  for (const [label, id] of Object.entries(identity)) {
    const owner = app.userByAlias(label, id);
    if (owner && owner !== user) conflicting[label] = id;
  }
  if (Object.keys(conflicting).length > 0)
    throw new ApiError(409, {
      errors: [
        {
          code: 'user-2',
          title: 'Alias claimed by another user',
          meta: { conflicting_aliases: conflicting },
        },
      ],
    });
}

function applyProperties(user: UserRecord, raw: unknown): void {
  if (raw === undefined || raw === null) return;
  if (!isObject(raw)) throw bad('properties must be an object');
  const props = user.properties as UserProperties & Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    switch (key) {
      case 'tags':
        try {
          mergeTags(props.tags, value);
        } catch {
          throw bad('tags must be an object of string key/value pairs');
        }
        break;
      case 'language':
      case 'timezone_id':
      case 'country':
      case 'ip':
        if (typeof value !== 'string') throw bad(`${key} must be a string`);
        props[key] = value;
        break;
      case 'lat':
      case 'long':
      case 'first_active':
      case 'last_active':
      case 'amount_spent':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`${key} must be a number`);
        props[key] = value;
        break;
      case 'purchases':
        props.purchases = parsePurchases(value);
        break;
      default:
        throw bad(`Unknown user property '${key}'`);
    }
  }
}

function parsePurchases(value: unknown): Purchase[] {
  if (!Array.isArray(value)) throw bad('purchases must be an array');
  return value.map((p, i) => {
    if (!isObject(p) || typeof p.sku !== 'string' || typeof p.iso !== 'string' || p.amount === undefined)
      throw bad(`purchases[${i}] needs sku, amount and iso`);
    const out: Purchase = { sku: p.sku, amount: String(p.amount), iso: p.iso };
    if (typeof p.count === 'number') out.count = p.count;
    return out;
  });
}

function applyDeltas(user: UserRecord, raw: unknown): void {
  if (raw === undefined || raw === null) return;
  if (!isObject(raw)) throw bad('deltas must be an object');
  const props = user.properties;
  for (const key of ['session_time', 'session_count'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`deltas.${key} must be a number`);
    props[key] = (props[key] ?? 0) + v;
  }
  if (raw.purchases !== undefined) {
    const purchases = parsePurchases(raw.purchases);
    props.purchases = [...(props.purchases ?? []), ...purchases];
    const spent = purchases.reduce((sum, p) => sum + (Number(p.amount) || 0) * (p.count ?? 1), 0);
    props.amount_spent = Math.round(((props.amount_spent ?? 0) + spent) * 100) / 100;
  }
}

function parseSubscriptionType(raw: Record<string, unknown>): number {
  const deviceType = typeof raw.type === 'string' ? deviceTypeOf(raw.type) : undefined;
  if (deviceType === undefined) throw bad(`subscription type '${String(raw.type)}' is not valid`);
  return deviceType;
}

export function applySubscriptionFields(app: AppState, p: PlayerRecord, raw: Record<string, unknown>): void {
  const target = p as unknown as Record<string, unknown>;
  if (raw.token !== undefined) {
    if (raw.token !== null && typeof raw.token !== 'string') throw bad('token must be a string');
    app.setIdentifier(p, raw.token || null);
  }
  const numeric: [string, string][] = [
    ['notification_types', 'notification_types'],
    ['session_time', 'playtime'],
    ['session_count', 'session_count'],
    ['test_type', 'test_type'],
    ['net_type', 'net_type'],
  ];
  for (const [wire, field] of numeric) {
    const v = raw[wire];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${wire} must be a number`);
    target[field] = v;
  }
  const strings: [string, string][] = [
    ['sdk', 'sdk'],
    ['device_model', 'device_model'],
    ['device_os', 'device_os'],
    ['app_version', 'game_version'],
    ['carrier', 'carrier'],
    ['web_auth', 'web_auth'],
    ['web_p256', 'web_p256'],
  ];
  for (const [wire, field] of strings) {
    const v = raw[wire];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw bad(`${wire} must be a string`);
    target[field] = v;
  }
  if (raw.rooted !== undefined) p.rooted = raw.rooted === true;
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') throw bad('enabled must be a boolean');
    if (raw.enabled && p.notification_types <= 0) p.notification_types = 1;
    if (!raw.enabled) p.notification_types = -2;
    p.invalid_identifier = false;
  }
  if (raw.type !== undefined) p.device_type = parseSubscriptionType(raw);
}

/** Adds a subscription to a user: an existing token of the same type moves over, anything else is new. */
function attachSubscription(
  app: AppState,
  user: UserRecord,
  raw: unknown,
): { player: PlayerRecord; created: boolean } {
  if (!isObject(raw)) throw bad('subscription must be an object');
  const deviceType = parseSubscriptionType(raw);
  const channel = channelOf(deviceType);
  if (channel !== 'push' && (typeof raw.token !== 'string' || raw.token === ''))
    throw bad(
      `token (the ${channel === 'email' ? 'email address' : 'phone number'}) is required for ${raw.type} subscriptions`,
    );
  const existing = typeof raw.token === 'string' && raw.token ? app.playerByToken(raw.token) : undefined;
  if (existing && existing.device_type === deviceType) {
    app.transferPlayer(existing, user);
    applySubscriptionFields(app, existing, raw);
    return { player: existing, created: false };
  }
  const player = newPlayer(app, user, deviceType);
  applySubscriptionFields(app, player, raw);
  return { player, created: true };
}

function addAliases(app: AppState, user: UserRecord, identity: Record<string, string>): void {
  checkAliasConflicts(app, identity, user);
  for (const [label, id] of Object.entries(identity)) app.setAlias(user, label, id);
}

export const userOperations: Operation[] = [
  {
    id: 'create_user',
    method: 'POST',
    path: '/apps/:app_id/users',
    auth: 'app',
    handler: ({ app, body }) => {
      const identity = parseIdentity(body.identity, false);
      const subscriptions = body.subscriptions ?? [];
      if (!Array.isArray(subscriptions)) throw bad('subscriptions must be an array');
      if (Object.keys(identity).length === 0 && subscriptions.length === 0)
        throw bad('A user needs at least one alias in identity or one subscription');
      const owners = new Set<UserRecord>();
      for (const [label, id] of Object.entries(identity)) {
        const owner = app.userByAlias(label, id);
        if (owner) owners.add(owner);
      }
      if (owners.size > 1) checkAliasConflicts(app, identity, [...owners][0]);
      const existing = [...owners][0];
      const user = existing ?? newUser(app);
      addAliases(app, user, identity);
      applyProperties(user, body.properties);
      for (const sub of subscriptions) attachSubscription(app, user, sub);
      return ok(presentUser(app, user), existing ? 200 : 201);
    },
  },
  {
    id: 'fetch_user',
    method: 'GET',
    path: '/apps/:app_id/users/by/:alias_label/:alias_id',
    auth: 'app',
    handler: (ctx) => ok(presentUser(ctx.app, userOr404(ctx))),
  },
  {
    id: 'update_user',
    method: 'PATCH',
    path: '/apps/:app_id/users/by/:alias_label/:alias_id',
    auth: 'app',
    handler: (ctx) => {
      const user = userOr404(ctx);
      applyProperties(user, ctx.body.properties);
      applyDeltas(user, ctx.body.deltas);
      user.properties.last_active = ctx.now;
      return ok({ properties: presentUser(ctx.app, user).properties }, 202);
    },
  },
  {
    id: 'delete_user',
    method: 'DELETE',
    path: '/apps/:app_id/users/by/:alias_label/:alias_id',
    auth: 'app',
    handler: (ctx) => {
      ctx.app.removeUser(userOr404(ctx));
      return ok(undefined, 200);
    },
  },
  {
    id: 'identify_user_by_alias',
    method: 'PATCH',
    path: '/apps/:app_id/users/by/:alias_label/:alias_id/identity',
    auth: 'app',
    handler: (ctx) => {
      const user = userOr404(ctx);
      addAliases(ctx.app, user, parseIdentity(ctx.body.identity, true));
      return ok({ identity: identityOf(user) });
    },
  },
  {
    id: 'fetch_user_identity',
    method: 'GET',
    path: '/apps/:app_id/users/by/:alias_label/:alias_id/identity',
    auth: 'app',
    handler: (ctx) => ok({ identity: identityOf(userOr404(ctx)) }),
  },
  {
    id: 'delete_alias',
    method: 'DELETE',
    path: '/apps/:app_id/users/by/:alias_label/:alias_id/identity/:alias_label_to_delete',
    auth: 'app',
    handler: (ctx) => {
      const user = userOr404(ctx);
      const label = ctx.params.alias_label_to_delete ?? '';
      if (label === 'onesignal_id') throw bad('The onesignal_id alias cannot be deleted');
      if (user.aliases[label] === undefined)
        throw failCode(404, 'alias-not-found', `User has no '${label}' alias`);
      ctx.app.removeAlias(user, label);
      return ok({ identity: identityOf(user) });
    },
  },
  {
    id: 'create_subscription',
    method: 'POST',
    path: '/apps/:app_id/users/by/:alias_label/:alias_id/subscriptions',
    auth: 'app',
    handler: (ctx) => {
      const user = userOr404(ctx);
      if (ctx.body.subscription === undefined) throw bad('subscription is required');
      const { player, created } = attachSubscription(ctx.app, user, ctx.body.subscription);
      return ok({ subscription: presentSubscription(player) }, created ? 201 : 202);
    },
  },
  {
    id: 'update_subscription',
    method: 'PATCH',
    path: '/apps/:app_id/subscriptions/:subscription_id',
    auth: 'app',
    handler: (ctx) => {
      const p = subscriptionOr404(ctx);
      const raw = ctx.body.subscription;
      if (!isObject(raw)) throw bad('subscription must be an object');
      applySubscriptionFields(ctx.app, p, raw);
      return ok(undefined, 202);
    },
  },
  {
    id: 'delete_subscription',
    method: 'DELETE',
    path: '/apps/:app_id/subscriptions/:subscription_id',
    auth: 'app',
    handler: (ctx) => {
      ctx.app.removePlayer(subscriptionOr404(ctx).id);
      return ok(undefined, 202);
    },
  },
  {
    id: 'fetch_aliases',
    method: 'GET',
    path: '/apps/:app_id/subscriptions/:subscription_id/user/identity',
    auth: 'app',
    handler: (ctx) => {
      const owner = ctx.app.users.get(subscriptionOr404(ctx).user_id);
      if (!owner) throw userNotFound();
      return ok({ identity: identityOf(owner) });
    },
  },
  {
    id: 'identify_user_by_subscription_id',
    method: 'PATCH',
    path: '/apps/:app_id/subscriptions/:subscription_id/user/identity',
    auth: 'app',
    handler: (ctx) => {
      const owner = ctx.app.users.get(subscriptionOr404(ctx).user_id);
      if (!owner) throw userNotFound();
      addAliases(ctx.app, owner, parseIdentity(ctx.body.identity, true));
      return ok({ identity: identityOf(owner) });
    },
  },
  {
    id: 'transfer_subscription',
    method: 'PATCH',
    path: '/apps/:app_id/subscriptions/:subscription_id/owner',
    auth: 'app',
    handler: (ctx) => {
      const p = subscriptionOr404(ctx);
      if (!isObject(ctx.body.identity) || Object.keys(ctx.body.identity).length === 0)
        throw bad('identity is required: the alias of the new owner');
      let target: UserRecord | undefined;
      for (const [label, id] of Object.entries(ctx.body.identity)) {
        target = ctx.app.userByAlias(label, String(id));
        if (target) break;
      }
      if (!target) throw userNotFound();
      ctx.app.transferPlayer(p, target);
      return ok({ identity: identityOf(target) });
    },
  },
  {
    id: 'get_eligible_iams',
    method: 'GET',
    path: '/apps/:app_id/subscriptions/:subscription_id/iams',
    auth: 'app',
    handler: (ctx) => {
      const p = subscriptionOr404(ctx);
      const eligible = isSubscribed(p) && channelOf(p.device_type) === 'push';
      const live = ctx.app.iams.filter((m) => statusOf(m, ctx.now) === 'active');
      return ok({ in_app_messages: eligible ? live.map(manifestOf) : [] });
    },
  },
];
