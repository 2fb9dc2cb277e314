/** How the server reports on itself: logs, metrics and traces. Read from the environment by `main.ts`. */
export interface ObservabilityConfig {
  /** pino level: `fatal`, `error`, `warn`, `info` (default), `debug`, `trace` or `silent`. */
  logLevel: LogLevel;
  /** `json` (one object per line; the default in production) or `pretty` (the default otherwise). */
  logFormat: 'json' | 'pretty';
  /** Serve `/metrics` on this port alone (no token needed there), instead of on `PORT`. */
  metricsPort: number | undefined;
  /** Require `Authorization: Bearer <token>` for `/metrics` on `PORT`. */
  metricsToken: string | undefined;
  /** OTLP/HTTP traces endpoint; tracing is off without one. */
  otlpTracesEndpoint: string | undefined;
  /** `service.name` of the traces. */
  serviceName: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `LOG_LEVEL`, `LOG_FORMAT`, `METRICS_PORT`, `METRICS_TOKEN`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, to which `/v1/traces` is added, as the OpenTelemetry spec says) and
 * `OTEL_SERVICE_NAME`. Errors name the variable, never a token.
 */
export function loadObservabilityConfig(env: NodeJS.ProcessEnv = process.env): ObservabilityConfig {
  const read = (name: string) => env[name]?.trim() || undefined;
  const production = read('NODE_ENV') === 'production';

  const level = read('LOG_LEVEL')?.toLowerCase() ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);
  const format = read('LOG_FORMAT')?.toLowerCase() ?? (production ? 'json' : 'pretty');
  if (format !== 'json' && format !== 'pretty') throw new Error('LOG_FORMAT must be json or pretty.');

  const port = read('METRICS_PORT');
  if (port !== undefined && (!/^\d+$/.test(port) || Number(port) > 65_535))
    throw new Error('METRICS_PORT must be a port number from 0 to 65535.');
  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16)
    throw new Error('METRICS_TOKEN must be at least 16 characters long.');

  const traces = read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  const otlpTracesEndpoint = traces ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (otlpTracesEndpoint !== undefined && !/^https?:\/\//.test(otlpTracesEndpoint))
    throw new Error(
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT) must be an http(s) URL.',
    );

  return {
    logLevel: level as LogLevel,
    logFormat: format,
    metricsPort: port === undefined ? undefined : Number(port),
    metricsToken,
    otlpTracesEndpoint,
    serviceName: read('OTEL_SERVICE_NAME') ?? 'onesignal-graphql',
  };
}
