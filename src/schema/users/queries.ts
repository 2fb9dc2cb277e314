/** Where a user is read: `App.user(alias:)`, by OneSignal id or by any alias. */
import { AppRef } from '../apps.js';
import { builder } from '../builder.js';
import { orNull } from '../upstream-errors.js';
import { parseUserRef, UserRef, UserRefInput } from './refs.js';

builder.objectFields(AppRef, (t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'users:read': true },
    description: 'One user by OneSignal id or by any alias; null when there is no such user.',
    args: {
      alias: t.arg({
        type: UserRefInput,
        required: true,
        description: 'The user to fetch: exactly one of `byId` and `byAlias`.',
      }),
    },
    resolve: (app, args, ctx) => orNull(ctx.loaders.user.load(parseUserRef(app.id, args.alias, ['alias']))),
  }),
}));
