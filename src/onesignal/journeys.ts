import type { WireSuccess } from './common.js';
import { appAuth, type OperationRequest, path, type Requester } from './request.js';

/**
 * Journeys (current API, marked beta by OneSignal: "endpoints and response fields can still
 * change"). Wire types follow OneSignal's reference pages (view-journeys, view-journey,
 * create-journey, update-journey, update-journey-node, delete-journey, view-journey-stats) and the
 * models of node-onesignal 5.18 (`Journey`, `JourneyNode`, `JourneyStats`, …). Every object is open
 * (`[field: string]: unknown`): a beta API may answer fields neither names yet, and the schema hands
 * those on as JSON beside the typed ones.
 */

/** Lifecycle state. `processing` is transient while an activation runs; `archived` is permanent. */
export type WireJourneyState = 'draft' | 'scheduled' | 'processing' | 'active' | 'archived';

/** The states update_journey accepts (`processing` is OneSignal's own). */
export type WireJourneyTargetState = 'draft' | 'scheduled' | 'active' | 'archived';

export type WireJourneyNodeKind =
  | 'wait'
  | 'time_window'
  | 'send_push'
  | 'send_email'
  | 'send_sms'
  | 'send_iam'
  | 'send_webhook'
  | 'tag'
  | 'split_range'
  | 'yes_no'
  | 'wait_until';

export type WireJourneyEventOperator =
  | 'equal'
  | 'not_equal'
  | 'less'
  | 'less_or_equal'
  | 'greater_or_equal'
  | 'greater'
  | 'is'
  | 'is_not'
  | 'exists'
  | 'not_exists'
  | 'before'
  | 'after';

/** One matcher on an event property. */
export interface WireJourneyEventAttribute {
  key: string;
  operator: WireJourneyEventOperator;
  /** Absent for `exists`/`not_exists`. */
  value?: string;
}

/**
 * Who enters: `segment` (segment UUIDs) or `event_trigger` (a custom event by name). `attributes` is
 * a list of condition groups; OneSignal takes exactly one group, its conditions AND'd.
 */
export interface WireJourneyAudience {
  kind: 'segment' | 'event_trigger';
  included_segment_ids?: string[];
  excluded_segment_ids?: string[];
  /** Segment audiences: only users who newly match after activation enter. Default false. */
  future_additions_only?: boolean | null;
  /** Event audiences: the event name, up to 255 characters. */
  name?: string;
  attributes?: WireJourneyEventAttribute[][];
  [field: string]: unknown;
}

export interface WireJourneyEarlyExit {
  rules?: {
    on_segment?: { included_segment_ids?: string[] } | null;
    when_not_in_audience?: boolean | null;
    on_session?: boolean | null;
    on_event?: { name: string } | null;
    [field: string]: unknown;
  };
  /** Tags set on a user who exits early. */
  tag_on_early_exit?: Record<string, string>;
  [field: string]: unknown;
}

export interface WireJourneySchedule {
  /** ISO 8601, UTC, at least 5 minutes ahead when set. */
  start_at?: string | null;
  /** ISO 8601, UTC, after `start_at`. */
  stop_at?: string | null;
  /** Read-only: why scheduling failed. */
  error?: string | null;
  [field: string]: unknown;
}

export interface WireJourneyTimeWindow {
  start?: { hour?: number; minute?: number };
  end?: { hour?: number; minute?: number };
  /** 1 = Monday; absent: every day. */
  day_of_week?: number;
  [field: string]: unknown;
}

export interface WireJourneyCondition {
  kind: 'segment_membership' | 'on_notification_action' | 'event_trigger';
  included_segment_ids?: string[];
  excluded_segment_ids?: string[];
  action?: 'received' | 'clicked' | 'opened';
  /** The sending node the action refers to (write: this or `client_node_id`). */
  sending_node_id?: string;
  client_node_id?: string;
  name?: string;
  attributes?: WireJourneyEventAttribute[][];
  /** Loosely documented: matchers against the journey's entry event. */
  entry_event_match_attributes?: Record<string, unknown>[] | null;
  [field: string]: unknown;
}

