/**
 * The README and docs/ link to each other's sections. Every relative link must reach a file that
 * exists and, when it names an anchor, a heading of that file (GitHub's anchor for it), so moving a
 * section between pages cannot leave a link pointing nowhere.
 */
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGES, ROOT, readPage } from './pages.js';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** A page's text without its code blocks, where `#` and `](` mean something else. */
const prose = (page: string) => readPage(page).replace(/```[\s\S]*?```/g, '');

const anchorsOf = (page: string) =>
  new Set([...prose(page).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] as string)));

const links = PAGES.flatMap((page) =>
  [...prose(page).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => ({ page, target })),
);

describe('links between the README and docs/', () => {
  it('are there to check', () => {
    expect(links.length).toBeGreaterThan(20);
  });

  it.each(links.map(({ page, target }) => [page, target]))('%s → %s resolves', (page, target) => {
    const [path, hash] = (target as string).split('#') as [string, string | undefined];
    const file = path === '' ? (page as string) : normalize(join(dirname(page as string), path));
    expect(existsSync(join(ROOT, file)), file).toBe(true);
    if (hash !== undefined) expect([...anchorsOf(file)], `#${hash}`).toContain(hash);
  });
});
