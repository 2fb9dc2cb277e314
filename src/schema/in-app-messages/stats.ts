/** `InAppMessage.stats`: all-time impression and click totals (view_in_app_message_stats). */
import type { WireInAppMessageStatsRow, WireStatsGrouping } from '../../onesignal/index.js';
import { builder } from '../builder.js';
import { upstream } from '../upstream-errors.js';
import { InAppMessageRef } from './types.js';

export const InAppMessageStatsGroupingEnum = builder.enumType('InAppMessageStatsGrouping', {
  description: 'How to split the totals of `InAppMessage.stats`.',
  values: {
    PAGE: { value: 'page_name', description: 'One row per page of the message.' },
    ELEMENT: { value: 'element_name', description: 'One row per clickable element.' },
  } as const,
});

export const InAppClickCountingEnum = builder.enumType('InAppClickCounting', {
  description: 'Which clicks `InAppMessage.stats` counts.',
  values: {
    ALL: { value: 'all', description: 'Every click.' },
    FIRST: { value: 'first', description: 'Only the first click of each impression (`click_type=first`).' },
  } as const,
});

const TYPED = new Set(['page_name', 'element_name', 'impressions', 'clicks']);

const InAppMessageStatsRowRef = builder
  .objectRef<WireInAppMessageStatsRow>('InAppMessageStatsRow')
  .implement({
    description:
      'All-time totals of an in-app message: for the whole message, or for one page and/or element.',
    fields: (t) => ({
      pageName: t.string({
        nullable: true,
        description: 'The page these totals are for; null unless grouped by PAGE.',
        resolve: (r) => r.page_name ?? null,
      }),
      elementName: t.string({
        nullable: true,
        description: 'The clickable element these totals are for; null unless grouped by ELEMENT.',
        resolve: (r) => r.element_name ?? null,
      }),
      impressions: t.int({
        nullable: true,
        description: 'Times it was shown; null when OneSignal gives no figure.',
        resolve: (r) => (typeof r.impressions === 'number' ? r.impressions : null),
      }),
      clicks: t.int({
        nullable: true,
        description: 'Clicks, counted as `clickCounting` asked; null when OneSignal gives no figure.',
        resolve: (r) => (typeof r.clicks === 'number' ? r.clicks : null),
      }),
      extra: t.field({
        type: 'JSONObject',
        description: "The rest of OneSignal's row (loosely documented): fields not typed here.",
        resolve: (r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TYPED.has(k))),
      }),
    }),
  });

builder.objectField(InAppMessageRef, 'stats', (t) =>
  t.field({
    type: [InAppMessageStatsRowRef],
    description:
      'All-time impression and click totals (one upstream request per grouping). No date range: OneSignal keeps none for this API.',
    args: {
      groupBy: t.arg({
        type: [InAppMessageStatsGroupingEnum],
        description: 'Split the totals by page, element or both; none: one row for the whole message.',
      }),
      clickCounting: t.arg({
        type: InAppClickCountingEnum,
        description: "Which clicks to count; left out, OneSignal's default.",
      }),
    },
    resolve: (m, args, ctx) =>
      upstream(
        ctx.loaders.inAppMessageStats.load({
          appId: m.app_id.toLowerCase(),
          id: m.id.toLowerCase(),
          groupBy: [...new Set(args.groupBy ?? [])].sort() as WireStatsGrouping[],
          clickType: args.clickCounting ?? undefined,
        }),
      ),
  }),
);
