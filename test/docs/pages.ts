/**
 * The README and every page of docs/, read from the repository root, for the tests that hold the docs
 * to what the code does. Kept apart from test/helpers/ so these tests find the pages by one path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `README.md` first, then `docs/*.md` in name order. */
export const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

export const readPage = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** Every ```graphql block of the given pages: the examples people paste into GraphiQL. */
export const graphqlExamples = (pages: string[] = PAGES) =>
  pages.flatMap((page) => [...readPage(page).matchAll(/```graphql\n(.*?)```/gs)].map((m) => m[1] as string));
