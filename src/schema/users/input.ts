/**
 * The user mutations' input types (properties, increments, purchases), their validation and their
 * mapping to create_user and update_user bodies.
 */
import { ValidationError } from '../../core/errors.js';
import type { WireUser, WireUserProperties } from '../../onesignal/index.js';
import { builder } from '../builder.js';
import {
  LocationInput,
  type LocationShape,
  TagInput,
  tagsToWire,
  validateLocation,
} from '../players/attributes.js';
import { type SubscriptionAttributesShape, toSubscriptionBody } from '../subscriptions/input.js';
import { toUnix } from '../time.js';
import { aliasesToIdentity } from './aliases.js';
import type { AliasShape } from './refs.js';

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

export const UserPropertiesInput = builder.inputType('UserPropertiesInput', {
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

export const UserDeltasInput = builder.inputType('UserDeltasInput', {
  description: 'Increments to apply to a user: added to the current values rather than replacing them.',
  fields: (t) => ({
    sessionTimeSeconds: t.int({ description: 'Seconds to add to the total session time.' }),
    sessionCount: t.int({ description: 'Sessions to add to the session count.' }),
    purchases: t.field({ type: [PurchaseInput], description: 'Purchases to add.' }),
  }),
});

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

export function toUserCreateBody(
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

export function toUserUpdateBody(
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
