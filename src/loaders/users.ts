import type { AppScopedKey } from '../core/ids.js';
import type {
  OneSignalClient,
  WireIdentity,
  WireInAppMessage,
  WireSubscription,
  WireUser,
} from '../onesignal/index.js';
import { appScopedCacheKey } from './keys.js';
import { perKeyLoader } from './per-key.js';
import { tracedLoader } from './traced.js';

/** A v5 user with the app it belongs to (OneSignal's answer does not say). */
export interface AppUser {
  appId: string;
  onesignalId: string;
  identity: WireIdentity;
  wire: WireUser;
}

/** A v5 subscription with its app and, when known, its owner's onesignal_id. */
export interface AppSubscription {
  appId: string;
  ownerId: string | null;
  wire: WireSubscription & { id: string };
}

/** A user reference by any alias; `onesignal_id` is itself an alias label. */
export interface UserKey {
  appId: string;
  label: string;
  id: string;
}

export const ONESIGNAL_ID = 'onesignal_id';

export const userCacheKey = ({ appId, label, id }: UserKey) =>
  `${appId}/${label}/${label === ONESIGNAL_ID ? id.toLowerCase() : id}`;

export function toAppUser(appId: string, wire: WireUser): AppUser {
  const identity = (wire.identity ?? {}) as WireIdentity;
  return { appId, onesignalId: String(identity[ONESIGNAL_ID] ?? ''), identity, wire };
}

export function userLoaders(client: OneSignalClient) {
  /** subscription id → the identity (aliases) of its owner, via fetch_aliases. Primed by every user fetch. */
  const subscriptionOwner = perKeyLoader<AppScopedKey, WireIdentity, string>(
    'subscription owner',
    async ({ appId, id }) => (await client.aliases.getBySubscription(appId, id)).identity as WireIdentity,
    { cacheKeyFn: appScopedCacheKey },
  );

  /** Primes every alias of a fetched user and the owner of each of its subscriptions. */
  function primeUser(user: AppUser) {
    for (const [label, id] of Object.entries(user.identity)) {
      if (typeof id === 'string') user_.prime({ appId: user.appId, label, id }, user);
    }
    for (const s of user.wire.subscriptions ?? []) {
      if (s.id) {
        const key = { appId: user.appId, id: s.id };
        subscriptionOwner.prime(key, user.identity);
        subscription.prime(key, {
          appId: user.appId,
          ownerId: user.onesignalId,
          wire: s as AppSubscription['wire'],
        });
      }
    }
  }

  /**
   * fetch_user by any alias. References by onesignal_id are fetched first and the others only when
   * no user fetched in the same batch already carries that alias: reading one user by onesignal_id
   * and by external_id in one operation costs one request, at most two round trips per batch.
   */
  const user_ = tracedLoader<UserKey, AppUser, string>(
    'user',
    async (keys) => {
      const results = new Map<string, AppUser | Error>();
      const byAlias = new Map<string, AppUser>();
      const fetchOne = async (key: UserKey) => {
        try {
          const user = toAppUser(
            key.appId,
            await client.users.get(key.appId, { label: key.label, id: key.id }),
          );
          for (const [label, id] of Object.entries(user.identity)) {
            if (typeof id === 'string') byAlias.set(userCacheKey({ appId: key.appId, label, id }), user);
          }
          results.set(userCacheKey(key), user);
        } catch (error) {
          results.set(userCacheKey(key), error as Error);
        }
      };
      const byId = keys.filter((k) => k.label === ONESIGNAL_ID);
      const first = byId.length ? byId : keys;
      await Promise.all(first.map(fetchOne));
      await Promise.all(
        keys
          .filter((k) => !results.has(userCacheKey(k)))
          .map((k) => {
            const known = byAlias.get(userCacheKey(k));
            if (known) {
              results.set(userCacheKey(k), known);
              return undefined;
            }
            return fetchOne(k);
          }),
      );
      const answers = keys.map((k) => results.get(userCacheKey(k)) as AppUser | Error);
      // Other aliases and owned subscriptions are then free for the rest of the operation.
      for (const a of answers) if (!(a instanceof Error)) primeUser(a);
      return answers;
    },
    { cacheKeyFn: userCacheKey },
  );

  /**
   * There is no read of a single subscription: its owner comes from fetch_aliases, the owner from
   * fetch_user, and the subscription from the owner's list (two requests, both shared through loaders).
   * Resolves to null when the subscription does not exist.
   */
  const subscription = perKeyLoader<AppScopedKey, AppSubscription | null, string>(
    'subscription',
    async (key) => {
      const identity = await subscriptionOwner.load(key);
      const ownerId = String(identity[ONESIGNAL_ID] ?? '');
      const owner = await user_.load({ appId: key.appId, label: ONESIGNAL_ID, id: ownerId });
      const wire = (owner.wire.subscriptions ?? []).find((s) => s.id === key.id);
      return wire ? { appId: key.appId, ownerId, wire: wire as AppSubscription['wire'] } : null;
    },
    { cacheKeyFn: appScopedCacheKey },
  );

  /** get_eligible_iams for one subscription. */
  const eligibleInAppMessages = perKeyLoader<AppScopedKey, WireInAppMessage[], string>(
    'eligible in-app messages',
    async ({ appId, id }) =>
      (await client.subscriptions.eligibleInAppMessages(appId, id)).in_app_messages ?? [],
    { cacheKeyFn: appScopedCacheKey },
  );

  /** Forgets everything cached about one user (after a write), so the next read refetches it. */
  function forgetUser(user: Pick<AppUser, 'appId' | 'identity'> & { wire?: WireUser }) {
    for (const [label, id] of Object.entries(user.identity)) {
      if (typeof id === 'string') user_.clear({ appId: user.appId, label, id });
    }
    for (const s of user.wire?.subscriptions ?? []) {
      if (s.id) forgetSubscription({ appId: user.appId, id: s.id });
    }
  }

  /** Forgets a subscription and its owner link (after a write to it). */
  function forgetSubscription(key: AppScopedKey) {
    subscriptionOwner.clear(key);
    subscription.clear(key);
    eligibleInAppMessages.clear(key);
  }

  return {
    user: user_,
    subscriptionOwner,
    subscription,
    eligibleInAppMessages,
    primeUser,
    forgetUser,
    forgetSubscription,
  };
}
