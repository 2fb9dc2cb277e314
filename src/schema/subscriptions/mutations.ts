/**
 * The subscription mutations (`subscriptionCreate`, `subscriptionUpdate`, `subscriptionDelete`,
 * `subscriptionTransfer`, `subscriptionUpdateByToken`) and their payload. The attribute fields and
 * wire bodies are in input.ts.
 */
import { NotFoundError, ValidationError } from '../../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  encodeNodeId,
  parseAppRef,
  parseNodeId,
} from '../../core/ids.js';
import { type AppSubscription, ONESIGNAL_ID } from '../../loaders/users.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { mutationResult, UPSTREAM_ERRORS, UPSTREAM_ERRORS_WITH_CONFLICT } from '../error-types.js';
import { upstream } from '../upstream-errors.js';
import { parseUserRef, reloadUser, UserRef, UserRefInput } from '../users/refs.js';
import {
  type AttrBuilder,
  attributeFields,
  changeFields,
  type SubscriptionAttributesShape,
  toSubscriptionBody,
} from './input.js';
import {
  SubscriptionRef,
  SubscriptionTypeEnum,
  SubscriptionUpdateByTokenPayloadRef,
  subscriptionsOfUser,
} from './types.js';

const SubscriptionPayloadRef = builder.simpleObject('SubscriptionPayload', {
  description: 'The subscription after the change, and its owner.',
  fields: (t) => ({
    subscription: t.field({
      type: SubscriptionRef,
      description: 'The subscription, read back from OneSignal.',
    }),
    user: t.field({ type: UserRef, description: 'The user who owns it now.' }),
  }),
});

