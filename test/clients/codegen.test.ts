/**
 * The docs' graphql-codegen configuration, run as a frontend would run it: on schema.graphql and the
 * example operations of the README and docs/, in a temporary directory, then type-checked. No scalar
 * may come out as `any` or `unknown`, and the generated types must describe what the server returns.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import {
  buildSchema,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
} from 'graphql';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/artifact.js';

/** The README and every page of docs/, where the configuration and the example operations are. */
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => join('docs', f))]
  .filter((page) => page.endsWith('.md'))
  .map((page) => readFileSync(join(ROOT, page), 'utf8'))
  .join('\n');
const SCHEMA = readFileSync(join(ROOT, 'schema.graphql'), 'utf8');

/** The docs' `codegen.ts` (docs/security.md), as a frontend would copy it (indented inside a list). */
const CODEGEN_TS = (
  /```ts\n((?: {3}.*\n)*? {3}import type \{ CodegenConfig \}[\s\S]*?) {3}```/.exec(DOCS)?.[1] ?? ''
)
  .split('\n')
  .map((line) => line.slice(3))
  .join('\n');
/** Every ```graphql example of the README and docs/: the operations a frontend starts from. */
const EXAMPLES = [...DOCS.matchAll(/```graphql\n(.*?)```/gs)].map((m) => m[1] as string);

/**
 * One more operation, built from the schema, that selects a field of every custom scalar: `UUID_: app(id:
 * $UUID_0) { oneSignalId }`, and so on, with variables for required arguments. Its result type then
 * holds each scalar as the client preset types it.
 */
function scalarProbe(schema: GraphQLSchema) {
  const custom = new Set(
    Object.values(schema.getTypeMap())
      .filter((t) => isScalarType(t) && !isSpecifiedScalarType(t))
      .map((t) => t.name),
  );
  type Step = { field: string; args: [string, string][] };
  const paths = new Map<string, Step[]>();
  const queue: { type: GraphQLObjectType | GraphQLInterfaceType; path: Step[] }[] = [
    { type: schema.getQueryType() as GraphQLObjectType, path: [] },
  ];
  const seen = new Set<string>();
  while (queue.length) {
    const { type, path } = queue.shift()!;
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const args = field.args
        .filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
        .map((a) => [a.name, String(a.type)] as [string, string]);
      const step = [...path, { field: field.name, args }];
      if (custom.has(named.name) && !paths.has(named.name)) paths.set(named.name, step);
      if (isObjectType(named) || isInterfaceType(named)) queue.push({ type: named, path: step });
    }
  }
  const variables: string[] = [];
  const selections = [...paths].map(([scalar, steps]) => {
    const alias = `${scalar}_`;
    const open = steps.map((step, i) => {
      const args = step.args.map(([name, type]) => {
        variables.push(`$${alias}${variables.length}: ${type}`);
        return `${name}: $${alias}${variables.length - 1}`;
      });
      const call = `${step.field}${args.length ? `(${args.join(', ')})` : ''}`;
      return i === 0 ? `${alias}: ${call}` : call;
    });
    return `${open.join(' { ')}${' }'.repeat(steps.length - 1)}`;
  });
  const document = `query ScalarProbe${variables.length ? `(${variables.join(', ')})` : ''} {\n  ${selections.join('\n  ')}\n}\n`;
  const types = [...paths].map(([scalar, steps]) => {
    const keys = [`${scalar}_`, ...steps.slice(1).map((s) => s.field)];
    return `  ${scalar}: Loose<${keys.reduce((t, k) => `At<${t}, '${k}'>`, 'ResultOf<typeof ScalarProbe>')}>;`;
  });
  return { document, scalars: [...paths.keys()], types: types.join('\n') };
}

/**
 * And two operations (`QueryInputs`, `MutationInputs`) that pass every argument of every root field as
 * a variable, so the generated variables types hold every input object; each custom scalar is then
 * found inside one of them.
 */
