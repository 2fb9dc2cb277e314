/**
 * Every field of a message, driven from the one table that defines them (src/schema/notifications/
 * message/): each leaf, set alone on a send, reaches OneSignal under its exact wire name and value
 * (what the emulator received, as sent), and reads back from OneSignal's own view of the message in
 * the same group on `Notification`. Then each validation rule: a typed error naming the field's path,
 * and no upstream call.
 */
import { describe, expect, it } from 'vitest';
import type { Leaf } from '../../src/schema/notifications/message/index.js';
import { MESSAGE_GROUPS } from '../../src/schema/notifications/message/index.js';
import { SHOP } from '../helpers/emulator.js';
import { pick, selection, subfields, withLeaf } from '../helpers/message.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack();

type Channel = 'PUSH' | 'EMAIL' | 'SMS';

/** The smallest valid send on a channel, to which one leaf is added. */
function baseInput(channel: Channel): Record<string, unknown> {
  const input: Record<string, unknown> = {
    appId: SHOP.id,
    target: { segments: { include: ['Subscribed Users'] } },
    channel,
  };
  if (channel === 'EMAIL') input.email = { subject: 'Hello', body: '<p>Hello</p>' };
  else input.contents = [{ language: 'en', text: 'Hello' }];
  if (channel === 'SMS') input.name = 'SMS campaign';
  return input;
}

const CHANNEL_OF: Record<string, Channel> = { push: 'PUSH', email: 'EMAIL', sms: 'SMS' };

/** What OneSignal received for a leaf: its field, or the fields it spreads over (`platforms`). */
const receivedFor = (received: Record<string, unknown>, wire: Leaf['wire']) =>
  typeof wire === 'string' ? received[wire] : Object.fromEntries(wire.map((name) => [name, received[name]]));

const FIELDS = Object.entries(MESSAGE_GROUPS).flatMap(([name, group]) =>
  group.leaves([name]).map(({ path, leaf }) => ({ path, leaf, channel: CHANNEL_OF[name] ?? 'PUSH' })),
);

const SEND = `mutation Send($input: NotificationCreateInput!) {
  notificationCreate(input: $input) {
    __typename
    ... on NotificationCreatePayload { notificationId }
    ... on Error { code message }
    ... on ValidationError { fields { path message } }
  }
}`;

async function send(input: Record<string, unknown>) {
  const { notificationCreate } = await stack.gql<{ notificationCreate: Record<string, unknown> }>(SEND, {
    input,
  });
  return notificationCreate;
}

describe('every message field in the table', () => {
  it('covers the groups: no leaf without a wire name, a description and a sample', () => {
    expect(FIELDS.length).toBeGreaterThan(10);
    for (const { path, leaf } of FIELDS) {
      for (const wire of [leaf.wire].flat()) expect(wire, path.join('.')).toMatch(/^[A-Za-z_]+$/);
      expect(leaf.description.length, path.join('.')).toBeGreaterThan(10);
      expect(leaf.sample.input, path.join('.')).not.toBeUndefined();
    }
    const wires = FIELDS.flatMap(({ leaf }) => [leaf.wire].flat());
    expect(new Set(wires).size).toBe(wires.length);
  });

  it.each(FIELDS.map((f) => [f.path.join('.'), f] as const))(
    '%s reaches OneSignal under its wire name and reads back as sent',
    async (_, { path, leaf, channel }: { path: string[]; leaf: Leaf; channel: Channel }) => {
      const input = withLeaf(baseInput(channel), path, leaf.sample.input);
      for (const [sibling, value] of Object.entries(leaf.sample.with ?? {}))
        withLeaf(input, [...path.slice(0, -1), sibling], value);
      const result = await send(input);
      expect(result, JSON.stringify(result)).toMatchObject({ __typename: 'NotificationCreatePayload' });
      expect(stack.upstreamCalls().create_notification).toBe(1);

      const received = stack.emulator.received('create_notification').at(-1) as Record<string, unknown>;
      expect(receivedFor(received, leaf.wire)).toEqual(leaf.sample.wire ?? leaf.sample.input);

      // OneSignal's own view of it (no-cache: not the snapshot of our own send).
      const { node } = await stack.gql<{ node: Record<string, unknown> }>(
        `query($id: ID!) { node(id: $id) { ... on Notification { ${selection(path, subfields(leaf))} } } }`,
        { id: result.notificationId },
        { 'cache-control': 'no-cache' },
      );
      expect(pick(node, path)).toEqual(leaf.sample.input);
    },
  );
});

