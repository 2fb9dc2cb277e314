/**
 * docs/configuration.md claims to list every environment variable the server reads. Both directions
 * are checked against the sources: each documented name is read somewhere in src/, and each name the
 * server reads (through `env.NAME`, `env['NAME']` or one of its `read*('NAME')` helpers) is documented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readPage } from './pages.js';

/** Every .ts file of src/, outside the emulator (whose flags docs/emulator.md lists). */
function sources(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'emulator' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
const SOURCE = sources()
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const CONFIGURATION = readPage('docs/configuration.md');
const EMULATOR = readPage('docs/emulator.md');

/** The variables named in the first column of configuration.md's tables. */
const documented = [...CONFIGURATION.matchAll(/^\| (.+?) \|/gm)]
  .flatMap((m) => [...(m[1] as string).matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((n) => n[1] as string))
  .filter((name) => name !== 'Variable');

/** Names the server reads from the environment, the way src/ reads them. */
const read = [
  ...new Set(
    [
      ...SOURCE.matchAll(
        /\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])|\bread(?:Ms|Port)?\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
      ),
    ].map((m) => (m[1] ?? m[2] ?? m[3]) as string),
  ),
]
  // Node's own, named in the docs where it matters (HEAP_GROWING_PERCENT) but not ours to configure.
  .filter((name) => name !== 'NODE_OPTIONS');

describe('docs/configuration.md', () => {
  it('lists variables in tables', () => {
    expect(documented.length).toBeGreaterThan(40);
  });

  it('documents only variables the server reads', () => {
    for (const name of documented) expect(SOURCE, name).toContain(name);
  });

  it("documents every variable the server reads (the embedded emulator's with the emulator)", () => {
    expect(read.length).toBeGreaterThan(15);
    for (const name of read) {
      const where = documented.includes(name) || EMULATOR.includes(`\`${name}\``);
      expect(where, name).toBe(true);
    }
  });
});
