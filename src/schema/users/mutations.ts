import { NotFoundError, ValidationError } from '../../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  appScopedId,
  encodeNodeId,
  isUuid,
  parseAppRef,
  parseLocalId,
  parseNodeId,
} from '../../core/ids.js';
import { type AppUser, ONESIGNAL_ID, toAppUser, type UserKey } from '../../loaders/users.js';
import type { WireUser, WireUserProperties } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { mutationResult, UPSTREAM_ERRORS, UPSTREAM_ERRORS_WITH_CONFLICT } from '../error-types.js';
import {
  LocationInput,
  LocationRef,
  type LocationShape,
  locationFromWire,
  TagInput,
  TagRef,
  tagsFromWire,
  tagsToWire,
  validateLocation,
} from '../players/attributes.js';
import {
  SubscriptionAttributesInput,
  type SubscriptionAttributesShape,
  SubscriptionRef,
  subscriptionsOfUser,
  toSubscriptionBody,
} from '../subscriptions/mutations.js';
import { fromUnix, toUnix } from '../time.js';
import { orNull, upstream } from '../upstream-errors.js';

// ---------------------------------------------------------------------------------------------------
// Aliases and user references

export interface AliasShape {
  label: string;
  id: string;
}

export const AliasRef = builder.objectRef<AliasShape>('Alias').implement({
  description:
    'One identity of a user: a label (`onesignal_id`, `external_id` or your own) and the id under it.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'Alias label, e.g. `external_id`.' }),
    id: t.exposeString('id', { description: 'The id under that label.' }),
  }),
});

export const AliasInput = builder.inputType('AliasInput', {
  description: 'One alias: a label and an id.',
  fields: (t) => ({
    label: t.string({ required: true, description: 'Alias label, e.g. `external_id` or one of your own.' }),
    id: t.string({ required: true, description: 'The id under that label.' }),
  }),
});

/**
 * A one-of input, validated in resolvers rather than with `@oneOf`: graphql-js reports `@oneOf`
 * violations as request errors without a field path, while our `ValidationError` names the field and,
 * in mutations, is a member of the result union like every other invalid input.
 */
export const UserRefInput = builder.inputType('UserRefInput', {
  description: 'Identifies a user of an app. Set exactly one field.',
  fields: (t) => ({
    byId: t.field({ type: 'UUID', description: "The user's OneSignal id (`User.oneSignalId`)." }),
    byAlias: t.field({
      type: AliasInput,
      description: 'Any alias of the user, e.g. `{ label: "external_id", id: "u-42" }`.',
    }),
  }),
});

export interface UserRefShape {
  byId?: string | null;
  byAlias?: AliasShape | null;
}

/** Validates a `UserRefInput` (exactly one member) into a loader key. */
export function parseUserRef(appId: string, ref: UserRefShape, path: string[]): UserKey {
  const set = [ref.byId != null, ref.byAlias != null].filter(Boolean).length;
  if (set !== 1)
    throw ValidationError.field(
      path,
      `set exactly one of byId and byAlias (got ${set === 0 ? 'neither' : 'both'}).`,
    );
  if (ref.byId != null) return { appId, label: ONESIGNAL_ID, id: ref.byId.toLowerCase() };
  const alias = validateAlias(ref.byAlias as AliasShape, [...path, 'byAlias'], { allowOneSignalId: true });
  return { appId, ...alias };
}

function validateAlias(
  alias: AliasShape,
  path: string[],
  { allowOneSignalId }: { allowOneSignalId: boolean },
): AliasShape {
  const label = alias.label.trim();
  if (!label) throw ValidationError.field([...path, 'label'], 'must not be empty.');
  if (!alias.id.trim()) throw ValidationError.field([...path, 'id'], 'must not be empty.');
  if (label === ONESIGNAL_ID) {
    if (!allowOneSignalId)
      throw ValidationError.field(
        [...path, 'label'],
        'onesignal_id is assigned by OneSignal and cannot be set.',
      );
    if (!isUuid(alias.id)) throw ValidationError.field([...path, 'id'], 'a onesignal_id is a UUID.');
    return { label, id: alias.id.toLowerCase() };
  }
  return { label, id: alias.id };
}

