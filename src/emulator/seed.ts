import { createHash } from 'node:crypto';
import { inSegment } from './audience.js';
import { platformKeyOf } from './devices.js';
import { seedEmailAndAudit } from './seed-email-audit.js';
import { seedInAppMessages } from './seed-in-app-messages.js';
import { seedJourneys } from './seed-journeys.js';
import { type AppState, Store } from './store.js';
import type {
  DeliveryStats,
  FilterExpression,
  NotificationRecord,
  PlayerRecord,
  SegmentRecord,
  UserRecord,
} from './types.js';
import { prng, stableUuid } from './util.js';

export const DEFAULT_USER_AUTH_KEY = 'emulator-user-auth-key';

interface AppPlan {
  slug: string;
  id: string;
  name: string;
  restApiKey: string;
  externalIdPrefix: string;
  users: number;
  anonymous: number;
  delivered: number;
  scheduled: number;
  segments: { name: string; filters: FilterExpression[] }[];
  titles: string[];
  settings: Record<string, unknown>;
}

const tag = (key: string, value: string): FilterExpression => ({ field: 'tag', key, relation: '=', value });

const PLANS: AppPlan[] = [
  {
    slug: 'shop',
    id: '11111111-1111-4111-8111-111111111111',
    name: 'Demo Shop',
    restApiKey: 'emulator-rest-key-demo-shop',
    externalIdPrefix: 'demo-user-',
    users: 200,
    anonymous: 40,
    delivered: 125,
    scheduled: 3,
    segments: [
      { name: 'VIP Customers', filters: [tag('vip', 'true')] },
      { name: 'German Speakers', filters: [{ field: 'language', relation: '=', value: 'de' }] },
      { name: 'US Users', filters: [{ field: 'country', relation: '=', value: 'US' }] },
      { name: 'Engaged Users', filters: [{ field: 'session_count', relation: '>', value: '20' }] },
      { name: 'Gold or Silver', filters: [tag('tier', 'gold'), { operator: 'OR' }, tag('tier', 'silver')] },
    ],
    titles: [
      'Flash sale: 20% off',
      'Your cart misses you',
      'New arrivals',
      'Free shipping weekend',
      'Back in stock',
    ],
    settings: {
      site_name: 'Demo Shop',
      chrome_web_origin: 'https://shop.example.com',
      apns_env: 'production',
      apns_bundle_id: 'com.example.shop',
    },
  },
  {
    slug: 'news',
    id: '22222222-2222-4222-8222-222222222222',
    name: 'Demo News',
    restApiKey: 'emulator-rest-key-demo-news',
    externalIdPrefix: 'news-reader-',
    users: 30,
    anonymous: 10,
    delivered: 20,
    scheduled: 1,
    segments: [
      { name: 'Breaking News Fans', filters: [tag('topic', 'breaking')] },
      { name: 'French Readers', filters: [{ field: 'language', relation: '=', value: 'fr' }] },
    ],
    titles: ['Breaking: markets rally', 'Morning briefing', 'Weather alert', 'Sports roundup'],
    settings: { site_name: 'Demo News', chrome_web_origin: 'https://news.example.com', apns_env: 'sandbox' },
  },
];

const BUILTIN_SEGMENTS: { name: string; builtin: SegmentRecord['builtin'] }[] = [
  { name: 'Subscribed Users', builtin: 'subscribed' },
  { name: 'Active Users', builtin: 'active' },
  { name: 'Inactive Users', builtin: 'inactive' },
];

export const OUTCOME_NAMES = ['os__click', 'os__session_duration', 'Purchase', 'AddToCart'] as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

interface PlannedSubscription {
  id: string;
  device_type: number;
  identifier: string;
}

interface PlannedUser {
  onesignalId: string;
  externalId: string | null;
  subscriptions: PlannedSubscription[];
}

