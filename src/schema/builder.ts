import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import WithInputPlugin from '@pothos/plugin-with-input';
import {
  CountryCodeResolver,
  DateTimeResolver,
  EmailAddressResolver,
  JSONObjectResolver,
  JSONResolver,
  LocaleResolver,
  NonNegativeIntResolver,
  PhoneNumberResolver,
  URLResolver,
  UUIDResolver,
} from 'graphql-scalars';
import { assertMayAccessApps } from '../auth/restrict.js';
import { nodeTypeScopes, scopeDenied, scopesOf } from '../auth/scope-auth.js';
import type { Scope } from '../auth/scopes.js';
import { ValidationError } from '../core/errors.js';
import { appIdOfNode, decodeGlobalId, encodeGlobalId } from '../core/ids.js';
import type { Context } from './context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: Record<Scope, boolean>;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    UUID: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    EmailAddress: { Input: string; Output: string };
    PhoneNumber: { Input: string; Output: string };
    CountryCode: { Input: string; Output: string };
    Locale: { Input: string; Output: string };
    URL: { Input: URL; Output: URL | string };
    NonNegativeInt: { Input: number; Output: number };
  };
}>({
  // Relay before scope-auth, so `authScopes` functions see parsed global ids.
  plugins: [ErrorsPlugin, RelayPlugin, ScopeAuthPlugin, SimpleObjectsPlugin, WithInputPlugin],
  scopeAuth: {
    // A subscription is refused when it starts, before its first read or joining a poll.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => scopesOf(ctx.caller),
    unauthorizedError: (_parent, ctx, info, result) => scopeDenied(ctx.caller, info, result.failure),
  },
  // Fields are non-null unless declared otherwise, so nullability in the schema is a deliberate statement.
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: {
      description: 'The page of objects, without cursors: shorthand for `edges { node }`.',
    },
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: (globalId: string) => {
      const decoded = decodeGlobalId(globalId);
      if (!decoded) throw ValidationError.field(['id'], `"${globalId}" is not an id issued by this API.`);
      return decoded;
    },
    nodeTypeOptions: {
      description: 'An object with a globally unique, opaque id that `node(id:)` can refetch.',
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    nodeQueryOptions: {
      description: 'Fetches any object by its global id; null when it does not exist.',
      args: { id: { description: 'A global id returned by this API.' } },
      authScopes: (_root, args, ctx, info) => {
        assertMayAccessApps(ctx.caller, [appIdOfNode(args.id)]);
        return nodeTypeScopes(info.schema, [args.id.typename]);
      },
    },
    nodesQueryOptions: {
      description: 'Fetches several objects by global id, batched; null for each that does not exist.',
      args: { ids: { description: 'Global ids returned by this API.' } },
      authScopes: (_root, args, ctx, info) => {
        // Every id is checked before any is loaded.
        assertMayAccessApps(ctx.caller, args.ids.map(appIdOfNode));
        return nodeTypeScopes(
          info.schema,
          args.ids.map((id) => id.typename),
        );
      },
    },
    idFieldOptions: { description: 'Opaque global id; pass it to `node(id:)` to refetch this object.' },
    cursorFieldOptions: { description: 'Opaque cursor of this edge, for `after:`.' },
    nodeFieldOptions: { description: 'The object at this edge.' },
    edgesFieldOptions: { description: 'The page of edges, each with its cursor.' },
    pageInfoFieldOptions: { description: 'Cursors and flags for fetching the next page.' },
    hasNextPageFieldOptions: { description: 'True when more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'True when items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first edge of the page.' },
    endCursorFieldOptions: {
      description: 'Cursor of the last edge of the page; pass it as `after:` for the next page.',
    },
    firstArgOptions: { description: 'How many items to return, from the start or after `after`.' },
    afterArgOptions: { description: 'Return items after this cursor.' },
    lastArgOptions: { description: 'Not supported by OneSignal paging; use `first`/`after`.' },
    beforeArgOptions: { description: 'Not supported by OneSignal paging; use `first`/`after`.' },
  },
  errors: {
    defaultTypes: [],
  },
  withInput: {
    // `Mutation.notificationCreate` takes `NotificationCreateInput`, not `MutationNotificationCreateInput`.
    typeOptions: {
      name: ({ parentTypeName, fieldName }) => {
        const base =
          parentTypeName === 'Mutation'
            ? fieldName
            : `${parentTypeName}${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}`;
        return `${base.charAt(0).toUpperCase()}${base.slice(1)}Input`;
      },
    },
    argOptions: { required: true, description: 'The fields of this operation.' },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('UUID', UUIDResolver);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('PhoneNumber', PhoneNumberResolver);
builder.addScalarType('CountryCode', CountryCodeResolver);
builder.addScalarType('Locale', LocaleResolver);
builder.addScalarType('URL', URLResolver);
builder.addScalarType('NonNegativeInt', NonNegativeIntResolver);

builder.queryType({ description: 'Read OneSignal apps and everything in them.' });
builder.mutationType({
  description:
    'Change OneSignal state. Each mutation returns a union of its payload and the errors it can produce.',
});
// Not `Subscription`: that name is OneSignal's (a device, email address or phone number).
builder.subscriptionType({
  name: 'SubscriptionRoot',
  description:
    'Live updates over Server-Sent Events (`Accept: text/event-stream`). Named apart from `Subscription`, the OneSignal subscription type.',
});