builder.mutationFields((t) => ({
  subscriptionCreate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Adds a subscription to a user (create_subscription). A token already registered elsewhere moves to this user unless `retainPreviousOwner`.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({
        type: UserRefInput,
        required: true,
        description: 'The user who will own the subscription.',
      }),
      ...attributeFields(t.input as AttrBuilder, { typeRequired: true }),
      retainPreviousOwner: t.input.boolean({
        description:
          'When the token belongs to another user: true leaves it there and fails, false (default) moves it.',
      }),
    },
    type: SubscriptionPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionCreate`: the user and the attributes of the new subscription.',
    },
    errors: mutationResult(
      'subscriptionCreate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionCreate` returns: the subscription and its owner, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const subscription = toSubscriptionBody(input as SubscriptionAttributesShape, ['input'], {
        requireType: true,
      });
      const result = await upstream(
        ctx.client.subscriptions.create(
          appId,
          { label: key.label, id: key.id },
          {
            subscription,
            ...(input.retainPreviousOwner != null
              ? { retain_previous_owner: input.retainPreviousOwner }
              : {}),
          },
        ),
      );
      const created = result?.subscription;
      if (!created?.id)
        throw new NotFoundError('OneSignal accepted the subscription but did not return its id.');
      ctx.loaders.forgetSubscription({ appId, id: created.id });
      const user = await reloadUser(ctx, key);
      const found = subscriptionsOfUser(user).find((s) => s.wire.id === created.id);
      return {
        subscription: found ?? { appId, ownerId: user.onesignalId, wire: created as AppSubscription['wire'] },
        user,
      };
    },
  }),
  subscriptionUpdate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Changes a subscription (update_subscription). Omitted fields stay as they are.',
    input: {
      id: t.input.id({ required: true, description: 'The subscription to change (`Subscription.id`).' }),
      ...attributeFields(t.input as AttrBuilder, { typeRequired: false }),
    },
    type: SubscriptionPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionUpdate`: the subscription and the attributes to change.',
    },
    errors: mutationResult(
      'subscriptionUpdate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionUpdate` returns: the changed subscription and its owner, or a `ValidationError`, `NotFoundError` (no such subscription), `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      const subscription = toSubscriptionBody(input as SubscriptionAttributesShape, ['input'], {
        requireType: false,
      });
      if (Object.keys(subscription).length === 0)
        throw ValidationError.field(['input'], 'set at least one field to change.');
      await upstream(ctx.client.subscriptions.update(key.appId, key.id, { subscription }));
      return reloadSubscription(ctx, key);
    },
  }),
  subscriptionDelete: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Deletes a subscription (delete_subscription). Its user stays.',
    input: {
      id: t.input.id({ required: true, description: 'The subscription to delete (`Subscription.id`).' }),
    },
    type: builder.simpleObject('SubscriptionDeletePayload', {
      description: 'What was deleted.',
      fields: (f) => ({
        deletedSubscriptionId: f.id({
          description: 'Global id of the deleted subscription, for evicting it from client caches.',
        }),
      }),
    }),
    typeOptions: { description: 'Input of `subscriptionDelete`: the subscription to delete.' },
    errors: mutationResult(
      'subscriptionDelete',
      UPSTREAM_ERRORS,
      'What `subscriptionDelete` returns: the id of the deleted subscription, or a `ValidationError`, `NotFoundError` (no such subscription), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      await upstream(ctx.client.subscriptions.delete(key.appId, key.id));
      ctx.loaders.forgetSubscription(key);
      ctx.loaders.user.clearAll();
      ctx.loaders.player.clear(key);
      return { deletedSubscriptionId: encodeNodeId('Subscription', key) };
    },
  }),
  subscriptionTransfer: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Moves a subscription to another user (transfer_subscription) and returns its new owner.',
    input: {
      id: t.input.id({ required: true, description: 'The subscription to move (`Subscription.id`).' }),
      to: t.input.field({ type: UserRefInput, required: true, description: 'The user who will own it.' }),
    },
    type: SubscriptionPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionTransfer`: the subscription and the user to move it to.',
    },
    errors: mutationResult(
      'subscriptionTransfer',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionTransfer` returns: the subscription and its new owner, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      const to = parseUserRef(key.appId, input.to, ['input', 'to']);
      await upstream(ctx.client.subscriptions.transfer(key.appId, key.id, { [to.label]: to.id }));
      // Both the old and the new owner changed.
      ctx.loaders.user.clearAll();
      return reloadSubscription(ctx, key);
    },
  }),
  subscriptionUpdateByToken: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Changes the subscription with a given push token, email address or phone number (update_subscription_by_token), for when its id is unknown, e.g. an unsubscribe page. Omitted fields stay as they are.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      type: t.input.field({
        type: SubscriptionTypeEnum,
        required: true,
        description: 'The type of the subscription to change (part of its identity with `token`).',
      }),
      token: t.input.string({
        required: true,
        description: 'Its push token, email address (EMAIL) or E.164 phone number (SMS).',
      }),
      ...changeFields(t.input as AttrBuilder),
    },
    type: SubscriptionUpdateByTokenPayloadRef,
    typeOptions: {
      description:
        'Input of `subscriptionUpdateByToken`: the app, the type and token naming the subscription, and the attributes to change.',
    },
    errors: mutationResult(
      'subscriptionUpdateByToken',
      UPSTREAM_ERRORS,
      'What `subscriptionUpdateByToken` returns: the subscription changed, or a `ValidationError`, `NotFoundError` (no subscription with that type and token), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      // The identity is checked like a token being set (email and phone formats).
      const identity = toSubscriptionBody({ type: input.type, token: input.token }, ['input'], {
        requireType: true,
      });
      const { type: _type, token: _token, appId: _appId, ...changes } = input;
      const subscription = toSubscriptionBody(changes as SubscriptionAttributesShape, ['input'], {
        requireType: false,
      });
      if (Object.keys(subscription).length === 0)
        throw ValidationError.field(['input'], 'set at least one field to change.');
      await upstream(
        ctx.client.subscriptions.updateByToken(appId, identity.type as string, identity.token as string, {
          subscription,
        }),
      );
      // Whose subscription it was is unknown: no user or player read in this request is current any more.
      ctx.loaders.user.clearAll();
      ctx.loaders.player.clearAll();
      return { appId, type: input.type, token: input.token };
    },
  }),
}));

/** Drops every cached view of a subscription and its owner, then reads both again (fetch_aliases + fetch_user). */
async function reloadSubscription(ctx: Context, key: AppScopedKey) {
  ctx.loaders.forgetSubscription(key);
  ctx.loaders.player.clear(key);
  const identity = await upstream(ctx.loaders.subscriptionOwner.load(key));
  const ownerId = String(identity[ONESIGNAL_ID] ?? '');
  const user = await reloadUser(ctx, { appId: key.appId, label: ONESIGNAL_ID, id: ownerId });
  const subscription = subscriptionsOfUser(user).find((s) => s.wire.id === key.id);
  if (!subscription)
    throw new NotFoundError(`Subscription ${key.id} is not among the subscriptions of its owner ${ownerId}.`);
  return { subscription, user };
}