function inputProbes(schema: GraphQLSchema) {
  const custom = (t: GraphQLNamedType) => isScalarType(t) && !isSpecifiedScalarType(t);
  const documents: string[] = [];
  const queue: { type: GraphQLInputType; operation: string; path: string[] }[] = [];
  for (const [operation, root] of [
    ['QueryInputs', schema.getQueryType()],
    ['MutationInputs', schema.getMutationType()],
  ] as const) {
    const variables: string[] = [];
    const selections: string[] = [];
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (!field.args.length) continue;
      const args = field.args.map((a) => {
        const name = `${field.name}_${a.name}`;
        variables.push(`$${name}: ${String(a.type)}`);
        queue.push({ type: a.type, operation, path: [name] });
        return `${a.name}: $${name}`;
      });
      const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
      selections.push(`${field.name}(${args.join(', ')})${selection}`);
    }
    const kind = operation === 'QueryInputs' ? 'query' : 'mutation';
    documents.push(`${kind} ${operation}(${variables.join(', ')}) {\n  ${selections.join('\n  ')}\n}\n`);
  }
  const paths = new Map<string, { operation: string; path: string[] }>();
  const seen = new Set<string>();
  while (queue.length) {
    const { type, operation, path } = queue.shift()!;
    const named = getNamedType(type);
    if (custom(named) && !paths.has(named.name)) paths.set(named.name, { operation, path });
    if (!isInputObjectType(named) || seen.has(named.name)) continue;
    seen.add(named.name);
    for (const field of Object.values(named.getFields()))
      queue.push({ type: field.type, operation, path: [...path, field.name] });
  }
  const types = [...paths].map(
    ([scalar, { operation, path }]) =>
      `  ${scalar}: Loose<${path.reduce((t, k) => `At<${t}, '${k}'>`, `VariablesOf<typeof ${operation}>`)}>;`,
  );
  return { documents, scalars: [...paths.keys()], types: types.join('\n') };
}

const PROBE = scalarProbe(buildSchema(SCHEMA));
const INPUTS = inputProbes(buildSchema(SCHEMA));

/** Uses the generated types the way application code does; each line must type-check. */
const USAGE = `
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { graphql } from './gql';

${EXAMPLES.map((doc) => `export const ${/^(?:query|mutation) (\w+)/.exec(doc)?.[1]} = graphql(\`\n${doc}\`);`).join('\n\n')}

declare const overview: ResultOf<typeof AppOverview>;
const latest = overview.app?.notifications.nodes[0];
export const queuedAt: string | null | undefined = latest?.queuedAt;
// @ts-expect-error DateTime is a string, not a Date
export const notADate: Date | null | undefined = latest?.queuedAt;
export const appName: string | undefined = overview.app?.name;

declare const user: ResultOf<typeof UserByExternalId>;
export const userId: string | undefined = user.app?.user?.id;

declare const players: ResultOf<typeof Players>;
export const lastActive: string | null | undefined = players.app?.players.nodes[0]?.lastActive;
export const nextPage: VariablesOf<typeof Players> = { after: players.app?.players.pageInfo.endCursor };

declare const sent: ResultOf<typeof SendWelcome>;
export const sendCode: string | undefined =
  sent.notificationCreate.__typename === 'ValidationError' ? sent.notificationCreate.code : undefined;

/** true when T is \`any\` or \`unknown\`. */
type Loose<T> = 0 extends 1 & T ? true : unknown extends T ? true : false;
// The probe itself works: it flags \`any\` and \`unknown\`, and passes \`string\`.
// @ts-expect-error unknown is loose
export const probeUnknown: false = false as Loose<unknown>;
// @ts-expect-error any is loose
export const probeAny: false = false as Loose<any>;
export const probeString: false = false as Loose<string>;

