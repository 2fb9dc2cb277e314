import { SpanStatusCode, trace } from '@opentelemetry/api';
import DataLoader from 'dataloader';

// The OpenTelemetry API's global tracer: a no-op unless tracing is configured (src/observability).
const tracer = trace.getTracer('onesignal-graphql');

/**
 * A DataLoader whose every batch is a span (`loader <name>`, with how many keys it held), so a trace
 * shows which reads a request batched together and the upstream calls each batch made beneath it.
 */
export function tracedLoader<K, V, C = K>(
  name: string,
  batch: DataLoader.BatchLoadFn<K, V>,
  options?: DataLoader.Options<K, V, C>,
): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    (keys) =>
      tracer.startActiveSpan(
        `loader ${name}`,
        { attributes: { 'loader.keys': keys.length } },
        async (span) => {
          try {
            return await batch(keys);
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
    { ...options, name },
  );
}
