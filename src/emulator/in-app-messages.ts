/**
 * The emulator's in-app messages: one record per message on `AppState.iams`, which both the in-app
 * message API (routes/in-app-messages.ts) and get_eligible_iams (routes/users.ts) read, so a message
 * paused through the API stops being eligible at once.
 */

export interface TriggerConditionRecord {
  kind: string;
  operator: string;
  property?: string;
  value?: string | number | boolean | null;
}

/** One page/element of a message with its all-time counts (view_in_app_message_stats). */
export interface InAppStatsRecord {
  page_name: string;
  element_name: string;
  /** Times the page was shown (the same on every element row of one page). */
  impressions: number;
  /** Every click on the element. */
  clicks: number;
  /** Clicks that were the first of their impression (`click_type=first`). */
  first_clicks: number;
}

export interface InAppMessageRecord {
  id: string;
  app_id: string;
  name: string;
  is_draft: boolean;
  /** false: paused with set_enabled. */
  enabled: boolean;
  html: string;
  display_duration: number;
  /** ISO 8601 or null. */
  start_time: string | null;
  end_time: string | null;
  included_segment_ids: string[];
  excluded_segment_ids: string[];
  triggers: { conditions: TriggerConditionRecord[] }[];
  redisplay: { limit: number; delay: number } | null;
  created_at: string;
  updated_at: string;
  stats: InAppStatsRecord[];
}

/** The status OneSignal reports, from the record and the time (seconds since the epoch). */
export function statusOf(m: InAppMessageRecord, now: number): string {
  if (m.is_draft) return 'draft';
  if (!m.enabled) return 'paused';
  const at = (iso: string | null) => (iso ? Date.parse(iso) / 1000 : null);
  const end = at(m.end_time);
  if (end !== null && end <= now) return 'ended';
  const start = at(m.start_time);
  if (start !== null && start > now) return 'scheduled';
  return 'active';
}

/** view_in_app_messages's item: identity, status and schedule. */
export const summaryOf = (m: InAppMessageRecord, now: number) => ({
  id: m.id,
  app_id: m.app_id,
  name: m.name,
  status: statusOf(m, now),
  start_time: m.start_time,
  end_time: m.end_time,
  created_at: m.created_at,
  updated_at: m.updated_at,
});

/** view_in_app_message's payload, and the writes': the whole message. */
export const wholeOf = (m: InAppMessageRecord, now: number) => ({
  ...summaryOf(m, now),
  html: m.html,
  display_duration: m.display_duration,
  included_segment_ids: m.included_segment_ids,
  excluded_segment_ids: m.excluded_segment_ids,
  triggers: m.triggers,
  redisplay: m.redisplay,
});

/**
 * get_eligible_iams's entry for a message the SDK may show now. OneSignal does not document that
 * manifest; the emulator answers the message's id, name, triggers (one list of conditions per trigger),
 * redisplay rules and HTML.
 */
export const manifestOf = (m: InAppMessageRecord) => ({
  id: m.id,
  name: m.name,
  triggers: m.triggers.map((t) => t.conditions),
  redisplay: m.redisplay,
  content: { html: m.html },
});

/**
 * A record from a `--data` snapshot. Snapshots taken before the in-app message API kept the SDK's
 * manifest shape (`triggers` as lists of conditions, `content.html`); those become live messages.
 */
export function restoreInAppMessage(raw: Record<string, unknown>, appId: string): InAppMessageRecord {
  if (typeof raw.is_draft === 'boolean') return raw as unknown as InAppMessageRecord;
  const triggers = Array.isArray(raw.triggers) ? raw.triggers : [];
  const content = (raw.content ?? {}) as { html?: unknown };
  const epoch = new Date(0).toISOString();
  return {
    id: String(raw.id),
    app_id: appId,
    name: String(raw.name ?? ''),
    is_draft: false,
    enabled: true,
    html: typeof content.html === 'string' ? content.html : '',
    display_duration: 0,
    start_time: null,
    end_time: null,
    included_segment_ids: [],
    excluded_segment_ids: [],
    triggers: triggers.map((t) => ({
      conditions: (Array.isArray(t) ? t : []) as TriggerConditionRecord[],
    })),
    redisplay: null,
    created_at: epoch,
    updated_at: epoch,
    stats: [],
  };
}
