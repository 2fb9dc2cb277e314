/**
 * `npm run bench:profile`: where our server spends its CPU under the peer bench's load. Starts the
 * peer bench's stub (DELAY_MS, default 0) and `node --cpu-prof dist/main.mjs` with every feature on
 * (as bench/peer.ts runs it), loads it with autocannon at 50 connections for DUR s (default 10) after
 * a 2 s warm-up, with the peer bench's app query or QUERY, stops it with SIGINT so V8 writes the
 * profile, and prints req/s and the profile by module (self and inclusive, top 40) and by function
 * (self, top 30). The .cpuprofile is kept; it opens in Chrome DevTools or speedscope.
 *
 *   npm run bench:profile                           # builds first
 *   DUR=5 DELAY_MS=20 npx tsx bench/cpu-profile.ts
 *   CACHE=off npx tsx bench/cpu-profile.ts        # the uncached path
 *   npx tsx bench/cpu-profile.ts <file.cpuprofile>  # only analyse a profile of the current dist/
 *   CALLERS=<function name> …                       # also the stacks that call that function
 *
 * The bundle is a few files, so a sample's line in dist/main.mjs or dist/chunks/*.mjs is mapped back
 * to its module through the `// src/…` and `// node_modules/<pkg>/…` comments esbuild writes before
 * each module; packages collapse to their name, node internals to `node:<two path parts>`. The
 * profile covers start-up, warm-up and shutdown too (V8 profiles the whole process). Uses WORKDIR and
 * PORT_OFFSET like bench/peer.ts; the machine's cores are shared with the stub and autocannon.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stopChild } from './lib/children.js';
import { HOST, ROOT } from './lib/stack.js';
import { type AutocannonOptions, loadAutocannon, probe } from './peer/autocannon.js';
import {
  type Child,
  ensurePeerSetup,
  log,
  makeToken,
  startOurs,
  startStub,
  stubTotal,
  waitPortsFree,
} from './peer/servers.js';
import { OURS_PORT, OURS_QUERY, STUB_PORT } from './peer/settings.js';

const DUR = Number(process.env.DUR ?? 10);
const DELAY_MS = Number(process.env.DELAY_MS ?? 0);
const QUERY = process.env.QUERY ?? OURS_QUERY;
/** CACHE=off profiles the uncached path (the server's other settings are bench/peer.ts's). */
const SERVER_ENV: Record<string, string> = process.env.CACHE ? { CACHE: process.env.CACHE } : {};
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const WARMUP_S = 2;
const TOP_MODULES = 40;
const TOP_FUNCTIONS = 30;
const CALLER_DEPTH = 6;
const CALLER_STACKS = 8;

// --- The profile's shape (V8 / Chrome DevTools .cpuprofile) --------------------------------------

interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based. */
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** µs. */
  startTime: number;
  endTime: number;
  /** The node on top of the stack at each sample. */
  samples: number[];
}

// --- Lines of the bundle → modules ---------------------------------------------------------------

const MODULE_COMMENT = /^\/\/ ((?:src|node_modules)\/\S+)/;

/** `node_modules/a/node_modules/@b/c/x.js` → `@b/c`; `src/…` stays as it is. */
function moduleName(path: string): string {
  if (!path.includes('node_modules/')) return path;
  const inner = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return /^(@[^/]+\/)?[^/]+/.exec(inner)?.[0] ?? inner;
}

/** For each 0-based line of a bundle file, the module esbuild placed there. */
function moduleTable(source: string, file: string): string[] {
  // Before the first module comment: imports of the chunks and esbuild's runtime helpers.
  let current = `(bundle ${file})`;
  return source.split('\n').map((line) => {
    const m = MODULE_COMMENT.exec(line);
    if (m?.[1]) current = moduleName(m[1]);
    return current;
  });
}

/** Every .mjs of dist/, read now, so a rebuild during the run cannot shift the lines. */
function snapshotBundle(): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const dir of ['dist', 'dist/chunks']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.mjs'));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(ROOT, dir, name);
      tables.set(pathToFileURL(file).href, moduleTable(readFileSync(file, 'utf8'), `${dir}/${name}`));
    }
  }
  return tables;
}

