import { isIP } from 'node:net';
import type { FieldProblem } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import type { WireAuditLogQuery } from '../onesignal/index.js';
import { AuditLogEventConnectionRef } from './audit-log-types.js';
import { builder } from './builder.js';
import { upstream } from './upstream-errors.js';

/**
 * `Query.organization(id:)`: what the organization API key reads about a whole organization, beside
 * `apps` (which it also signs). Today its audit log (list_audit_logs, Enterprise plans). Selecting it
 * costs nothing: OneSignal has no read of an organization, only of what belongs to it.
 */
interface OrganizationShape {
  id: string;
}

const OrganizationRef = builder.objectRef<OrganizationShape>('Organization');

const AuditLogFilterInput = builder.inputType('AuditLogFilter', {
  description:
    'Which audit log events to list: a time range within the last 90 days (default: the last day), narrowed by any of the lists (an event must match each list given).',
  fields: (t) => ({
    since: t.field({
      type: 'DateTime',
      description:
        'Start of the range: within the last 90 days, and not before 2026-02-18T00:00:00Z (OneSignal keeps nothing older). Default: one day before `until`.',
    }),
    until: t.field({ type: 'DateTime', description: 'End of the range, after `since` (default: now).' }),
    appIds: t.field({
      type: ['UUID'],
      description: 'Only these apps (organization-level events are always included); at most 10.',
    }),
    actions: t.stringList({ description: 'Only these actions, e.g. `segment.created`; at most 20.' }),
    actorIds: t.stringList({ description: 'Only these actors, by OneSignal id; at most 10.' }),
    actorEmails: t.field({
      type: ['EmailAddress'],
      description: 'Only actors with these email addresses; at most 10.',
    }),
    targetTypes: t.stringList({
      description: 'Only events on these kinds of resource, e.g. `segment`; at most 10.',
    }),
    targetIds: t.stringList({ description: 'Only events on these resources, by OneSignal id; at most 10.' }),
    ipAddresses: t.stringList({
      description: 'Only requests from these IPv4 or IPv6 addresses; at most 10.',
    }),
  }),
});

interface AuditLogFilterShape {
  since?: Date | null;
  until?: Date | null;
  appIds?: string[] | null;
  actions?: string[] | null;
  actorIds?: string[] | null;
  actorEmails?: string[] | null;
  targetTypes?: string[] | null;
  targetIds?: string[] | null;
  ipAddresses?: string[] | null;
}

const DAY_MS = 86_400_000;
/** OneSignal's look-back: `start_time` within the last 90 days, and its audit history begins here. */
export const AUDIT_LOOKBACK_DAYS = 90;
const HISTORY_START = new Date('2026-02-18T00:00:00Z');
const PAGE_MAX = 100;
const FIRST_DEFAULT = 50;
const LIST_CAPS = {
  appIds: ['app_ids', 10],
  actions: ['actions', 20],
  actorIds: ['actor_ids', 10],
  actorEmails: ['actor_emails', 10],
  targetTypes: ['target_types', 10],
  targetIds: ['target_ids', 10],
  ipAddresses: ['ip_addresses', 10],
} as const;
const TOKEN = /^[A-Za-z0-9_.:@-]{1,200}$/;

/** Validates the filter (every problem at once, 0 upstream calls) into list_audit_logs's query. */
function auditQuery(filter: AuditLogFilterShape, now: number): WireAuditLogQuery {
  const problems: FieldProblem[] = [];
  const at = (...path: string[]) => ['auditLogs', 'filter', ...path];
  const earliest = Math.max(now - AUDIT_LOOKBACK_DAYS * DAY_MS, HISTORY_START.getTime());
  const since = filter.since ?? new Date((filter.until?.getTime() ?? now) - DAY_MS);
  if (since.getTime() < earliest)
    problems.push({
      path: at('since'),
      message: `must be within the last ${AUDIT_LOOKBACK_DAYS} days (on or after ${new Date(earliest).toISOString()}): OneSignal keeps no older audit history.`,
    });
  if (filter.until && filter.until.getTime() <= since.getTime())
    problems.push({ path: at('until'), message: 'must be after since.' });
  const query: WireAuditLogQuery = {
    start_time: since.toISOString(),
    ...(filter.until ? { end_time: filter.until.toISOString() } : {}),
  };
  for (const [field, [wire, cap]] of Object.entries(LIST_CAPS) as [
    keyof typeof LIST_CAPS,
    readonly [string, number],
  ][]) {
    const values = filter[field];
    if (values == null) continue;
    if (values.length === 0 || values.length > cap)
      problems.push({ path: at(field), message: `give 1–${cap} values (${values.length} given).` });
    values.forEach((value, i) => {
      const ok =
        field === 'ipAddresses'
          ? isIP(value) !== 0
          : field === 'actorEmails' || field === 'appIds' || TOKEN.test(value);
      if (!ok)
        problems.push({
          path: at(field, String(i)),
          message:
            field === 'ipAddresses'
              ? 'is not an IPv4 or IPv6 address.'
              : 'must be 1–200 letters, digits or . _ : @ -, no spaces.',
        });
    });
    (query as Record<string, unknown>)[wire] =
      field === 'appIds' ? values.map((v) => v.toLowerCase()) : values;
  }
  if (problems.length) throw new ValidationError(problems);
  return query;
}

