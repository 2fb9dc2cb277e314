import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import { getPath } from 'hono/utils/url';
import { recordAudit } from './audit-log.js';
import { requireAppKey, requireUserKey, tokenOf } from './auth.js';
import type { EventStreamEmitter } from './event-stream.js';
import { type FaultKind, Faults, parseFaultConfig } from './faults.js';
import { type LimitsConfig, limitBody, limitNameOf, parseLimitsConfig, RateLimits } from './limits.js';
import type { OpContext, Operation, OpResult } from './operation.js';
import { apiKeyOperations } from './routes/api-keys.js';
import { appOperations } from './routes/apps.js';
import { auditLogOperations } from './routes/audit-logs.js';
import { customEventOperations } from './routes/custom-events.js';
import { emailOperations } from './routes/email.js';
import { inAppMessageOperations } from './routes/in-app-messages.js';
import { journeyOperations } from './routes/journeys.js';
import { liveActivityOperations } from './routes/live-activities.js';
import { liveActivityStartOperations } from './routes/live-activity-start.js';
import { exportReady, notificationOperations } from './routes/notifications.js';
import { outcomeOperations } from './routes/outcomes.js';
import { playerOperations } from './routes/players.js';
import { recipientEstimateOperations } from './routes/recipient-estimate.js';
import { segmentOperations } from './routes/segments.js';
import { subscriptionByTokenOperations } from './routes/subscriptions-by-token.js';
import { templateOperations } from './routes/templates.js';
import { userOperations } from './routes/users.js';
import { createStore } from './seed.js';
import type { AppState, Store } from './store.js';
import type { EmulatorStats, FaultConfig, Pacing } from './types.js';
import { ApiError, fail, isObject, nowSeconds } from './util.js';

export const OPERATIONS: Operation[] = [
  ...notificationOperations,
  ...appOperations,
  ...segmentOperations,
  ...templateOperations,
  ...outcomeOperations,
  ...liveActivityOperations,
  ...userOperations,
  ...playerOperations,
  ...apiKeyOperations,
  ...customEventOperations,
  ...subscriptionByTokenOperations,
  ...recipientEstimateOperations,
  ...inAppMessageOperations,
  ...liveActivityStartOperations,
  ...emailOperations,
  ...auditLogOperations,
  ...journeyOperations,
];

/** The mutable state behind one running emulator: store, counters, faults. */
export class EmulatorCore {
  store: Store;
  readonly faults: Faults;
  readonly limits: RateLimits;
  private counts = new Map<string, number>();
  private countsByApp = new Map<string, Map<string, number>>();
  private total = 0;
  /**
   * The bodies of the last requests, per operation, exactly as they arrived: tests read what
   * OneSignal would have received (a view answers some fields transformed, e.g. `send_after` in Unix
   * seconds). Bounded, oldest out first.
   */
  private received = new Map<string, unknown[]>();
  /** Pacing of sends and exports; at once unless `startEmulator({ pacing })` says otherwise. */
  pacing: Pacing = { deliveryMs: 0, exportMs: 0 };
  /** Event Streams: where each send's per-recipient events go (`startEmulator({ eventStream })`). */
  eventStream: EventStreamEmitter | undefined;

  constructor(
    store: Store,
    readonly userAuthKey: string,
    private readonly seed: boolean,
    private readonly initialFaults: FaultConfig | null,
    private readonly initialLimits: LimitsConfig | null = null,
  ) {
    this.store = store;
    this.faults = new Faults(initialFaults);
    this.limits = new RateLimits(initialLimits);
  }

  count(operationId: string): void {
    this.total++;
    this.counts.set(operationId, (this.counts.get(operationId) ?? 0) + 1);
  }

  countForApp(appId: string, operationId: string): void {
    const app = appId.toLowerCase();
    const counts = this.countsByApp.get(app) ?? new Map<string, number>();
    counts.set(operationId, (counts.get(operationId) ?? 0) + 1);
    this.countsByApp.set(app, counts);
  }

  receive(operationId: string, body: Record<string, unknown>): void {
    const list = this.received.get(operationId) ?? [];
    list.push(body);
    if (list.length > RECEIVED_PER_OPERATION) list.shift();
    this.received.set(operationId, list);
  }

  /** The bodies `operationId` received, oldest first (at most the last RECEIVED_PER_OPERATION). */
  receivedBodies(operationId: string): unknown[] {
    return [...(this.received.get(operationId) ?? [])];
  }