export interface WireJourneyBranch {
  /** Server-assigned; echo it on update to keep the branch. */
  id?: string;
  condition?: WireJourneyCondition;
  /** split_range: weights of a node's branches sum to 100. */
  weight?: number;
  nodes?: WireJourneyNode[];
  [field: string]: unknown;
}

/** A step of the journey; `kind` selects which fields apply. Branching kinds nest sub-graphs. */
export interface WireJourneyNode {
  /** Server-assigned UUID: returned on reads, kept on update when echoed, refused on create. */
  id?: string;
  kind: WireJourneyNodeKind;
  client_node_id?: string;
  /** Up to 255 characters. */
  annotation?: string;
  /** wait: seconds, 60 to 31,556,952. */
  duration_seconds?: number | null;
  relative_to?: 'schedule_in_timezone' | 'last_active_time';
  windows?: WireJourneyTimeWindow[];
  time_zone?: string;
  use_user_time_zone?: boolean | null;
  /** send_push, send_email, send_sms. */
  template_id?: string;
  /** send_iam. */
  iam_id?: string;
  user_ttl_seconds?: number | null;
  /** send_webhook. */
  webhook_id?: string;
  /** tag: key → value; '' removes the tag. */
  assignments?: Record<string, string>;
  randomize_on_entry?: boolean | null;
  branches?: WireJourneyBranch[];
  /** wait_until: how long to wait, and whether users then exit. null: wait indefinitely. */
  expiration?: { duration_seconds?: number; exits?: boolean } | null;
  [field: string]: unknown;
}

/** The whole journey: view_journey, create, update and node update answer it. */
export interface WireJourney {
  id: string;
  app_id?: string;
  name: string;
  description?: string | null;
  state?: WireJourneyState;
  created_at?: string;
  updated_at?: string;
  started_at?: string | null;
  archived_at?: string | null;
  created_source?: string | null;
  audience?: WireJourneyAudience;
  early_exit?: WireJourneyEarlyExit | null;
  reentry_rules?: { duration_seconds?: number | null; [field: string]: unknown } | null;
  schedule?: WireJourneySchedule | null;
  nodes?: WireJourneyNode[];
  /** Opaque optimistic-concurrency token: sent back on update, a stale one is answered 409. */
  concurrency_key?: string;
  [field: string]: unknown;
}

/** One page of view_journeys: summaries (no nodes, no description, audience `kind` only), newest first. */
export interface WireJourneyList {
  journeys?: WireJourney[];
  has_more?: boolean;
  /** Present only when `has_more`. */
  next_cursor?: string;
}

/** Body of create_journey (`name` required) and update_journey (JSON Merge Patch: null clears). */
export interface WireJourneyBody {
  name?: string;
  description?: string | null;
  audience?: WireJourneyAudience;
  early_exit?: WireJourneyEarlyExit | null;
  reentry_rules?: { duration_seconds?: number | null } | null;
  schedule?: WireJourneySchedule | null;
  nodes?: WireJourneyNode[];
  state?: WireJourneyTargetState;
  concurrency_key?: string;
}

/** Body of update_journey_node: a merge patch of one node (not its `kind` or `id`). */
export type WireJourneyNodePatch = Partial<Omit<WireJourneyNode, 'id' | 'kind'>> & {
  concurrency_key?: string;
};

export interface WireJourneyNodeStats {
  kind?: WireJourneyNodeKind;
  /** Users held at the node now. */
  waiting?: number;
  completed?: number;
  exited_early?: number;
  /** Message-sending nodes: all-time totals keyed by channel-specific stat name. */
  message_stats?: { totals?: Record<string, number> };
}

