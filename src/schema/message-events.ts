import { Repeater } from 'graphql-yoga';
import { assertMayAccessApps } from '../auth/restrict.js';
import { ValidationError } from '../core/errors.js';
import { ONESIGNAL_ID } from '../loaders/users.js';
import { EVENT_KINDS, type EventChannel, type StreamEvent } from '../onesignal/event-streams.js';
import { builder } from './builder.js';
import { NotificationRef } from './notifications/types.js';
import { SubscriptionRef } from './subscriptions/types.js';
import { orNull } from './upstream-errors.js';
import { UserRef } from './users/refs.js';

/**
 * `messageEvents`: what OneSignal's Event Streams report per recipient (received, opened, clicked,
 * bounced, unsubscribed…), live, from the ingest route (src/http/event-streams.ts) through every
 * replica (src/live/event-streams/). docs/event-streams.md sets it up.
 */

const CHANNEL_NAMES: Record<EventChannel, string> = {
  push: 'PUSH',
  email: 'EMAIL',
  sms: 'SMS',
  iam: 'IN_APP',
  liveactivity: 'LIVE_ACTIVITY',
};
const ACTION_NAMES: Record<string, string> = {
  pagedisplayed: 'PAGE_DISPLAYED',
  hardbounced: 'HARD_BOUNCED',
  supressed: 'SUPPRESSED',
};
const ACTION_DESCRIPTIONS: Record<string, string> = {
  sent: 'handed to the delivery service (push service, email provider, carrier)',
  received: 'confirmed received on the device or by the mail server',
  delivered: 'reported delivered by the carrier or the push service',
  clicked: 'clicked or tapped by the recipient',
  opened: 'opened by the recipient',
  failed: 'could not be delivered',
  unsubscribed: 'the recipient unsubscribed through it',
  reported_as_spam: 'reported as spam by the recipient',
  hardbounced: 'bounced permanently',
  supressed: 'not sent: the address is on the suppression list',
  displayed: 'shown on the device',
  pagedisplayed: 'one of its pages shown (carousels)',
};
const CHANNEL_DESCRIPTIONS: Record<EventChannel, string> = {
  push: 'A push notification',
  email: 'An email',
  sms: 'An SMS',
  iam: 'An in-app message',
  liveactivity: 'A Live Activity update',
};

/** Enum value name → wire kind (`PUSH_CLICKED` → `message.push.clicked`). */
const KIND_BY_NAME = new Map<string, string>();
for (const [channel, actions] of Object.entries(EVENT_KINDS) as [EventChannel, readonly string[]][])
  for (const action of actions)
    KIND_BY_NAME.set(
      `${CHANNEL_NAMES[channel]}_${ACTION_NAMES[action] ?? action.toUpperCase()}`,
      `message.${channel}.${action}`,
    );
const NAME_BY_KIND = new Map([...KIND_BY_NAME].map(([name, kind]) => [kind, name]));

export const MessageEventKindEnum = builder.enumType('MessageEventKind', {
  description:
    "What happened to one message for one recipient, as OneSignal's Event Streams name it (`event.kind`, e.g. `message.push.clicked` is PUSH_CLICKED).",
  values: Object.fromEntries(
    [...KIND_BY_NAME].map(([name, kind]) => {
      const [, channel, action] = kind.split('.') as [string, EventChannel, string];
      return [
        name,
        {
          value: kind,
          description: `${CHANNEL_DESCRIPTIONS[channel]} ${ACTION_DESCRIPTIONS[action]} (\`${kind}\`).`,
        },
      ];
    }),
  ),
});

export const MessageEventRef = builder.interfaceRef<StreamEvent>('MessageEvent');

