import {
  type ASTNode,
  BREAK,
  coerceInputValue,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  typeFromAST,
  type ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { FieldProblem } from '../core/errors.js';

/**
 * `@oneOf` violations, as a `ValidationError` would report them. graphql-js (and the executor Yoga
 * runs) refuses an input object given two members, none, or a null one, in one of three places, each
 * with its own message and none with our code or the input's path as a list:
 * - a literal, in validation: `OneOf Input Object "T" must specify exactly one key.` (yoga's code
 *   GRAPHQL_VALIDATION_FAILED, no path: only the object's location);
 * - a variable's value, in coercion: `Variable "$v" got invalid value … at "v.a.b"; …` (the path is
 *   only inside the message);
 * - a literal whose member is a variable that is null or absent at run time, in argument coercion:
 *   `Argument "input" has invalid value {…}.`, a field error, after the field's parents ran (this one
 *   is caught here before execution instead).
 * Each becomes `VALIDATION_FAILED` with `fields: [{ path, message }]`, the shape of every other
 * invalid input: a literal's path starts at its argument (`["input", "user"]`), a variable's at the
 * variable (`["input", "user"]` for `input: $input`). All three happen before any resolver runs, so
 * they cost no upstream call.
 */
export const oneOfErrors: Plugin = {
  onValidate({ params }) {
    return ({ valid, result, setResult }) => {
      if (valid) return;
      setResult(result.map((error) => fromValidation(error, params.schema, params.documentAST) ?? error));
    };
  },
  onExecute({ args, setResultAndStopExecution }) {
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const problems = literalProblems(args.schema, args.document, args.operationName, variables);
    if (problems.length) {
      // A request error, as the other two are: HTTP 400 (Yoga reads `http` and leaves it out of the body).
      const refused = (node: ValueNode) =>
        new GraphQLError('', { nodes: node, extensions: { http: { status: 400 } } });
      setResultAndStopExecution({
        errors: problems.map(({ node, problem }) => coded(refused(node), problem)),
      });
      return;
    }
    return {
      onExecuteDone({ result, setResult }) {
        if (!result || !('errors' in result) || !result.errors?.length) return;
        let changed = false;
        const errors = result.errors.map((error) => {
          const mapped = fromVariable(error, args.schema, variables);
          if (mapped) changed = true;
          return mapped ?? error;
        });
        if (changed) setResult({ ...result, errors });
      },
    };
  },
};

const EXACTLY_ONE = /^OneOf Input Object "(\w+)" must specify exactly one key\.$/;
const NULL_MEMBER = /^Field "(\w+)\.(\w+)" must be non-null\.$/;
const NULLABLE_VARIABLE = /must be non-nullable to be used for OneOf Input Object "(\w+)"\.$/;

/** A literal refused in validation: its path from the argument (or variable default) that holds it. */
function fromValidation(error: GraphQLError, schema: GraphQLSchema, document: DocumentNode) {
  const node = error.nodes?.at(-1);
  if (!node) return undefined;
  const exactlyOne = EXACTLY_ONE.exec(error.message);
  const nullMember = NULL_MEMBER.exec(error.message);
  const nullable = NULLABLE_VARIABLE.exec(error.message);
  const typeName = exactlyOne?.[1] ?? nullMember?.[1] ?? nullable?.[1];
  const type = typeName ? schema.getType(typeName) : undefined;
  if (!isInputObjectType(type) || !type.isOneOf) return undefined;
  const path = pathInDocument(document, node) ?? [];
  if (nullable)
    return coded(error, {
      path,
      message: `a variable for a member of ${type.name} (@oneOf) must be non-null (${members(type)}).`,
    });
  if (nullMember)
    return coded(error, { path: [...path, nullMember[2] as string], message: nullMessage(type) });
  const given = node.kind === Kind.OBJECT ? node.fields.map((f) => f.name.value) : [];
  return coded(error, { path, message: countMessage(type, given) });
}

/**
 * A variable's value refused in coercion. The executor's message holds the path only as text, so
 * the value is coerced again here, against the variable's declared type, to read the path as a list.
 */
function fromVariable(error: GraphQLError, schema: GraphQLSchema, variables: Record<string, unknown>) {
  const inner = error.originalError?.message ?? '';
  if (!/OneOf type "\w+"|^Field "\w+" must be non-null\./.test(inner)) return undefined;
  const definition = error.nodes?.[0];
  if (definition?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const name = definition.variable.name.value;
  const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
  if (!type) return undefined;
  const isNullMember = /^Field "\w+" must be non-null\./.test(inner);
  // Every refusal in this variable, then the one this error is about: the longest path whose printed
  // form ends its message (a refusal at the variable itself has no ` at "…"`).
  let best: { suffix: string; problem: FieldProblem } | undefined;
  coerceInputValue(variables[name], type, (path, value, cause) => {
    if (cause.message !== inner) return;
    const oneOf = isNullMember ? oneOfAt(type, path.slice(0, -1)) : oneOfAt(type, path);
    if (!oneOf) return;
    const suffix = `${path.length ? ` at "${name}${printPath(path)}"` : ''}; ${inner}`;
    if (!error.message.endsWith(suffix) || (best && best.suffix.length >= suffix.length)) return;
    const at = [name, ...path.map(String)];
    best = {
      suffix,
      problem: {
        path: at,
        message: isNullMember ? nullMessage(oneOf) : countMessage(oneOf, givenKeys(oneOf, value)),
      },
    };
  });
  return best ? coded(error, best.problem) : undefined;
}

const printPath = (path: readonly (string | number)[]) =>
  path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');

/**
 * Literals that only the variables inside them make invalid (`{ byId: $id }` with `$id` null or left
 * out): validation passes them, and graphql-js would refuse them as a field error while coercing the
 * field's arguments, after its parents ran. Found here first, with the variables' values, so they are
 * refused like the others: before execution, as a request error.
 */
function literalProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  raw: Record<string, unknown>,
) {
  if (!hasVariableInLiteral(document)) return [];
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  // What each variable holds: absent, null or set; a default counts when the variable was left out.
  const variables: Record<string, 'null' | 'set'> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (Object.hasOwn(raw, name)) variables[name] = raw[name] === null ? 'null' : 'set';
    else if (definition.defaultValue)
      variables[name] = definition.defaultValue.kind === Kind.NULL ? 'null' : 'set';
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const found: { node: ValueNode; problem: FieldProblem }[] = [];
  const typeInfo = new TypeInfo(schema);
  const seen = new Set<string>();
  const walk = (root: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(
      root,
      visitWithTypeInfo(typeInfo, {
        Argument(argument) {
          const type = typeInfo.getArgument()?.type;
          if (!type || !hasVariables(argument.value)) return;
          walkLiteral(argument.value, type, [argument.name.value], variables, found);
        },
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !seen.has(fragment.name.value)) pending.push(fragment);
          if (fragment) seen.add(fragment.name.value);
        },
      }),
    );
  const pending: FragmentDefinitionNode[] = [];
  walk(operation);
  for (let fragment = pending.shift(); fragment; fragment = pending.shift()) walk(fragment);
  return found;
}

