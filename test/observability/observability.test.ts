import { PassThrough } from 'node:stream';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import { Observability } from '../../src/observability/index.js';
import { Readiness } from '../../src/observability/readiness.js';
import { createOneSignalClient } from '../../src/upstream/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const KEYS = [DEMO.userAuthKey, ...Object.values(demoAppKeys())];
// Sent with an extra `marker` variable the document does not declare: variable values must never
// reach a log line or a span.
const DASHBOARD = `query Dashboard($app: UUID!) {
  app(id: $app) { name notifications(first: 3) { totalCount nodes { id } } }
  segmentsPage: app(id: $app) { segments(first: 2) { totalCount } }
}`;

/** A server on the sources whose log lines, metrics and spans the tests read. */
let stack: Stack;
let observability: Observability;
let spans: InMemorySpanExporter;
const lines: Record<string, unknown>[] = [];
let raw = '';

beforeAll(async () => {
  const logs = new PassThrough();
  logs.on('data', (chunk) => {
    raw += String(chunk);
    for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
  });
  spans = new InMemorySpanExporter();
  observability = await Observability.create({
    logFormat: 'json',
    logDestination: logs,
    spanExporter: spans,
  });
  stack = await startStack({ onAttempt: observability.attempt }, { observability });
});
afterAll(async () => {
  await stack?.close();
  await observability?.close();
});
beforeEach(() => {
  stack.emulator.resetStats();
  stack.emulator.setFaults(null);
  spans.reset();
});

const totalUpstream = () => Object.values(stack.upstreamCalls()).reduce((a, b) => a + b, 0);
const requestLine = (id: string) =>
  lines.find((l) => l.requestId === id && l.msg === 'graphql request') as
    | {
        status: number;
        operationName: string;
        operationType: string;
        caller: string;
        durationMs: number;
        errorCodes?: string[];
        upstream: { calls: number; retries: number; failures: number; queuedMs: number };
      }
    | undefined;

async function post(body: unknown, requestId: string) {
  const res = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(body),
  });
  await res.text();
  // The line is written when the response finishes; give the stream a tick.
  await new Promise((r) => setTimeout(r, 20));
  return res;
}

describe('the log line of a request', () => {
  it('tells what the request was, who asked, how it ended and what it cost upstream', async () => {
    const res = await post(
      {
        query: DASHBOARD,
        operationName: 'Dashboard',
        variables: { app: SHOP, marker: 'secret-variable-value-42' },
      },
      'dash-1',
    );
    expect(res.headers.get('x-request-id')).toBe('dash-1');
    const line = requestLine('dash-1');
    expect(line).toMatchObject({
      status: 200,
      operationName: 'Dashboard',
      operationType: 'query',
      caller: 'anonymous',
    });
    expect(line!.durationMs).toBeGreaterThan(0);
    expect(line!.upstream).toEqual({
      calls: totalUpstream(),
      retries: 0,
      failures: 0,
      queuedMs: expect.any(Number),
      cacheHits: 0,
      sharedReads: 0,
      oldestDataMs: 0,
    });
    expect(line!.upstream.calls).toBe(3);
    expect(line!.errorCodes).toBeUndefined();
    expect(raw).not.toContain('secret-variable-value-42');
  });

  it('makes a request id when the client sends none (or an unusable one), and returns it', async () => {
    const res = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id with spaces' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists the error codes of a refused request, and logs upstream retries and failures at warn', async () => {
    await post({ query: '{ app(id: "not-a-uuid") { name } }' }, 'bad-1');
    // HTTP 200: the request accepted plain application/json, where GraphQL-over-HTTP keeps 200.
    expect(requestLine('bad-1')).toMatchObject({
      status: 200,
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      upstream: { calls: 0 },
    });

    stack.emulator.setFaults({ serverErrorRate: 1, serverErrorStatus: 503, times: 1 });
    await post({ query: `{ app(id: "${SHOP}") { segments(first: 1) { totalCount } } }` }, 'retry-1');
    const line = requestLine('retry-1');
    expect(line?.upstream).toMatchObject({ retries: 1, failures: 0 });
    expect(line?.upstream.calls).toBe(totalUpstream());
    const warning = lines.find((l) => l.requestId === 'retry-1' && l.level === 40) as {
      upstream: { status: number; attempt: number };
    };
    expect(warning.upstream).toMatchObject({ status: 503, attempt: 1 });
  });

  it('never holds a key', () => {
    for (const key of KEYS) expect(raw).not.toContain(key);
  });

  it('censors fields named like secrets in any line but the request lines, which are built without any', () => {
    observability.logger.warn(
      { authorization: 'Key shh-1', upstream: { key: 'shh-2', token: 'shh-3' } },
      'a line someone logged carelessly',
    );
    const line = lines.find((l) => l.msg === 'a line someone logged carelessly');
    expect(line).toMatchObject({
      authorization: '[redacted]',
      upstream: { key: '[redacted]', token: '[redacted]' },
    });
    expect(raw).not.toMatch(/shh-\d/);
  });
});

describe('metrics', () => {
  const scrape = async () => await (await fetch(stack.graphqlUrl.replace('/graphql', '/metrics'))).text();
  const value = (text: string, series: string) =>
    Number(new RegExp(`^${series.replace(/[{}()"=,]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);

  it('count upstream calls by operation and status, and errors by code', async () => {
    const before = await scrape();
    await post({ query: DASHBOARD, variables: { app: SHOP } }, 'metrics-1');
    await post({ query: '{ app(id: "not-a-uuid") { name } }' }, 'metrics-2');
    const after = await scrape();
    const delta = (series: string) => value(after, series) - value(before, series);
    expect(
      delta(
        `onesignal_upstream_requests_total{operation="get_notifications",app_id="${SHOP}",status="200",outcome="ok"}`,
      ),
    ).toBe(1);
    expect(
      delta(
        `onesignal_upstream_requests_total{operation="get_segments",app_id="${SHOP}",status="200",outcome="ok"}`,
      ),
    ).toBe(1);
    expect(delta('graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(
      delta(
        'graphql_request_duration_seconds_count{operation_name="Dashboard",operation_type="query",status="200"}',
      ),
    ).toBe(1);
    // The request that failed validation never reached an operation.
    expect(
      delta(
        'graphql_request_duration_seconds_count{operation_name="anonymous",operation_type="none",status="200"}',
      ),
    ).toBe(1);
    for (const key of KEYS) expect(after).not.toContain(key);
  });

  it('count retries and 429s by the limit OneSignal named', async () => {
    const before = await scrape();
    stack.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0, times: 1 });
    await post({ query: `{ app(id: "${SHOP}") { segments(first: 1) { totalCount } } }` }, 'metrics-3');
    const after = await scrape();
    expect(
      value(after, 'onesignal_upstream_retries_total{operation="get_segments",status="429"}') -
        value(before, 'onesignal_upstream_retries_total{operation="get_segments",status="429"}'),
    ).toBe(1);
    expect(after).toMatch(
      new RegExp(`^onesignal_upstream_rate_limited_total\\{limit="[^"]+",app_id="${SHOP}"\\} [1-9]`, 'm'),
    );
  });
});

