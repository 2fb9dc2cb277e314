import {
  ConflictError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  ValidationError,
} from '../core/errors.js';
import { OneSignalError } from '../onesignal/errors.js';

/** The one place OneSignal failures become GraphQL errors. Anything else is rethrown (and masked). */
export function toApiError(error: unknown): unknown {
  if (!(error instanceof OneSignalError)) return error;
  switch (error.code) {
    case 'BAD_REQUEST':
      return new ValidationError(
        [{ path: ['input'], message: error.errors.join('; ') || error.message }],
        error.message,
      );
    case 'NOT_FOUND':
      return new NotFoundError(error.message);
    case 'CONFLICT':
      return new ConflictError(error.message);
    case 'RATE_LIMITED':
      // RateLimitedError promises nothing was changed; after an attempt without a clear answer that
      // would not be true.
      if (error.mayHaveActed)
        return new UpstreamError(
          'UPSTREAM_UNAVAILABLE',
          `${error.message} An earlier attempt got no clear answer, so OneSignal may have carried it out.`,
          error.operation,
        );
      return new RateLimitedError(error.message, error.retryAfter ?? null);
    case 'KEY_REJECTED':
      return new UpstreamError('KEY_REJECTED', error.message, error.operation);
    case 'MISSING_KEY':
      return new UpstreamError('KEY_MISSING', error.message, error.operation);
    case 'TIMEOUT':
      return new UpstreamError('UPSTREAM_TIMEOUT', error.message, error.operation);
    case 'NETWORK_ERROR':
    case 'UPSTREAM_ERROR':
      return new UpstreamError('UPSTREAM_UNAVAILABLE', error.message, error.operation);
  }
}

/** Awaits an upstream call, converting OneSignal failures to typed API errors. */
export async function upstream<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toApiError(error);
  }
}

/** For reads where "does not exist" is an answer: resolves to null instead of an error. */
export async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    const mapped = toApiError(error);
    if (mapped instanceof NotFoundError) return null;
    throw mapped;
  }
}
