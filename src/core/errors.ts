import { GraphQLError } from 'graphql';

/**
 * Stable error codes. Every error a client can see carries one, in `extensions.code` for top-level
 * errors and in `code` for typed mutation results.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'An argument is invalid; see the error for the field and the reason.',
  NOT_FOUND: 'The object does not exist (or is not visible with the configured keys).',
  CONFLICT: 'The change conflicts with existing state, e.g. an alias already owned by another user.',
  RATE_LIMITED: 'OneSignal rate-limited this app; retry after `retryAfterSeconds`.',
  KEY_REJECTED: 'OneSignal refused the key configured for this operation; the message names which key.',
  KEY_MISSING: 'No OneSignal key is configured for this operation; the message names which key.',
  UPSTREAM_TIMEOUT: 'OneSignal did not answer in time. Safe to retry.',
  UPSTREAM_UNAVAILABLE: 'OneSignal could not be reached or answered with a server error.',
  FORBIDDEN: 'The caller may not perform this operation.',
  SEND_OUTCOME_UNKNOWN:
    'Every answer to a send was lost: OneSignal may or may not have sent it. Retry with the same `idempotencyKey`; it cannot send twice.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Base of every error this API reports on purpose. It extends GraphQLError so that, thrown from a
 * query field, Yoga shows it with its code instead of masking it; returned from a mutation with
 * typed errors, Pothos' errors plugin turns it into the matching member of the result union.
 */
export abstract class ApiError extends GraphQLError {
  abstract readonly code: ErrorCode;
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions });
  }
}

export interface FieldProblem {
  /** Path of the offending argument, e.g. `['input', 'contents']`. */
  path: string[];
  message: string;
}

export class ValidationError extends ApiError {
  readonly code = 'VALIDATION_FAILED' as const;
  readonly fields: FieldProblem[];
  constructor(
    fields: FieldProblem[],
    message = fields.map((f) => `${f.path.join('.')}: ${f.message}`).join('; '),
  ) {
    super(message, { code: 'VALIDATION_FAILED', fields });
    this.fields = fields;
  }
  static field(path: string[], message: string) {
    return new ValidationError([{ path, message }]);
  }
}

export class NotFoundError extends ApiError {
  readonly code = 'NOT_FOUND' as const;
  constructor(message: string) {
    super(message, { code: 'NOT_FOUND' });
  }
}

export class ConflictError extends ApiError {
  readonly code = 'CONFLICT' as const;
  constructor(message: string) {
    super(message, { code: 'CONFLICT' });
  }
}

export class RateLimitedError extends ApiError {
  readonly code = 'RATE_LIMITED' as const;
  constructor(
    message: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message, { code: 'RATE_LIMITED', retryAfterSeconds });
  }
}

export class UpstreamError extends ApiError {
  constructor(
    readonly code: 'KEY_REJECTED' | 'KEY_MISSING' | 'UPSTREAM_TIMEOUT' | 'UPSTREAM_UNAVAILABLE',
    message: string,
    readonly operation: string,
  ) {
    super(message, { code, operation });
  }
}

/**
 * A send whose every answer was lost (timeouts, dropped connections, 5xx): OneSignal may have sent it.
 * Resending with `idempotencyKey` returns the first notification if there was one, so it never sends
 * twice.
 */
export class SendOutcomeUnknown extends ApiError {
  readonly code = 'SEND_OUTCOME_UNKNOWN' as const;
  constructor(
    readonly idempotencyKey: string,
    readonly operation: string,
    cause: string,
  ) {
    super(
      `OneSignal may or may not have sent this notification: ${cause} Send again with idempotencyKey ${idempotencyKey}; OneSignal then returns the first notification if there was one, so nothing is sent twice.`,
      { code: 'SEND_OUTCOME_UNKNOWN', idempotencyKey, operation },
    );
  }
}

export class ForbiddenError extends ApiError {
  readonly code = 'FORBIDDEN' as const;
  constructor(message: string) {
    super(message, { code: 'FORBIDDEN' });
  }
}