describe('traces', () => {
  it('have a span per request with the execution and each upstream call under it, and no secret', async () => {
    await post(
      {
        query: DASHBOARD,
        operationName: 'Dashboard',
        variables: { app: SHOP, marker: 'secret-variable-value-42' },
      },
      'trace-1',
    );
    const finished = spans.getFinishedSpans();
    const request = finished.find(
      (s) => s.name === 'graphql.request' && s.attributes['request.id'] === 'trace-1',
    );
    expect(request).toBeDefined();
    const traceId = request!.spanContext().traceId;
    const inTrace = finished.filter((s) => s.spanContext().traceId === traceId);
    const upstream = inTrace.filter((s) => s.name.startsWith('onesignal '));
    expect(upstream.map((s) => s.name).sort()).toEqual([
      'onesignal get_app',
      'onesignal get_notifications',
      'onesignal get_segments',
    ]);
    const byId = new Map(inTrace.map((span) => [span.spanContext().spanId, span]));
    for (const span of upstream) {
      // Each upstream call sits under the loader batch that made it, itself under the request.
      const batch = byId.get(span.parentSpanId as string);
      expect(batch?.name).toMatch(/^loader /);
      expect(batch?.attributes['loader.keys']).toBeGreaterThanOrEqual(1);
      expect(span.attributes).toMatchObject({
        'onesignal.attempt': 1,
        'onesignal.outcome': 'ok',
        'http.response.status_code': 200,
      });
    }
    expect(
      inTrace.some((s) => s.name.includes('Dashboard') && s.parentSpanId === request!.spanContext().spanId),
    ).toBe(true);
    expect(request!.attributes['onesignal.upstream_calls']).toBe(3);
    const everything = JSON.stringify(inTrace.map((s) => [s.name, s.attributes, s.events]));
    expect(everything).not.toContain('secret-variable-value-42');
    for (const key of KEYS) expect(everything).not.toContain(key);
  });
});

describe('readiness', () => {
  it('is ready when OneSignal accepts the key, asking it at most once per interval', async () => {
    const client = createOneSignalClient({ apiUrl: stack.emulator.url, userAuthKey: DEMO.userAuthKey });
    const readiness = new Readiness(async () => void (await client.apps.list()), 60_000);
    const states = await Promise.all([readiness.state(), readiness.state()]);
    await readiness.state();
    expect(states.map((s) => s.ready)).toEqual([true, true]);
    expect(stack.upstreamCalls()).toEqual({ get_apps: 1 });
  });

  it('is not ready, naming the setting and never the key, when OneSignal rejects the key', async () => {
    const client = createOneSignalClient({
      apiUrl: stack.emulator.url,
      userAuthKey: 'a-wrong-user-auth-key-0000',
    });
    const state = await new Readiness(async () => void (await client.apps.list())).state();
    expect(state.ready).toBe(false);
    expect(state.reason).toContain('ONESIGNAL_USER_AUTH_KEY');
    expect(state.reason).not.toContain('a-wrong-user-auth-key-0000');
  });
});
