/**
 * The layer rules of `.dependency-cruiser.cjs`, which `npm run lint` runs on src/: each one is shown
 * failing on a deliberate violation in a small tree of its own, and letting the imports the layers
 * allow through, so a rule that stopped matching (a renamed folder, a typo in a path pattern) cannot
 * pass silently.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the real CLI with our config over `src` in `cwd`; its JSON report, exit code aside. */
function cruise(cwd: string): Violation[] {
  let out: string;
  try {
    out = execFileSync(DEPCRUISE, ['src', '--config', CONFIG, '--output-type', 'json'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Violations make it exit non-zero; the report is still on stdout.
    out = (error as { stdout?: string }).stdout ?? '';
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

/** Each file imports the files listed; every file exports one constant. */
type Tree = Record<string, string[]>;

function writeTree(dir: string, tree: Tree) {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  for (const [file, imports] of Object.entries(tree)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    const lines = imports.map((target, i) => {
      let spec = join('/', target).replace(/\.ts$/, '.js');
      spec = relativeSpecifier(join('/', file), spec);
      return `import { value as v${i} } from '${spec}';`;
    });
    const uses = imports.map((_, i) => `v${i}`).join(', ');
    writeFileSync(path, `${lines.join('\n')}\nexport const value = [${uses}];\n`);
  }
}

function relativeSpecifier(fromFile: string, toFile: string): string {
  const from = dirname(fromFile).split('/').filter(Boolean);
  const to = toFile.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

describe('the layer rules (.dependency-cruiser.cjs)', () => {
  let dir: string;
  let violations: Violation[];

  /** The rules that fired for an import from `from` to `to`. */
  const rulesFor = (from: string, to: string) =>
    violations.filter((v) => v.from === from && v.to === to).map((v) => v.rule.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'layers-'));
    writeTree(dir, {
      // Allowed: each layer importing the one below it, the process importing everything, the
      // emulator reading OneSignal's documented limits.
      'src/main.ts': ['src/config.ts', 'src/http/server.ts', 'src/emulator/index.ts'],
      'src/config.ts': ['src/upstream/ok.ts'],
      'src/http/server.ts': ['src/schema/ok.ts', 'src/auth/ok.ts'],
      'src/schema/ok.ts': ['src/auth/ok.ts', 'src/loaders/ok.ts', 'src/live/ok.ts', 'src/core/errors.ts'],
      'src/auth/ok.ts': ['src/security/ok.ts', 'src/onesignal/ok.ts'],
      'src/security/ok.ts': [],
      'src/loaders/ok.ts': ['src/onesignal/ok.ts', 'src/core/errors.ts'],
      'src/live/ok.ts': ['src/upstream/ok.ts'],
      'src/upstream/ok.ts': ['src/onesignal/ok.ts'],
      'src/onesignal/ok.ts': ['src/core/errors.ts'],
      'src/onesignal/limits.ts': [],
      'src/core/errors.ts': [],
      'src/emulator/index.ts': ['src/onesignal/limits.ts'],
      // Deliberate violations, one per rule.
      'src/core/up.ts': ['src/schema/ok.ts'],
      'src/onesignal/up.ts': ['src/upstream/ok.ts'],
      'src/upstream/up.ts': ['src/live/ok.ts'],
      'src/live/up.ts': ['src/loaders/ok.ts'],
      'src/loaders/up.ts': ['src/schema/ok.ts'],
      'src/auth/up.ts': ['src/schema/ok.ts'],
      'src/schema/up.ts': ['src/http/server.ts'],
      'src/http/up.ts': ['src/config.ts'],
      'src/schema/starts-emulator.ts': ['src/emulator/index.ts'],
      'src/emulator/reaches-in.ts': ['src/upstream/ok.ts'],
      'src/schema/a.ts': ['src/schema/b.ts'],
      'src/schema/b.ts': ['src/schema/a.ts'],
    });
    violations = cruise(dir);
  }, 30_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('let every import that runs down the layers through', () => {
    const allowed = violations.filter((v) => !/\/(up|starts-emulator|reaches-in|a|b)\.ts$/.test(v.from));
    expect(allowed).toEqual([]);
  });

  it.each([
    ['src/core/up.ts', 'src/schema/ok.ts', 'core-imports-only-down'],
    ['src/onesignal/up.ts', 'src/upstream/ok.ts', 'onesignal-imports-only-down'],
    ['src/upstream/up.ts', 'src/live/ok.ts', 'upstream-imports-only-down'],
    ['src/live/up.ts', 'src/loaders/ok.ts', 'live-imports-only-down'],
    ['src/loaders/up.ts', 'src/schema/ok.ts', 'loaders-imports-only-down'],
    ['src/auth/up.ts', 'src/schema/ok.ts', 'auth-imports-only-down'],
    ['src/schema/up.ts', 'src/http/server.ts', 'schema-imports-only-down'],
    ['src/http/up.ts', 'src/config.ts', 'nothing-imports-the-process'],
    ['src/schema/starts-emulator.ts', 'src/emulator/index.ts', 'only-main-starts-the-emulator'],
    ['src/emulator/reaches-in.ts', 'src/upstream/ok.ts', 'emulator-stands-apart'],
    ['src/schema/a.ts', 'src/schema/b.ts', 'no-circular'],
  ])('refuse %s importing %s (%s)', (from, to, rule) => {
    expect(rulesFor(from, to)).toContain(rule);
  });
});
