import { Repeater } from 'graphql-yoga';
import { assertMayAccessApps } from '../auth/restrict.js';
import { NotFoundError } from '../core/errors.js';
import { encodeNodeId, parseNodeId } from '../core/ids.js';
import { type DeliverySnapshot, isFinal, sameProgress, snapshotOf } from '../live/delivery-watch.js';
import { builder } from './builder.js';
import { NotificationStatusEnum } from './notifications/types.js';
import { fromUnix } from './time.js';
import { orNull } from './upstream-errors.js';

export const NotificationDeliveryRef = builder.objectRef<DeliverySnapshot>('NotificationDelivery');

builder.objectType(NotificationDeliveryRef, {
  description:
    "One notification's delivery progress at one moment, as `SubscriptionRoot.notificationDelivery` reports it.",
  fields: (t) => ({
    notificationId: t.id({
      description: 'Global id of the notification; pass it to `node(id:)` for its content and targeting.',
      resolve: (s) => encodeNodeId('Notification', { appId: s.appId, id: s.notificationId }),
    }),
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The notification id as OneSignal shows it.',
      resolve: (s) => s.notificationId,
    }),
    status: t.field({
      type: NotificationStatusEnum,
      description: 'Where the notification is: the stream ends after DELIVERED or CANCELED.',
      resolve: (s) => s.status,
    }),
    successfulCount: t.int({
      description: 'Messages handed to push services, carriers or email providers so far.',
      resolve: (s) => s.successful,
    }),
    failedCount: t.int({
      description: 'Messages to unsubscribed devices or addresses so far.',
      resolve: (s) => s.failed,
    }),
    erroredCount: t.int({
      description: 'Messages that errored so far.',
      resolve: (s) => s.errored,
    }),
    convertedCount: t.int({ description: 'Clicks so far.', resolve: (s) => s.converted }),
    receivedCount: t.int({
      nullable: true,
      description: 'Confirmed deliveries so far; null when the app does not track them.',
      resolve: (s) => s.received,
    }),
    remainingCount: t.int({
      description: 'Messages not yet sent.',
      resolve: (s) => s.remaining,
    }),
    completedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When delivery completed; null until then.',
      resolve: (s) => fromUnix(s.completedAt),
    }),
    observedAt: t.field({
      type: 'DateTime',
      description: 'When this state was read from OneSignal.',
      resolve: (s) => new Date(s.observedAt),
    }),
  }),
});

const RANK = { SCHEDULED: 0, SENDING: 1, DELIVERED: 2, CANCELED: 2 } as const;
const sent = (s: DeliverySnapshot) => s.successful + s.failed + s.errored;
/** An older state arriving late (a cached first read, a relay): never shown after a newer one. */
const behind = (a: DeliverySnapshot, b: DeliverySnapshot) =>
  RANK[a.status] < RANK[b.status] || (RANK[a.status] === RANK[b.status] && sent(a) < sent(b));

builder.subscriptionField('notificationDelivery', (t) =>
  t.field({
    type: NotificationDeliveryRef,
    description:
      "A notification's status and delivery counts: its current state first, then each change, ending after DELIVERED or CANCELED. However many clients watch a notification, on however many replicas, OneSignal is polled once per interval for it (docs/queries.md, Live delivery). With OneSignal's Event Streams set up (EVENT_STREAMS_SECRET), an event of the notification (sent, received, opened, clicked, failed) brings its next poll forward, no sooner than DELIVERY_POLL_MS after the last one (docs/event-streams.md).",
    authScopes: { 'notifications:read': true },
    args: {
      id: t.arg.id({ required: true, description: 'Global id of the notification (`Notification.id`).' }),
    },
    subscribe: async (_root, args, ctx) => {
      const key = parseNodeId(args.id, 'Notification', ['id']);
      assertMayAccessApps(ctx.caller, [key.appId]);
      // Join the shared poll before the first read, so no change between the two is missed.
      const early: DeliverySnapshot[] = [];
      let sink: (s: DeliverySnapshot) => void = (s) => void early.push(s);
      const leave = ctx.delivery.follow(ctx.freshClient(), key.appId, key.id, (s) => sink(s));
      let first: Awaited<ReturnType<typeof ctx.loaders.notification.load>> | null;
      try {
        first = await orNull(ctx.loaders.notification.load(key));
      } catch (error) {
        leave();
        throw error;
      }
      if (!first) {
        leave();
        throw new NotFoundError(`Notification ${key.id} does not exist in app ${key.appId}.`);
      }
      const initial = snapshotOf(key.appId, first);
      return new Repeater<DeliverySnapshot>(async (push, stop) => {
        let last: DeliverySnapshot | undefined;
        const offer = (s: DeliverySnapshot) => {
          if (last && (sameProgress(s, last) || behind(s, last))) return;
          last = s;
          void push(s);
          if (isFinal(s)) stop();
        };
        offer(initial);
        for (const s of early) offer(s);
        sink = offer;
        await stop;
        leave();
      });
    },
    resolve: (snapshot) => snapshot,
  }),
);
