/**
 * Reading and writing one field of a message by its GraphQL path, for the tests that walk the
 * message tables (src/schema/notifications/message/).
 */
import type { Leaf } from '../../src/schema/notifications/message/index.js';

/** Sets `value` at `path` inside `input`, merging with what the base already has there. */
export function withLeaf(input: Record<string, unknown>, path: string[], value: unknown) {
  let at = input;
  for (const key of path.slice(0, -1)) {
    at[key] = { ...((at[key] as Record<string, unknown>) ?? {}) };
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1] as string] = value;
  return input;
}

/** A selection of `path` (e.g. `push { android { channelId } }`), with `fields` below an object leaf. */
export const selection = (path: string[], fields = ''): string =>
  path.length === 1
    ? `${path[0]}${fields && ` { ${fields} }`}`
    : `${path[0]} { ${selection(path.slice(1), fields)} }`;

/** The sub-selection a leaf's output needs: the sample's keys when it is an object type (buttons). */
export function subfields(leaf: Leaf): string {
  const type = [leaf.output ?? leaf.input].flat()[0] as { kind?: string };
  if (type?.kind !== 'Object') return '';
  const sample = [leaf.sample.input].flat()[0] as Record<string, unknown>;
  return Object.keys(sample).join(' ');
}

/** The value at `path` of a GraphQL answer, null where any step is missing. */
export const pick = (value: unknown, path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at as Record<string, unknown> | null)?.[key] ?? null, value);