/** Validates aliases to add: at least one, unique labels, never onesignal_id. */
function aliasesToIdentity(aliases: readonly AliasShape[], path: string[]): Record<string, string> {
  if (aliases.length === 0) throw ValidationError.field(path, 'must contain at least one alias.');
  const identity: Record<string, string> = {};
  aliases.forEach((a, i) => {
    const alias = validateAlias(a, [...path, String(i)], { allowOneSignalId: false });
    if (alias.label in identity)
      throw ValidationError.field([...path, String(i), 'label'], `"${alias.label}" appears twice.`);
    identity[alias.label] = alias.id;
  });
  return identity;
}

// ---------------------------------------------------------------------------------------------------
// User

export const UserRef = builder.objectRef<AppUser>('User');

const PurchaseRef = builder
  .objectRef<{ sku: string; amount: string; iso: string; count?: number }>('Purchase')
  .implement({
    description: 'An in-app purchase recorded on a user.',
    fields: (t) => ({
      sku: t.exposeString('sku', { description: 'Identifier of the purchased item.' }),
      amount: t.string({
        description: 'Amount paid, as a decimal string (OneSignal keeps it as text).',
        resolve: (p) => String(p.amount),
      }),
      currency: t.string({ description: 'ISO 4217 currency code of `amount`.', resolve: (p) => p.iso }),
      count: t.int({
        nullable: true,
        description: 'Quantity purchased, when given.',
        resolve: (p) => p.count ?? null,
      }),
    }),
  });

const UserPropertiesRef = builder.objectRef<WireUserProperties>('UserProperties').implement({
  description: 'Attributes of a user shared by all of its subscriptions.',
  fields: (t) => ({
    tags: t.field({
      type: [TagRef],
      description: 'Data tags, sorted by key.',
      resolve: (p) => tagsFromWire(p.tags as Record<string, unknown>),
    }),
    language: t.string({
      nullable: true,
      description: 'Language code, e.g. `en`.',
      resolve: (p) => p.language ?? null,
    }),
    timezoneId: t.string({
      nullable: true,
      description: 'IANA time zone, e.g. `America/Los_Angeles`.',
      resolve: (p) => p.timezone_id ?? null,
    }),
    country: t.field({
      type: 'CountryCode',
      nullable: true,
      description: 'ISO 3166-1 alpha-2 country code.',
      resolve: (p) => p.country || null,
    }),
    firstActive: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the user was first seen.',
      resolve: (p) => fromUnix(p.first_active),
    }),
    lastActive: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the user was last active.',
      resolve: (p) => fromUnix(p.last_active),
    }),
    amountSpent: t.float({
      nullable: true,
      description: 'Total spent in USD, when tracked.',
      resolve: (p) => (p.amount_spent == null ? null : Number(p.amount_spent)),
    }),
    purchases: t.field({
      type: [PurchaseRef],
      description: 'Recorded purchases.',
      resolve: (p) => p.purchases ?? [],
    }),
    location: t.field({
      type: LocationRef,
      nullable: true,
      description: 'Last known location.',
      resolve: (p) => locationFromWire(p.lat, p.long),
    }),
  }),
});