export const ScalarProbe = graphql(\`
${PROBE.document}\`);
type Unwrap<T> = T extends ReadonlyArray<infer U> ? Unwrap<U> : NonNullable<T>;
type At<T, K extends keyof Unwrap<T>> = Unwrap<Unwrap<T>[K]>;
export const QueryInputs = graphql(\`
${INPUTS.documents[0]}\`);
export const MutationInputs = graphql(\`
${INPUTS.documents[1]}\`);
// Each custom scalar, as a field of ScalarProbe's result and inside an operation's variables: none
// may be any or unknown.
export const noInputScalarIsLoose: {
${INPUTS.types.replace(/Loose<.*>;/g, 'false;')}
} = {} as {
${INPUTS.types}
};
export const noScalarIsLoose: {
${PROBE.types.replace(/Loose<.*>;/g, 'false;')}
} = {} as {
${PROBE.types}
};
`;

let dir: string;
let files: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onesignal-graphql-codegen-'));
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(ROOT, 'schema.graphql'), join(dir, 'schema.graphql'));
  writeFileSync(join(dir, 'codegen.ts'), CODEGEN_TS);
  writeFileSync(join(dir, 'src', 'operations.tsx'), USAGE);
  const config = (await import(join(dir, 'codegen.ts'))).default as Types.Config;
  // The docs' paths are relative to the frontend's root: here, the temporary directory. Presets and
  // plugins load from cwd, so cwd stays this repository (where they are installed).
  const outputs = await generate(
    {
      ...config,
      schema: join(dir, config.schema as string),
      documents: (config.documents as string[]).map((d) => join(dir, d)),
      generates: Object.fromEntries(
        Object.entries(config.generates).map(([path, output]) => [join(dir, path), output]),
      ),
      cwd: ROOT,
      silent: true,
    },
    true,
  );
  files = outputs.map((o: Types.FileOutput) => o.filename);
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the docs' graphql-codegen configuration", () => {
  it('maps every custom scalar of schema.graphql, and nothing else', () => {
    const scalars = [...SCHEMA.matchAll(/^scalar (\w+)/gm)].map((m) => m[1]);
    expect(scalars.length).toBeGreaterThanOrEqual(9);
    const block = /scalars: \{\n([\s\S]*?)\n\s*\},/.exec(CODEGEN_TS)?.[1] ?? '';
    const mapped = [...block.matchAll(/^\s+(\w+): '[^']+',/gm)].map((m) => m[1]);
    expect(block).not.toMatch(/: '(any|unknown)'/);
    expect(mapped.sort()).toEqual(scalars.sort());
  });

  it("generates the client preset's files, persisted documents included, for the docs' operations", () => {
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
      [
        'src/gql/fragment-masking.ts',
        'src/gql/gql.ts',
        'src/gql/graphql.ts',
        'src/gql/index.ts',
        'src/gql/persisted-documents.json',
      ].sort(),
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'src/gql/persisted-documents.json'), 'utf8'));
    expect(Object.keys(manifest)).toHaveLength(EXAMPLES.length + 3);
  });

  it('reaches every custom scalar that a field or argument uses in its probe operations', () => {
    const schema = buildSchema(SCHEMA);
    const used = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type) || isInterfaceType(type))
        for (const field of Object.values(type.getFields())) {
          used.add(getNamedType(field.type).name);
          for (const arg of field.args) used.add(getNamedType(arg.type).name);
        }
      if (isInputObjectType(type))
        for (const field of Object.values(type.getFields())) used.add(getNamedType(field.type).name);
    }
    const scalars = [...SCHEMA.matchAll(/^scalar (\w+)/gm)].map((m) => m[1] as string);
    expect([...new Set([...PROBE.scalars, ...INPUTS.scalars])].sort()).toEqual(
      scalars.filter((s) => used.has(s)).sort(),
    );
    // Declared in schema.graphql but used by nothing yet, so no generated type can hold them.
    expect(scalars.filter((s) => !used.has(s)).sort()).toEqual(['Locale']);
  });

  it('type-checks code using the generated types, with no scalar typed any or unknown', () => {
    const program = ts.createProgram([join(dir, 'src', 'operations.tsx')], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.Preserve,
      types: [],
      // The temporary directory has no node_modules: resolve packages from this repository's.
      paths: { '*': [join(ROOT, 'node_modules', '*')] },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
