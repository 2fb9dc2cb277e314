import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { UpstreamTally } from '../upstream/index.js';

/**
 * What one HTTP request did, filled in as it runs: Yoga's hooks add the operation and error codes,
 * the upstream client its calls (the request's UpstreamScope carries `upstream` as its tally). It
 * becomes the request's log line.
 */
export interface RequestRecord {
  id: string;
  startedAt: number;
  method: string;
  operationName: string | undefined;
  operationType: string | undefined;
  caller: string | undefined;
  errorCodes: Set<string>;
  upstream: UpstreamTally;
  span: Span | undefined;
}

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

/**
 * Each request's record, by its Node request: Yoga hands its hooks and context factory that request
 * (`serverContext.req`), so they find the record without an AsyncLocalStorage (see
 * src/upstream/callers.ts for why there is none).
 */
const records = new WeakMap<IncomingMessage, RequestRecord>();

export const attachRecord = (req: IncomingMessage, record: RequestRecord) => void records.set(req, record);

/** The record of the HTTP request `req`, if it is a GraphQL request being handled; else undefined. */
export const recordOf = (req: unknown): RequestRecord | undefined =>
  req && typeof req === 'object' ? records.get(req as IncomingMessage) : undefined;
