import { path, type Requester, userAuth } from './request.js';

/** Who did it (AuditLogActor). Every field may be absent. */
export interface WireAuditLogActor {
  /** `user`, `service`, … */
  type?: string;
  id?: string;
  name?: string;
  email?: string;
  metadata?: Record<string, unknown>;
}

/** What it was done to (AuditLogTarget). */
export interface WireAuditLogTarget {
  /** `app`, `segment`, `notification`, `api_key`, … */
  type?: string;
  id?: string;
  name?: string;
  metadata?: Record<string, unknown>;
}

/** Where it came from (AuditLogContext). */
export interface WireAuditLogContext {
  ip?: string;
  user_agent?: string;
  /** Country code derived from the IP. */
  country?: string;
  metadata?: Record<string, unknown>;
}

/** One event (AuditLogEvent). */
export interface WireAuditLogEvent {
  id?: string;
  organization_id?: string;
  /** Absent for organization-level events. */
  app_id?: string;
  /** Dotted: `segment.created`, `app.updated`, `api_key.rotated`, … */
  action?: string;
  /** RFC 3339. */
  occurred_at?: string;
  /** Schema version of the event. */
  version?: number;
  actor?: WireAuditLogActor;
  targets?: WireAuditLogTarget[];
  context?: WireAuditLogContext;
  metadata?: Record<string, unknown>;
}

/** list_audit_logs's answer (ListAuditLogsSuccessResponse), oldest first. */
export interface WireAuditLogPage {
  audit_logs?: WireAuditLogEvent[];
  has_more?: boolean;
  /** Only when `has_more`. */
  next_cursor?: string;
}

/**
 * list_audit_logs's query. Lists repeat the parameter; OneSignal takes at most 10 values per list
 * (20 actions). `start_time` is required unless `cursor` is given, which then carries the range.
 */
export interface WireAuditLogQuery {
  /** ISO 8601, within the last 90 days and not before 2026-02-18T00:00:00Z. */
  start_time?: string;
  /** ISO 8601; defaults to now. */
  end_time?: string;
  cursor?: string;
  /** 1–100 (default 100). */
  limit?: number;
  app_ids?: string[];
  actions?: string[];
  actor_ids?: string[];
  actor_emails?: string[];
  target_types?: string[];
  target_ids?: string[];
  ip_addresses?: string[];
}

/** Organization audit logs. Signed with the organization API key; app keys are refused. Enterprise plans. */
export function auditLogsApi(http: Requester) {
  return {
    /** GET /organizations/{organization_id}/audit_logs (list_audit_logs): one page, oldest first. */
    list: (organizationId: string, query: WireAuditLogQuery) =>
      http.request<WireAuditLogPage>({
        operation: 'list_audit_logs',
        method: 'GET',
        path: path`/organizations/${organizationId}/audit_logs`,
        query: { ...query },
        auth: userAuth,
        retry: 'idempotent',
      }),
  };
}
