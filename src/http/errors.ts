import { GraphQLError } from 'graphql';
import { type MaskError, maskError, type Plugin, type YogaLogger } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ApiError } from '../core/errors.js';
import type { Observability } from '../observability/index.js';
import { OneSignalError } from '../onesignal/index.js';
import { toApiError } from '../schema/upstream-errors.js';

/**
 * The error policy: every error a client sees carries a code and an actionable message, and only
 * our own faults are logged as errors.
 */

/**
 * GraphQL's own request errors (syntax, unknown fields, variables or literals that fail a scalar such
 * as UUID or DateTime) carry no code; give them VALIDATION_FAILED so every error a client sees has one.
 */
export const codeEveryError: Plugin = {
  onResultProcess({ result, setResult }) {
    if (
      !result ||
      typeof result !== 'object' ||
      Array.isArray(result) ||
      !('errors' in result) ||
      !result.errors?.length
    )
      return;
    setResult({
      ...result,
      errors: result.errors.map((error) => {
        if (!(error instanceof GraphQLError) || error.extensions?.code) return error;
        return new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: { ...error.extensions, code: 'VALIDATION_FAILED' },
        });
      }),
    });
  },
};

/**
 * Typed errors (bad input, unknown ids) and request errors (syntax, validation) are answers, not
 * server faults, so they are not logged. Upstream failures get one line (OneSignalError messages
 * never hold a key); the rest is a bug, logged with its stack.
 */
function logUnexpected(args: unknown[], logger?: Logger) {
  const [first] = args;
  const original = first instanceof GraphQLError ? (first.originalError ?? first) : first;
  // ApiError included: a GraphQLError with no other cause is the client's mistake, not ours.
  if (original instanceof GraphQLError) return;
  if (original instanceof OneSignalError) {
    if (logger) logger.warn({ code: original.code, operation: original.operation }, original.message);
    else console.warn(`[upstream] ${original.code}: ${original.message}`);
    return;
  }
  if (logger) logger.error({ err: original instanceof Error ? original : undefined }, describe(args));
  else console.error(...args);
}

const describe = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');

/** Yoga's logger: to the observability logger when there is one, else the console. */
export function yogaLogging(observability: Observability | undefined): YogaLogger {
  return observability
    ? {
        debug: () => {},
        info: (...args) => observability.logger.info(describe(args)),
        warn: (...args) => observability.logger.warn(describe(args)),
        error: (...args) => logUnexpected(args, observability.logger),
      }
    : {
        debug: () => {},
        info: (...args) => console.info(...args),
        warn: (...args) => console.warn(...args),
        error: (...args) => logUnexpected(args),
      };
}

/**
 * Safety net: an upstream failure that no resolver converted still reaches the client typed, with a
 * code and an actionable message, instead of a bare "Unexpected error.".
 */
export const maskedErrors: { maskError: MaskError } = {
  maskError(error, message, isDev) {
    if (error instanceof GraphQLError) {
      if (error.originalError instanceof ApiError) return error;
      const mapped = toApiError(error.originalError);
      if (mapped instanceof ApiError) {
        return new GraphQLError(mapped.message, {
          nodes: error.nodes,
          path: error.path,
          extensions: mapped.extensions,
        });
      }
    }
    const masked = maskError(error, message, isDev);
    // Anything else is a bug: keep it masked, but still coded. (Unmasked GraphQL request errors get
    // their code from `codeEveryError`.)
    if (masked !== error && masked instanceof GraphQLError && !masked.extensions?.code) {
      return new GraphQLError(masked.message, {
        nodes: masked.nodes,
        path: masked.path,
        extensions: { ...masked.extensions, code: 'INTERNAL_SERVER_ERROR' },
      });
    }
    return masked;
  },
};
