/** Fields that return in-app messages: `App.inAppMessages` (a connection over view_in_app_messages) and `App.inAppMessage(id:)`. */
import { IN_APP_MESSAGE_PAGE_MAX } from '../../onesignal/index.js';
import { AppRef, registerAppFieldPrefetch } from '../apps.js';
import { builder } from '../builder.js';
import { offsetConnection, offsetPage, totalCountOf } from '../pagination.js';
import { orNull, upstream } from '../upstream-errors.js';
import { IAM_READ_SCOPES, InAppMessageRef } from './types.js';

const InAppMessageConnectionRef = builder.connectionObject(
  {
    type: InAppMessageRef,
    name: 'InAppMessageConnection',
    description: 'A page of in-app messages, newest first.',
    fields: (t) => ({
      totalCount: t.int({ description: 'Number of in-app messages of the app.', resolve: totalCountOf }),
    }),
  },
  { name: 'InAppMessageEdge', description: 'An in-app message with its cursor.' },
);

/** The `inAppMessagePage` key of `App.inAppMessages`, shared by its prefetch and its resolver. */
const pageKey = (appId: string, args: { first?: number | null; after?: string | null }) => ({
  appId: appId.toLowerCase(),
  ...offsetPage(args, { max: IN_APP_MESSAGE_PAGE_MAX, path: ['inAppMessages'] }),
});

registerAppFieldPrefetch('inAppMessages', (appId, args, ctx) => {
  ctx.loaders.inAppMessagePage.load(pageKey(appId, args)).catch(() => {});
});

builder.objectFields(AppRef, (t) => ({
  inAppMessages: t.field({
    type: InAppMessageConnectionRef,
    skipTypeScopes: true,
    authScopes: IAM_READ_SCOPES,
    description: `The app's in-app messages, newest first; one page is one upstream request (at most ${IN_APP_MESSAGE_PAGE_MAX}, OneSignal's page size). Summaries: selecting \`html\`, \`triggers\` or the audience reads each message whole.`,
    args: {
      first: t.arg.int({
        description: `How many in-app messages to return, 1–${IN_APP_MESSAGE_PAGE_MAX} (default ${IN_APP_MESSAGE_PAGE_MAX}).`,
      }),
      after: t.arg.string({ description: 'Return in-app messages after this cursor.' }),
    },
    resolve: async (app, args, ctx) => {
      const key = pageKey(app.id, args);
      const page = await upstream(ctx.loaders.inAppMessagePage.load(key));
      return offsetConnection(page.items, key, page.totalCount);
    },
  }),
  inAppMessage: t.field({
    type: InAppMessageRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: IAM_READ_SCOPES,
    description:
      'One in-app message of the app by its OneSignal id, read whole; null when it does not exist.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal in-app message id.' }) },
    resolve: (app, { id }, ctx) =>
      orNull(ctx.loaders.inAppMessage.load({ appId: app.id.toLowerCase(), id: id.toLowerCase() })),
  }),
}));
