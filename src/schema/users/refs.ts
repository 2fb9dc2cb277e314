/**
 * How other domains point at a user: the `User` object ref, the `UserRefInput` ref with
 * `parseUserRef`, and `reloadUser` for after a write. Nothing here registers a type (the refs are
 * implemented in types.ts and aliases.ts), so subscriptions/ can import this file without importing
 * the rest of users/, which imports subscriptions/: that is what keeps the two domains free of a cycle.
 */
import { ValidationError } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import { type AppUser, ONESIGNAL_ID, type UserKey } from '../../loaders/users.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { upstream } from '../upstream-errors.js';

export const UserRef = builder.objectRef<AppUser>('User');

export interface AliasShape {
  label: string;
  id: string;
}

export interface UserRefShape {
  byId?: string | null;
  byAlias?: AliasShape | null;
}

/** Implemented in aliases.ts, at the point in the schema's type order where it always was. */
export const UserRefInput = builder.inputRef<UserRefShape>('UserRefInput');

/** A `UserRefInput` as a loader key. `@oneOf` delivers exactly one member, so no count is checked here. */
export function parseUserRef(appId: string, ref: UserRefShape, path: string[]): UserKey {
  if (ref.byId != null) return { appId, label: ONESIGNAL_ID, id: ref.byId.toLowerCase() };
  const alias = validateAlias(ref.byAlias as AliasShape, [...path, 'byAlias'], { allowOneSignalId: true });
  return { appId, ...alias };
}

/** Checks one alias; `onesignal_id` is accepted only where it names an existing user. */
export function validateAlias(
  alias: AliasShape,
  path: string[],
  { allowOneSignalId }: { allowOneSignalId: boolean },
): AliasShape {
  const label = alias.label.trim();
  if (!label) throw ValidationError.field([...path, 'label'], 'must not be empty.');
  if (!alias.id.trim()) throw ValidationError.field([...path, 'id'], 'must not be empty.');
  if (label === ONESIGNAL_ID) {
    if (!allowOneSignalId)
      throw ValidationError.field(
        [...path, 'label'],
        'onesignal_id is assigned by OneSignal and cannot be set.',
      );
    if (!isUuid(alias.id)) throw ValidationError.field([...path, 'id'], 'a onesignal_id is a UUID.');
    return { label, id: alias.id.toLowerCase() };
  }
  return { label, id: alias.id };
}

/** Drops every cached view of a user (by the reference used and by the aliases it had) and reads it again. */
export async function reloadUser(ctx: Context, key: UserKey): Promise<AppUser> {
  ctx.loaders.user.clear(key);
  const fresh = await upstream(ctx.loaders.user.load(key));
  ctx.loaders.forgetUser(fresh);
  ctx.loaders.user.prime(key, fresh);
  ctx.loaders.primeUser(fresh);
  return fresh;
}
