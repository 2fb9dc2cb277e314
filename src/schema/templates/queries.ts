/**
 * Fields that return templates: `App.templates` (a connection over view_templates),
 * `App.template(id:)` and `Notification.template`.
 */
import { AppRef, registerAppFieldPrefetch } from '../apps.js';
import { builder } from '../builder.js';
import { NotificationRef } from '../notifications/types.js';
import { encodeCursor, offsetPage } from '../pagination.js';
import { orNull, upstream } from '../upstream-errors.js';
import { TemplateRef } from './types.js';

const TemplateConnectionRef = builder.connectionObject(
  { type: TemplateRef, name: 'TemplateConnection', description: 'A page of templates.' },
  { name: 'TemplateEdge', description: 'A template with its cursor.' },
);

/** OneSignal's page size for view_templates. It answers no total, so a page asks for one row more. */
const TEMPLATE_PAGE_SIZE = 50;
const TEMPLATE_FIRST_MAX = TEMPLATE_PAGE_SIZE - 1;

const templatePageKey = (appId: string, args: { first?: number | null; after?: string | null }) => {
  const page = offsetPage(args, { max: TEMPLATE_FIRST_MAX, path: ['templates'] });
  return { appId: appId.toLowerCase(), offset: page.offset, limit: page.limit + 1 };
};

registerAppFieldPrefetch('templates', (appId, args, ctx) => {
  ctx.loaders.templatePage.load(templatePageKey(appId, args)).catch(() => {});
});

builder.objectFields(AppRef, (t) => ({
  templates: t.field({
    type: TemplateConnectionRef,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description: `The app's message templates, oldest first; one page is one upstream request (at most ${TEMPLATE_FIRST_MAX} templates: OneSignal pages hold ${TEMPLATE_PAGE_SIZE} and report no total, so one more is read to learn whether another page follows).`,
    args: {
      first: t.arg.int({
        description: `How many templates to return, 1–${TEMPLATE_FIRST_MAX} (default ${TEMPLATE_FIRST_MAX}).`,
      }),
      after: t.arg.string({ description: 'Return templates after this cursor.' }),
    },
    resolve: async (app, args, ctx) => {
      const key = templatePageKey(app.id, args);
      const rows = await upstream(ctx.loaders.templatePage.load(key));
      const first = key.limit - 1;
      const edges = rows.slice(0, first).map((node, i) => ({ node, cursor: encodeCursor(key.offset + i) }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: key.offset > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
  template: t.field({
    type: TemplateRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description: 'One template of the app by its OneSignal id; null when it does not exist.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal template id.' }) },
    resolve: (app, { id }, ctx) =>
      orNull(ctx.loaders.template.load({ appId: app.id.toLowerCase(), id: id.toLowerCase() })),
  }),
}));

builder.objectField(NotificationRef, 'template', (t) =>
  t.field({
    type: TemplateRef,
    nullable: true,
    description:
      'The template the notification was sent with; null when it named none, or the template no longer exists.',
    resolve: (n, _a, ctx) => {
      const id = (n as { template_id?: unknown }).template_id;
      if (typeof id !== 'string' || !id) return null;
      return orNull(ctx.loaders.template.load({ appId: n.app_id.toLowerCase(), id: id.toLowerCase() }));
    },
  }),
);