/** view_journey_stats: all-time counts; nodes and branches keyed by their ids, at any depth. */
export interface WireJourneyStats {
  id?: string;
  started?: number;
  completed?: number;
  exited_early?: number;
  nodes?: Record<string, WireJourneyNodeStats>;
  branches?: Record<string, { completed?: number }>;
}

/** OneSignal's page size for view_journeys: default and maximum 50. */
export const JOURNEY_PAGE_MAX = 50;

/** Journeys. Every call is signed with the app's REST API key. */
export function journeysApi(http: Requester) {
  /** Read your own writes: the journey a write answered is the next view_journey's answer for a few seconds. */
  const seeded = async (appId: string, answer: WireJourney) => {
    if (answer?.id) await http.seed(viewJourney(appId, answer.id), answer);
    return answer;
  };

  return {
    /** GET /apps/{app_id}/journeys (view_journeys): newest first, forward-only cursor paging. */
    list: (appId: string, params: { cursor?: string | undefined; limit?: number | undefined } = {}) =>
      http.request<WireJourneyList>({
        operation: 'view_journeys',
        method: 'GET',
        path: path`/apps/${appId}/journeys`,
        query: { cursor: params.cursor, limit: params.limit },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /apps/{app_id}/journeys/{journey_id} (view_journey): the whole journey. */
    get: (appId: string, journeyId: string) => http.request<WireJourney>(viewJourney(appId, journeyId)),

    /** POST /apps/{app_id}/journeys (create_journey): always a draft; answered 201. Not retried once sent. */
    create: async (appId: string, body: WireJourneyBody & { name: string }) =>
      seeded(
        appId,
        await http.request<WireJourney>({
          operation: 'create_journey',
          method: 'POST',
          path: path`/apps/${appId}/journeys`,
          body,
          auth: appAuth(appId),
          retry: 'unsafe',
        }),
      ),

    /**
     * PATCH /apps/{app_id}/journeys/{journey_id} (update_journey): a JSON Merge Patch; `nodes`
     * replaces the graph. Not retried: a state change (activation) is not safe to repeat blindly.
     */
    update: async (appId: string, journeyId: string, body: WireJourneyBody) =>
      seeded(
        appId,
        await http.request<WireJourney>({
          operation: 'update_journey',
          method: 'PATCH',
          path: path`/apps/${appId}/journeys/${journeyId}`,
          body,
          auth: appAuth(appId),
          retry: 'unsafe',
        }),
      ),

    /** PATCH /apps/{app_id}/journeys/{journey_id}/nodes/{node_id} (update_journey_node): answers the whole journey. */
    updateNode: async (appId: string, journeyId: string, nodeId: string, body: WireJourneyNodePatch) =>
      seeded(
        appId,
        await http.request<WireJourney>({
          operation: 'update_journey_node',
          method: 'PATCH',
          path: path`/apps/${appId}/journeys/${journeyId}/nodes/${nodeId}`,
          body,
          auth: appAuth(appId),
          retry: 'idempotent',
        }),
      ),

    /** DELETE /apps/{app_id}/journeys/{journey_id} (delete_journey): permanent, stats included. */
    delete: (appId: string, journeyId: string) =>
      http.request<WireSuccess>({
        operation: 'delete_journey',
        method: 'DELETE',
        path: path`/apps/${appId}/journeys/${journeyId}`,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /apps/{app_id}/journeys/{journey_id}/stats (view_journey_stats): all-time totals, no query. */
    stats: (appId: string, journeyId: string) =>
      http.request<WireJourneyStats>({
        operation: 'view_journey_stats',
        method: 'GET',
        path: path`/apps/${appId}/journeys/${journeyId}/stats`,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),
  };
}

/** view_journey, one request description for the read and for the snapshot a write seeds for it. */
const viewJourney = (appId: string, journeyId: string): OperationRequest => ({
  operation: 'view_journey',
  method: 'GET',
  path: path`/apps/${appId}/journeys/${journeyId}`,
  auth: appAuth(appId),
  retry: 'idempotent',
});
