/**
 * One table per group of a message's fields, and everything built from it: OneSignal's
 * create-notification has about a hundred fields, grouped here by concern (push per platform,
 * email, SMS, delivery), the same groups on input (`NotificationCreateInput.push.android…`) and on
 * output (`Notification.push.android…`), so a dashboard reads back what it sent.
 *
 * Each leaf of a group names its GraphQL field, its type, its wire name, what it means (platform and
 * limits), how its value goes to the wire (with the checks OneSignal documents) and back, and a
 * sample: the value the table-driven test sends and the wire value it must arrive as. From one
 * `defineGroup` come the input type, the output type (read from the wire notification, null where
 * OneSignal returned nothing), the input → wire mapping and the list of leaves for tests.
 */
import type { FieldProblem } from '../../../core/errors.js';
import { builder } from '../../builder.js';

/** A wire notification as OneSignal returns it: the output types read their fields from it. */
export type WireRecord = Record<string, unknown>;

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;
type ObjectFieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, WireRecord>;

/**
 * A GraphQL type for a leaf: a scalar's name (`'String'`, `'URL'`, …), an enum or input/object ref,
 * or a one-element array of either for a list. Input and output may differ (a button input and a
 * button object); `output` defaults to `input`.
 */
// biome-ignore lint/suspicious/noExplicitAny: Pothos refs of any kind; the table is checked by tests.
type TypeParam = any;

export interface Leaf {
  /**
   * OneSignal's name for the field on the wire; several names when OneSignal spreads one setting
   * over several fields (push's `platforms` is the `isIos`, `isAndroid`, … flags). Then `toWire`
   * returns an object of those fields and `fromWire` gets the ones OneSignal returned.
   */
  wire: string | readonly string[];
  /** What it does, on which platform, within which limits: the GraphQL description of both sides. */
  description: string;
  input: TypeParam;
  output?: TypeParam;
  /**
   * Input value → wire value. Report problems (with `path`) instead of throwing, so a send learns
   * every problem at once. The identity when omitted (`URL`s become strings).
   */
  toWire?: (value: unknown, path: string[], problems: FieldProblem[]) => unknown;
  /** Wire value → output value; the identity when omitted. Return null for "not set". */
  fromWire?: (value: unknown) => unknown;
  /**
   * What the wire test sends, and what OneSignal must receive (`wire`, default: `input`); `with`: the
   * sibling fields this one needs to be valid (a time of day needs `delayedOption: TIMEZONE`).
   */
  sample: { input: unknown; wire?: unknown; with?: Record<string, unknown> };
}

export interface GroupSpec {
  /** The output type's name; the input type is this name + `Input`. */
  name: string;
  description: string;
  leaves: Record<string, Leaf>;
  /** Nested groups, e.g. `ios`, `android` inside `push`. */
  groups?: Record<string, Group>;
  /** Checks across this group's fields (after each leaf's own), e.g. "at most 3 buttons". */
  validate?: (value: Record<string, unknown>, path: string[], problems: FieldProblem[]) => void;
}

export interface Group {
  spec: GroupSpec;
  inputRef: TypeParam;
  outputRef: TypeParam;
  /** Writes the group's wire fields into `body`, collecting problems under `path`. */
  toWire(value: Record<string, unknown>, path: string[], problems: FieldProblem[], body: WireRecord): void;
  /** Whether OneSignal returned any field of this group (its output is null otherwise). */
  present(wire: WireRecord): boolean;
  /** Every leaf with its GraphQL path below this group (for the wire test and the docs). */
  leaves(prefix?: string[]): { path: string[]; leaf: Leaf }[];
}

const identity = (value: unknown) => (value instanceof URL ? value.toString() : value);

/** The wire value as the output shows it: absent and null are both "not set". */
function outputOf(leaf: Leaf, wire: WireRecord): unknown {
  if (typeof leaf.wire !== 'string') {
    const given = leaf.wire.filter((name) => wire[name] !== undefined && wire[name] !== null);
    if (given.length === 0) return null;
    const fields = Object.fromEntries(given.map((name) => [name, wire[name]]));
    return leaf.fromWire ? (leaf.fromWire(fields) ?? null) : fields;
  }
  const value = wire[leaf.wire];
  if (value === undefined || value === null) return null;
  return leaf.fromWire ? leaf.fromWire(value) : value;
}

