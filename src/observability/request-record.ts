import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';

/**
 * What one HTTP request did, filled in as it runs: Yoga's hooks add the operation and error codes,
 * the upstream client (through `currentRecord`) its calls. It becomes the request's log line.
 */
export interface RequestRecord {
  id: string;
  startedAt: number;
  method: string;
  operationName: string | undefined;
  operationType: string | undefined;
  caller: string | undefined;
  errorCodes: Set<string>;
  upstream: {
    /** HTTP attempts sent to OneSignal, retries included. */
    calls: number;
    retries: number;
    failures: number;
    /** Time calls waited for their rate-limit budget before being sent. */
    queuedMs: number;
    /** Reads answered from the shared cache. */
    cacheHits: number;
    /** Reads that joined the same read already in flight (for any request). */
    sharedReads: number;
    /** Age of the oldest data the response used, when any came from the cache (ms). */
    oldestDataMs: number;
  };
  span: Span | undefined;
}

const scope = new AsyncLocalStorage<RequestRecord>();

/** A request id a client may choose: short, printable, no spaces (it is echoed in a header and logs). */
const CLIENT_REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** The request id the client (or a balancer in front) sent, when it is one we accept; else undefined. */
export function clientRequestId(header: string | string[] | null | undefined): string | undefined {
  const given = typeof header === 'string' ? header.trim() : undefined;
  return given && CLIENT_REQUEST_ID.test(given) ? given : undefined;
}

export function newRecord(method: string, requestIdHeader: string | string[] | undefined): RequestRecord {
  return {
    id: clientRequestId(requestIdHeader) ?? randomUUID(),
    startedAt: performance.now(),
    method,
    operationName: undefined,
    operationType: undefined,
    caller: undefined,
    errorCodes: new Set(),
    upstream: {
      calls: 0,
      retries: 0,
      failures: 0,
      queuedMs: 0,
      cacheHits: 0,
      sharedReads: 0,
      oldestDataMs: 0,
    },
    span: undefined,
  };
}

/** Runs `fn` (the request's whole handling) with `record` as the current request. */
export const withRecord = <T>(record: RequestRecord, fn: () => T): T => scope.run(record, fn);

/**
 * The request being handled, for work started on its behalf (an upstream call). Undefined outside a
 * request, such as a readiness check.
 */
export const currentRecord = (): RequestRecord | undefined => scope.getStore();
