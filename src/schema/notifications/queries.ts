/**
 * The fields that return notifications: `App.notifications` (a connection, paged by offset or by
 * OneSignal's time cursor) and `App.notification(id:)`. Global ids reach a notification through
 * `node`, which types.ts sets up.
 */
import { ValidationError } from '../../core/errors.js';
import type { LoadedNotification } from '../../loaders/notifications.js';
import { AppRef, registerAppFieldPrefetch } from '../apps.js';
import { builder } from '../builder.js';
import { offsetConnection, offsetPage, timeConnection, timeCursorOf, totalCountOf } from '../pagination.js';
import { orNull, upstream } from '../upstream-errors.js';
import { NotificationKindEnum, NotificationRef } from './types.js';

export const NotificationConnectionRef = builder.connectionObject(
  {
    type: NotificationRef,
    name: 'NotificationConnection',
    description: 'A page of notifications: newest first, or oldest first when paged by time (`since`).',
    fields: (t) => ({
      totalCount: t.int({
        description: 'Number of notifications matching the arguments.',
        resolve: totalCountOf,
      }),
    }),
  },
  { name: 'NotificationEdge', description: 'A notification with its cursor.' },
);

const NOTIFICATION_PAGE_MAX = 50;

interface NotificationsArgs {
  first?: number | null;
  after?: string | null;
  kind?: 0 | 1 | 3 | null;
  since?: Date | null;
}

/**
 * The `notificationPage` key of `App.notifications`, shared by its prefetch and its resolver, and the
 * time position it pages from when it pages by time (`since`, or an `after` cursor of that kind).
 */
function notificationPageKey(appId: string, args: NotificationsArgs) {
  const path = ['notifications'];
  const fromCursor = timeCursorOf(args.after, [...path, 'after']);
  if (args.since && args.after != null && !fromCursor)
    throw ValidationError.field([...path, 'since'], 'cannot be combined with an offset cursor in `after`.');
  const from = fromCursor ?? (args.since ? { timeOffset: args.since.toISOString(), skip: 0 } : null);
  const { limit, offset } = offsetPage(
    { ...args, after: from ? null : args.after },
    { max: NOTIFICATION_PAGE_MAX, path },
  );
  const key = { appId: appId.toLowerCase(), kind: args.kind ?? undefined };
  if (!from) return { key: { ...key, limit, offset }, from };
  // The items before the position are fetched again and dropped: one request, at most a page.
  return {
    key: {
      ...key,
      limit: Math.min(NOTIFICATION_PAGE_MAX, from.skip + limit),
      offset: 0,
      timeOffset: from.timeOffset,
    },
    from,
  };
}

registerAppFieldPrefetch('notifications', (appId, args, ctx) => {
  ctx.loaders.notificationPage.load(notificationPageKey(appId, args).key).catch(() => {});
});

builder.objectFields(AppRef, (t) => ({
  notifications: t.field({
    type: NotificationConnectionRef,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description: `The app's notifications, newest first, or oldest first from \`since\` (OneSignal's time cursor, which reaches past what offsets do); one page is one upstream request (at most ${NOTIFICATION_PAGE_MAX}). Cursors carry their kind: pass \`endCursor\` as \`after\` either way.`,
    args: {
      first: t.arg.int({
        description: `How many notifications to return, 1–${NOTIFICATION_PAGE_MAX} (default ${NOTIFICATION_PAGE_MAX}).`,
      }),
      after: t.arg.string({ description: 'Return notifications after this cursor.' }),
      kind: t.arg({ type: NotificationKindEnum, description: 'Only notifications created this way.' }),
      since: t.arg({
        type: 'DateTime',
        description:
          "Page oldest first from this time with OneSignal's time cursor (`time_offset`), for history offsets cannot reach. Later pages need only `after`.",
      }),
    },
    resolve: async (app, args, ctx) => {
      const { key, from } = notificationPageKey(app.id, args);
      const slice = await upstream(ctx.loaders.notificationPage.load(key));
      const total = slice.total_count ?? slice.notifications.length;
      if (!from) return offsetConnection(slice.notifications, key, total);
      return timeConnection<LoadedNotification>(
        (slice.notifications as LoadedNotification[]).slice(from.skip),
        from,
        slice.next_time_offset,
        total,
      );
    },
  }),
  notification: t.field({
    type: NotificationRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description:
      'One notification of the app by its OneSignal id; null when it does not exist. Free when a list in the same request holds it.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal notification id.' }) },
    resolve: (app, { id }, ctx) =>
      orNull(ctx.loaders.notification.load({ appId: app.id.toLowerCase(), id: id.toLowerCase() })),
  }),
}));