/** The users and their subscriptions of one app; pure, so DEMO and the seed agree. */
function planUsers(plan: AppPlan): PlannedUser[] {
  const users: PlannedUser[] = [];
  let n = 0;
  const nextId = () => stableUuid(`${plan.slug}:player:${++n}`);
  const pushToken = () => createHash('sha256').update(`${plan.slug}:token:${n}`).digest('hex');
  for (let i = 1; i <= plan.users; i++) {
    const externalId = `${plan.externalIdPrefix}${pad(i, 3)}`;
    const count = 2 + (i % 3);
    const subscriptions: PlannedSubscription[] = [];
    for (let j = 0; j < count; j++) {
      const id = nextId();
      if (j === 0) subscriptions.push({ id, device_type: i % 2 === 0 ? 0 : 1, identifier: pushToken() });
      else if (j === 1) subscriptions.push({ id, device_type: 11, identifier: `${externalId}@example.com` });
      else if (j === 2)
        subscriptions.push({
          id,
          device_type: 5,
          identifier: `https://fcm.googleapis.com/fcm/send/${pushToken().slice(0, 40)}`,
        });
      else subscriptions.push({ id, device_type: 14, identifier: `+1555${pad(i, 7)}` });
    }
    users.push({ onesignalId: stableUuid(`${plan.slug}:user:${i}`), externalId, subscriptions });
  }
  for (let j = 1; j <= plan.anonymous; j++) {
    const id = nextId();
    users.push({
      onesignalId: stableUuid(`${plan.slug}:anonymous-user:${j}`),
      externalId: null,
      subscriptions: [{ id, device_type: 1, identifier: pushToken() }],
    });
  }
  return users;
}

const PLANNED = PLANS.map((plan) => ({ plan, users: planUsers(plan) }));
const notificationId = (plan: AppPlan, k: number) => stableUuid(`${plan.slug}:notification:${k}`);
const segmentId = (plan: AppPlan, name: string) => stableUuid(`${plan.slug}:segment:${name}`);
const templateId = (plan: AppPlan, name: string) => stableUuid(`${plan.slug}:template:${name}`);

/** Demo message templates, the same for every app (content names the app). */
const TEMPLATES = [
  { name: 'Welcome', channel: 'push' as const },
  { name: 'Weekly digest', channel: 'email' as const },
  { name: 'Order update', channel: 'sms' as const },
];

function templateContent(plan: AppPlan, channel: 'push' | 'email' | 'sms'): Record<string, unknown> {
  switch (channel) {
    case 'push':
      return {
        contents: { en: `Welcome to ${plan.name}!`, de: `Willkommen bei ${plan.name}!` },
        headings: { en: plan.name },
      };
    case 'email':
      return {
        contents: { en: `Your weekly digest from ${plan.name}` },
        email_subject: `This week at ${plan.name}`,
        email_body: `<h1>${plan.name}</h1><p>Here is what happened this week.</p>`,
      };
    default:
      return { contents: { en: `${plan.name}: your order is on its way.` } };
  }
}

const DEMO_USER_COUNT = 3;
const shop = PLANNED[0] as (typeof PLANNED)[number];