/**
 * A position in the audit log: the OneSignal cursor of a page (null: the filter's first page) and how
 * many of that page's events come before it. An edge inside a page resumes there; the last edge of a
 * page that has more resumes at OneSignal's next cursor.
 */
interface AuditPosition {
  page: string | null;
  skip: number;
}
const CURSOR_PREFIX = 'audit:';

const encodeAuditCursor = (p: AuditPosition) =>
  Buffer.from(CURSOR_PREFIX + JSON.stringify([p.page, p.skip])).toString('base64url');

function decodeAuditCursor(cursor: string): AuditPosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  try {
    if (text.startsWith(CURSOR_PREFIX)) {
      const [page, skip] = JSON.parse(text.slice(CURSOR_PREFIX.length)) as [unknown, unknown];
      if ((page === null || typeof page === 'string') && Number.isSafeInteger(skip) && (skip as number) >= 0)
        return { page: page as string | null, skip: skip as number };
    }
  } catch {
    // Falls through to the refusal.
  }
  throw ValidationError.field(['auditLogs', 'after'], `"${cursor}" is not a cursor issued by this API.`);
}

OrganizationRef.implement({
  description:
    'A OneSignal organization: what its organization API key reads across every app. Selecting it makes no request.',
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The organization id as OneSignal and its dashboard show it.',
      resolve: (o) => o.id,
    }),
    auditLogs: t.field({
      type: AuditLogEventConnectionRef,
      authScopes: { 'auditlogs:read': true },
      description: `Who did what in the organization, oldest first (list_audit_logs: the organization API key, Enterprise plans; app keys are refused). One page is one request of at most ${PAGE_MAX} events; the range must start within the last ${AUDIT_LOOKBACK_DAYS} days. Never cached: every write, the dashboard's too, adds to it.`,
      args: {
        filter: t.arg({
          type: AuditLogFilterInput,
          description: 'The time range and the narrowing lists (default: everything of the last day).',
        }),
        first: t.arg.int({ description: `How many events, 1–${PAGE_MAX} (default ${FIRST_DEFAULT}).` }),
        after: t.arg.string({ description: 'Return events after this cursor (with the same filter).' }),
      },
      resolve: async (org, args, ctx) => {
        const first = args.first ?? FIRST_DEFAULT;
        if (!Number.isInteger(first) || first < 1 || first > PAGE_MAX)
          throw ValidationError.field(
            ['auditLogs', 'first'],
            `must be between 1 and ${PAGE_MAX}, got ${first}.`,
          );
        const from = args.after ? decodeAuditCursor(args.after) : { page: null, skip: 0 };
        const query = auditQuery((args.filter ?? {}) as AuditLogFilterShape, Date.now());
        const limit = Math.min(PAGE_MAX, from.skip + first);
        const answer = await upstream(
          ctx.client.auditLogs.list(org.id, {
            ...query,
            ...(from.page ? { cursor: from.page } : {}),
            limit,
          }),
        );
        const events = (answer?.audit_logs ?? []).slice(from.skip, from.skip + first);
        const consumed = from.skip + events.length;
        const rowsLeftInPage = (answer?.audit_logs?.length ?? 0) > consumed;
        const next =
          answer?.has_more && typeof answer.next_cursor === 'string' ? answer.next_cursor : undefined;
        const edges = events.map((node, i) => {
          const last = i === events.length - 1;
          const position =
            last && !rowsLeftInPage && next
              ? { page: next, skip: 0 }
              : { page: from.page, skip: from.skip + i + 1 };
          return { node, cursor: encodeAuditCursor(position) };
        });
        return {
          edges,
          pageInfo: {
            hasNextPage: rowsLeftInPage || next !== undefined,
            hasPreviousPage: from.page !== null || from.skip > 0,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    }),
  }),
});

builder.queryFields((t) => ({
  organization: t.field({
    type: OrganizationRef,
    authScopes: { 'auditlogs:read': true, 'apps:read': true },
    description:
      'An organization by its OneSignal id (`App.organizationId`): reads signed with the organization API key. Makes no request itself.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal organization id.' }) },
    resolve: (_root, { id }) => ({ id: id.toLowerCase() }),
  }),
}));