export function defineGroup(spec: GroupSpec): Group {
  const subgroups = Object.entries(spec.groups ?? {});

  const inputRef = builder.inputType(`${spec.name}Input`, {
    description: spec.description,
    fields: (t: InputFieldBuilder) => ({
      ...Object.fromEntries(
        Object.entries(spec.leaves).map(([name, leaf]) => [
          name,
          t.field({ type: leaf.input, description: leaf.description }),
        ]),
      ),
      ...Object.fromEntries(
        subgroups.map(([name, group]) => [
          name,
          t.field({ type: group.inputRef, description: group.spec.description }),
        ]),
      ),
    }),
  });

  const outputRef = builder.objectRef<WireRecord>(spec.name).implement({
    description: spec.description,
    fields: (t: ObjectFieldBuilder) => ({
      ...Object.fromEntries(
        Object.entries(spec.leaves).map(([name, leaf]) => [
          name,
          t.field({
            type: leaf.output ?? leaf.input,
            nullable: true,
            description: leaf.description,
            resolve: (wire: WireRecord) => outputOf(leaf, wire) as never,
          }),
        ]),
      ),
      ...Object.fromEntries(
        subgroups.map(([name, group]) => [
          name,
          t.field({
            type: group.outputRef,
            nullable: true,
            description: group.spec.description,
            resolve: (wire: WireRecord) => (group.present(wire) ? wire : null) as never,
          }),
        ]),
      ),
    }),
  });

  const group: Group = {
    spec,
    inputRef,
    outputRef,
    toWire(value, path, problems, body) {
      for (const [name, leaf] of Object.entries(spec.leaves)) {
        const given = value[name];
        if (given === undefined || given === null) continue;
        const wire = leaf.toWire ? leaf.toWire(given, [...path, name], problems) : identity(given);
        if (wire === undefined) continue;
        if (typeof leaf.wire === 'string') body[leaf.wire] = wire;
        else Object.assign(body, wire);
      }
      for (const [name, sub] of subgroups) {
        const given = value[name];
        if (given && typeof given === 'object')
          sub.toWire(given as Record<string, unknown>, [...path, name], problems, body);
      }
      spec.validate?.(value, path, problems);
    },
    present(wire) {
      return (
        Object.values(spec.leaves).some((leaf) => outputOf(leaf, wire) !== null) ||
        subgroups.some(([, sub]) => sub.present(wire))
      );
    },
    leaves(prefix = []) {
      return [
        ...Object.entries(spec.leaves).map(([name, leaf]) => ({ path: [...prefix, name], leaf })),
        ...subgroups.flatMap(([name, sub]) => sub.leaves([...prefix, name])),
      ];
    },
  };
  return group;
}

// --- Checks the groups share -------------------------------------------------------------------------

/** At most `max` items in a list leaf. */
export function atMost(max: number, what: string) {
  return (value: unknown, path: string[], problems: FieldProblem[]) => {
    const list = value as unknown[];
    if (list.length > max) problems.push({ path, message: `at most ${max} ${what} (got ${list.length}).` });
    return list.map(identity);
  };
}

/** A whole number in [min, max]. */
export function inRange(min: number, max: number, unit = '') {
  return (value: unknown, path: string[], problems: FieldProblem[]) => {
    const n = value as number;
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push({ path, message: `must be a whole number from ${min} to ${max}${unit}.` });
    return n;
  };
}

/** Bytes of a value's JSON, as OneSignal counts `data` and `custom_data`. */
export const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * An Android/Huawei color: OneSignal wants ARGB hex (`FFFF0000`). `#RRGGBB`, `RRGGBB` and `AARRGGBB`
 * (with or without `#`) are accepted; six digits get an opaque alpha.
 */
export function argbColor(value: unknown, path: string[], problems: FieldProblem[]) {
  const hex = String(value).replace(/^#/, '');
  if (/^[0-9a-f]{6}$/i.test(hex)) return `FF${hex.toUpperCase()}`;
  if (/^[0-9a-f]{8}$/i.test(hex)) return hex.toUpperCase();
  problems.push({ path, message: 'must be a color as RRGGBB or AARRGGBB hex, e.g. "FF0000" or "FFFF0000".' });
  return undefined;
}
