import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const MAX_CALLER_LABELS = 50;

/**
 * Prometheus metrics. GraphQL requests, their phases and errors come from graphql-yoga's prometheus
 * plugin; what they cost upstream from ours. Label values are operation names, OneSignal operation
 * ids, HTTP statuses, error codes, limit names, app ids and caller names (bounded): never a key, token or other id.
 */
export class Metrics {
  readonly registry = new Registry();
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

  /** The `caller` label for `name`: itself for the first MAX_CALLER_LABELS names, then `other`. */
  callerLabel(name: string | undefined): string {
    const caller = name ?? 'server';
    if (this.callerLabels.has(caller)) return caller;
    if (this.callerLabels.size >= MAX_CALLER_LABELS) return 'other';
    this.callerLabels.add(caller);
    return caller;
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** graphql-yoga's own request, phase and error metrics, in this registry; served by us, not by it. */
  yogaPlugin(): Plugin {
    return usePrometheus({
      registry: this.registry,
      endpoint: false,
      // The plugin turns every metric on unless told otherwise. Off: deprecated-field counting (it walks
      // every document, ~2 % of a request's CPU, and the schema deprecates nothing), the duration summary
      // (quantiles on every observation; the histogram answers the same), phases we do not serve, and
      // the parse and validate phases: Yoga caches both per document, so after a document's first
      // request they measure a cache look-up, while each histogram cost ~1 % of a cached request's
      // CPU in label handling (bench:profile).
      metrics: {
        graphql_envelop_deprecated_field: false,
        graphql_envelop_request_time_summary: false,
        graphql_envelop_phase_context: false,
        graphql_envelop_phase_subscribe: false,
        graphql_envelop_schema_change: false,
        graphql_envelop_request: true,
        graphql_envelop_request_duration: true,
        graphql_envelop_phase_parse: false,
        graphql_envelop_phase_validate: false,
        graphql_envelop_phase_execute: true,
        graphql_envelop_error_result: true,
        graphql_yoga_http_duration: true,
      },
      // Only the operation name and type: a path or a URL could carry ids.
      labels: {
        url: false,
        method: true,
        statusCode: true,
        path: false,
        phase: true,
        operationName: true,
        operationType: true,
      },
    }) as Plugin;
  }
}