/**
 * Whether any literal object of the document has a variable for a field: only those can be invalid
 * at run time and valid in validation. Yoga hands the same parsed document to every request that sends
 * the same text, so the answer is kept per document and most requests skip the walk above.
 */
const variableInLiteral = new WeakMap<DocumentNode, boolean>();
function hasVariableInLiteral(document: DocumentNode): boolean {
  let found = variableInLiteral.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      ObjectField(field) {
        if (field.value.kind === Kind.VARIABLE) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    });
    variableInLiteral.set(document, found);
  }
  return found;
}

const hasVariables = (node: ValueNode): boolean =>
  node.kind === Kind.VARIABLE ||
  (node.kind === Kind.OBJECT && node.fields.some((f) => hasVariables(f.value))) ||
  (node.kind === Kind.LIST && node.values.some(hasVariables));

/** Reports each `@oneOf` object in a literal that, with these variables, has not exactly one member. */
function walkLiteral(
  node: ValueNode,
  type: GraphQLInputType,
  path: string[],
  variables: Record<string, 'null' | 'set'>,
  found: { node: ValueNode; problem: FieldProblem }[],
) {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (node.kind === Kind.LIST)
      for (const [i, item] of node.values.entries())
        walkLiteral(item, inner.ofType, [...path, String(i)], variables, found);
    else walkLiteral(node, inner.ofType, path, variables, found);
    return;
  }
  if (!isInputObjectType(inner) || node.kind !== Kind.OBJECT) return;
  const fields = inner.getFields();
  const present = node.fields.filter((f) => f.value.kind !== Kind.VARIABLE || variables[f.value.name.value]);
  if (inner.isOneOf) {
    const [only] = present;
    const isNull =
      only &&
      (only.value.kind === Kind.NULL ||
        (only.value.kind === Kind.VARIABLE && variables[only.value.name.value] === 'null'));
    if (present.length !== 1)
      found.push({
        node,
        problem: {
          path,
          message: countMessage(
            inner,
            present.map((f) => f.name.value),
          ),
        },
      });
    else if (only && isNull)
      found.push({ node, problem: { path: [...path, only.name.value], message: nullMessage(inner) } });
  }
  for (const f of node.fields) {
    const field = fields[f.name.value];
    if (field) walkLiteral(f.value, field.type, [...path, f.name.value], variables, found);
  }
}

