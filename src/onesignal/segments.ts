import type { WireSuccess } from './common.js';
import { appAuth, path, type Requester } from './request.js';

/** A filter condition (Filter). */
export interface WireFilterCondition {
  /** `tag`, `last_session`, `session_count`, `country`, `language`, `amount_spent`, `bought_sku`, … */
  field: string;
  /** Tag key (required when `field` is `tag`), or SKU for `bought_sku`. */
  key?: string;
  /** Second operand; required for binary relations, except on `last_session`/`first_session`. */
  value?: string;
  /** Hours, as a decimal string (`"1.1"`): what `last_session` and `first_session` compare, instead of `value`. */
  hours_ago?: string;
  relation: '>' | '<' | '=' | '!=' | 'exists' | 'not_exists' | 'time_elapsed_gt' | 'time_elapsed_lt';
}

/**
 * Subscriptions within `radius` meters of a point (location tracking on). OneSignal's reference
 * sends the three as strings; its 5.x SDK types them as numbers.
 */
export interface WireFilterLocation {
  field: 'location';
  radius: string | number;
  lat: string | number;
  long: string | number;
}

/** Joins the conditions around it (Operator). Conditions are ANDed unless an `OR` sits between them. */
export interface WireFilterOperator {
  operator: 'OR' | 'AND';
}

/** One entry of a filter list (FilterExpressions): a condition, a location or an operator. */
export type WireFilter = WireFilterCondition | WireFilterLocation | WireFilterOperator;

/** A segment as get_segments lists it (current API; not in v1.2.2). */
export interface WireSegment {
  /** UUID. */
  id: string;
  name: string;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601. */
  updated_at: string;
  app_id: string;
  /** Built-in segments cannot be changed or deleted. */
  read_only: boolean;
  /** Paused segments are excluded from sends. */
  is_active: boolean;
}

/** One page of get_segments. */
export interface WireSegmentSlice {
  total_count: number;
  offset: number;
  limit: number;
  segments: WireSegment[];
}

/** Body of create_segments (Segment). */
export interface WireSegmentBody {
  /** Assigned when omitted. */
  id?: string;
  /** Dashboard name; used by included_segments / excluded_segments. */
  name: string;
  filters: WireFilter[];
}

export interface WireCreateSegmentResult {
  success?: boolean;
  /** UUID of the new segment (always present on success). */
  id: string;
}

/** One segment with its definition (SegmentDetails, the `payload` of get_segment with include-segment-detail). */
export interface WireSegmentDetails {
  /** UUID. */
  id: string;
  name: string;
  description?: string | null;
  /** Unix seconds. */
  created_at?: number;
  /** `default` (built in), `custom` (made by a user or the API) or `quickstart`. */
  source?: 'default' | 'custom' | 'quickstart';
  /** The filter list that defines the segment; empty for built-in segments. */
  filters: WireFilter[];
}

/** Answer of get_segment (GetSegmentSuccessResponse). */
export interface WireSegmentDetailResult {
  /** Subscriptions currently in the segment. */
  subscriber_count?: number;
  payload: WireSegmentDetails;
}

/** Body of update_segment (UpdateSegmentRequest): `filters`, when given, replace the segment's filters. */
export interface WireSegmentUpdateBody {
  name: string;
  description?: string;
  filters?: WireFilter[];
}

export interface WireUpdateSegmentResult {
  success?: boolean;
  id?: string;
}

export interface SegmentListParams {
  /** Max 300. */
  limit?: number;
  offset?: number;
}

/** Segments. Every call is signed with the app's REST API key. */
export function segmentsApi(http: Requester) {
  return {
    /** GET /apps/{app_id}/segments (get_segments; current API, not in v1.2.2). */
    list: (appId: string, params: SegmentListParams = {}) =>
      http.request<WireSegmentSlice>({
        operation: 'get_segments',
        method: 'GET',
        path: path`/apps/${appId}/segments`,
        query: { limit: params.limit, offset: params.offset },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** POST /apps/{app_id}/segments (create_segments). Not retried once sent. 409 when the name exists. */
    create: (appId: string, body: WireSegmentBody) =>
      http.request<WireCreateSegmentResult>({
        operation: 'create_segments',
        method: 'POST',
        path: path`/apps/${appId}/segments`,
        body,
        auth: appAuth(appId),
        retry: 'unsafe',
      }),

    /** GET /apps/{app_id}/segments/{segment_id}?include-segment-detail=true (get_segment; current API). */
    get: (appId: string, segmentId: string) =>
      http.request<WireSegmentDetailResult>({
        operation: 'get_segment',
        method: 'GET',
        path: path`/apps/${appId}/segments/${segmentId}`,
        query: { 'include-segment-detail': true },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** PATCH /apps/{app_id}/segments/{segment_id} (update_segment; current API): name and filters replaced. */
    update: (appId: string, segmentId: string, body: WireSegmentUpdateBody) =>
      http.request<WireUpdateSegmentResult>({
        operation: 'update_segment',
        method: 'PATCH',
        path: path`/apps/${appId}/segments/${segmentId}`,
        body,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** DELETE /apps/{app_id}/segments/{segment_id} (delete_segments). */
    delete: (appId: string, segmentId: string) =>
      http.request<WireSuccess>({
        operation: 'delete_segments',
        method: 'DELETE',
        path: path`/apps/${appId}/segments/${segmentId}`,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),
  };
}
