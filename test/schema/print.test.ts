import { readFileSync } from 'node:fs';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../../scripts/print-schema.js';
import { schema } from '../../src/schema/index.js';

describe('the printed schema', () => {
  it('schema.graphql equals the schema the code builds', () => {
    const onDisk = readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      onDisk === printedSchema(),
      'schema.graphql is stale: run `npm run schema:print` and commit the result.',
    ).toBe(true);
  });

  it('describes every type, field, argument, enum value and input field', () => {
    const missing: string[] = [];
    const check = (what: string, description: string | null | undefined) => {
      if (!description?.trim()) missing.push(what);
    };
    const checkArgs = (owner: string, args: readonly GraphQLArgument[]) => {
      for (const arg of args) check(`${owner}(${arg.name}:)`, arg.description);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      check(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
          check(`${type.name}.${field.name}`, field.description);
          checkArgs(`${type.name}.${field.name}`, field.args);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()) as GraphQLInputField[])
          check(`${type.name}.${field.name}`, field.description);
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
      }
    }
    expect(missing, `Add a description to: ${missing.join(', ')}`).toEqual([]);
  });
});
