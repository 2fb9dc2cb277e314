import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Limits on the raw request, checked before anything is parsed: the body's size, the document's
 * length in bytes (comments count: a document is code, and variables carry the data), and the
 * operation name's length.
 */
export interface RequestLimits {
  /** Bytes of the HTTP request body. */
  maxBodyBytes: number;
  /** UTF-8 bytes of the GraphQL document (`query`). */
  maxDocumentBytes: number;
  /** Characters of `operationName`. */
  maxOperationNameLength: number;
}

/**
 * The largest legitimate request is a send: `notificationCreate` with 2,000 target ids (about 80 KB)
 * and an HTML email body in its variables. 512 KiB leaves an email body of about 400 KB, four times
 * what Gmail shows before clipping a message; nothing else comes near it. The biggest document in
 * README.md, docs/ or the tests is under 2 KB, and the token limit (1,000) admits about 10 KB of dense
 * query text, so 32 KiB refuses only padding.
 */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxBodyBytes: 512 * 1024,
  maxDocumentBytes: 32 * 1024,
  maxOperationNameLength: 256,
};

export const REQUEST_LIMIT_ENV: Record<keyof RequestLimits, string> = {
  maxBodyBytes: 'LIMIT_MAX_BODY_BYTES',
  maxDocumentBytes: 'LIMIT_MAX_DOCUMENT_BYTES',
  maxOperationNameLength: 'LIMIT_MAX_OPERATION_NAME',
};

export const REQUEST_LIMIT_ERROR_CODES = {
  REQUEST_TOO_LARGE: 'The request body is larger than LIMIT_MAX_BODY_BYTES. HTTP 413.',
  DOCUMENT_TOO_LARGE: 'The GraphQL document is longer than LIMIT_MAX_DOCUMENT_BYTES. HTTP 400.',
  OPERATION_NAME_TOO_LONG: 'operationName is longer than LIMIT_MAX_OPERATION_NAME. HTTP 400.',
} as const;

type RequestLimitCode = keyof typeof REQUEST_LIMIT_ERROR_CODES;

const refusal = (code: RequestLimitCode, message: string, limit: number, status: number) =>
  new GraphQLError(message, { extensions: { code, limit, http: { status } } });

const bodyTooLarge = (limit: number) =>
  refusal(
    'REQUEST_TOO_LARGE',
    `The request body exceeds the limit of ${limit} bytes (LIMIT_MAX_BODY_BYTES). Send large data in smaller requests.`,
    limit,
    413,
  );

/** How much of a refused request's body is read and dropped before the answer (see `discardBody`). */
const MAX_DISCARDED_BYTES = 32 * 1024 * 1024;

/**
 * Reads and drops what is left of a request body, up to a bound. A refusal sent before the body is
 * read (401, 413) makes Node close the connection while the client is still writing, and most
 * clients then report a broken pipe instead of the answer; past the bound, that is what happens.
 */
export async function discardBody(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body) await discardRest(body.getReader(), 0);
}

/** `discardBody` on a reader already in use (releasing its lock would abort the request). */
async function discardRest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  alreadyRead: number,
): Promise<void> {
  let left = MAX_DISCARDED_BYTES - alreadyRead;
  try {
    while (left > 0) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
    }
    await reader.cancel();
  } catch {
    // A client that hung up has nothing left to send.
  }
}

/** Reads a body stream, giving up as soon as it passes `limit` bytes. */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await discardRest(reader, size);
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * A declared `Content-Length` over the limit is refused before a byte of the body is read. A body
 * without one (chunked) is counted as it streams in and refused the moment it passes the limit; only
 * then is it handed, buffered, to Yoga's own parser.
 */
export function requestLimitsPlugin(limits: RequestLimits): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared === null || Number(declared) <= limits.maxBodyBytes) return;
      await discardBody(request.body as ReadableStream<Uint8Array> | null);
      const error = bodyTooLarge(limits.maxBodyBytes);
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              {
                message: error.message,
                extensions: { code: 'REQUEST_TOO_LARGE', limit: limits.maxBodyBytes },
              },
            ],
          }),
          { status: 413, headers: { 'content-type': 'application/json; charset=utf-8' } },
        ),
      );
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!request.body || request.headers.get('content-length') !== null || !requestParser) return;
      setRequestParser(async (streamed) => {
        const body = await readLimited(streamed.body as ReadableStream<Uint8Array>, limits.maxBodyBytes);
        const buffered = new fetchAPI.Request(streamed.url, {
          method: streamed.method,
          headers: streamed.headers,
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>,
        });
        return requestParser(buffered);
      });
    },
    onParams({ params }) {
      const { query, operationName } = params;
      if (typeof operationName === 'string' && operationName.length > limits.maxOperationNameLength) {
        throw refusal(
          'OPERATION_NAME_TOO_LONG',
          `operationName is ${operationName.length} characters long; the limit is ${limits.maxOperationNameLength} (LIMIT_MAX_OPERATION_NAME).`,
          limits.maxOperationNameLength,
          400,
        );
      }
      // Cheap bound first: a UTF-8 byte is at most 3 per UTF-16 unit, and at least 1.
      if (typeof query === 'string' && query.length * 3 > limits.maxDocumentBytes) {
        const bytes = Buffer.byteLength(query, 'utf8');
        if (bytes > limits.maxDocumentBytes) {
          throw refusal(
            'DOCUMENT_TOO_LARGE',
            `The document is ${bytes} bytes long; the limit is ${limits.maxDocumentBytes} (LIMIT_MAX_DOCUMENT_BYTES), comments included. Pass data in variables, not in the document.`,
            limits.maxDocumentBytes,
            400,
          );
        }
      }
    },
  };
}
