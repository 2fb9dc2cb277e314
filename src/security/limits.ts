import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  type ValidationContext,
  type ValidationRule,
  type VariableDefinitionNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Limits applied to every document before it is executed (so before any upstream request). */
export interface QueryLimits {
  /** Deepest field nesting; fragments do not add a level. */
  maxDepth: number;
  /** Aliased fields in one operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Lexical tokens in the whole document (names, punctuation, values). */
  maxTokens: number;
  /** Directive uses in one operation (`@include`, `@skip`, …). */
  maxDirectives: number;
  /** Page-size-aware cost of one operation; see `operationCost`. */
  maxCost: number;
}

/**
 * Admit every query in README.md, docs/ and the test suite with room to spare (the heaviest: depth 5,
 * 12 aliases, ~230 tokens, no directives, cost ~6,900 for a page of 300 players with 23 fields; all
 * 27 player fields cost ~10,800), and refuse pages nested in pages, such as 50 notifications × their
 * app's 300 players (cost > 30,000).
 */
export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 20,
  maxTokens: 1_000,
  maxDirectives: 20,
  maxCost: 20_000,
};

/** Environment variable for each limit. */
export const LIMIT_ENV: Record<keyof QueryLimits, string> = {
  maxDepth: 'LIMIT_MAX_DEPTH',
  maxAliases: 'LIMIT_MAX_ALIASES',
  maxTokens: 'LIMIT_MAX_TOKENS',
  maxDirectives: 'LIMIT_MAX_DIRECTIVES',
  maxCost: 'LIMIT_MAX_COST',
};

/**
 * Upstream page size of each connection type: the multiplier for its items when `first` is omitted
 * or a variable without a default (cost assumes the worst case, as variables are not known yet).
 */
export const PAGE_SIZES: Readonly<Record<string, number>> = {
  NotificationConnection: 50,
  PlayerConnection: 300,
  SegmentConnection: 300,
};

/** Codes in `extensions.code` of the errors these limits produce (always with HTTP 400). */
export const LIMIT_ERROR_CODES = {
  QUERY_TOO_DEEP: 'The operation nests fields deeper than LIMIT_MAX_DEPTH.',
  TOO_MANY_ALIASES: 'The operation uses more aliases than LIMIT_MAX_ALIASES.',
  QUERY_TOO_LARGE: 'The document has more tokens than LIMIT_MAX_TOKENS.',
  TOO_MANY_DIRECTIVES: 'The operation uses more directives than LIMIT_MAX_DIRECTIVES.',
  QUERY_TOO_COMPLEX: 'The operation would cost more than LIMIT_MAX_COST (page sizes multiply).',
} as const;

export type LimitErrorCode = keyof typeof LIMIT_ERROR_CODES;

export function limitError(
  code: LimitErrorCode,
  message: string,
  limit: number,
  nodes?: readonly ASTNode[],
): GraphQLError {
  // A non-spec `http.status` makes Yoga answer 400 whatever the Accept header says.
  return new GraphQLError(message, { nodes, extensions: { code, limit, http: { status: 400 } } });
}

/**
 * Cost of an operation: each field costs 1 plus the cost of its selection; within a connection,
 * `nodes` and `edges` cost `first` times their selection (`first` defaults to the page size), so
 * `players(first: 300) { nodes { id tags { key value } } }` costs 1 + 300 × (1 + 1 + 3) = 1,501.
 * Introspection and `__typename` are free. Fragments are costed once per place they can apply.
 */