function moduleOf(frame: CallFrame, bundle: Map<string, string[]>): string {
  const { url, functionName, lineNumber } = frame;
  const table = bundle.get(url);
  if (table) return table[lineNumber] ?? '(bundle)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (url.includes('/node_modules/')) return moduleName(url);
  if (url === '')
    return !functionName || functionName.startsWith('(')
      ? functionName || '(native)'
      : `(native) ${functionName}`;
  return url.startsWith('file:') ? relative(ROOT, fileURLToPath(url)) : url;
}

// --- Analysis ---------------------------------------------------------------------------------------

interface Analysis {
  totalSamples: number;
  msPerSample: number;
  selfByModule: Map<string, number>;
  inclusiveByModule: Map<string, number>;
  selfByFunction: Map<string, number>;
}

/** Each node by id, each node's parent, and how many samples each node was on top of the stack. */
function indexProfile(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  return { byId, parent, hits };
}

function analyse(profile: CpuProfile, bundle: Map<string, string[]>): Analysis {
  const { byId, parent, hits } = indexProfile(profile);

  const moduleCache = new Map<number, string>();
  const moduleOfNode = (id: number) => {
    let m = moduleCache.get(id);
    if (m === undefined) {
      m = moduleOf(byId.get(id)!.callFrame, bundle);
      moduleCache.set(id, m);
    }
    return m;
  };
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

  const selfByModule = new Map<string, number>();
  const inclusiveByModule = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  for (const [id, n] of hits) {
    const module = moduleOfNode(id);
    add(selfByModule, module, n);
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${url.replace(/^.*\//, '')}:${lineNumber + 1}` : '';
    add(selfByFunction, `${functionName || '(anonymous)'} | ${module} | ${where}`, n);
    // A module counts once per sample however often it recurs on the stack.
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) seen.add(moduleOfNode(x));
    for (const m of seen) add(inclusiveByModule, m, n);
  }
  const totalSamples = profile.samples.length;
  return {
    totalSamples,
    msPerSample: (profile.endTime - profile.startTime) / 1000 / Math.max(1, totalSamples),
    selfByModule,
    inclusiveByModule,
    selfByFunction,
  };
}

/** The stacks (CALLER_DEPTH frames up) that call `fn`, weighted by samples under each call. */
function callers(profile: CpuProfile, fn: string): [string, number][] {
  const { byId, parent, hits } = indexProfile(profile);
  const under = new Map<number, number>();
  const total = (id: number): number => {
    let s = hits.get(id) ?? 0;
    for (const c of byId.get(id)?.children ?? []) s += total(c);
    under.set(id, s);
    return s;
  };
  if (profile.nodes[0]) total(profile.nodes[0].id);
  const stacks = new Map<string, number>();
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== fn) continue;
    const chain: string[] = [];
    let x = parent.get(n.id);
    for (let i = 0; i < CALLER_DEPTH && x !== undefined; i++, x = parent.get(x)) {
      const f = byId.get(x)!.callFrame;
      chain.push(`${f.functionName || '(anonymous)'}@${f.url.replace(/.*\//, '')}:${f.lineNumber + 1}`);
    }
    const key = chain.join(' < ');
    stacks.set(key, (stacks.get(key) ?? 0) + (under.get(n.id) ?? 0));
  }
  return [...stacks].sort((a, b) => b[1] - a[1]).slice(0, CALLER_STACKS);
}

