import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { AttemptEvent } from '../upstream/client.js';
import type { ReadEvent } from '../upstream/shared-reads.js';
import type { ObservabilityConfig } from './config.js';
import { Metrics } from './metrics.js';
import { attachRecord, newRecord, type RequestRecord, recordOf } from './request-record.js';
import type { Tracing } from './tracing.js';

export { loadObservabilityConfig, type ObservabilityConfig } from './config.js';
export { clientRequestId, recordOf } from './request-record.js';

export interface ObservabilityOptions extends Partial<ObservabilityConfig> {
  /** Where log lines go (stdout when omitted); tests pass a stream to read them. */
  logDestination?: NodeJS.WritableStream;
  /** Span exporter replacing OTLP (tests use an in-memory one). */
  spanExporter?: SpanExporter;
  /** Tracing as `Observability.create` sets it up; none when omitted. */
  tracing?: Tracing;
}

/**
 * Logs, metrics and traces for one server: a JSON log line per GraphQL request (what it was, who
 * asked, how it ended and what it cost upstream), Prometheus metrics, and OpenTelemetry spans when
 * an exporter is configured. Nothing it records holds a key, a token or a variable value.
 */
export class Observability {
  readonly logger: Logger;
  /**
   * The request lines' logger: the same destination and settings without redaction. Those lines are
   * built here from ids, names, numbers and codes only, so there is nothing for it to find, and
   * redaction (a walk of every line, with wildcards) was about 5 % of a cached request's allocations.
   */
  private readonly requestLogger: Logger;
  readonly metrics = new Metrics();
  readonly config: ObservabilityConfig;
  private readonly tracing: Tracing | undefined;
  private readonly tracer: Tracer | undefined;

  /**
   * Logs and metrics, and traces when `otlpTracesEndpoint` or `spanExporter` is given: only then is the
   * OpenTelemetry SDK (src/observability/tracing.ts, a chunk of its own in the bundle) loaded.
   */
  static async create(options: ObservabilityOptions = {}): Promise<Observability> {
    if (!options.spanExporter && !options.otlpTracesEndpoint) return new Observability(options);
    const { createTracing } = await import('./tracing.js');
    const tracing = createTracing({
      serviceName: options.serviceName ?? 'onesignal-graphql',
      otlpTracesEndpoint: options.otlpTracesEndpoint,
      spanExporter: options.spanExporter,
    });
    return new Observability({ ...options, ...(tracing && { tracing }) });
  }

  constructor(options: ObservabilityOptions = {}) {
    this.config = {
      logLevel: options.logLevel ?? 'info',
      logFormat: options.logFormat ?? 'json',
      metricsPort: options.metricsPort,
      metricsToken: options.metricsToken,
      otlpTracesEndpoint: options.otlpTracesEndpoint,
      serviceName: options.serviceName ?? 'onesignal-graphql',
    };
    const destination =
      this.config.logFormat === 'pretty'
        ? pretty({ destination: options.logDestination ?? 1, colorize: false, sync: true })
        : (options.logDestination ?? pino.destination({ dest: 1, sync: false }));
    const settings: pino.LoggerOptions = {
      level: this.config.logLevel,
      base: { service: this.config.serviceName },
      timestamp: pino.stdTimeFunctions.isoTime,
    };
    this.logger = pino(
      {
        ...settings,
        // Belt and braces: no field of these names is ever logged, but if one were, it is censored.
        redact: {
          paths: ['authorization', '*.authorization', 'key', '*.key', 'token', '*.token'],
          censor: '[redacted]',
        },
      },
      destination as pino.DestinationStream,
    );
    this.requestLogger = pino(settings, destination as pino.DestinationStream);
    this.tracing = options.tracing;
    this.tracer = options.tracing?.tracer;
  }

