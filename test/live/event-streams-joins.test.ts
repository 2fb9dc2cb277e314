/**
 * `messageEvents` joins the recipient's subscription and user and the notification through the
 * loaders, only when selected: the upstream calls, counted in every key configuration.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEventStreamsConfig } from '../../src/config.js';
import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import type { EventStreamsConfig } from '../../src/http/event-streams.js';
import { createEventStreams, type EventStreams } from '../../src/live/event-streams/index.js';
import type { OneSignalClientOptions } from '../../src/upstream/index.js';
import { SHOP } from '../helpers/emulator.js';
import { eventBody, postEvent } from '../helpers/event-streams.js';
import { openSse } from '../helpers/sse-stream.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SECRET = `joins-stream-${randomUUID()}`;
const config = loadEventStreamsConfig({ EVENT_STREAMS_SECRET: SECRET }) as EventStreamsConfig;
const USER = DEMO.users[0] as (typeof DEMO.users)[number];
const NOTIFICATION = DEMO.notifications.latestDelivered;

const CONFIGURATIONS: [string, OneSignalClientOptions, Record<string, number>][] = [
  ['org key only', { userAuthKey: DEMO.userAuthKey, appKeys: {} }, { get_app: 1 }],
  ['app keys only', { userAuthKey: undefined, appKeys: demoAppKeys() }, {}],
  ['both keys', { userAuthKey: DEMO.userAuthKey, appKeys: demoAppKeys() }, {}],
];

const JOINED = `subscription Joined($appId: UUID!) {
  messageEvents(appId: $appId) {
    kind
    subscription { oneSignalId }
    user { oneSignalId externalId }
    notification { oneSignalId }
  }
}`;
const BARE =
  'subscription Bare($appId: UUID!) { messageEvents(appId: $appId) { kind subscriptionId userId messageId } }';

describe.each(CONFIGURATIONS)('messageEvents with %s', (_name, options, keyLookups) => {
  let stack: Stack;
  let streams: EventStreams;
  let eventsUrl: string;
  beforeAll(async () => {
    streams = createEventStreams();
    stack = await startStack(options, { eventStreams: { config, streams } });
    eventsUrl = stack.graphqlUrl.replace(/\/graphql$/, config.path);
  });
  afterAll(async () => {
    await stack?.close();
    await streams?.close();
  });

  const body = () =>
    eventBody(
      { kind: 'message.push.clicked' },
      {
        message: { id: NOTIFICATION, name: '', template_id: '' },
        user: { onesignal_id: USER.onesignalId, external_id: USER.externalId },
        subscription: { id: USER.subscriptionIds[0] },
      },
    );

  it('costs no upstream call when no relation is selected', async () => {
    const subscriber = await openSse(stack.graphqlUrl, BARE, { appId: SHOP.id });
    try {
      stack.emulator.resetStats();
      for (let i = 0; i < 3; i++) expect((await postEvent(eventsUrl, SECRET, body())).status).toBe(200);
      await subscriber.waitFor(3);
      expect(stack.upstreamCalls()).toEqual({});
    } finally {
      subscriber.close();
    }
  });

  it('loads the subscription, its user and the notification once per subscription, whatever the number of events', async () => {
    const subscriber = await openSse(stack.graphqlUrl, JOINED, { appId: SHOP.id });
    try {
      stack.emulator.resetStats();
      for (let i = 0; i < 3; i++) expect((await postEvent(eventsUrl, SECRET, body())).status).toBe(200);
      const events = await subscriber.waitFor(3);
      for (const e of events)
        expect(e.data).toEqual({
          messageEvents: {
            kind: 'PUSH_CLICKED',
            subscription: { oneSignalId: USER.subscriptionIds[0] },
            user: { oneSignalId: USER.onesignalId, externalId: USER.externalId },
            notification: { oneSignalId: NOTIFICATION },
          },
        });
      // fetch_aliases finds the subscription's owner, fetch_user reads it (and primes the user by
      // onesignal_id), get_notification the message; the loaders live as long as the subscription.
      expect(stack.upstreamCalls()).toEqual({
        ...keyLookups,
        fetch_aliases: 1,
        fetch_user: 1,
        get_notification: 1,
      });
    } finally {
      subscriber.close();
    }
  });
});