export function operationCost(context: ValidationContext, operation: OperationDefinitionNode): number {
  const schema = context.getSchema();
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  function selectionCost(
    parent: GraphQLNamedType | undefined,
    selectionSet: SelectionSetNode,
    pageSize: number | undefined,
  ): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(parent, selection, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += selectionCost(type ?? undefined, selection.selectionSet, pageSize);
      } else {
        const name = selection.name.value;
        const key = `${name}:${pageSize ?? ''}`;
        const known = fragmentCosts.get(key);
        if (known !== undefined) {
          cost += known;
          continue;
        }
        const fragment = context.getFragment(name);
        // Unknown fragments and cycles are reported by GraphQL's own rules.
        if (!fragment || inProgress.has(key)) continue;
        inProgress.add(key);
        const type = schema.getType(fragment.typeCondition.name.value);
        const fragmentCost = selectionCost(type ?? undefined, fragment.selectionSet, pageSize);
        inProgress.delete(key);
        fragmentCosts.set(key, fragmentCost);
        cost += fragmentCost;
      }
    }
    return cost;
  }

  function fieldCost(
    parent: GraphQLNamedType | undefined,
    field: FieldNode,
    pageSize: number | undefined,
  ): number {
    const name = field.name.value;
    if (name.startsWith('__')) return 0;
    const definition =
      parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    if (!definition) return 1;
    const type = getNamedType(definition.type);
    const page = PAGE_SIZES[type.name];
    const childPage = page === undefined ? undefined : pageOf(field, page);
    const children = field.selectionSet ? selectionCost(type, field.selectionSet, childPage) : 0;
    const multiplier = pageSize !== undefined && (name === 'nodes' || name === 'edges') ? pageSize : 1;
    return multiplier * (1 + children);
  }

  function pageOf(field: FieldNode, max: number): number {
    const first = field.arguments?.find((a) => a.name.value === 'first')?.value;
    let value: number | undefined;
    if (first?.kind === Kind.INT) value = Number(first.value);
    else if (first?.kind === Kind.VARIABLE) {
      const declared = operation.variableDefinitions?.find(
        (v) => v.variable.name.value === first.name.value,
      )?.defaultValue;
      if (declared?.kind === Kind.INT) value = Number(declared.value);
    }
    // Out-of-range values are refused when the field runs; cost them as the page size meanwhile.
    return value !== undefined && value >= 1 && value <= max ? value : max;
  }

  const root = schema.getRootType(operation.operation);
  return selectionCost(root ?? undefined, operation.selectionSet, undefined);
}

/** Validation rule refusing operations whose `operationCost` exceeds `maxCost`. */
export function costLimitRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation);
      if (cost > maxCost) {
        context.reportError(
          limitError(
            'QUERY_TOO_COMPLEX',
            `Query cost ${cost} exceeds the limit of ${maxCost}. Nested connections multiply: ask for smaller pages (first:) or split the query.`,
            maxCost,
            [operation],
          ),
        );
      }
    },
  });
}

/**
 * graphql-armor reports "Syntax Error: … limit of N exceeded, found M." without a code; report our
 * own coded error instead of letting it throw.
 */
function armorRejection(code: LimitErrorCode, what: string, limit: number) {
  return {
    n: limit,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const found = /found (\d+)/.exec(error.message)?.[1];
        const message = found
          ? `${what} ${found} exceeds the limit of ${limit}.`
          : `${what} exceeds the limit of ${limit}.`;
        context?.reportError(limitError(code, message, limit));
      },
    ],
  };
}

/** The Yoga plugins enforcing `limits`: tokens at parse time, the rest as validation rules. */
export function queryLimitPlugins(limits: QueryLimits): Plugin[] {
  const rules: ValidationRule[] = [
    maxDepthRule({
      ...armorRejection('QUERY_TOO_DEEP', 'Query depth', limits.maxDepth),
      flattenFragments: true,
    }),
    maxAliasesRule(armorRejection('TOO_MANY_ALIASES', 'Alias count', limits.maxAliases)),
    maxDirectivesRule(armorRejection('TOO_MANY_DIRECTIVES', 'Directive count', limits.maxDirectives)),
    costLimitRule(limits.maxCost),
    pageArgumentsRule(),
  ];
  return [
    maxTokensPlugin({
      n: limits.maxTokens,
      // The parser has no context to report to: throw, as a coded error.
      onReject: [
        () => {
          throw limitError(
            'QUERY_TOO_LARGE',
            `Document exceeds the limit of ${limits.maxTokens} tokens.`,
            limits.maxTokens,
          );
        },
      ],
    }) as Plugin,
    {
      onValidate({ addValidationRule }) {
        for (const rule of rules) addValidationRule(rule);
      },
    },
    pageVariablesPlugin(),
  ];
}

/** Reads LIMIT_* from the environment over `DEFAULT_LIMITS`; errors name the variable. */
export function loadQueryLimits(env: NodeJS.ProcessEnv = process.env): QueryLimits {
  return readPositiveInts(env, LIMIT_ENV, DEFAULT_LIMITS);
}

/** Reads one positive integer per variable over `defaults`; errors name the variable and its default. */
export function readPositiveInts<K extends string>(
  env: NodeJS.ProcessEnv,
  variables: Record<K, string>,
  defaults: Record<K, number>,
): Record<K, number> {
  const values = { ...defaults };
  for (const key of Object.keys(variables) as K[]) {
    const name = variables[key];
    const value = env[name]?.trim();
    if (!value) continue;
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
      throw new Error(`${name} must be a positive integer (default ${defaults[key]}).`);
    }
    values[key] = n;
  }
  return values;
}

