/**
 * Three in-app messages per demo app, with fixed ids other seeds (journeys) and the docs refer to:
 * `…0001` live with a session-time trigger, `…0002` live with a custom trigger and an end date,
 * `…0003` a draft.
 */
import type { InAppMessageRecord, InAppStatsRecord } from './in-app-messages.js';
import type { AppState } from './store.js';

/** The id prefix of each demo app's in-app messages: Shop `a1a1a1a1-…`, News `b2b2b2b2-…`. */
const PREFIX: Record<string, string> = {
  '11111111-1111-4111-8111-111111111111': 'a1a1a1a1',
  '22222222-2222-4222-8222-222222222222': 'b2b2b2b2',
};

export const seededInAppMessageId = (prefix: string, n: 1 | 2 | 3) =>
  `${prefix}-0000-4000-8000-00000000000${n}`;

const page = (html: string) => `<!doctype html><html><body>${html}</body></html>`;

const stats = (scale: number): InAppStatsRecord[] => [
  {
    page_name: 'page_1',
    element_name: 'cta_button',
    impressions: 120 * scale,
    clicks: 30 * scale,
    first_clicks: 24 * scale,
  },
  {
    page_name: 'page_1',
    element_name: 'close_button',
    impressions: 120 * scale,
    clicks: 50 * scale,
    first_clicks: 50 * scale,
  },
];

export function seedInAppMessages(state: AppState, appName: string): void {
  const prefix = PREFIX[state.id];
  if (!prefix) return;
  const scale = prefix === 'a1a1a1a1' ? 2 : 1;
  const base = {
    app_id: state.id,
    enabled: true,
    display_duration: 0,
    included_segment_ids: [] as string[],
    excluded_segment_ids: [] as string[],
    redisplay: null,
  };
  const records: InAppMessageRecord[] = [
    {
      ...base,
      id: seededInAppMessageId(prefix, 1),
      name: 'Welcome message',
      is_draft: false,
      html: page(`<h1>Welcome to ${appName}</h1>`),
      start_time: '2024-03-01T00:00:00.000Z',
      end_time: null,
      triggers: [{ conditions: [{ kind: 'session_time', operator: 'greater', value: 10 }] }],
      created_at: '2024-03-01T09:00:00.000Z',
      updated_at: '2024-03-01T09:00:00.000Z',
      stats: stats(scale),
    },
    {
      ...base,
      id: seededInAppMessageId(prefix, 2),
      name: prefix === 'a1a1a1a1' ? 'Members save 10%' : 'Subscribe for unlimited articles',
      is_draft: false,
      html: page('<p>Tap to learn more</p>'),
      start_time: '2024-04-01T00:00:00.000Z',
      end_time: '2099-01-01T00:00:00.000Z',
      triggers: [
        { conditions: [{ kind: 'custom', property: 'screen', operator: 'equal', value: 'checkout' }] },
        { conditions: [{ kind: 'min_time_since', operator: 'greater', value: 3600 }] },
      ],
      redisplay: { limit: 3, delay: 86400 },
      created_at: '2024-04-01T09:00:00.000Z',
      updated_at: '2024-04-01T09:00:00.000Z',
      stats: stats(scale * 3),
    },
    {
      ...base,
      id: seededInAppMessageId(prefix, 3),
      name: 'Spring survey (draft)',
      is_draft: true,
      html: page('<h2>How are we doing?</h2>'),
      start_time: null,
      end_time: null,
      triggers: [],
      created_at: '2024-05-01T09:00:00.000Z',
      updated_at: '2024-05-01T09:00:00.000Z',
      stats: [],
    },
  ];
  state.iams = records;
}
