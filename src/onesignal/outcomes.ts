import type { WireOutcome } from './notifications.js';
import { appAuth, path, type Requester } from './request.js';

export type { WireOutcome };

/** get_outcomes' answer (OutcomesData). */
export interface WireOutcomesResult {
  outcomes?: WireOutcome[];
}

export type OutcomeTimeRange = '1h' | '1d' | '1mo';
export type OutcomeAttribution = 'direct' | 'influenced' | 'unattributed' | 'total';

export interface OutcomeParams {
  /**
   * Outcome names with their aggregation, e.g. `os__click.count`, `os__session_duration.count`,
   * `Purchase.sum`. Sent comma-joined as `outcome_names`.
   */
  outcomeNames: string[];
  /** Default `1h`. Data is kept about 30 days. */
  timeRange?: OutcomeTimeRange;
  /** Device types (see WireDeviceType); sent comma-joined. Default: all platforms. */
  platforms?: number[];
  /** Default `total` (direct + influenced + unattributed). */
  attribution?: OutcomeAttribution;
}

/** Outcome analytics. Signed with the app's REST API key. */
export function outcomesApi(http: Requester) {
  return {
    /** GET /apps/{app_id}/outcomes (get_outcomes). */
    get: (appId: string, params: OutcomeParams) =>
      http.request<WireOutcomesResult>({
        operation: 'get_outcomes',
        method: 'GET',
        path: path`/apps/${appId}/outcomes`,
        query: {
          outcome_names: params.outcomeNames.join(','),
          outcome_time_range: params.timeRange,
          outcome_platforms: params.platforms?.length ? params.platforms.join(',') : undefined,
          outcome_attribution: params.attribution,
        },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),
  };
}