/** Fixed demo ids and keys, for tests and docs. Same on every start. */
export const DEMO = {
  userAuthKey: DEFAULT_USER_AUTH_KEY,
  apps: PLANS.map((p) => ({ id: p.id, name: p.name, restApiKey: p.restApiKey })),
  /** Counts per app id. */
  counts: Object.fromEntries(
    PLANNED.map(({ plan, users }) => [
      plan.id,
      {
        players: users.reduce((n, u) => n + u.subscriptions.length, 0),
        users: users.length,
        usersWithExternalId: plan.users,
        notifications: plan.delivered + plan.scheduled,
        segments: BUILTIN_SEGMENTS.length + plan.segments.length,
      },
    ]),
  ) as Record<
    string,
    { players: number; users: number; usersWithExternalId: number; notifications: number; segments: number }
  >,
  /** First users of "Demo Shop": external_id alias, onesignal_id and their subscription (= player) ids. */
  users: shop.users.slice(0, DEMO_USER_COUNT).map((u) => ({
    externalId: u.externalId as string,
    onesignalId: u.onesignalId,
    subscriptionIds: u.subscriptions.map((s) => s.id),
    emails: u.subscriptions.filter((s) => s.device_type === 11).map((s) => s.identifier),
  })),
  /** A few player/subscription ids of "Demo Shop". */
  subscriptionIds: shop.users.slice(0, 2).flatMap((u) => u.subscriptions.map((s) => s.id)),
  notifications: {
    /** Most recent delivered notification of "Demo Shop". */
    latestDelivered: notificationId(shop.plan, shop.plan.delivered),
    oldestDelivered: notificationId(shop.plan, 1),
    /** Scheduled (send_after in the future) and therefore cancellable. */
    scheduled: Array.from({ length: shop.plan.scheduled }, (_, s) =>
      notificationId(shop.plan, shop.plan.delivered + s + 1),
    ),
  },
  segments: {
    builtin: BUILTIN_SEGMENTS.map((s) => s.name),
    custom: Object.fromEntries(PLANS.map((p) => [p.id, p.segments.map((s) => s.name)])) as Record<
      string,
      string[]
    >,
    ids: Object.fromEntries(
      PLANS.map((p) => [
        p.id,
        Object.fromEntries([...BUILTIN_SEGMENTS, ...p.segments].map((s) => [s.name, segmentId(p, s.name)])),
      ]),
    ) as Record<string, Record<string, string>>,
  },
  /** Seeded message templates per app id: name → template id. */
  templates: Object.fromEntries(
    PLANS.map((p) => [p.id, Object.fromEntries(TEMPLATES.map((t) => [t.name, templateId(p, t.name)]))]),
  ) as Record<string, Record<string, string>>,
  outcomeNames: [...OUTCOME_NAMES],
  liveActivityId: 'demo-live-activity',
};

const LANGUAGES = ['en', 'en', 'en', 'de', 'fr', 'es'];
const COUNTRIES: Record<string, string[]> = {
  en: ['US', 'US', 'GB', 'CA'],
  de: ['DE'],
  fr: ['FR'],
  es: ['ES', 'MX'],
};
const TIERS = ['gold', 'silver', 'bronze', 'bronze'];
const CATEGORIES = ['shoes', 'electronics', 'books', 'garden'];
const TOPICS = ['breaking', 'sports', 'business', 'weather'];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const int = (rnd: () => number, min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));

function deviceInfo(deviceType: number, rnd: () => number): Partial<PlayerRecord> {
  switch (deviceType) {
    case 0:
      return {
        device_model: pick(rnd, ['iPhone14,2', 'iPhone15,3', 'iPhone16,1']),
        device_os: pick(rnd, ['17.4', '17.5', '18.0']),
        sdk: '050200',
      };
    case 1:
      return {
        device_model: pick(rnd, ['Pixel 8', 'SM-S918B', 'Pixel 7a']),
        device_os: pick(rnd, ['13', '14']),
        sdk: '050100',
      };
    case 5:
      return { device_model: 'Linux x86_64', device_os: pick(rnd, ['123', '124', '125']), sdk: '160200' };
    default:
      return { device_model: null, device_os: null, sdk: null };
  }
}

