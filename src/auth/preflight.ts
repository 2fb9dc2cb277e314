import {
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  isInputObjectType,
  isListType,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ForbiddenError } from '../core/errors.js';
import { appIdOfNode, decodeGlobalId, isUuid } from '../core/ids.js';
import { type Caller, mayAccessApp } from './caller.js';

/**
 * Every app an operation names in its arguments (literals and variables): `app(id:)`, global ids
 * (`node`, `nodes`, mutation inputs) and `appId` inputs. Objects reached through them belong to the
 * same app, so this is every app the operation can touch from its roots.
 */
export function appsNamedIn(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>>,
): Set<string> {
  const apps = new Set<string>();
  const add = (appId: string | undefined) => {
    if (appId) apps.add(appId.toLowerCase());
  };
  const collect = (value: unknown, type: GraphQLInputType, name: string, appIdArgument: boolean) => {
    if (value === null || value === undefined) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      for (const item of Array.isArray(value) ? value : [value])
        collect(item, nullable.ofType, name, appIdArgument);
      return;
    }
    if (isInputObjectType(nullable)) {
      if (typeof value !== 'object') return;
      for (const field of Object.values(nullable.getFields()))
        collect((value as Record<string, unknown>)[field.name], field.type, field.name, false);
      return;
    }
    if (typeof value !== 'string') return;
    if ((appIdArgument || name === 'appId') && isUuid(value)) return add(value);
    if (nullable.name === 'ID') {
      const decoded = decodeGlobalId(value);
      if (decoded) add(appIdOfNode(decoded));
    }
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (!argument) return;
        const appIdArgument =
          typeInfo.getParentType() === schema.getQueryType() &&
          typeInfo.getFieldDef()?.name === 'app' &&
          argument.name === 'id';
        collect(valueFromASTUntyped(node.value, variables), argument.type, argument.name, appIdArgument);
      },
    }),
  );
  return apps;
}

/**
 * Refuses a whole operation that names an app outside the caller's allow-list, before anything runs:
 * without it, the allowed half of `{ a: app(id: A) … b: app(id: B) … }` or of a `nodes(ids:)` batch
 * would already have been fetched (and a multi-field mutation partly applied) when the other half is
 * refused. The client (`restrictClient`) still refuses each call, for paths no argument names.
 */
export function appAccessPreflightPlugin(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const caller = (args.contextValue as { caller?: Caller }).caller;
      if (!caller || caller.apps === '*') return;
      const named = appsNamedIn(args.schema, args.document as DocumentNode, args.variableValues ?? {});
      const denied = [...named].filter((appId) => !mayAccessApp(caller, appId));
      if (denied.length === 0) return;
      setResultAndStopExecution({
        errors: [new ForbiddenError(`Caller "${caller.name}" may not access app ${denied.join(', ')}.`)],
      });
    },
  };
}
