/**
 * The user mutations (`userCreate`, `userUpdate`, `userDelete`, `userAliasesAdd`, `userAliasDelete`,
 * `subscriptionAliasesAdd`) and their payloads. Input types and wire bodies are in input.ts.
 */
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION, encodeNodeId, parseAppRef, parseNodeId } from '../../core/ids.js';
import { ONESIGNAL_ID, toAppUser, type UserKey } from '../../loaders/users.js';
import { builder } from '../builder.js';
import { mutationResult, UPSTREAM_ERRORS, UPSTREAM_ERRORS_WITH_CONFLICT } from '../error-types.js';
import { SubscriptionAttributesInput } from '../subscriptions/input.js';
import { upstream } from '../upstream-errors.js';
import { AliasInput, aliasesToIdentity } from './aliases.js';
import { toUserCreateBody, toUserUpdateBody, UserDeltasInput, UserPropertiesInput } from './input.js';
import { parseUserRef, reloadUser, UserRef, UserRefInput } from './refs.js';

const UserPayloadRef = builder.simpleObject('UserPayload', {
  description: 'The user after the change.',
  fields: (t) => ({ user: t.field({ type: UserRef, description: 'The user, read back from OneSignal.' }) }),
});

builder.mutationFields((t) => ({
  userCreate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Creates a user with aliases, properties and subscriptions (create_user). If an alias already belongs to a user, OneSignal updates that user instead.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      aliases: t.input.field({
        type: [AliasInput],
        description: 'Aliases of the new user, e.g. its `external_id`.',
      }),
      properties: t.input.field({ type: UserPropertiesInput, description: 'Initial properties.' }),
      subscriptions: t.input.field({
        type: [SubscriptionAttributesInput],
        description: 'Subscriptions the user owns from the start.',
      }),
      retainPreviousOwner: t.input.boolean({
        description:
          'When a listed subscription already belongs to another user: true keeps that user, false (default) moves it.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description:
        'Input of `userCreate`: the app and the aliases, properties and subscriptions of the new user.',
    },
    errors: mutationResult(
      'userCreate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userCreate` returns: the created (or matched and updated) user, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const body = toUserCreateBody(input, ['input']);
      const created = toAppUser(appId, await upstream(ctx.client.users.create(appId, body)));
      if (!created.onesignalId)
        throw new NotFoundError('OneSignal accepted the user but did not return its onesignal_id.');
      ctx.loaders.forgetUser(created);
      return {
        user: await upstream(ctx.loaders.user.load({ appId, label: ONESIGNAL_ID, id: created.onesignalId })),
      };
    },
  }),
  userUpdate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Changes properties of a user and applies increments (update_user).',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({ type: UserRefInput, required: true, description: 'The user to change.' }),
      properties: t.input.field({ type: UserPropertiesInput, description: 'Properties to set.' }),
      deltas: t.input.field({ type: UserDeltasInput, description: 'Increments to apply.' }),
      refreshDeviceMetadata: t.input.boolean({
        description: 'Also refresh IP-derived metadata such as country and location.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description: 'Input of `userUpdate`: the user, the properties to set and the increments to apply.',
    },
    errors: mutationResult(
      'userUpdate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userUpdate` returns: the changed user, or a `ValidationError`, `NotFoundError` (no such user), `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const body = toUserUpdateBody(input, ['input']);
      await upstream(ctx.client.users.update(appId, { label: key.label, id: key.id }, body));
      return { user: await reloadUser(ctx, key) };
    },
  }),
  userDelete: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Deletes a user and all of its subscriptions (delete_user).',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({ type: UserRefInput, required: true, description: 'The user to delete.' }),
    },
    type: builder.simpleObject('UserDeletePayload', {
      description: 'What was deleted.',
      fields: (f) => ({
        deletedUserId: f.id({
          description: 'Global id of the deleted user, for evicting it from client caches.',
        }),
      }),
    }),
    typeOptions: { description: 'Input of `userDelete`: the user to delete.' },
    errors: mutationResult(
      'userDelete',
      UPSTREAM_ERRORS,
      'What `userDelete` returns: the id of the deleted user, or a `ValidationError`, `NotFoundError` (no such user), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      // Read first so the payload can name the deleted user whichever alias identified it.
      const user = await upstream(ctx.loaders.user.load(key));
      await upstream(ctx.client.users.delete(appId, { label: ONESIGNAL_ID, id: user.onesignalId }));
      ctx.loaders.forgetUser(user);
      return { deletedUserId: encodeNodeId('User', { appId: user.appId, id: user.onesignalId }) };
    },
  }),
  userAliasesAdd: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Adds aliases to a user (identify_user_by_alias). An alias owned by another user is a conflict.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({ type: UserRefInput, required: true, description: 'The user to add aliases to.' }),
      aliases: t.input.field({
        type: [AliasInput],
        required: true,
        description: 'Aliases to add; an existing label gets the new id.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: { description: 'Input of `userAliasesAdd`: the user and the aliases to add.' },
    errors: mutationResult(
      'userAliasesAdd',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userAliasesAdd` returns: the user with its aliases, or a `ValidationError`, `NotFoundError`, `ConflictError` (an alias belongs to another user), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const identity = aliasesToIdentity(input.aliases, ['input', 'aliases']);
      await upstream(ctx.client.aliases.setByUser(appId, { label: key.label, id: key.id }, identity));
      // Aliases moved: any user read earlier in this operation may be stale.
      ctx.loaders.user.clearAll();
      return { user: await reloadUser(ctx, key) };
    },
  }),
  userAliasDelete: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Removes one alias from a user (delete_alias). `onesignal_id` cannot be removed.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({
        type: UserRefInput,
        required: true,
        description: 'The user to remove the alias from.',
      }),
      label: t.input.string({
        required: true,
        description: 'Label of the alias to remove, e.g. `external_id`.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description: 'Input of `userAliasDelete`: the user and the label of the alias to remove.',
    },
    errors: mutationResult(
      'userAliasDelete',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `userAliasDelete` returns: the user without the alias, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const label = input.label.trim();
      if (!label) throw ValidationError.field(['input', 'label'], 'must not be empty.');
      if (label === ONESIGNAL_ID)
        throw ValidationError.field(['input', 'label'], 'onesignal_id cannot be removed.');
      if (label === key.label) {
        throw ValidationError.field(
          ['input', 'label'],
          'the user is referenced by this alias; reference it by another one (e.g. byId).',
        );
      }
      await upstream(ctx.client.aliases.delete(appId, { label: key.label, id: key.id }, label));
      ctx.loaders.user.clearAll();
      return { user: await reloadUser(ctx, key) };
    },
  }),
  subscriptionAliasesAdd: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Adds aliases to the user owning a subscription (identify_user_by_subscription_id).',
    input: {
      id: t.input.id({
        required: true,
        description: 'The subscription whose owner gets the aliases (`Subscription.id`).',
      }),
      aliases: t.input.field({
        type: [AliasInput],
        required: true,
        description: 'Aliases to add; an existing label gets the new id.',
      }),
    },
    type: UserPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionAliasesAdd`: the subscription and the aliases to add to its owner.',
    },
    errors: mutationResult(
      'subscriptionAliasesAdd',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionAliasesAdd` returns: the owning user with its aliases, or a `ValidationError`, `NotFoundError`, `ConflictError` (an alias belongs to another user), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const sub = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      const identity = aliasesToIdentity(input.aliases, ['input', 'aliases']);
      const result = await upstream(ctx.client.aliases.setBySubscription(sub.appId, sub.id, identity));
      ctx.loaders.forgetSubscription(sub);
      const onesignalId = result?.identity?.[ONESIGNAL_ID];
      const [label, id] = Object.entries(identity)[0] as [string, string];
      const key: UserKey =
        typeof onesignalId === 'string'
          ? { appId: sub.appId, label: ONESIGNAL_ID, id: onesignalId }
          : { appId: sub.appId, label, id };
      ctx.loaders.user.clearAll();
      return { user: await reloadUser(ctx, key) };
    },
  }),
}));
