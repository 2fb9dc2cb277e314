/**
 * Texts per language, as notifications and templates carry them: the `LocalizedText` output, its
 * input, and the mapping both ways between a `{ language, text }` list and OneSignal's
 * `{ "en": "…" }` maps. Shared by the notification send and the template mutations.
 */
import type { FieldProblem } from '../../core/errors.js';
import { builder } from '../builder.js';

export interface LocalizedText {
  language: string;
  text: string;
}

export const LocalizedTextRef = builder.objectRef<LocalizedText>('LocalizedText').implement({
  description: 'A text in one language.',
  fields: (t) => ({
    language: t.exposeString('language', { description: 'Language code, e.g. `en`, `pt`, `zh-Hans`.' }),
    text: t.exposeString('text', { description: 'The text in that language.' }),
  }),
});

export const LocalizedTextInput = builder.inputType('LocalizedTextInput', {
  description: 'A text in one language.',
  fields: (t) => ({
    language: t.string({
      required: true,
      description: 'Language code, e.g. `en`, `pt`, `zh-Hans`. English is required as the fallback.',
    }),
    text: t.string({ required: true, description: 'The text in that language; must not be empty.' }),
  }),
});

/** OneSignal's per-language map as a list, skipping values that are not text. */
export function localized(map: Record<string, unknown> | null | undefined): LocalizedText[] {
  if (!map || typeof map !== 'object') return [];
  return Object.entries(map)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([language, text]) => ({ language, text }));
}

/** The text of `map` in one language; null when it has none in that language. */
export const localizedIn = (map: Record<string, unknown> | null | undefined, language: string) =>
  localized(map).find((c) => c.language === language)?.text ?? null;

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

/** Validates a `{ language, text }` list (problems under `path`) into OneSignal's per-language map. */
export function localizedMap(
  list: LocalizedText[],
  path: string[],
  problems: FieldProblem[],
  requireEnglish: boolean,
) {
  const map: Record<string, string> = {};
  list.forEach((item, i) => {
    if (!LANGUAGE.test(item.language))
      problems.push({
        path: [...path, String(i), 'language'],
        message: `"${item.language}" is not a language code like "en" or "zh-Hans".`,
      });
    else if (map[item.language] !== undefined)
      problems.push({
        path: [...path, String(i), 'language'],
        message: `"${item.language}" is given twice.`,
      });
    if (!item.text.trim())
      problems.push({ path: [...path, String(i), 'text'], message: 'must not be empty.' });
    map[item.language] = item.text;
  });
  if (list.length === 0)
    problems.push({ path, message: 'give at least one language, or leave the field out.' });
  else if (requireEnglish && map.en === undefined)
    problems.push({ path, message: 'needs an English ("en") entry, the fallback for other languages.' });
  return map;
}