/** One page argument of a connection field, as written in a document. */
interface PageArgument {
  field: FieldNode;
  argument: 'first' | 'last' | 'before';
  /** OneSignal's page size for this connection: `first` must be 1..max. */
  max: number;
  /** The literal, when `first` is one. */
  literal?: number;
  /** The variable's name, when `first` is one. */
  variable?: string;
}

const pageArgumentsByDocument = new WeakMap<DocumentNode, PageArgument[]>();

/**
 * Every page argument on a connection field of `document` (cached per document: Yoga reuses parsed
 * documents, so a repeated operation costs a map lookup).
 */
function pageArgumentsOf(schema: GraphQLSchema, document: DocumentNode): PageArgument[] {
  const known = pageArgumentsByDocument.get(document);
  if (known) return known;
  const found: PageArgument[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        const type = typeInfo.getType();
        const max = type ? PAGE_SIZES[getNamedType(type).name] : undefined;
        if (max === undefined) return;
        for (const arg of field.arguments ?? []) {
          const name = arg.name.value;
          if (name === 'last' || name === 'before') found.push({ field, argument: name, max });
          if (name !== 'first') continue;
          if (arg.value.kind === Kind.INT)
            found.push({ field, argument: 'first', max, literal: Number(arg.value.value) });
          if (arg.value.kind === Kind.VARIABLE)
            found.push({ field, argument: 'first', max, variable: arg.value.name.value });
        }
      },
    }),
  );
  pageArgumentsByDocument.set(document, found);
  return found;
}

function pageError(page: PageArgument, value?: number): GraphQLError {
  const connection = page.field.name.value;
  const problem =
    page.argument === 'first'
      ? `must be between 1 and ${page.max} (OneSignal's page size), got ${value}.`
      : 'backward paging is not supported by OneSignal; use first/after.';
  const message =
    page.argument === 'first'
      ? `Requesting ${value} records on the \`${connection}\` connection is outside the \`first\` limit: \`first\` must be between 1 and ${page.max} (OneSignal's page size).`
      : `\`${connection}\` pages forward only (OneSignal has no backward paging): use \`first\` and \`after\` instead of \`${page.argument}\`.`;
  // The shape of `ValidationError` (code, fields), which the same check had when it ran in resolvers.
  return new GraphQLError(message, {
    nodes: [page.field],
    extensions: {
      code: 'VALIDATION_FAILED',
      fields: [{ path: [connection, page.argument], message: problem }],
      limit: page.max,
      http: { status: 400 },
    },
  });
}

const outOfRange = (page: PageArgument, value: unknown): value is number =>
  typeof value === 'number' && (value < 1 || value > page.max);

/** Refuses page sizes OneSignal would not serve, and backward paging, when written as literals. */
export function pageArgumentsRule(): ValidationRule {
  return (context) => {
    for (const page of pageArgumentsOf(context.getSchema(), context.getDocument())) {
      if (page.argument !== 'first') context.reportError(pageError(page));
      else if (outOfRange(page, page.literal)) context.reportError(pageError(page, page.literal));
    }
    return {};
  };
}

/**
 * The same refusal for page sizes given in variables (or their defaults), which validation cannot
 * see: checked once the variables are known and before anything executes, so no upstream request is
 * made either way.
 */
export function pageVariablesPlugin(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const pages = pageArgumentsOf(args.schema, args.document).filter((page) => page.variable !== undefined);
      if (pages.length === 0) return;
      const given = args.variableValues ?? {};
      const operation = (args.document as DocumentNode).definitions.find(
        (d): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION &&
          (!args.operationName || d.name?.value === args.operationName),
      );
      const variableValue = (name: string): unknown => {
        if (Object.hasOwn(given, name)) return given[name];
        const fallback = operation?.variableDefinitions?.find(
          (v: VariableDefinitionNode) => v.variable.name.value === name,
        )?.defaultValue;
        return fallback?.kind === Kind.INT ? Number(fallback.value) : undefined;
      };
      const errors = pages.flatMap((page) => {
        const value = variableValue(page.variable as string);
        return outOfRange(page, value) ? [pageError(page, value)] : [];
      });
      if (errors.length) setResultAndStopExecution({ errors });
    },
  };
}