builder.node(UserRef, {
  authScopes: { 'users:read': true },
  description:
    'A person in the v5 user model: aliases (onesignal_id, external_id, your own labels), shared properties and the subscriptions (devices, emails, phone numbers) they own.',
  id: { resolve: (u) => appScopedId(u.appId, u.onesignalId), parse: (local) => parseLocalId(local, 'User') },
  loadOne: (key, ctx) => orNull(ctx.loaders.user.load({ appId: key.appId, label: ONESIGNAL_ID, id: key.id })),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: "OneSignal's id of the user (the `onesignal_id` alias).",
      resolve: (u) => u.onesignalId,
    }),
    externalId: t.string({
      nullable: true,
      description: 'Your id of the user (the `external_id` alias), when set.',
      resolve: (u) => (typeof u.identity.external_id === 'string' ? u.identity.external_id : null),
    }),
    aliases: t.field({
      type: [AliasRef],
      description: 'Every alias of the user, `onesignal_id` and `external_id` included, sorted by label.',
      resolve: (u) =>
        Object.entries(u.identity)
          .filter((e): e is [string, string] => typeof e[1] === 'string')
          .map(([label, id]) => ({ label, id }))
          .sort((a, b) => a.label.localeCompare(b.label)),
    }),
    properties: t.field({
      type: UserPropertiesRef,
      description: 'Tags, language, location and other attributes.',
      resolve: (u) => u.wire.properties ?? {},
    }),
    subscriptions: t.field({
      type: [SubscriptionRef],
      description: 'The push, email and SMS subscriptions the user owns (OneSignal caps these per user).',
      resolve: (u) => subscriptionsOfUser(u),
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the user belongs to.',
      resolve: (u, _args, ctx, info) => belongingApp(ctx, u.appId, info),
    }),
  }),
});

builder.objectFields(AppRef, (t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'users:read': true },
    description: 'One user by OneSignal id or by any alias; null when there is no such user.',
    args: {
      alias: t.arg({
        type: UserRefInput,
        required: true,
        description: 'The user to fetch: exactly one of `byId` and `byAlias`.',
      }),
    },
    resolve: (app, args, ctx) => orNull(ctx.loaders.user.load(parseUserRef(app.id, args.alias, ['alias']))),
  }),
}));

// ---------------------------------------------------------------------------------------------------
// Mutations

const PurchaseInput = builder.inputType('PurchaseInput', {
  description: 'An in-app purchase to record.',
  fields: (t) => ({
    sku: t.string({ required: true, description: 'Identifier of the purchased item.' }),
    amount: t.string({ required: true, description: 'Amount paid, as a decimal string, e.g. "4.99".' }),
    currency: t.string({ required: true, description: 'ISO 4217 currency code, e.g. USD.' }),
    count: t.int({ description: 'Quantity purchased.' }),
  }),
});

interface PurchaseInputShape {
  sku: string;
  amount: string;
  currency: string;
  count?: number | null;
}

const UserPropertiesInput = builder.inputType('UserPropertiesInput', {
  description: 'User properties to set. Omitted fields stay as they are.',
  fields: (t) => ({
    tags: t.field({ type: [TagInput], description: 'Tags to set; a null value removes a tag.' }),
    language: t.string({ description: 'Language code, e.g. `en`.' }),
    timezoneId: t.string({ description: 'IANA time zone, e.g. `Europe/Paris`.' }),
    country: t.field({ type: 'CountryCode', description: 'ISO 3166-1 alpha-2 country code.' }),
    firstActive: t.field({ type: 'DateTime', description: 'When the user was first seen.' }),
    lastActive: t.field({ type: 'DateTime', description: 'When the user was last active.' }),
    amountSpent: t.float({ description: 'Total spent in USD.' }),
    purchases: t.field({ type: [PurchaseInput], description: 'Purchases to record.' }),
    location: t.field({ type: LocationInput, description: 'Location for geo segments.' }),
    ip: t.string({ description: 'IP address, from which OneSignal can derive location.' }),
  }),
});

interface UserPropertiesInputShape {
  tags?: { key: string; value?: string | null }[] | null;
  language?: string | null;
  timezoneId?: string | null;
  country?: string | null;
  firstActive?: Date | null;
  lastActive?: Date | null;
  amountSpent?: number | null;
  purchases?: PurchaseInputShape[] | null;
  location?: LocationShape | null;
  ip?: string | null;
}

const UserDeltasInput = builder.inputType('UserDeltasInput', {
  description: 'Increments to apply to a user: added to the current values rather than replacing them.',
  fields: (t) => ({
    sessionTimeSeconds: t.int({ description: 'Seconds to add to the total session time.' }),
    sessionCount: t.int({ description: 'Sessions to add to the session count.' }),
    purchases: t.field({ type: [PurchaseInput], description: 'Purchases to add.' }),
  }),
});

