/**
 * Demo journeys: two per demo app, each with stats a real journey could show (started ≥ completed +
 * exited early, the rest still waiting at a node). One journey of each app shows the in-app message
 * the in-app messages seed gives that app a fixed id; the usage registry records it like any write.
 */
import { allBranches, allNodes, inAppMessagesOf } from './journey-graph.js';
import type { JourneyDoc, JourneyNodeDoc, JourneyStatsRecord } from './journeys.js';
import type { AppState } from './store.js';
import { stableUuid } from './util.js';

interface DemoApp {
  slug: 'shop' | 'news';
  id: string;
  /** The in-app message the in-app messages seed creates with this fixed id. */
  inAppMessageId: string;
}

const APPS: DemoApp[] = [
  {
    slug: 'shop',
    id: '11111111-1111-4111-8111-111111111111',
    inAppMessageId: 'a1a1a1a1-0000-4000-8000-000000000001',
  },
  {
    slug: 'news',
    id: '22222222-2222-4222-8222-222222222222',
    inAppMessageId: 'b2b2b2b2-0000-4000-8000-000000000001',
  },
];

const NAMES = {
  shop: ['Welcome series', 'Cart reminder A/B'],
  news: ['Breaking news follow-up', 'Weekend digest'],
};

const journeyId = (slug: string, n: number) => stableUuid(`${slug}:journey:${n}`);
const nodeId = (slug: string, n: number, k: number) => stableUuid(`${slug}:journey:${n}:node:${k}`);
const branchId = (slug: string, n: number, k: number) => stableUuid(`${slug}:journey:${n}:branch:${k}`);

/** Seeded journeys per app id: name → journey id, and the in-app message each app's first journey shows. */
export const DEMO_JOURNEYS = Object.fromEntries(
  APPS.map((a) => [
    a.id,
    {
      journeys: Object.fromEntries(
        NAMES[a.slug].map((name, i) => [name, journeyId(a.slug, i + 1)]),
      ) as Record<string, string>,
      inAppMessageId: a.inAppMessageId,
    },
  ]),
) as Record<string, { journeys: Record<string, string>; inAppMessageId: string }>;

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

function templateNamed(app: AppState, name: string): string | undefined {
  return [...app.templates.values()].find((t) => t.name === name)?.id;
}

function segmentNamed(app: AppState, name: string): string[] {
  const id = app.segments.size ? [...app.segments.values()].find((s) => s.name === name)?.id : undefined;
  return id ? [id] : [];
}

/** A welcome flow: push, a day's wait, the in-app message, then a yes/no on whether the push was opened. */
function welcome(app: AppState, demo: DemoApp, anchor: number): [JourneyDoc, JourneyStatsRecord] {
  const s = demo.slug;
  const [push, wait, iam, split, tag, email] = [1, 2, 3, 4, 5, 6].map((k) => nodeId(s, 1, k)) as string[];
  const [yes, no] = [branchId(s, 1, 1), branchId(s, 1, 2)];
  const first = templateNamed(app, 'Welcome');
  const nodes: JourneyNodeDoc[] = [
    {
      id: push as string,
      kind: 'send_push',
      annotation: 'Welcome push',
      ...(first && { template_id: first }),
    },
    { id: wait as string, kind: 'wait', duration_seconds: 86_400 },
    { id: iam as string, kind: 'send_iam', iam_id: demo.inAppMessageId, user_ttl_seconds: 604_800 },
    {
      id: split as string,
      kind: 'yes_no',
      branches: [
        {
          id: yes,
          condition: { kind: 'on_notification_action', action: 'opened', sending_node_id: push },
          nodes: [{ id: tag as string, kind: 'tag', assignments: { onboarded: 'true' } }],
        },
        {
          id: no,
          nodes: [
            {
              id: email as string,
              kind: 'send_email',
              ...(templateNamed(app, 'Weekly digest') && {
                template_id: templateNamed(app, 'Weekly digest'),
              }),
            },
          ],
        },
      ],
    },
  ];
  const created = anchor - 40 * 86_400;
  const journey: JourneyDoc = {
    id: journeyId(s, 1),
    app_id: demo.id,
    name: NAMES[s][0] as string,
    description: 'Greets new subscribers and shows the onboarding in-app message.',
    state: 'active',
    created_at: iso(created),
    updated_at: iso(created + 3600),
    started_at: iso(created + 3600),
    archived_at: null,
    created_source: 'dashboard',
    audience: {
      kind: 'segment',
      included_segment_ids: segmentNamed(app, 'Subscribed Users'),
      excluded_segment_ids: [],
      future_additions_only: true,
    },
    early_exit: { rules: { on_session: false, when_not_in_audience: true } },
    reentry_rules: null,
    schedule: null,
    nodes,
    concurrency_key: stableUuid(`${s}:journey:1:key`),
  };
  const k = s === 'shop' ? 10 : 1;
  // 1,240 entered: 1,010 finished, 130 left early, 100 still in flight (60 waiting a day, 40 at the IAM).
  const stats: JourneyStatsRecord = {
    started: 124 * k,
    completed: 101 * k,
    exited_early: 13 * k,
    nodes: {
      [push as string]: {
        waiting: 0,
        completed: 124 * k,
        exited_early: 0,
        totals: { sent: 124 * k, delivered: 118 * k, clicked: 41 * k, failed: 6 * k },
      },
      [wait as string]: { waiting: 6 * k, completed: 110 * k, exited_early: 8 * k },
      [iam as string]: {
        waiting: 4 * k,
        completed: 101 * k,
        exited_early: 5 * k,
        totals: { impressions: 101 * k, clicks: 37 * k },
      },
      [split as string]: { waiting: 0, completed: 101 * k, exited_early: 0 },
      [tag as string]: { waiting: 0, completed: 39 * k, exited_early: 0 },
      [email as string]: {
        waiting: 0,
        completed: 62 * k,
        exited_early: 0,
        totals: { sent: 62 * k, delivered: 60 * k, opened: 24 * k, clicked: 9 * k },
      },
    },
    branches: { [yes]: 39 * k, [no]: 62 * k },
  };
  return [journey, stats];
}

