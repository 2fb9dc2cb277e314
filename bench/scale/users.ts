/**
 * The simulated dashboard users: each opens its app's dashboard, reads it for a while (the think
 * time), and loads it again, until the run ends. Loads go to the replicas in turn, as a round-robin
 * balancer sends them, over one keep-alive pool of sockets per replica, as a balancer keeps to its
 * upstreams: 10,000 users are a few hundred loads a second, not 10,000 sockets.
 */
import { Agent, request } from 'node:http';
import { sleep } from '../lib/children.js';
import { dashboardQuery } from '../lib/dashboard.js';

export interface UsersOptions {
  /** The replicas' GraphQL URLs. */
  replicas: string[];
  appIds: string[];
  usersPerApp: number;
  /** Users stop starting loads after this; loads in flight then finish. */
  seconds: number;
  /** Each user's think time is uniform in [min, max] seconds, drawn anew after every load. */
  thinkSeconds: { min: number; max: number };
  /** A load not answered within this counts as failed, as a dashboard gives up on it. */
  timeoutMs: number;
  /** Sockets per replica. */
  socketsPerReplica: number;
}

export interface Load {
  app: number;
  /** When it was sent (performance.now()). */
  at: number;
  ms: number;
  ok: boolean;
  /** Why it failed: `http <status>`, a GraphQL error code, `timeout`, or the socket error. */
  failure?: string;
  /** Upstream calls the server made for this load (its `extensions.upstream.calls`). */
  upstreamCalls: number;
}

interface Answer {
  data?: { app?: { notifications?: { nodes?: unknown[] } | null } | null } | null;
  errors?: { extensions?: { code?: string } }[];
  extensions?: { upstream?: { calls?: number } };
}

/** POSTs bodies to `url` over a keep-alive pool of `sockets`; the deadline includes the wait for one. */
function poster(url: string, sockets: number) {
  // With a timeout of its own the agent heeds the server's `Keep-Alive: timeout=5` and drops an idle
  // socket a second before the server closes it; without one Node ignores the hint, and a load sent
  // on a socket the server is closing meets ECONNRESET (2 in 30,000 loads did).
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, timeout: 60_000 });
  const { hostname, port, pathname } = new URL(url);
  const post = (body: string, timeoutMs: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: hostname,
          port,
          path: pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/** A seeded generator (mulberry32), so each run draws the same schedule. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function loadOnce(
  post: ReturnType<typeof poster>['post'],
  body: string,
  app: number,
  timeoutMs: number,
): Promise<Load> {
  const started = performance.now();
  const done = (ok: boolean, failure?: string, upstreamCalls = 0): Load => ({
    app,
    at: started,
    ms: performance.now() - started,
    ok,
    ...(failure !== undefined && { failure }),
    upstreamCalls,
  });
  try {
    const { status, text } = await post(body, timeoutMs);
    if (status !== 200) return done(false, `http ${status}`);
    const answer = JSON.parse(text) as Answer;
    const calls = answer.extensions?.upstream?.calls ?? 0;
    if (answer.errors?.length) return done(false, answer.errors[0]?.extensions?.code ?? 'error', calls);
    if (!Array.isArray(answer.data?.app?.notifications?.nodes)) return done(false, 'no dashboard', calls);
    return done(true, undefined, calls);
  } catch (error) {
    return done(false, (error as Error).message === 'timeout' ? 'timeout' : (error as Error).message);
  }
}

/** Runs every user until `seconds` pass and their last loads end; answers every load. */
export async function runUsers(options: UsersOptions): Promise<Load[]> {
  const replicas = options.replicas.map((url) => poster(url, options.socketsPerReplica));
  const bodies = options.appIds.map((id) => JSON.stringify({ query: dashboardQuery(id) }));
  const { min, max } = options.thinkSeconds;
  const draw = random(22);
  const think = () => (min + draw() * (max - min)) * 1000;
  /**
   * When a user's first load comes: as if it had been loading all along (the time left of a think
   * time caught in progress, whose density is P(think > x) / mean), so loads arrive at the steady
   * rate, users ÷ mean think, from the first second rather than in a wave.
   */
  const firstLoadAfter = () => {
    const mean = (min + max) / 2;
    const seconds = draw() < min / mean ? draw() * min : max - (max - min) * Math.sqrt(draw());
    return seconds * 1000;
  };
  const end = performance.now() + options.seconds * 1000;
  const loads: Load[] = [];
  let turn = 0;
  const user = async (app: number) => {
    await sleep(Math.min(firstLoadAfter(), end - performance.now()));
    while (performance.now() < end) {
      const replica = replicas[turn++ % replicas.length]!;
      loads.push(await loadOnce(replica.post, bodies[app]!, app, options.timeoutMs));
      await sleep(Math.min(think(), Math.max(0, end - performance.now())));
    }
  };
  await Promise.all(
    options.appIds.flatMap((_, app) => Array.from({ length: options.usersPerApp }, () => user(app))),
  );
  for (const replica of replicas) replica.close();
  return loads;
}