  stats(): EmulatorStats {
    return {
      total: this.total,
      byOperation: Object.fromEntries(this.counts),
      byApp: Object.fromEntries(
        [...this.countsByApp].map(([app, counts]) => [app, Object.fromEntries(counts)]),
      ),
      rateLimited: this.limits.stats(),
    };
  }

  resetStats(): void {
    this.total = 0;
    this.counts = new Map();
    this.countsByApp = new Map();
    this.received = new Map();
    this.limits.resetStats();
  }

  reset(): void {
    this.store = createStore(this.seed);
    this.resetStats();
    this.faults.set(this.initialFaults);
    this.limits.set(this.initialLimits);
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const RECEIVED_PER_OPERATION = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Env = { Bindings: HttpBindings };
type Ctx = Context<Env>;

function jsonResponse(c: Ctx, status: number, body: unknown): Response {
  return c.json(body as object, status as ContentfulStatusCode);
}

function errorResponse(c: Ctx, error: unknown): Response {
  if (error instanceof ApiError) return jsonResponse(c, error.status, error.body);
  const message = error instanceof Error ? error.message : String(error);
  return jsonResponse(c, 400, { errors: [message] });
}

async function readBody(c: Ctx): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw fail(400, `Invalid JSON in request body: ${(e as Error).message}`);
  }
  if (!isObject(parsed)) throw fail(400, 'Request body must be a JSON object');
  return parsed;
}

function defaultAppId(ctx: OpContext): string | undefined {
  if (ctx.params.app_id !== undefined) return ctx.params.app_id;
  const fromQuery = ctx.query.get('app_id');
  if (fromQuery !== null) return fromQuery;
  return typeof ctx.body.app_id === 'string' ? ctx.body.app_id : undefined;
}

async function execute(core: EmulatorCore, op: Operation, c: Ctx): Promise<Response> {
  try {
    const url = new URL(c.req.url);
    const ctx: OpContext = {
      store: core.store,
      params: c.req.param() as Record<string, string>,
      query: url.searchParams,
      body: BODY_METHODS.has(op.method) ? await readBody(c) : {},
      baseUrl: url.origin,
      now: nowSeconds(),
      pacing: core.pacing,
    };
    if (BODY_METHODS.has(op.method)) core.receive(op.id, ctx.body);
    const appId = op.auth === 'app' && op.appId ? op.appId(ctx) : defaultAppId(ctx);
    if (appId) core.countForApp(appId, op.id);
    const header = c.req.header('authorization');
    let result: OpResult;
    if (op.auth === 'user') {
      requireUserKey(header, core.userAuthKey);
      result = op.handler(ctx);
    } else {
      const app = requireAppKey(core.store, header, appId);
      const hit = core.limits.check(op.id, app.id, ctx);
      if (hit) {
        c.header('Retry-After', String(hit.retryAfterSeconds));
        return jsonResponse(c, 429, limitBody(hit));
      }
      result = op.handler({ ...ctx, app });
      if (op.id === 'create_notification' && core.eventStream)
        streamSend(core.eventStream, app, result, core.pacing);
    }
    recordAudit(core.store, op.id, ctx, result, {
      key: tokenOf(header),
      userAuthKey: core.userAuthKey,
      ip: c.env?.incoming?.socket?.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: c.req.header('user-agent') ?? '',
    });
    for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value);
    if (result.body === undefined) return c.body(null, result.status as StatusCode);
    return jsonResponse(c, result.status, result.body);
  } catch (error) {
    return errorResponse(c, error);
  }
}

/** A send that reached someone: its recipients' events go to the Event Stream as it delivers. */
function streamSend(stream: EventStreamEmitter, app: AppState, result: OpResult, pacing: Pacing): void {
  const id = (result.body as { id?: unknown } | undefined)?.id;
  if (result.status !== 200 || typeof id !== 'string' || !id || result.headers?.['Idempotent-Replayed'])
    return;
  const n = app.notifications.get(id);
  if (n) stream.delivering(app, n, pacing.deliveryMs);
}

function injectedFault(core: EmulatorCore, op: Operation, c: Ctx, fault: FaultKind): Response {
  if (fault === 'rate-limit') {
    c.header('Retry-After', String(core.faults.retryAfterSeconds));
    const name = limitNameOf(op.id);
    return jsonResponse(c, 429, {
      errors: [{ code: 'rate-limit-exceeded', title: 'API rate limit exceeded' }],
      ...(name && { limit: { name, injected: true } }),
    });
  }
  if (fault === 'drop' || fault === 'lost-answer') {
    const socket = c.env?.incoming?.socket;
    if (socket) {
      socket.destroy();
      return new Response(null);
    }
  }
  return jsonResponse(c, core.faults.serverErrorStatus, {
    errors: ['Internal server error (injected by the emulator)'],
  });
}

