import { useOpenTelemetry } from '@envelop/opentelemetry';
import { context, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { Plugin } from 'graphql-yoga';

/**
 * The OpenTelemetry SDK, loaded only when traces go somewhere (src/observability/index.ts imports this
 * module on demand): without an exporter a process never parses or holds it.
 */
export interface Tracing {
  tracer: Tracer;
  /** Yoga's execution span (@envelop/opentelemetry). */
  plugin(): Plugin;
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP traces endpoint, batched. */
  otlpTracesEndpoint?: string | undefined;
  /** An exporter replacing OTLP, spans exported one by one (tests use an in-memory one). */
  spanExporter?: SpanExporter | undefined;
}

export function createTracing(options: TracingOptions): Tracing | undefined {
  const exporter =
    options.spanExporter ??
    (options.otlpTracesEndpoint ? new OTLPTraceExporter({ url: options.otlpTracesEndpoint }) : undefined);
  if (!exporter) return undefined;
  const provider = new BasicTracerProvider({
    resource: new Resource({ 'service.name': options.serviceName }),
  });
  provider.addSpanProcessor(
    options.spanExporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
  );
  enableContextPropagation();
  // Global, so the loaders' batch spans (src/loaders/traced.ts, API only) are recorded too.
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer('onesignal-graphql'),
    plugin: () =>
      useOpenTelemetry(
        { resolvers: false, variables: false, result: false, document: true },
        provider,
      ) as Plugin,
    shutdown: () => provider.shutdown(),
  };
}

let contextManagerEnabled = false;
/** Lets spans started while handling a request (Yoga's, the upstream client's) find their parent. */
function enableContextPropagation() {
  if (contextManagerEnabled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerEnabled = true;
}