const UserPayloadRef = builder.simpleObject('UserPayload', {
  description: 'The user after the change.',
  fields: (t) => ({ user: t.field({ type: UserRef, description: 'The user, read back from OneSignal.' }) }),
});

builder.mutationFields((t) => ({
  userCreate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Creates a user with aliases, properties and subscriptions (create_user). If an alias already belongs to a user, OneSignal updates that user instead.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      aliases: t.input.field({
        type: [AliasInput],
        description: 'Aliases of the new user, e.g. its `external_id`.',
      }),
      properties: t.input.field({ type: UserPropertiesInput, description: 'Initial properties.' }),
      subscriptions: t.input.field({
        type: [SubscriptionAttributesInput],
        description: 'Subscriptions the user owns from the start.',
      }),
      retainPreviousOwner: t.input.boolean({
        description:
          'When a listed subscription already belongs to another user: true keeps that user, false (default) moves it.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description:
        'Input of `userCreate`: the app and the aliases, properties and subscriptions of the new user.',
    },
    errors: mutationResult(
      'userCreate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userCreate` returns: the created (or matched and updated) user, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const body = toUserCreateBody(input, ['input']);
      const created = toAppUser(appId, await upstream(ctx.client.users.create(appId, body)));
      if (!created.onesignalId)
        throw new NotFoundError('OneSignal accepted the user but did not return its onesignal_id.');
      ctx.loaders.forgetUser(created);
      return {
        user: await upstream(ctx.loaders.user.load({ appId, label: ONESIGNAL_ID, id: created.onesignalId })),
      };
    },
  }),
  userUpdate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Changes properties of a user and applies increments (update_user).',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({ type: UserRefInput, required: true, description: 'The user to change.' }),
      properties: t.input.field({ type: UserPropertiesInput, description: 'Properties to set.' }),
      deltas: t.input.field({ type: UserDeltasInput, description: 'Increments to apply.' }),
      refreshDeviceMetadata: t.input.boolean({
        description: 'Also refresh IP-derived metadata such as country and location.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description: 'Input of `userUpdate`: the user, the properties to set and the increments to apply.',
    },
    errors: mutationResult(
      'userUpdate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userUpdate` returns: the changed user, or a `ValidationError`, `NotFoundError` (no such user), `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const body = toUserUpdateBody(input, ['input']);
      await upstream(ctx.client.users.update(appId, { label: key.label, id: key.id }, body));
      return { user: await reloadUser(ctx, key) };
    },
  }),
  userDelete: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Deletes a user and all of its subscriptions (delete_user).',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({ type: UserRefInput, required: true, description: 'The user to delete.' }),
    },
    type: builder.simpleObject('UserDeletePayload', {
      description: 'What was deleted.',
      fields: (f) => ({
        deletedUserId: f.id({
          description: 'Global id of the deleted user, for evicting it from client caches.',
        }),
      }),
    }),
    typeOptions: { description: 'Input of `userDelete`: the user to delete.' },
    errors: mutationResult(
      'userDelete',
      UPSTREAM_ERRORS,
      'What `userDelete` returns: the id of the deleted user, or a `ValidationError`, `NotFoundError` (no such user), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      // Read first so the payload can name the deleted user whichever alias identified it.
      const user = await upstream(ctx.loaders.user.load(key));
      await upstream(ctx.client.users.delete(appId, { label: ONESIGNAL_ID, id: user.onesignalId }));
      ctx.loaders.forgetUser(user);
      return { deletedUserId: encodeNodeId('User', { appId: user.appId, id: user.onesignalId }) };
    },
  }),
  userAliasesAdd: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Adds aliases to a user (identify_user_by_alias). An alias owned by another user is a conflict.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({ type: UserRefInput, required: true, description: 'The user to add aliases to.' }),
      aliases: t.input.field({
        type: [AliasInput],
        required: true,
        description: 'Aliases to add; an existing label gets the new id.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: { description: 'Input of `userAliasesAdd`: the user and the aliases to add.' },
    errors: mutationResult(
      'userAliasesAdd',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userAliasesAdd` returns: the user with its aliases, or a `ValidationError`, `NotFoundError`, `ConflictError` (an alias belongs to another user), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const identity = aliasesToIdentity(input.aliases, ['input', 'aliases']);
      await upstream(ctx.client.aliases.setByUser(appId, { label: key.label, id: key.id }, identity));
      // Aliases moved: any user read earlier in this operation may be stale.
      ctx.loaders.user.clearAll();
      return { user: await reloadUser(ctx, key) };
    },
  }),
  userAliasDelete: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Removes one alias from a user (delete_alias). `onesignal_id` cannot be removed.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({
        type: UserRefInput,
        required: true,
        description: 'The user to remove the alias from.',
      }),
      label: t.input.string({
        required: true,
        description: 'Label of the alias to remove, e.g. `external_id`.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description: 'Input of `userAliasDelete`: the user and the label of the alias to remove.',
    },
    errors: mutationResult(
      'userAliasDelete',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userAliasDelete` returns: the user without the alias, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const label = input.label.trim();
      if (!label) throw ValidationError.field(['input', 'label'], 'must not be empty.');
      if (label === ONESIGNAL_ID)
        throw ValidationError.field(['input', 'label'], 'onesignal_id cannot be removed.');
      if (label === key.label) {
        throw ValidationError.field(
          ['input', 'label'],
          'the user is referenced by this alias; reference it by another one (e.g. byId).',
        );
      }
      await upstream(ctx.client.aliases.delete(appId, { label: key.label, id: key.id }, label));
      ctx.loaders.user.clearAll();
      return { user: await reloadUser(ctx, key) };
    },
  }),
  subscriptionAliasesAdd: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Adds aliases to the user owning a subscription (identify_user_by_subscription_id).',
    input: {
      id: t.input.id({
        required: true,
        description: 'The subscription whose owner gets the aliases (`Subscription.id`).',
      }),
      aliases: t.input.field({
        type: [AliasInput],
        required: true,
        description: 'Aliases to add; an existing label gets the new id.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionAliasesAdd`: the subscription and the aliases to add to its owner.',
    },
    errors: mutationResult(
      'subscriptionAliasesAdd',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionAliasesAdd` returns: the owning user with its aliases, or a `ValidationError`, `NotFoundError`, `ConflictError` (an alias belongs to another user), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const sub = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      const identity = aliasesToIdentity(input.aliases, ['input', 'aliases']);
      const result = await upstream(ctx.client.aliases.setBySubscription(sub.appId, sub.id, identity));
      ctx.loaders.forgetSubscription(sub);
      const onesignalId = result?.identity?.[ONESIGNAL_ID];
      const [label, id] = Object.entries(identity)[0] as [string, string];
      const key: UserKey =
        typeof onesignalId === 'string'
          ? { appId: sub.appId, label: ONESIGNAL_ID, id: onesignalId }
          : { appId: sub.appId, label, id };
      ctx.loaders.user.clearAll();
      return { user: await reloadUser(ctx, key) };
    },
  }),
}));

/** Drops every cached view of a user (by the reference used and by the aliases it had) and reads it again. */
export async function reloadUser(ctx: Context, key: UserKey): Promise<AppUser> {
  ctx.loaders.user.clear(key);
  const fresh = await upstream(ctx.loaders.user.load(key));
  ctx.loaders.forgetUser(fresh);
  ctx.loaders.user.prime(key, fresh);
  ctx.loaders.primeUser(fresh);
  return fresh;
}

// ---------------------------------------------------------------------------------------------------
// Input → wire body mappers

function toPurchases(purchases: readonly PurchaseInputShape[], path: string[]) {
  return purchases.map((p, i) => {
    if (!/^-?\d+(\.\d+)?$/.test(p.amount.trim()))
      throw ValidationError.field([...path, String(i), 'amount'], 'must be a decimal number such as "4.99".');
    if (!/^[A-Za-z]{3}$/.test(p.currency))
      throw ValidationError.field([...path, String(i), 'currency'], 'must be a 3-letter ISO 4217 code.');
    if (!p.sku.trim()) throw ValidationError.field([...path, String(i), 'sku'], 'must not be empty.');
    return {
      sku: p.sku,
      amount: p.amount.trim(),
      iso: p.currency.toUpperCase(),
      ...(p.count != null ? { count: p.count } : {}),
    };
  });
}

function toPropertiesBody(p: UserPropertiesInputShape, path: string[]): WireUserProperties {
  validateLocation(p.location, [...path, 'location']);
  if (p.amountSpent != null && p.amountSpent < 0)
    throw ValidationError.field([...path, 'amountSpent'], 'must not be negative.');
  const body: Record<string, unknown> = {
    tags: p.tags ? tagsToWire(p.tags, [...path, 'tags']) : undefined,
    language: p.language,
    timezone_id: p.timezoneId,
    country: p.country,
    first_active: p.firstActive ? toUnix(p.firstActive) : undefined,
    last_active: p.lastActive ? toUnix(p.lastActive) : undefined,
    amount_spent: p.amountSpent,
    purchases: p.purchases ? toPurchases(p.purchases, [...path, 'purchases']) : undefined,
    lat: p.location?.latitude,
    long: p.location?.longitude,
    ip: p.ip,
  };
  return Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== undefined && v !== null),
  ) as WireUserProperties;
}

function toUserCreateBody(
  input: {
    aliases?: AliasShape[] | null;
    properties?: UserPropertiesInputShape | null;
    subscriptions?: SubscriptionAttributesShape[] | null;
    retainPreviousOwner?: boolean | null;
  },
  path: string[],
): WireUser {
  const identity = input.aliases?.length ? aliasesToIdentity(input.aliases, [...path, 'aliases']) : undefined;
  return {
    ...(identity ? { identity } : {}),
    ...(input.properties ? { properties: toPropertiesBody(input.properties, [...path, 'properties']) } : {}),
    ...(input.subscriptions?.length
      ? {
          subscriptions: input.subscriptions.map((s, i) =>
            toSubscriptionBody(s, [...path, 'subscriptions', String(i)], { requireType: true }),
          ),
        }
      : {}),
    ...(input.retainPreviousOwner != null
      ? { subscription_options: { retain_previous_owner: input.retainPreviousOwner } }
      : {}),
  } as WireUser;
}

function toUserUpdateBody(
  input: {
    properties?: UserPropertiesInputShape | null;
    deltas?: {
      sessionTimeSeconds?: number | null;
      sessionCount?: number | null;
      purchases?: PurchaseInputShape[] | null;
    } | null;
    refreshDeviceMetadata?: boolean | null;
  },
  path: string[],
) {
  if (!input.properties && !input.deltas && input.refreshDeviceMetadata == null) {
    throw ValidationError.field(path, 'set at least one of properties, deltas and refreshDeviceMetadata.');
  }
  const d = input.deltas;
  if (d?.sessionCount != null && d.sessionCount < 0)
    throw ValidationError.field([...path, 'deltas', 'sessionCount'], 'must not be negative.');
  if (d?.sessionTimeSeconds != null && d.sessionTimeSeconds < 0)
    throw ValidationError.field([...path, 'deltas', 'sessionTimeSeconds'], 'must not be negative.');
  const deltas = d
    ? Object.fromEntries(
        Object.entries({
          session_time: d.sessionTimeSeconds,
          session_count: d.sessionCount,
          purchases: d.purchases ? toPurchases(d.purchases, [...path, 'deltas', 'purchases']) : undefined,
        }).filter(([, v]) => v !== undefined && v !== null),
      )
    : undefined;
  return {
    ...(input.properties ? { properties: toPropertiesBody(input.properties, [...path, 'properties']) } : {}),
    ...(deltas ? { deltas } : {}),
    ...(input.refreshDeviceMetadata != null ? { refresh_device_metadata: input.refreshDeviceMetadata } : {}),
  };
}