MessageEventRef.implement({
  description:
    "One message event for one recipient, from OneSignal's Event Streams: published once per event id however often OneSignal delivers it. The recipient's subscription and user, and the message, load when selected (and cost upstream reads then).",
  resolveType: (e) => TYPE_NAMES[e.channel],
  fields: (t) => ({
    eventId: t.field({
      type: 'UUID',
      description: "OneSignal's id of this event (`event.id`): the same on every redelivery of it.",
      resolve: (e) => e.id,
    }),
    kind: t.field({ type: MessageEventKindEnum, description: 'What happened.', resolve: (e) => e.kind }),
    appId: t.field({ type: 'UUID', description: 'The app the message belongs to.', resolve: (e) => e.appId }),
    occurredAt: t.field({
      type: 'DateTime',
      description:
        'When it happened, as OneSignal reports it (when it reports no time: when it reached this server).',
      resolve: (e) => new Date(e.occurredAt),
    }),
    receivedAt: t.field({
      type: 'DateTime',
      description: 'When this server accepted the event.',
      resolve: (e) => new Date(e.receivedAt),
    }),
    deviceType: t.string({
      nullable: true,
      description:
        "The recipient's subscription type as OneSignal names it in the event (iOS, Android, Chrome, Email, SMS…), when sent.",
      resolve: (e) => e.deviceType,
    }),
    subscriptionId: t.field({
      type: 'UUID',
      nullable: true,
      description: "The recipient's subscription id, when the event carries it.",
      resolve: (e) => e.subscriptionId,
    }),
    subscription: t.field({
      type: SubscriptionRef,
      nullable: true,
      description:
        "The recipient's subscription, loaded when selected (fetch_aliases, then fetch_user); null when the event names none or it no longer exists.",
      resolve: (e, _args, ctx) =>
        e.subscriptionId
          ? orNull(ctx.loaders.subscription.load({ appId: e.appId, id: e.subscriptionId }))
          : null,
    }),
    userId: t.field({
      type: 'UUID',
      nullable: true,
      description: "The recipient's onesignal_id, when the event carries it.",
      resolve: (e) => e.userId,
    }),
    externalId: t.string({
      nullable: true,
      description: "The recipient's external_id, when the event carries it.",
      resolve: (e) => e.externalId,
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description:
        'The recipient, loaded when selected (fetch_user by onesignal_id, else by external_id); null when the event names neither or the user no longer exists.',
      resolve: (e, _args, ctx) => {
        if (e.userId)
          return orNull(ctx.loaders.user.load({ appId: e.appId, label: ONESIGNAL_ID, id: e.userId }));
        if (e.externalId)
          return orNull(ctx.loaders.user.load({ appId: e.appId, label: 'external_id', id: e.externalId }));
        return null;
      },
    }),
    messageId: t.field({
      type: 'UUID',
      nullable: true,
      description:
        'The id of the message (`message.id`): a notification for push, email, SMS and Live Activities, an in-app message for in-app events.',
      resolve: (e) => e.messageId,
    }),
    messageName: t.string({
      nullable: true,
      description:
        'The message name OneSignal sent with the event; OneSignal blanks it on events more than 30 days after the send (select `notification` instead).',
      resolve: (e) => e.messageName,
    }),
    templateId: t.field({
      type: 'UUID',
      nullable: true,
      description: 'The template the message was sent from, when OneSignal sent it.',
      resolve: (e) => e.templateId,
    }),
    notification: t.field({
      type: NotificationRef,
      nullable: true,
      description:
        'The notification the event belongs to, joined by `messageId` (get_notification when selected): complete even when OneSignal blanked the message properties of an old event. Null for in-app events and when it does not exist.',
      resolve: (e, _args, ctx) =>
        e.messageId && e.channel !== 'iam'
          ? orNull(ctx.loaders.notification.load({ appId: e.appId, id: e.messageId }))
          : null,
    }),
    data: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Channel-specific fields OneSignal sent with the event (`event.data`), as sent.',
      resolve: (e) => e.data,
    }),
  }),
});

const TYPE_NAMES: Record<EventChannel, string> = {
  push: 'PushMessageEvent',
  email: 'EmailMessageEvent',
  sms: 'SmsMessageEvent',
  iam: 'InAppMessageEvent',
  liveactivity: 'LiveActivityMessageEvent',
};

for (const channel of Object.keys(TYPE_NAMES) as EventChannel[]) {
  builder.objectType(builder.objectRef<StreamEvent>(TYPE_NAMES[channel]), {
    description: `${CHANNEL_DESCRIPTIONS[channel]}'s event for one recipient (kinds ${EVENT_KINDS[channel]
      .map((a) => NAME_BY_KIND.get(`message.${channel}.${a}`))
      .join(', ')}).`,
    interfaces: [MessageEventRef],
    isTypeOf: (e) => (e as StreamEvent).channel === channel,
    fields: () => ({}),
  });
}

builder.subscriptionField('messageEvents', (t) =>
  t.field({
    type: MessageEventRef,
    description:
      "Per-recipient message events of one app as OneSignal's Event Streams report them (received, opened, clicked, bounced, unsubscribed…), each published once however often OneSignal delivers it, on whichever replica it arrives. Needs the Event Streams route set up (EVENT_STREAMS_SECRET, docs/event-streams.md); without it the stream stays open and silent. Events of a notification someone follows with `notificationDelivery` also refresh that notification's counts early (one poll, no sooner than DELIVERY_POLL_MS after the last).",
    authScopes: { 'notifications:read': true },
    args: {
      appId: t.arg({ type: 'UUID', required: true, description: 'The app whose events to follow.' }),
      notificationId: t.arg({
        type: 'UUID',
        description: 'Only events of this message (`messageId`: a notification, or an in-app message).',
      }),
      kinds: t.arg({
        type: [MessageEventKindEnum],
        description: 'Only these kinds (all when omitted).',
      }),
      subscriptionId: t.arg({ type: 'UUID', description: "Only this recipient subscription's events." }),
    },
    subscribe: (_root, args, ctx) => {
      if (args.kinds && args.kinds.length === 0)
        throw ValidationError.field(['kinds'], 'List at least one kind, or omit `kinds` for all of them.');
      // Before anything is followed: a caller outside the app's allow-list gets an error, not a stream.
      assertMayAccessApps(ctx.caller, [args.appId]);
      const appId = args.appId.toLowerCase();
      const message = args.notificationId?.toLowerCase();
      const subscription = args.subscriptionId?.toLowerCase();
      const kinds = args.kinds ? new Set<string>(args.kinds) : undefined;
      // Followed now, before the stream is read, so nothing published after the subscribe is missed;
      // what arrives before the first read waits here (bounded, as a slow reader's backlog is).
      const early: StreamEvent[] = [];
      let sink: (e: StreamEvent) => void = (e) => void (early.length < 1_000 && early.push(e));
      const leave = ctx.messageEvents.follow((e) => {
        if (e.appId !== appId) return;
        if (message && e.messageId !== message) return;
        if (subscription && e.subscriptionId !== subscription) return;
        if (kinds && !kinds.has(e.kind)) return;
        sink(e);
      });
      return new Repeater<StreamEvent>(async (push, stop) => {
        // A reader more than 1,000 events behind loses the newest ones rather than hold them all.
        let backlog = 0;
        const offer = (e: StreamEvent) => {
          if (backlog >= 1_000) return;
          backlog++;
          void push(e).then(() => void backlog--);
        };
        for (const e of early.splice(0)) offer(e);
        sink = offer;
        await stop;
        leave();
      });
    },
    resolve: (e) => e,
  }),
);