/** An A/B split on an event trigger, archived after its run (Shop), or a weekly digest window (News). */
function second(app: AppState, demo: DemoApp, anchor: number): [JourneyDoc, JourneyStatsRecord] {
  const s = demo.slug;
  const created = anchor - 90 * 86_400;
  const [a, b, c] = [1, 2, 3].map((k) => nodeId(s, 2, k)) as string[];
  const [left, right] = [branchId(s, 2, 1), branchId(s, 2, 2)];
  const shop = s === 'shop';
  const nodes: JourneyNodeDoc[] = shop
    ? [
        { id: a as string, kind: 'wait', duration_seconds: 3600 },
        {
          id: b as string,
          kind: 'split_range',
          randomize_on_entry: true,
          branches: [
            {
              id: left,
              weight: 50,
              nodes: [
                {
                  id: c as string,
                  kind: 'send_sms',
                  ...(templateNamed(app, 'Order update') && {
                    template_id: templateNamed(app, 'Order update'),
                  }),
                },
              ],
            },
            { id: right, weight: 50, nodes: [] },
          ],
        },
      ]
    : [
        {
          id: a as string,
          kind: 'time_window',
          relative_to: 'schedule_in_timezone',
          use_user_time_zone: true,
          time_zone: 'Europe/Paris',
          windows: [{ day_of_week: 6, start: { hour: 9, minute: 0 }, end: { hour: 11, minute: 0 } }],
        },
        {
          id: b as string,
          kind: 'send_push',
          ...(templateNamed(app, 'Welcome') && { template_id: templateNamed(app, 'Welcome') }),
        },
      ];
  const journey: JourneyDoc = {
    id: journeyId(s, 2),
    app_id: demo.id,
    name: NAMES[s][1] as string,
    description: '',
    state: shop ? 'archived' : 'active',
    created_at: iso(created),
    updated_at: iso(created + 86_400),
    started_at: iso(created + 86_400),
    archived_at: shop ? iso(created + 30 * 86_400) : null,
    created_source: 'public_api',
    audience: shop
      ? {
          kind: 'event_trigger',
          name: 'cart_abandoned',
          attributes: [[{ key: 'value', operator: 'greater', value: '20' }]],
        }
      : {
          kind: 'segment',
          included_segment_ids: segmentNamed(app, 'Breaking News Fans'),
          excluded_segment_ids: [],
        },
    early_exit: shop
      ? { rules: { on_event: { name: 'order_placed' } }, tag_on_early_exit: { cart_reminder: 'converted' } }
      : null,
    reentry_rules: { duration_seconds: 604_800 },
    schedule: null,
    nodes,
    concurrency_key: stableUuid(`${s}:journey:2:key`),
  };
  const stats: JourneyStatsRecord = shop
    ? {
        started: 860,
        completed: 610,
        exited_early: 250,
        nodes: {
          [a as string]: { waiting: 0, completed: 700, exited_early: 160 },
          [b as string]: { waiting: 0, completed: 610, exited_early: 90 },
          [c as string]: {
            waiting: 0,
            completed: 305,
            exited_early: 0,
            totals: { sent: 305, delivered: 298, failed: 7 },
          },
        },
        branches: { [left]: 305, [right]: 305 },
      }
    : {
        started: 48,
        completed: 31,
        exited_early: 2,
        nodes: {
          [a as string]: { waiting: 15, completed: 31, exited_early: 2 },
          [b as string]: {
            waiting: 0,
            completed: 31,
            exited_early: 0,
            totals: { sent: 31, delivered: 30, clicked: 9 },
          },
        },
        branches: {},
      };
  return [journey, stats];
}

/** Seeds the demo journeys of a demo app (others get none), after its segments and templates. */
export function seedJourneys(app: AppState, anchor: number): void {
  const demo = APPS.find((a) => a.id === app.id);
  if (!demo) return;
  for (const [journey, stats] of [welcome(app, demo, anchor), second(app, demo, anchor)]) {
    // Stats name only nodes and branches the journey has.
    const nodes = new Set([...allNodes(journey.nodes)].map((n) => n.id));
    const branches = new Set([...allBranches(journey.nodes)].map((b) => b.id));
    if (
      ![...Object.keys(stats.nodes)].every((id) => nodes.has(id)) ||
      ![...Object.keys(stats.branches)].every((id) => branches.has(id))
    )
      throw new Error(`seed: stats of journey ${journey.name} name nodes it does not have`);
    app.journeys.set(journey.id, { journey, stats });
    app.inAppMessageUsage.set(journey.id, inAppMessagesOf(journey));
  }
}