describe('a send the table refuses', () => {
  const BAD: [string, Channel, Record<string, unknown>, string][] = [
    ['data over 2,048 bytes', 'PUSH', { data: { blob: 'x'.repeat(2100) } }, 'input.data'],
    [
      'customData over 2,048 bytes on push',
      'PUSH',
      { customData: { blob: 'x'.repeat(2100) } },
      'input.customData',
    ],
    [
      'customData over 10,000 bytes on email',
      'EMAIL',
      { customData: { blob: 'x'.repeat(10_100) } },
      'input.customData',
    ],
    [
      'more than 10 SMS media URLs',
      'SMS',
      { sms: { mediaUrls: Array(11).fill('https://cdn.example/a.png') } },
      'input.sms.mediaUrls',
    ],
    ['an email group on a push', 'PUSH', { email: { preheader: 'x' } }, 'input.email'],
    ['an SMS group on an email', 'EMAIL', { sms: { from: '+15551234567' } }, 'input.sms'],
    ['an email without a subject', 'EMAIL', { email: { body: '<p>x</p>' } }, 'input.email.subject'],
    ['an SMS without a name', 'SMS', { name: null }, 'input.name'],
    [
      'a time of day without TIMEZONE',
      'PUSH',
      { delivery: { deliveryTimeOfDay: '9:00AM' } },
      'input.delivery.deliveryTimeOfDay',
    ],
    [
      'TIMEZONE without a time of day',
      'PUSH',
      { delivery: { delayedOption: 'TIMEZONE' } },
      'input.delivery.deliveryTimeOfDay',
    ],
    [
      'a time of day OneSignal cannot read',
      'PUSH',
      { delivery: { delayedOption: 'TIMEZONE', deliveryTimeOfDay: '25:00' } },
      'input.delivery.deliveryTimeOfDay',
    ],
    [
      'more than 3 push buttons',
      'PUSH',
      { push: { buttons: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: id })) } },
      'input.push.buttons',
    ],
    [
      'more than 2 web push buttons',
      'PUSH',
      { push: { webButtons: ['a', 'b', 'c'].map((id) => ({ id, text: id })) } },
      'input.push.webButtons',
    ],
    ['a TTL over 28 days', 'PUSH', { push: { ttl: 2_419_201 } }, 'input.push.ttl'],
    [
      'a collapse id over 64 characters',
      'PUSH',
      { push: { collapseId: 'x'.repeat(65) } },
      'input.push.collapseId',
    ],
    ['a push group on an email', 'EMAIL', { push: { ttl: 60 } }, 'input.push'],
    [
      'an Android color that is not hex',
      'PUSH',
      { push: { android: { accentColor: 'red' } } },
      'input.push.android.accentColor',
    ],
    [
      'a Huawei color that is not RGB hex',
      'PUSH',
      { push: { huawei: { ledColor: 'FF0000FF' } } },
      'input.push.huawei.ledColor',
    ],
    ['an empty platform list', 'PUSH', { push: { platforms: [] } }, 'input.push.platforms'],
    [
      'an iOS badge count without a badge type',
      'PUSH',
      { push: { ios: { badgeCount: 3 } } },
      'input.push.ios.badgeCount',
    ],
    [
      'an iOS badge count with badge type NONE',
      'PUSH',
      { push: { ios: { badgeType: 'NONE', badgeCount: 3 } } },
      'input.push.ios.badgeCount',
    ],
    [
      'an iOS relevance score over 1',
      'PUSH',
      { push: { ios: { relevanceScore: 1.5 } } },
      'input.push.ios.relevanceScore',
    ],
    [
      'throttling with per-recipient timing',
      'PUSH',
      { delivery: { delayedOption: 'LAST_ACTIVE', throttleRatePerMinute: 100 } },
      'input.delivery.throttleRatePerMinute',
    ],
  ];

  it.each(BAD)(
    '%s: VALIDATION_FAILED at its path, and no upstream call',
    async (_, channel, extra, where) => {
      const input = { ...baseInput(channel), ...extra };
      if (extra.email && channel === 'EMAIL') input.email = extra.email;
      const result = await send(input);
      expect(result.__typename).toBe('ValidationError');
      const paths = (result.fields as { path: string[] }[]).map((f) => f.path.join('.'));
      expect(paths).toContain(where);
      expect(stack.upstreamCalls()).toEqual({});
    },
  );

  it('lists every problem of a send at once', async () => {
    const result = await send({
      ...baseInput('PUSH'),
      data: { blob: 'x'.repeat(2100) },
      email: { preheader: 'x' },
      delivery: { deliveryTimeOfDay: 'noon' },
    });
    const paths = (result.fields as { path: string[] }[]).map((f) => f.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['input.data', 'input.email', 'input.delivery.deliveryTimeOfDay']),
    );
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('a push color', () => {
  it('sends an Android color given as #RRGGBB as opaque ARGB', async () => {
    const result = await send({
      ...baseInput('PUSH'),
      push: { android: { accentColor: '#ff8800', backgroundLayout: { headingsColor: '00FF00' } } },
    });
    expect(result.__typename).toBe('NotificationCreatePayload');
    const received = stack.emulator.received('create_notification').at(-1) as Record<string, unknown>;
    expect(received.android_accent_color).toBe('FFFF8800');
    expect(received.android_background_layout).toEqual({ headings_color: 'FF00FF00' });
  });
});
