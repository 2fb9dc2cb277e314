import {
  type ApiError,
  ConflictError,
  ERROR_CODES,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  SendOutcomeUnknown,
  UpstreamError,
  ValidationError,
} from '../core/errors.js';
import { builder } from './builder.js';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description:
    'Stable, machine-readable error codes. New codes may be added; handle unknown ones generically.',
  values: Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, description]) => [code, { description }]),
  ),
});

export const ErrorInterface = builder.interfaceRef<ApiError>('Error').implement({
  description:
    'Implemented by every typed error a mutation can return. Select `... on Error { code message }` to handle errors added later.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, description: 'Stable error code.', resolve: (e) => e.code }),
    message: t.exposeString('message', { description: 'What went wrong and how to fix it, for developers.' }),
  }),
});

const FieldProblemRef = builder.objectRef<FieldProblem>('FieldProblem').implement({
  description: 'One invalid argument.',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Path of the argument, e.g. ["input", "contents"].' }),
    message: t.exposeString('message', { description: 'Why it is invalid.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'An argument is invalid. Nothing was sent to OneSignal unless OneSignal itself rejected it.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fields: t.field({
      type: [FieldProblemRef],
      description: 'Each invalid argument.',
      resolve: (e) => e.fields,
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The object the mutation acts on does not exist.',
  interfaces: [ErrorInterface],
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The change conflicts with existing state (e.g. a segment name or alias already in use).',
  interfaces: [ErrorInterface],
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description:
    "OneSignal's rate limit for this app left no room before the call's deadline, so it was not made (or OneSignal refused every attempt). Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterSeconds: t.int({
      nullable: true,
      description: 'Seconds to wait before retrying, as OneSignal said in Retry-After.',
      resolve: (e) => e.retryAfterSeconds,
    }),
  }),
});

builder.objectType(UpstreamError, {
  name: 'UpstreamError',
  description:
    'OneSignal could not be reached, timed out, failed, or refused the configured key. The message says which key an operation needs; it never contains a key.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    operation: t.exposeString('operation', {
      description: 'The OneSignal REST operation that failed, e.g. `create_notification`.',
    }),
  }),
});

builder.objectType(SendOutcomeUnknown, {
  name: 'SendOutcomeUnknown',
  description:
    'Every answer to the send was lost (timeouts, dropped connections, server errors), so OneSignal may or may not have sent it. Send again with `idempotencyKey`: OneSignal returns the first notification if there was one, so it is never sent twice.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    idempotencyKey: t.field({
      type: 'UUID',
      description: 'The key the send carried; pass it as `idempotencyKey` to retry safely (within 30 days).',
      resolve: (e) => e.idempotencyKey,
    }),
    operation: t.exposeString('operation', {
      description: 'The OneSignal REST operation whose answers were lost, e.g. `create_notification`.',
    }),
  }),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The caller is not allowed to perform this operation.',
  interfaces: [ErrorInterface],
});

/** The errors any mutation that calls OneSignal can return. Mutations add ConflictError where it applies. */
export const UPSTREAM_ERRORS = [ValidationError, NotFoundError, RateLimitedError, UpstreamError];
export const UPSTREAM_ERRORS_WITH_CONFLICT = [...UPSTREAM_ERRORS, ConflictError];

/**
 * The `errors` option of a mutation: its result is the union `<Mutation>Result` of its payload and
 * `types`, so every mutation's union is named and described the same way (STYLE.md, Mutations).
 */
export function mutationResult<T extends readonly (abstract new (...args: never[]) => Error)[]>(
  mutation: string,
  types: T,
  description = `What \`${mutation}\` returns: its payload, or a typed error.`,
) {
  return {
    types,
    directResult: true as const,
    union: { name: `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Result`, description },
  };
}