  /** The client's `onAttempt`: one event per HTTP attempt to OneSignal. */
  readonly attempt = (event: AttemptEvent): void => {
    const status = event.status === undefined ? 'none' : String(event.status);
    const tally = event.scope.tally;
    this.metrics.upstreamRequests.inc({
      operation: event.operation,
      app_id: event.appId ?? '',
      status,
      outcome: event.outcome,
    });
    this.metrics.upstreamDuration.observe({ operation: event.operation }, event.durationMs / 1000);
    if (event.queuedMs !== undefined) {
      this.metrics.upstreamQueueWait.observe({ operation: event.operation }, event.queuedMs / 1000);
      this.metrics.upstreamCallerQueueWait.observe(
        { caller: this.metrics.callerLabel(event.scope.caller) },
        event.queuedMs / 1000,
      );
    }
    if (event.status === 429)
      this.metrics.upstreamRateLimited.inc({ limit: event.limit ?? 'unnamed', app_id: event.appId ?? '' });
    if (event.outcome === 'retry') this.metrics.upstreamRetries.inc({ operation: event.operation, status });
    if (tally) {
      tally.calls++;
      if (event.outcome === 'retry') tally.retries++;
      if (event.outcome === 'error') tally.failures++;
      if (event.queuedMs) tally.queuedMs += event.queuedMs;
    }
    if (event.outcome !== 'ok') {
      this.logger.warn(
        {
          requestId: event.scope.requestId,
          upstream: {
            operation: event.operation,
            appId: event.appId,
            attempt: event.attempt,
            status: event.status,
            durationMs: round(event.durationMs),
            limit: event.limit,
          },
        },
        event.outcome === 'retry' ? 'upstream attempt failed; retrying' : 'upstream call failed',
      );
    }
    if (this.tracer) {
      // Under the loader batch that made the call when there is one (its span is active), else the
      // request (`handle` runs the request in its span's context).
      const parent = context.active();
      const end = Date.now();
      const span = this.tracer.startSpan(
        `onesignal ${event.operation}`,
        {
          kind: SpanKind.CLIENT,
          startTime: end - event.durationMs,
          attributes: {
            'onesignal.operation': event.operation,
            'onesignal.attempt': event.attempt,
            'onesignal.outcome': event.outcome,
            ...(event.appId && { 'onesignal.app_id': event.appId }),
            ...(event.status !== undefined && { 'http.response.status_code': event.status }),
            ...(event.queuedMs !== undefined && { 'onesignal.queue_wait_ms': round(event.queuedMs) }),
            ...(event.limit && { 'onesignal.rate_limit': event.limit }),
          },
        },
        parent,
      );
      if (event.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(end);
    }
  };

  /** SharedReads' `onRead`: where each read's answer came from. */
  readonly read = (event: ReadEvent): void => {
    this.metrics.upstreamReads.inc({ operation: event.operation, source: event.source });
    const tally = event.scope.tally;
    if (!tally) return;
    if (event.source === 'hit') tally.cacheHits++;
    if (event.source === 'shared') tally.sharedReads++;
    tally.oldestDataMs = Math.max(tally.oldestDataMs, event.ageMs);
  };

  /** Yoga plugins: the execution span, and the hooks that fill the request's record (its log line and metrics). */
  plugins(): Plugin[] {
    const recordPlugin: Plugin = {
      onParams({ params, context }) {
        const record = recordOf((context as { req?: unknown }).req);
        if (record && typeof params.operationName === 'string') record.operationName = params.operationName;
      },
      onExecute({ args }) {
        const record = recordOf((args.contextValue as { req?: unknown }).req);
        if (!record) return;
        const operation = getOperationAST(args.document, args.operationName);
        record.operationType = operation?.operation;
        record.operationName ??= operation?.name?.value;
        record.caller = (args.contextValue as { caller?: { name: string } }).caller?.name;
      },
      onResultProcess({ result, setResult, serverContext }) {
        const record = recordOf((serverContext as { req?: unknown }).req);
        if (!record || !result || Array.isArray(result) || typeof result !== 'object') return;
        const errors = 'errors' in result ? result.errors : undefined;
        for (const error of errors ?? []) {
          const code = (error instanceof GraphQLError ? error.extensions?.code : undefined) ?? 'UNCODED';
          record.errorCodes.add(String(code));
        }
        // How fresh the answer is: what was read upstream for it, and how old cached data was.
        if (!('data' in result)) return;
        const { calls, cacheHits, sharedReads, oldestDataMs } = record.upstream;
        setResult({
          ...result,
          extensions: {
            ...(result as { extensions?: Record<string, unknown> }).extensions,
            upstream: {
              calls,
              cacheHits,
              sharedReads,
              oldestDataAgeSeconds: Math.floor(oldestDataMs / 1000),
            },
          },
        });
      },
    };
    return [...(this.tracing ? [this.tracing.plugin()] : []), recordPlugin];
  }

  /**
   * Wraps the handling of one GraphQL request: its id (the client's `x-request-id`, or a new one,
   * echoed in the response), its span, and, when the response is finished, its log line and metrics.
   */
  handle(req: IncomingMessage, res: ServerResponse, next: () => unknown): unknown {
    const record = newRecord(req.method ?? 'GET', req.headers['x-request-id']);
    res.setHeader('x-request-id', record.id);
    res.once('finish', () => this.finish(record, res.statusCode));
    res.once('close', () => {
      if (!res.writableFinished) this.finish(record, 499);
    });
    attachRecord(req, record);
    if (!this.tracer) return next();
    record.span = this.tracer.startSpan('graphql.request', {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': record.method, 'request.id': record.id },
    });
    const active = trace.setSpan(context.active(), record.span);
    return context.with(active, next);
  }

  private finish(record: RequestRecord, status: number) {
    if (record.startedAt < 0) return;
    const durationMs = round(performance.now() - record.startedAt);
    record.startedAt = -1;
    for (const code of record.errorCodes) this.metrics.graphqlErrors.inc({ code });
    this.metrics.requests.observe(
      {
        operation_name: this.metrics.operationLabel(record.operationName),
        operation_type: record.operationType ?? 'none',
        status: String(status),
      },
      durationMs / 1000,
    );
    const line = {
      requestId: record.id,
      method: record.method,
      operationName: record.operationName,
      operationType: record.operationType,
      caller: record.caller,
      status,
      durationMs,
      errorCodes: record.errorCodes.size ? [...record.errorCodes] : undefined,
      upstream: { ...record.upstream, queuedMs: round(record.upstream.queuedMs) },
    };
    if (status >= 500) this.requestLogger.error(line, 'graphql request');
    else this.requestLogger.info(line, 'graphql request');
    if (record.span) {
      record.span.setAttributes({
        'http.response.status_code': status,
        'onesignal.upstream_calls': record.upstream.calls,
        ...(record.operationName && { 'graphql.operation.name': record.operationName }),
      });
      if (status >= 500) record.span.setStatus({ code: SpanStatusCode.ERROR });
      record.span.end();
    }
  }

  /** Flushes spans and logs before the process exits. */
  async close(): Promise<void> {
    await this.tracing?.shutdown();
    this.logger.flush();
    this.requestLogger.flush();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