async function handle(core: EmulatorCore, op: Operation, c: Ctx): Promise<Response> {
  core.count(op.id);
  const decision = core.faults.decide(op.id);
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  const before = decision.fault !== 'lost-answer' && decision.when === 'before';
  if (decision.fault === 'rate-limit' || (decision.fault && before))
    return injectedFault(core, op, c, decision.fault);
  const response = await execute(core, op, c);
  // 'after' and lost answers: the operation ran (state changed) but the client never sees its answer.
  if (decision.fault === 'lost-answer') return injectedFault(core, op, c, 'drop');
  return decision.fault ? injectedFault(core, op, c, decision.fault) : response;
}

/** The Hono app: every operation at the API root and under /api/v1, plus the /__emulator hooks. */
export function createHttpApp(core: EmulatorCore): Hono<Env> {
  const app = new Hono<Env>({
    getPath: (req) => {
      const path = getPath(req);
      if (path.startsWith('/api/v1/')) return path.slice(7);
      return path === '/api/v1' ? '/' : path;
    },
  });

  app.get('/__emulator/health', (c) => c.json({ ok: true }));
  app.get('/__emulator/stats', (c) => c.json(core.stats()));
  // What one operation's last requests carried, as sent: `?operation=create_notification`.
  app.get('/__emulator/received', (c) => c.json(core.receivedBodies(c.req.query('operation') ?? '')));
  app.delete('/__emulator/stats', (c) => {
    core.resetStats();
    return c.json(core.stats());
  });
  app.post('/__emulator/reset', (c) => {
    core.reset();
    return c.json({ success: true });
  });
  app.get('/__emulator/faults', (c) => c.json(core.faults.get()));
  app.post('/__emulator/faults', async (c) => {
    try {
      core.faults.set(parseFaultConfig(await readBody(c)));
      return c.json(core.faults.get());
    } catch (error) {
      return errorResponse(c, error);
    }
  });
  app.delete('/__emulator/faults', (c) => {
    core.faults.set(null);
    return c.json(core.faults.get());
  });
  app.get('/__emulator/limits', (c) => c.json(core.limits.get()));
  app.post('/__emulator/limits', async (c) => {
    try {
      core.limits.set(parseLimitsConfig(await readBody(c)));
      return c.json(core.limits.get());
    } catch (error) {
      return errorResponse(c, error);
    }
  });
  app.delete('/__emulator/limits', (c) => {
    core.limits.set(null);
    return c.json(core.limits.get());
  });
  // Which in-app messages a journey shows, until the journeys API records it itself: what makes
  // delete_in_app_message refuse. `{ app_id, journey_id, in_app_message_ids }`; an empty list releases.
  app.post('/__emulator/in-app-usage', async (c) => {
    try {
      const body = await readBody(c);
      const state =
        typeof body.app_id === 'string' ? core.store.apps.get(body.app_id.toLowerCase()) : undefined;
      if (!state) return c.json({ errors: ['app_id: no such app'] }, 404);
      const ids = body.in_app_message_ids;
      if (typeof body.journey_id !== 'string' || !body.journey_id)
        return c.json({ errors: ['journey_id must be a non-empty string'] }, 400);
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
        return c.json({ errors: ['in_app_message_ids must be an array of strings'] }, 400);
      state.inAppMessageUsage.set(
        body.journey_id,
        ids.map((id) => (id as string).toLowerCase()),
      );
      return c.json({ journey_id: body.journey_id, in_app_message_ids: ids });
    } catch (error) {
      return errorResponse(c, error);
    }
  });
  app.get('/__emulator/exports/:file', (c) => {
    const content = core.store.exports.get(c.req.param('file'));
    if (content === undefined) return c.json({ errors: ['Export not found'] }, 404);
    // As OneSignal's storage does while the file is being built.
    if (!exportReady(core.store, c.req.param('file')))
      return c.json({ errors: ['Export not ready yet'] }, 403);
    return c.body(content, 200, { 'content-type': 'text/csv; charset=utf-8' });
  });

  for (const op of OPERATIONS) app.on(op.method, op.path, (c) => handle(core, op, c));

  app.notFound((c) => c.json({ errors: ['Not found'] }, 404));
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