function seedApp(
  store: Store,
  plan: AppPlan,
  plannedUsers: PlannedUser[],
  index: number,
  anchor: number,
): AppState {
  const rnd = prng(1000 + index);
  const state = store.addApp({
    id: plan.id,
    name: plan.name,
    basic_auth_key: plan.restApiKey,
    created_at: new Date(Date.UTC(2024, 0, 15 + index, 9)).toISOString(),
    updated_at: new Date(Date.UTC(2024, 5, 1 + index, 9)).toISOString(),
    settings: { ...plan.settings },
  });

  plannedUsers.forEach((planned, userIndex) => {
    const language = pick(rnd, LANGUAGES);
    const country = pick(rnd, COUNTRIES[language] ?? ['US']);
    const lastActive = anchor - Math.floor(rnd() * rnd() * 40 * 86400);
    const firstActive = lastActive - int(rnd, 1, 365) * 86400;
    const tags: Record<string, string> = {};
    if (planned.externalId) {
      tags.tier = pick(rnd, TIERS);
      if (rnd() < 0.15) tags.vip = 'true';
      tags.level = String(int(rnd, 1, 40));
      if (plan.slug === 'news') tags.topic = pick(rnd, TOPICS);
      else tags.favorite_category = pick(rnd, CATEGORIES);
    }
    const user: UserRecord = {
      onesignal_id: planned.onesignalId,
      aliases: planned.externalId ? { external_id: planned.externalId } : {},
      properties: {
        tags,
        language,
        country,
        timezone_id: country === 'US' ? 'America/New_York' : 'Europe/Berlin',
        first_active: firstActive,
        last_active: lastActive,
        amount_spent: 0,
      },
      subscriptions: [],
    };
    state.addUser(user);
    for (const s of planned.subscriptions) {
      const push = s.device_type !== 11 && s.device_type !== 14;
      const spent = push && plan.slug === 'shop' && rnd() < 0.3 ? int(rnd, 5, 400) : 0;
      user.properties.amount_spent = (user.properties.amount_spent ?? 0) + spent;
      state.addPlayer({
        id: s.id,
        app_id: plan.id,
        user_id: user.onesignal_id,
        device_type: s.device_type,
        identifier: s.identifier,
        language,
        timezone: country === 'US' ? -18000 : 3600,
        game_version: push ? pick(rnd, ['1.4.2', '1.5.0', '1.5.1']) : null,
        device_model: null,
        device_os: null,
        ad_id: null,
        sdk: null,
        ...deviceInfo(s.device_type, rnd),
        session_count: push ? int(rnd, 1, 60) : 0,
        amount_spent: spent,
        created_at: firstActive,
        playtime: push ? int(rnd, 60, 36000) : 0,
        badge_count: 0,
        last_active: lastActive,
        // The users named in DEMO stay fully subscribed so docs and tests can rely on them.
        notification_types: rnd() < 0.08 && userIndex >= DEMO_USER_COUNT ? -2 : 1,
        invalid_identifier: false,
        test_type: null,
        long: null,
        lat: null,
        country,
        rooted: false,
        net_type: push ? 0 : null,
        carrier: null,
        web_auth: null,
        web_p256: null,
      });
    }
  });

  const segments: SegmentRecord[] = [];
  const allSegments = [
    ...BUILTIN_SEGMENTS.map((s) => ({ name: s.name, filters: [] as FilterExpression[], builtin: s.builtin })),
    ...plan.segments.map((s) => ({ ...s, builtin: undefined })),
  ];
  allSegments.forEach((s, i) => {
    const created = new Date(Date.UTC(2024, 1, 1 + index, 9, i)).toISOString();
    const segment: SegmentRecord = {
      id: segmentId(plan, s.name),
      app_id: plan.id,
      name: s.name,
      filters: s.filters,
      created_at: created,
      updated_at: created,
      read_only: s.builtin !== undefined,
      is_active: true,
    };
    if (s.builtin) segment.builtin = s.builtin;
    state.addSegment(segment);
    segments.push(segment);
  });

  // Audience per segment, computed once: each seeded notification targets one segment.
  const audiences = segments.map((segment) => {
    const counts: Record<string, number> = {};
    let total = 0;
    for (const p of state.players.values()) {
      if (!inSegment(state, segment, p, anchor)) continue;
      total++;
      const key = platformKeyOf(p.device_type);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return { segment, total, counts };
  });
  const targets = audiences.filter((a) => a.total > 0 && a.segment.builtin !== 'inactive');

  const total = plan.delivered + plan.scheduled;
  for (let k = 1; k <= total; k++) {
    const scheduled = k > plan.delivered;
    const audience = targets[k % targets.length] ?? audiences[0];
    if (!audience) break;
    const queuedAt = scheduled
      ? anchor - (total - k + 1) * 1800
      : anchor - (plan.delivered - k + 1) * 3 * 3600 - 86400;
    const sendAfter = scheduled ? anchor + (k - plan.delivered) * 86400 : queuedAt;
    const title = `${plan.titles[k % plan.titles.length]} #${k}`;
    const platformStats: Record<string, DeliveryStats> = {};
    const stats: DeliveryStats = { successful: 0, failed: 0, errored: 0, converted: 0, received: 0 };
    if (!scheduled) {
      for (const [key, count] of Object.entries(audience.counts)) {
        const failed = Math.floor(count * rnd() * 0.04);
        const errored = rnd() < 0.2 ? 1 : 0;
        const successful = Math.max(0, count - failed - errored);
        const converted =
          key === 'email' || key === 'sms' ? 0 : Math.floor(successful * (0.02 + rnd() * 0.13));
        const received = Math.floor(successful * (0.9 + rnd() * 0.08));
        platformStats[key] = { successful, failed, errored, converted, received };
        stats.successful += successful;
        stats.failed += failed;
        stats.errored += errored;
        stats.converted += converted;
        stats.received += received;
      }
    }
    const notification: NotificationRecord = {
      id: notificationId(plan, k),
      app_id: plan.id,
      kind: k % 10 === 0 ? 0 : k % 7 === 0 ? 3 : 1,
      fields: {
        name: `Seeded campaign ${k}`,
        contents: { en: title },
        headings: { en: plan.name },
        included_segments: [audience.segment.name],
        url: `https://${plan.slug}.example.com/campaign/${k}`,
      },
      external_id: null,
      queued_at: queuedAt,
      send_after: sendAfter,
      completed_at: scheduled ? null : queuedAt + int(rnd, 5, 120),
      canceled: false,
      recipients: audience.total,
      recipient_ids: null,
      platform_counts: { ...audience.counts },
      stats,
      platform_stats: platformStats,
      outcomes: scheduled
        ? []
        : [
            { id: 'os__click', value: stats.converted, aggregation: 'count' },
            { id: 'Purchase', value: Math.floor(stats.converted * rnd() * 40), aggregation: 'sum' },
          ],
      throttle_rate_per_minute: null,
    };
    state.addNotification(notification);
  }

  // Outcome aggregates per name, time bucket, platform and attribution.
  const valueRange: Record<string, [number, number]> = {
    os__click: [1, 1],
    os__session_duration: [30, 900],
    Purchase: [5, 250],
    AddToCart: [1, 1],
  };
  const scale = plan.slug === 'shop' ? 1 : 0.2;
  for (const name of OUTCOME_NAMES) {
    const [lo, hi] = valueRange[name] ?? [1, 1];
    for (const [bucket, base] of [
      [0, 6],
      [1, 60],
      [2, 600],
    ] as const)
      for (const platform of [0, 1, 5])
        for (const attribution of ['direct', 'influenced', 'unattributed']) {
          if (name === 'os__click' && attribution === 'unattributed') continue;
          const count = Math.floor(base * scale * (0.3 + rnd()));
          state.outcomes[`${name}|${bucket}|${platform}|${attribution}`] = [
            count,
            count * Math.round((lo + hi) / 2),
          ];
        }
  }

  seedInAppMessages(state, plan.name);

  TEMPLATES.forEach((t, i) => {
    const created = new Date(Date.UTC(2024, 2, 1 + index, 9, i)).toISOString();
    state.templates.set(templateId(plan, t.name), {
      id: templateId(plan, t.name),
      app_id: plan.id,
      name: t.name,
      channel: t.channel,
      content: templateContent(plan, t.channel),
      created_at: created,
      updated_at: created,
    });
  });

  const firstPush = plannedUsers[0]?.subscriptions[0];
  if (firstPush)
    state.liveActivities.set(
      DEMO.liveActivityId,
      new Map([[firstPush.id, `live-activity-token-${plan.slug}`]]),
    );
  seedJourneys(state, anchor);
  return state;
}

/** Builds the store: the demo apps and their data, or nothing with `seed: false`. */
export function createStore(seed: boolean): Store {
  const store = new Store();
  if (!seed) return store;
  const anchor = Math.floor(Date.now() / 3_600_000) * 3600;
  PLANNED.forEach(({ plan, users }, i) => {
    seedApp(store, plan, users, i, anchor);
  });
  seedEmailAndAudit(store, anchor);
  return store;
}

/** Demo app id → REST API key, as `ONESIGNAL_APP_KEYS` would carry it. */
export const demoAppKeys = (): Record<string, string> =>
  Object.fromEntries(DEMO.apps.map((a) => [a.id, a.restApiKey]));
