import { type AuthFailure, AuthScopeFailureType } from '@pothos/plugin-scope-auth';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { ForbiddenError } from '../core/errors.js';
import type { Caller } from './caller.js';
import { ALL_SCOPES, type Scope } from './scopes.js';

/** The scope map scope-auth checks fields against: true for each scope the caller holds. */
export const scopesOf = (caller: Caller) =>
  Object.fromEntries(ALL_SCOPES.map((scope) => [scope, caller.scopes.has(scope)])) as Record<Scope, boolean>;

/** scope-auth's `unauthorizedError`: FORBIDDEN, naming the scope(s) the field needs. */
export function scopeDenied(caller: Caller, info: GraphQLResolveInfo, failure: AuthFailure): ForbiddenError {
  const missing = [...new Set(missingScopes(failure))];
  const where = `${info.parentType.name}.${info.fieldName}`;
  const needs =
    missing.length === 0
      ? 'is not authorized'
      : missing.length === 1
        ? `lacks the scope "${missing[0]}"`
        : `needs one of the scopes ${missing.map((s) => `"${s}"`).join(', ')}`;
  return new ForbiddenError(`Caller "${caller.name}" ${needs} for ${where}.`);
}

function missingScopes(failure: AuthFailure): string[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return [failure.scope];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(missingScopes);
    default:
      return [];
  }
}

type ScopeMap = Partial<Record<string, unknown>>;

/**
 * Whether scope-auth would let `caller` resolve `field` of `type`, judged from their static
 * `authScopes` maps (each "any of"). For work started ahead of a field's own resolver, such as a
 * prefetch, so a field the caller may not read never costs an upstream request. Scopes given as
 * functions count as denied.
 */
export function mayResolveField(
  caller: Caller,
  type: { extensions?: { pothosOptions?: unknown } },
  field: { extensions?: { pothosOptions?: unknown } },
): boolean {
  const typeOptions = (type.extensions?.pothosOptions ?? {}) as { authScopes?: unknown };
  const fieldOptions = (field.extensions?.pothosOptions ?? {}) as {
    authScopes?: unknown;
    skipTypeScopes?: boolean;
  };
  const maps = [fieldOptions.authScopes, fieldOptions.skipTypeScopes ? undefined : typeOptions.authScopes];
  return maps.every((map) => {
    if (map === undefined) return true;
    if (!map || typeof map !== 'object') return false;
    return Object.entries(map as ScopeMap).some(
      ([scope, wanted]) => wanted === true && caller.scopes.has(scope as Scope),
    );
  });
}

/**
 * `authScopes` of `node`/`nodes`: the type-level scopes of every requested node type, checked from the
 * ids alone, so an object the caller may not read is never loaded.
 */
export function nodeTypeScopes(schema: GraphQLSchema, typenames: readonly string[]): ScopeMap | boolean {
  const maps = [...new Set(typenames)]
    .map(
      (name) =>
        (schema.getType(name)?.extensions?.pothosOptions as { authScopes?: unknown } | undefined)?.authScopes,
    )
    .filter((map): map is ScopeMap => !!map && typeof map === 'object');
  // All of them, each "any of": nest `$all: { $any, $all: { $any, … } }`, as a map cannot repeat a key.
  const nest = (rest: ScopeMap[]): ScopeMap | boolean =>
    rest.length === 0
      ? true
      : rest.length === 1
        ? (rest[0] as ScopeMap)
        : { $all: { $any: rest[0], $all: nest(rest.slice(1)) } };
  return nest(maps);
}
