import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type EventStreamIngest,
  IngestUnavailableError,
  StreamEventError,
} from '../live/event-streams/index.js';

/** The Event Streams route's settings (`loadEventStreamsConfig`, docs/event-streams.md). */
export interface EventStreamsConfig {
  /** Where OneSignal POSTs, e.g. `/onesignal/events`. */
  path: string;
  /** The header OneSignal's stream sends the secret in (lower case); `authorization` by default. */
  header: string;
  /** Accepted secrets: the current one, and the previous one while a rotation is under way. */
  secrets: string[];
  maxBodyBytes: number;
  maxInFlight: number;
  dedupTtlMs: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Compares in constant time: both sides are hashed first, so neither the secret's length nor the
 * position of the first differing byte shows in the time taken. Every secret is compared, always.
 */
function secretMatches(given: string | undefined, secrets: Buffer[]): boolean {
  const sent = digest(given ?? '');
  let ok = false;
  for (const secret of secrets) ok = timingSafeEqual(sent, secret) || ok;
  return given !== undefined && given !== '' && ok;
}

function secretOf(req: IncomingMessage, header: string): string | undefined {
  const raw = req.headers[header];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  // `Authorization: Bearer <secret>`, the form OneSignal's set-up suggests, or the bare secret.
  return header === 'authorization' ? value.replace(/^Bearer\s+/i, '').trim() : value.trim();
}

const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

class TooLargeError extends Error {}

/** The body, refused past `max` bytes, whether it declared its length or streams it. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) return reject(new TooLargeError());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The route OneSignal's Event Streams POST to. Answers: 200 when the event is published or was
 * already (a duplicate); 401 for a missing or wrong secret; 400 for a body that is not JSON or not
 * one event of a known kind; 413 past the body limit; 429 when too many events are in flight; 503
 * when Redis cannot take it. Anything but 2xx is retried by OneSignal. No answer or log repeats a
 * secret.
 */
/** How a POST was answered: `onesignal_event_streams_total`'s `outcome`, with the kind when accepted. */
export type IngestOutcome =
  | 'published'
  | 'duplicate'
  | 'rejected'
  | 'unauthorized'
  | 'too_large'
  | 'busy'
  | 'unavailable';

export function eventStreamsHandler(
  config: EventStreamsConfig,
  ingest: EventStreamIngest,
  onOutcome: (outcome: IngestOutcome, kind?: string) => void = () => {},
) {
  const secrets = config.secrets.map(digest);
  const limitKb = Math.round(config.maxBodyBytes / 1024);
  // Counted from before a body is read until its answer: bodies being read hold memory too.
  let inFlight = 0;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      req.resume();
      return answer(res, 405, { status: 'method not allowed' }, { allow: 'POST' });
    }
    if (!secretMatches(secretOf(req, config.header), secrets)) {
      req.resume();
      onOutcome('unauthorized');
      return answer(res, 401, {
        status: 'unauthorized',
        reason: `Send the secret (EVENT_STREAMS_SECRET) in the ${config.header} header, as the stream's headers in OneSignal's dashboard do.`,
      });
    }
    if (inFlight >= config.maxInFlight) {
      req.resume();
      onOutcome('busy');
      return answer(
        res,
        429,
        { status: 'busy', reason: 'Too many events at once; retry.' },
        { 'retry-after': '1' },
      );
    }
    inFlight++;
    try {
      await ingestOne(req, res);
    } finally {
      inFlight--;
    }
  };

  async function ingestOne(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text: string;
    try {
      text = await readBody(req, config.maxBodyBytes);
    } catch (error) {
      onOutcome(error instanceof TooLargeError ? 'too_large' : 'rejected');
      if (error instanceof TooLargeError)
        return answer(
          res,
          413,
          {
            status: 'too large',
            reason: `An event body may be at most ${limitKb} KiB (EVENT_STREAMS_MAX_BODY_BYTES).`,
          },
          { connection: 'close' },
        );
      return answer(res, 400, { status: 'rejected', reason: 'The body could not be read.' });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      onOutcome('rejected');
      return answer(res, 400, { status: 'rejected', reason: 'The body is not valid JSON.' });
    }
    try {
      const { outcome, event } = await ingest.accept(body);
      onOutcome(outcome, event.kind);
      return answer(res, 200, { status: outcome, id: event.id });
    } catch (error) {
      onOutcome(error instanceof StreamEventError ? 'rejected' : 'unavailable');
      if (error instanceof StreamEventError)
        return answer(res, 400, { status: 'rejected', reason: error.message });
      if (error instanceof IngestUnavailableError)
        return answer(res, 503, { status: 'unavailable', reason: error.message }, { 'retry-after': '1' });
      return answer(res, 500, { status: 'error', reason: 'The event could not be ingested.' });
    }
  }
}