function printAnalysis(profile: CpuProfile, a: Analysis) {
  const pct = (n: number) => `${((100 * n) / Math.max(1, a.totalSamples)).toFixed(1)} %`;
  const ms = (n: number) => Math.round(n * a.msPerSample).toLocaleString('en-US');
  const top = (m: Map<string, number>, n: number) => [...m].sort((x, y) => y[1] - x[1]).slice(0, n);
  const idle = a.selfByModule.get('(idle)') ?? 0;
  const out: string[] = [
    `${a.totalSamples.toLocaleString('en-US')} samples over ${ms(a.totalSamples)} ms ` +
      `(${a.msPerSample.toFixed(2)} ms each); idle ${pct(idle)}. Percentages are of all samples.`,
    '',
  ];
  for (const [title, map] of [
    ['Self time by module', a.selfByModule],
    ['Inclusive time by module (each module once per sample)', a.inclusiveByModule],
  ] as const) {
    out.push(`## ${title} (top ${TOP_MODULES})`, '', '| % | ms | module |', '|--:|--:|---|');
    for (const [k, v] of top(map, TOP_MODULES)) out.push(`| ${pct(v)} | ${ms(v)} | ${k} |`);
    out.push('');
  }
  out.push(
    `## Functions by self time (top ${TOP_FUNCTIONS})`,
    '',
    '| % | ms | function | module | where |',
    '|--:|--:|---|---|---|',
  );
  for (const [k, v] of top(a.selfByFunction, TOP_FUNCTIONS)) {
    const [fn, module, where] = k.split(' | ');
    out.push(`| ${pct(v)} | ${ms(v)} | ${fn} | ${module} | ${where} |`);
  }
  const fn = process.env.CALLERS;
  if (fn) {
    out.push('', `## Callers of ${fn} (${CALLER_DEPTH} frames up, samples under each call)`, '');
    for (const [stack, n] of callers(profile, fn)) out.push(`- ${pct(n)}: ${stack}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

// --- Run under load ---------------------------------------------------------------------------------

async function profileUnderLoad(): Promise<string> {
  ensurePeerSetup();
  const autocannon = await loadAutocannon();
  const auth = makeToken();
  await waitPortsFree([STUB_PORT, OURS_PORT]);
  const profileDir = mkdtempSync(join(tmpdir(), 'ours-cpu-prof-'));
  const stub = await startStub(DELAY_MS);
  let ours: Child | undefined;
  try {
    ours = await startOurs('ours (profiled)', auth, OURS_PORT, 'profile-ours', SERVER_ENV, [
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
    ]);
    const url = `http://${HOST}:${OURS_PORT}/graphql`;
    const headers = { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ query: QUERY });
    const p = await probe(url, headers, body);
    if (!p.ok) throw new Error(`probe failed: HTTP ${p.status} ${p.text.slice(0, 500)}`);
    const opts: AutocannonOptions = {
      url,
      method: 'POST',
      headers,
      body,
      connections: CONNECTIONS,
      duration: DUR,
      verifyBody: p.verify,
    };
    log(
      `loading ours: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DUR} s, stub delay ${DELAY_MS} ms`,
    );
    const warm = await autocannon({ ...opts, duration: WARMUP_S });
    const stubBefore = await stubTotal();
    const run = await autocannon(opts);
    const upstream = (await stubTotal()) - stubBefore;
    const wrong = warm.mismatches + run.mismatches + warm.non2xx + run.non2xx + warm.errors + run.errors;
    process.stdout.write(
      `# CPU profile of ours: ${CONNECTIONS} connections, ${DUR} s, stub delay ${DELAY_MS} ms\n\n` +
        `Query: \`${QUERY}\`\n\n` +
        `${Math.round(run.requests.average).toLocaleString('en-US')} req/s, p50 ${run.latency.p50} ms, ` +
        `p99 ${run.latency.p99} ms, ${(upstream / Math.max(1, run.requests.total)).toFixed(3)} upstream calls/req; ` +
        (wrong
          ? `⚠ ${warm.mismatches + run.mismatches} mismatches, ${warm.non2xx + run.non2xx} non-2xx, ${warm.errors + run.errors} errors`
          : 'every response matched the probe') +
        '.\n\n',
    );
  } finally {
    // SIGINT: the server shuts down gracefully, and V8 writes the profile on the way out.
    if (ours) await stopChild(ours, 'SIGINT', 20_000);
    await stopChild(stub);
  }
  const file = readdirSync(profileDir).find((n) => n.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the server wrote no .cpuprofile into ${profileDir}`);
  return join(profileDir, file);
}

async function main() {
  const given = process.argv[2];
  // Read before the server starts: the profile's line numbers are those of this build.
  const bundle = snapshotBundle();
  if (!given && !bundle.has(pathToFileURL(join(ROOT, 'dist', 'main.mjs')).href))
    throw new Error('no dist/main.mjs: run `npm run build` first');
  const file = given ?? (await profileUnderLoad());
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  printAnalysis(profile, analyse(profile, bundle));
  process.stdout.write(`\nProfile: ${file} (opens in Chrome DevTools or https://www.speedscope.app)\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
