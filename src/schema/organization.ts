import { isIP } from 'node:net';
import type { FieldProblem } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import type {
  WireAuditLogActor,
  WireAuditLogContext,
  WireAuditLogEvent,
  WireAuditLogQuery,
  WireAuditLogTarget,
} from '../onesignal/index.js';
import { AppRef, belongingApp } from './apps.js';
import { builder } from './builder.js';
import { fromIso } from './time.js';
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

const metadataOf = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

const AuditLogActorRef = builder.objectRef<WireAuditLogActor>('AuditLogActor').implement({
  description: 'Who performed an audited action: a member of the organization or a service (an API key).',
  fields: (t) => ({
    type: t.string({
      nullable: true,
      description: 'Kind of actor, e.g. `user` or `service`.',
      resolve: (a) => a.type ?? null,
    }),
    oneSignalId: t.string({
      nullable: true,
      description: 'OneSignal id of the actor.',
      resolve: (a) => a.id ?? null,
    }),
    name: t.string({
      nullable: true,
      description: 'Display name; null when unknown.',
      resolve: (a) => a.name ?? null,
    }),
    email: t.string({
      nullable: true,
      description: 'Email address; null when unknown.',
      resolve: (a) => a.email ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further actor data OneSignal gives, as sent.',
      resolve: (a) => metadataOf(a.metadata),
    }),
  }),
});

const AuditLogTargetRef = builder.objectRef<WireAuditLogTarget>('AuditLogTarget').implement({
  description: 'A resource an audited action was performed on.',
  fields: (t) => ({
    type: t.string({
      nullable: true,
      description: 'Kind of resource, e.g. `app`, `segment`, `notification`, `api_key`.',
      resolve: (x) => x.type ?? null,
    }),
    oneSignalId: t.string({
      nullable: true,
      description: 'OneSignal id of the resource.',
      resolve: (x) => x.id ?? null,
    }),
    name: t.string({
      nullable: true,
      description: 'Display name; null when unknown.',
      resolve: (x) => x.name ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further resource data OneSignal gives, as sent.',
      resolve: (x) => metadataOf(x.metadata),
    }),
  }),
});

const AuditLogContextRef = builder.objectRef<WireAuditLogContext>('AuditLogContext').implement({
  description: 'Where an audited request came from.',
  fields: (t) => ({
    ip: t.string({ nullable: true, description: 'IP address of the request.', resolve: (c) => c.ip ?? null }),
    userAgent: t.string({
      nullable: true,
      description: 'User agent of the client.',
      resolve: (c) => c.user_agent ?? null,
    }),
    country: t.string({
      nullable: true,
      description: 'Country code OneSignal derived from the IP.',
      resolve: (c) => c.country ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further context OneSignal gives, as sent.',
      resolve: (c) => metadataOf(c.metadata),
    }),
  }),
});

const AuditLogEventRef = builder.objectRef<WireAuditLogEvent>('AuditLogEvent').implement({
  description: 'One action in the organization: who did what, to which resources, when and from where.',
  fields: (t) => ({
    oneSignalId: t.string({
      nullable: true,
      description: 'OneSignal id of the event.',
      resolve: (e) => e.id ?? null,
    }),
    action: t.string({
      nullable: true,
      description: 'What was done, dotted: `segment.created`, `app.updated`, `notification.sent`, …',
      resolve: (e) => e.action ?? null,
    }),
    occurredAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it happened.',
      resolve: (e) => fromIso(e.occurred_at),
    }),
    app: t.field({
      type: AppRef,
      nullable: true,
      description: 'The app it happened in; null for organization-level events. `app { id }` costs no read.',
      resolve: (e, _args, ctx, info) => (e.app_id ? belongingApp(ctx, e.app_id, info) : null),
    }),
    actor: t.field({
      type: AuditLogActorRef,
      nullable: true,
      description: 'Who did it; null when OneSignal does not know.',
      resolve: (e) => e.actor ?? null,
    }),
    targets: t.field({
      type: [AuditLogTargetRef],
      description: 'The resources it was done to; empty for some organization-level events.',
      resolve: (e) => e.targets ?? [],
    }),
    context: t.field({
      type: AuditLogContextRef,
      nullable: true,
      description: 'Where the request came from; null when not captured.',
      resolve: (e) => e.context ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further event data OneSignal gives, as sent.',
      resolve: (e) => metadataOf(e.metadata),
    }),
    version: t.int({
      nullable: true,
      description: "Version of OneSignal's event schema.",
      resolve: (e) => (typeof e.version === 'number' ? e.version : null),
    }),
  }),
});

const AuditLogEventConnectionRef = builder.connectionObject(
  {
    type: AuditLogEventRef,
    name: 'AuditLogEventConnection',
    description: 'A page of audit log events, oldest first.',
  },
  { name: 'AuditLogEventEdge', description: 'An audit log event with its cursor.' },
);

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
