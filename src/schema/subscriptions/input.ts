/**
 * The attributes a subscription is created or changed with: the input fields every subscription
 * mutation shares, `SubscriptionAttributesInput` (for `userCreate`), their validation (email and
 * phone formats) and their mapping to the wire's subscription object.
 */
import { ValidationError } from '../../core/errors.js';
import type { WireSubscription } from '../../onesignal/index.js';
import { builder } from '../builder.js';
import { TestTypeEnum } from '../players/attributes.js';
import {
  NetworkTypeEnum,
  SUBSCRIPTION_TYPES,
  SubscriptionTypeEnum,
  type SubscriptionTypeName,
} from './types.js';

export interface SubscriptionAttributesShape {
  type?: SubscriptionTypeName | 'UNKNOWN' | null;
  token?: string | null;
  enabled?: boolean | null;
  notificationTypes?: number | null;
  sessionTimeSeconds?: number | null;
  sessionCount?: number | null;
  sdk?: string | null;
  deviceModel?: string | null;
  deviceOs?: string | null;
  rooted?: boolean | null;
  testType?: 1 | 2 | null;
  appVersion?: string | null;
  netType?: 0 | 1 | null;
  carrier?: string | null;
}

const ATTRIBUTE_DESCRIPTIONS = {
  type: 'Channel and platform.',
  token: 'Push token, email address (EMAIL) or E.164 phone number (SMS).',
  enabled: 'Whether OneSignal may deliver to it.',
  notificationTypes: 'Raw status: 1 subscribed, -2 unsubscribed.',
  sessionTimeSeconds: 'Total seconds of sessions.',
  sessionCount: 'Number of sessions.',
  sdk: 'OneSignal SDK version.',
  deviceModel: 'Device make and model.',
  deviceOs: 'Operating system version.',
  rooted: 'Whether the device is rooted or jailbroken.',
  testType: 'iOS build type; omit for App Store builds.',
  appVersion: 'Version of your app.',
  netType: 'Network type.',
  carrier: 'Mobile carrier.',
} as const;

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
export type AttrBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/** The subscription attribute input fields, shared by `SubscriptionAttributesInput` and the subscription mutations. */
export function attributeFields(t: AttrBuilder, { typeRequired }: { typeRequired: boolean }) {
  return {
    type: t.field({
      type: SubscriptionTypeEnum,
      required: typeRequired,
      description: ATTRIBUTE_DESCRIPTIONS.type,
    }),
    token: t.string({ description: ATTRIBUTE_DESCRIPTIONS.token }),
    enabled: t.boolean({ description: ATTRIBUTE_DESCRIPTIONS.enabled }),
    notificationTypes: t.int({ description: ATTRIBUTE_DESCRIPTIONS.notificationTypes }),
    sessionTimeSeconds: t.int({ description: ATTRIBUTE_DESCRIPTIONS.sessionTimeSeconds }),
    sessionCount: t.int({ description: ATTRIBUTE_DESCRIPTIONS.sessionCount }),
    sdk: t.string({ description: ATTRIBUTE_DESCRIPTIONS.sdk }),
    deviceModel: t.string({ description: ATTRIBUTE_DESCRIPTIONS.deviceModel }),
    deviceOs: t.string({ description: ATTRIBUTE_DESCRIPTIONS.deviceOs }),
    rooted: t.boolean({ description: ATTRIBUTE_DESCRIPTIONS.rooted }),
    testType: t.field({ type: TestTypeEnum, description: ATTRIBUTE_DESCRIPTIONS.testType }),
    appVersion: t.string({ description: ATTRIBUTE_DESCRIPTIONS.appVersion }),
    netType: t.field({ type: NetworkTypeEnum, description: ATTRIBUTE_DESCRIPTIONS.netType }),
    carrier: t.string({ description: ATTRIBUTE_DESCRIPTIONS.carrier }),
  };
}

/** The attributes `subscriptionUpdateByToken` may change: all but `type` and `token`, which name the subscription. */
export function changeFields(t: AttrBuilder) {
  const { type: _type, token: _token, ...changes } = attributeFields(t, { typeRequired: false });
  return changes;
}

export const SubscriptionAttributesInput = builder.inputType('SubscriptionAttributesInput', {
  description: 'A subscription to create along with its user.',
  fields: (t) => attributeFields(t, { typeRequired: true }),
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function toSubscriptionBody(
  input: SubscriptionAttributesShape,
  path: string[],
  { requireType }: { requireType: boolean },
): WireSubscription {
  if (input.type === 'UNKNOWN')
    throw ValidationError.field([...path, 'type'], 'UNKNOWN cannot be set; name the subscription type.');
  if (requireType && !input.type) throw ValidationError.field([...path, 'type'], 'is required.');
  if (input.token != null) {
    if (input.type === 'EMAIL' && !EMAIL.test(input.token))
      throw ValidationError.field([...path, 'token'], 'an EMAIL subscription needs an email address.');
    if (input.type === 'SMS' && !E164.test(input.token))
      throw ValidationError.field(
        [...path, 'token'],
        'an SMS subscription needs an E.164 phone number, e.g. +15551234567.',
      );
    if (!input.token.trim()) throw ValidationError.field([...path, 'token'], 'must not be empty.');
  }
  for (const field of ['sessionTimeSeconds', 'sessionCount'] as const) {
    const value = input[field];
    if (value != null && value < 0) throw ValidationError.field([...path, field], 'must not be negative.');
  }
  const body: Record<string, unknown> = {
    type: input.type ? SUBSCRIPTION_TYPES[input.type][0] : undefined,
    token: input.token,
    enabled: input.enabled,
    notification_types: input.notificationTypes,
    session_time: input.sessionTimeSeconds,
    session_count: input.sessionCount,
    sdk: input.sdk,
    device_model: input.deviceModel,
    device_os: input.deviceOs,
    rooted: input.rooted,
    test_type: input.testType,
    app_version: input.appVersion,
    net_type: input.netType,
    carrier: input.carrier,
  };
  return Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== undefined && v !== null),
  ) as WireSubscription;
}
