/**
 * The groups of a message, by the field that holds each on `NotificationCreateInput` and on
 * `Notification` (the same name on both sides). A group added here is accepted by the send, shown
 * on the notification, and covered by the table-driven wire test.
 */
import { DeliveryOptions } from './delivery.js';
import { EmailOptions, SmsOptions } from './email-sms.js';
import type { Group } from './group.js';
import { PushOptions } from './push.js';

/** Channel-specific groups: each only with its channel. */
export const CHANNEL_GROUPS = {
  push: { group: PushOptions, channel: 'push' },
  email: { group: EmailOptions, channel: 'email' },
  sms: { group: SmsOptions, channel: 'sms' },
} as const satisfies Record<string, { group: Group; channel: 'push' | 'email' | 'sms' }>;

/** Every group, by field name: the channel groups, then those for every channel. */
export const MESSAGE_GROUPS: Record<string, Group> = {
  ...Object.fromEntries(Object.entries(CHANNEL_GROUPS).map(([name, { group }]) => [name, group])),
  delivery: DeliveryOptions,
};

export type { Group, Leaf, WireRecord } from './group.js';
