#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parseFaultConfig } from './faults.js';
import {
  DEFAULT_PORT,
  DEFAULT_USER_AUTH_KEY,
  DEMO,
  type EventStreamOptions,
  startEmulator,
} from './index.js';
import type { LimitsConfig } from './limits.js';
import type { FaultConfig } from './types.js';
import { ApiError } from './util.js';

const HELP = `OneSignal API emulator (stateful, in-memory)

Usage: npm run emulator -- [options]

  --port N                 EMULATOR_PORT             listen port (default ${DEFAULT_PORT}, 0 = any free port)
  --host H                 EMULATOR_HOST             bind address (default 127.0.0.1)
  --user-auth-key K        EMULATOR_USER_AUTH_KEY    org user auth key (default ${DEFAULT_USER_AUTH_KEY})
  --empty                  EMULATOR_EMPTY=1          start without demo data
  --data FILE              EMULATOR_DATA             load state from FILE at start, write it on shutdown
  --latency-ms N           EMULATOR_LATENCY_MS       fixed latency added to every API response
  --jitter-ms N            EMULATOR_JITTER_MS        extra random latency 0..N
  --rate-limit-rate R      EMULATOR_RATE_LIMIT_RATE  0..1 chance of a 429
  --retry-after S          EMULATOR_RETRY_AFTER      Retry-After seconds on injected 429s (default 1)
  --server-error-rate R    EMULATOR_SERVER_ERROR_RATE 0..1 chance of a 5xx
  --server-error-status N  EMULATOR_SERVER_ERROR_STATUS status of injected 5xx (default 500)
  --drop-rate R            EMULATOR_DROP_RATE        0..1 chance of dropping the connection
  --fault-when before|after EMULATOR_FAULT_WHEN      inject 5xx/drops before or after executing (default before)
  --fault-operations a,b   EMULATOR_FAULT_OPERATIONS only fault these operation ids
  --lost-answer-rate R     EMULATOR_LOST_ANSWER_RATE 0..1 chance of executing, then dropping the answer
  --rate-limits P          EMULATOR_RATE_LIMITS      OneSignal's rate limits: off (default), free or paid
                                                     (per app: views 1/s burst 3, messages 150/s or 6,000/s,
                                                     user/subscription writes 1,000/s and 1/s per subject)
  --delivery-ms N          EMULATOR_DELIVERY_MS      a send delivers over N ms, its counts growing (default 0: at once)
  --export-ms N            EMULATOR_EXPORT_MS        an export's file appears N ms after the request (default 0)
  --event-stream-url URL   EMULATOR_EVENT_STREAM_URL OneSignal Event Streams: POST each send's per-recipient
                                                     events (sent, received, opened, clicked…) to URL
  --event-stream-header 'Name: value'                a header sent with each event (repeatable;
                           EMULATOR_EVENT_STREAM_HEADERS, one per line)
  --event-stream-duplicates R EMULATOR_EVENT_STREAM_DUPLICATES 0..1 share of events sent twice
  --event-stream-reorder R EMULATOR_EVENT_STREAM_REORDER 0..1 share of events held back so later ones overtake
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'user-auth-key': { type: 'string' },
    empty: { type: 'boolean' },
    data: { type: 'string' },
    'latency-ms': { type: 'string' },
    'jitter-ms': { type: 'string' },
    'rate-limit-rate': { type: 'string' },
    'retry-after': { type: 'string' },
    'server-error-rate': { type: 'string' },
    'server-error-status': { type: 'string' },
    'drop-rate': { type: 'string' },
    'fault-when': { type: 'string' },
    'fault-operations': { type: 'string' },
    'lost-answer-rate': { type: 'string' },
    'rate-limits': { type: 'string' },
    'delivery-ms': { type: 'string' },
    'export-ms': { type: 'string' },
    'event-stream-url': { type: 'string' },
    'event-stream-header': { type: 'string', multiple: true },
    'event-stream-duplicates': { type: 'string' },
    'event-stream-reorder': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const env = process.env;
const setting = (flag: keyof typeof values, envName: string): string | undefined => {
  const v = values[flag] ?? env[envName];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function number(flag: keyof typeof values, envName: string): number | undefined {
  const raw = setting(flag, envName);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    process.stderr.write(`--${flag} / ${envName} must be a number, got '${raw}'\n`);
    process.exit(2);
  }
  return n;
}

const faultInput: Record<string, unknown> = {
  latencyMs: number('latency-ms', 'EMULATOR_LATENCY_MS'),
  jitterMs: number('jitter-ms', 'EMULATOR_JITTER_MS'),
  rateLimitRate: number('rate-limit-rate', 'EMULATOR_RATE_LIMIT_RATE'),
  retryAfterSeconds: number('retry-after', 'EMULATOR_RETRY_AFTER'),
  serverErrorRate: number('server-error-rate', 'EMULATOR_SERVER_ERROR_RATE'),
  serverErrorStatus: number('server-error-status', 'EMULATOR_SERVER_ERROR_STATUS'),
  dropRate: number('drop-rate', 'EMULATOR_DROP_RATE'),
  lostAnswerRate: number('lost-answer-rate', 'EMULATOR_LOST_ANSWER_RATE'),
  when: setting('fault-when', 'EMULATOR_FAULT_WHEN'),
  operations: setting('fault-operations', 'EMULATOR_FAULT_OPERATIONS')
    ?.split(',')
    .map((s) => s.trim()),
};

let faults: FaultConfig;
try {
  faults = parseFaultConfig(faultInput);
} catch (error) {
  const message = error instanceof ApiError ? JSON.stringify(error.body) : String(error);
  process.stderr.write(`Invalid fault settings: ${message}\n`);
  process.exit(2);
}

const limitsSetting = setting('rate-limits', 'EMULATOR_RATE_LIMITS') ?? 'off';
if (!['off', 'free', 'paid'].includes(limitsSetting)) {
  process.stderr.write(
    `--rate-limits / EMULATOR_RATE_LIMITS must be off, free or paid, got '${limitsSetting}'\n`,
  );
  process.exit(2);
}
const limits: LimitsConfig =
  limitsSetting === 'off' ? {} : { enabled: true, plan: limitsSetting as 'free' | 'paid' };

const eventStream = parseEventStream();

/** The Event Stream options, or undefined without a URL; exits with a message on a bad setting. */
function parseEventStream(): EventStreamOptions | undefined {
  const url = setting('event-stream-url', 'EMULATOR_EVENT_STREAM_URL');
  if (!url) return undefined;
  if (!/^https?:\/\//.test(url)) {
    process.stderr.write('--event-stream-url / EMULATOR_EVENT_STREAM_URL must be an http(s) URL\n');
    process.exit(2);
  }
  const lines = values['event-stream-header'] ?? env.EMULATOR_EVENT_STREAM_HEADERS?.split('\n') ?? [];
  const headers: Record<string, string> = {};
  for (const line of lines.filter((l) => l.trim() !== '')) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      // The value may be a secret: name the rule, not the line.
      process.stderr.write("--event-stream-header must look like 'Name: value'\n");
      process.exit(2);
    }
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const share = (flag: keyof typeof values, envName: string) => {
    const n = number(flag, envName) ?? 0;
    if (n < 0 || n > 1) {
      process.stderr.write(`--${flag} / ${envName} must be between 0 and 1\n`);
      process.exit(2);
    }
    return n;
  };
  return {
    url,
    headers,
    duplicates: share('event-stream-duplicates', 'EMULATOR_EVENT_STREAM_DUPLICATES'),
    reorder: share('event-stream-reorder', 'EMULATOR_EVENT_STREAM_REORDER'),
  };
}

const userAuthKey = setting('user-auth-key', 'EMULATOR_USER_AUTH_KEY');
const empty = values.empty === true || ['1', 'true'].includes(env.EMULATOR_EMPTY ?? '');
const dataFile = setting('data', 'EMULATOR_DATA');

const emulator = await startEmulator({
  port: number('port', 'EMULATOR_PORT') ?? DEFAULT_PORT,
  host: setting('host', 'EMULATOR_HOST') ?? '127.0.0.1',
  seed: !empty,
  faults,
  limits,
  pacing: {
    deliveryMs: number('delivery-ms', 'EMULATOR_DELIVERY_MS') ?? 0,
    exportMs: number('export-ms', 'EMULATOR_EXPORT_MS') ?? 0,
  },
  ...(userAuthKey ? { userAuthKey } : {}),
  ...(eventStream ? { eventStream } : {}),
  ...(dataFile ? { dataFile } : {}),
});

const lines = [`OneSignal emulator listening on ${emulator.url} (also under ${emulator.url}/api/v1)`];
lines.push(
  userAuthKey
    ? '  user auth key: (set by --user-auth-key / EMULATOR_USER_AUTH_KEY)'
    : `  user auth key: ${DEFAULT_USER_AUTH_KEY}`,
);
if (empty) lines.push('  started empty (--empty): create apps with POST /apps');
else
  for (const app of DEMO.apps)
    lines.push(`  app "${app.name}": id ${app.id}  REST API key ${app.restApiKey}`);
if (dataFile) lines.push(`  data file: ${dataFile} (written on shutdown)`);
if (Object.keys(faults).length > 0) lines.push(`  faults: ${JSON.stringify(faults)}`);
if (eventStream)
  lines.push(
    `  event stream: ${eventStream.url} (${Object.keys(eventStream.headers ?? {}).length} header(s); duplicates ${eventStream.duplicates}, reorder ${eventStream.reorder})`,
  );
if (limits.enabled) lines.push(`  OneSignal rate limits: on (${limitsSetting} plan)`);
lines.push(
  '  hooks: GET|DELETE /__emulator/stats, POST /__emulator/reset, GET|POST|DELETE /__emulator/faults, GET|POST|DELETE /__emulator/limits',
);
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