/** The path of `target` from the argument or variable default value that holds it. */
function pathInDocument(document: DocumentNode, target: ASTNode): string[] | undefined {
  let found: string[] | undefined;
  const search = (node: ValueNode, path: string[]): void => {
    if (found) return;
    if (node === target) found = path;
    else if (node.kind === Kind.OBJECT) for (const f of node.fields) search(f.value, [...path, f.name.value]);
    else if (node.kind === Kind.LIST)
      for (const [i, v] of node.values.entries()) search(v, [...path, String(i)]);
  };
  visit(document, {
    Argument: (argument) => search(argument.value, [argument.name.value]),
    VariableDefinition: (definition) => {
      if (definition.defaultValue) search(definition.defaultValue, [definition.variable.name.value]);
    },
  });
  return found;
}

/** The `@oneOf` type at the coercion path `path` (from the variable), if it is one. */
function oneOfAt(type: GraphQLInputType, path: readonly (string | number)[]) {
  let current: GraphQLInputType | undefined = type;
  for (const key of path) {
    const named: GraphQLInputType | undefined =
      current && (isNonNullType(current) ? current.ofType : current);
    if (isListType(named)) current = named.ofType;
    else if (isInputObjectType(named)) current = named.getFields()[String(key)]?.type;
    else return undefined;
  }
  const at = current && getNamedType(current);
  return isInputObjectType(at) && at.isOneOf ? at : undefined;
}

const members = (type: GraphQLInputObjectType) => Object.keys(type.getFields()).join(', ');

const countMessage = (type: GraphQLInputObjectType, given: string[]) =>
  `give exactly one of ${members(type)} (${type.name} is @oneOf); got ${given.length ? given.join(' and ') : 'none'}.`;

const nullMessage = (type: GraphQLInputObjectType) =>
  `must not be null: ${type.name} is @oneOf, so give its one member a value (${members(type)}).`;

function givenKeys(type: GraphQLInputObjectType, value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  const fields = type.getFields();
  return Object.keys(value).filter((k) => k in fields && (value as Record<string, unknown>)[k] !== undefined);
}

function coded(error: GraphQLError, ...fields: FieldProblem[]): GraphQLError {
  return new GraphQLError(fields.map((f) => `${f.path.join('.')}: ${f.message}`).join('; '), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'VALIDATION_FAILED', fields },
  });
}
