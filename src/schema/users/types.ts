/** The User object of the v5 user model, with its properties and purchases. */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import { ONESIGNAL_ID } from '../../loaders/users.js';
import type { WireUserProperties } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import { LocationRef, locationFromWire, TagRef, tagsFromWire } from '../players/attributes.js';
import { SubscriptionRef, subscriptionsOfUser } from '../subscriptions/types.js';
import { fromUnix } from '../time.js';
import { orNull } from '../upstream-errors.js';
import { AliasRef } from './aliases.js';
import { UserRef } from './refs.js';

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
