import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const MAX_CALLER_LABELS = 50;
const MAX_OPERATION_LABELS = 50;

/**
 * Prometheus metrics: GraphQL requests (observed when each response ends, from the request's log
 * record), their errors, and what they cost upstream. Label values are operation names and caller
 * names (both bounded), OneSignal operation ids, HTTP statuses, error codes, limit names and app ids:
 * never a key, a token or another id.
 *
 * The request histogram replaced graphql-yoga's prometheus plugin, which hooked every phase of every
 * request and filled labels for each metric it kept: 4.7–5.5 % of a cached request's profile
 * samples (bench:profile), for figures the log record already holds.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL requests over HTTP, from arrival to the end of the response, by operation name (the first 50 seen, `other` beyond, `anonymous` without one), operation type (`none` when the request never reached one) and HTTP status. Its _count counts requests.',
    labelNames: ['operation_name', 'operation_type', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamRequests = new Counter({
    name: 'onesignal_upstream_requests_total',
    help: 'HTTP attempts sent to OneSignal, by OneSignal operation, app, status and outcome (ok, retry, error).',
    labelNames: ['operation', 'app_id', 'status', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: 'onesignal_upstream_request_duration_seconds',
    help: 'Duration of one HTTP attempt to OneSignal, by OneSignal operation.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamRetries = new Counter({
    name: 'onesignal_upstream_retries_total',
    help: 'Attempts that failed and were retried, by OneSignal operation and status (none for a dropped connection).',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  readonly upstreamRateLimited = new Counter({
    name: 'onesignal_upstream_rate_limited_total',
    help: 'HTTP 429 answers from OneSignal, by the limit OneSignal named (unnamed when it named none) and app.',
    labelNames: ['limit', 'app_id'] as const,
    registers: [this.registry],
  });
  readonly upstreamQueueWait = new Histogram({
    name: 'onesignal_upstream_queue_wait_seconds',
    help: 'Time an upstream call waited for its rate-limit budget before it was sent, by OneSignal operation.',
    labelNames: ['operation'] as const,
    buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamCallerQueueWait = new Histogram({
    name: 'onesignal_upstream_caller_queue_wait_seconds',
    help: 'Time an upstream call waited for its rate-limit budget before it was sent, by caller (a JWT subject or token name; the first 50 seen, `other` beyond; `server` for calls outside a request).',
    labelNames: ['caller'] as const,
    buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamReads = new Counter({
    name: 'onesignal_upstream_reads_total',
    help: 'Upstream reads by OneSignal operation and source: hit (shared cache), shared (joined a read in flight), miss (sent).',
    labelNames: ['operation', 'source'] as const,
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly eventStreams = new Counter({
    name: 'onesignal_event_streams_total',
    help: "OneSignal Event Streams POSTs, by answer (published, duplicate, rejected, unauthorized, too_large, busy, unavailable) and, for accepted ones, the event's kind.",
    labelNames: ['outcome', 'kind'] as const,
    registers: [this.registry],
  });

  /** Caller names given a label of their own; a JWT's subjects are unbounded, the labels must not be. */
  private readonly callerLabels = new Set<string>();
  /** Operation names given a label of their own: clients choose them, so they are bounded too. */
  private readonly operationLabels = new Set<string>();

  /** The `caller` label for `name`: itself for the first MAX_CALLER_LABELS names, then `other`. */
  callerLabel(name: string | undefined): string {
    return bounded(this.callerLabels, name ?? 'server', MAX_CALLER_LABELS);
  }

  /** The `operation_name` label: the name for the first MAX_OPERATION_LABELS names, then `other`. */
  operationLabel(name: string | undefined): string {
    return bounded(this.operationLabels, name ?? 'anonymous', MAX_OPERATION_LABELS);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

function bounded(seen: Set<string>, value: string, max: number): string {
  if (seen.has(value)) return value;
  if (seen.size >= max) return 'other';
  seen.add(value);
  return value;
}
