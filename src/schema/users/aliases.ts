/** A user's aliases (`Alias`, `AliasInput`) and the one-of user reference input built on them. */
import { ValidationError } from '../../core/errors.js';
import { builder } from '../builder.js';
import { type AliasShape, UserRefInput, validateAlias } from './refs.js';

export const AliasRef = builder.objectRef<AliasShape>('Alias').implement({
  description:
    'One identity of a user: a label (`onesignal_id`, `external_id` or your own) and the id under it.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'Alias label, e.g. `external_id`.' }),
    id: t.exposeString('id', { description: 'The id under that label.' }),
  }),
});

export const AliasInput = builder.inputType('AliasInput', {
  description: 'One alias: a label and an id.',
  fields: (t) => ({
    label: t.string({ required: true, description: 'Alias label, e.g. `external_id` or one of your own.' }),
    id: t.string({ required: true, description: 'The id under that label.' }),
  }),
});

/**
 * `@oneOf`: GraphQL itself refuses both or neither member, before any resolver runs, and
 * src/http/one-of-errors.ts gives that refusal our `VALIDATION_FAILED` code and the input's path.
 */
UserRefInput.implement({
  description: 'Identifies a user of an app: exactly one of `byId` and `byAlias`.',
  isOneOf: true,
  fields: (t) => ({
    byId: t.field({ type: 'UUID', description: "The user's OneSignal id (`User.oneSignalId`)." }),
    byAlias: t.field({
      type: AliasInput,
      description: 'Any alias of the user, e.g. `{ label: "external_id", id: "u-42" }`.',
    }),
  }),
});

/** Validates aliases to add: at least one, unique labels, never onesignal_id. */
export function aliasesToIdentity(aliases: readonly AliasShape[], path: string[]): Record<string, string> {
  if (aliases.length === 0) throw ValidationError.field(path, 'must contain at least one alias.');
  const identity: Record<string, string> = {};
  aliases.forEach((a, i) => {
    const alias = validateAlias(a, [...path, String(i)], { allowOneSignalId: false });
    if (alias.label in identity)
      throw ValidationError.field([...path, String(i), 'label'], `"${alias.label}" appears twice.`);
    identity[alias.label] = alias.id;
  });
  return identity;
}
