/**
 * Exports that tell when they are ready (issue 13): each CSV export mutation returns `export { url
 * ready }`, and `csvExport(url:)` answers whether the file is there yet, with shared, paced checks.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createGraphQLServer } from '../../src/http/server.js';
import { ExportReadiness } from '../../src/live/export-readiness.js';
import { createOneSignalClient } from '../../src/upstream/index.js';

const SHOP = DEMO.apps[0]!.id;
const EXPORT_MS = 1_500;

let emulator: RunningEmulator;
let url: string;
let readiness: ExportReadiness;
let close: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, pacing: { exportMs: EXPORT_MS } });
  const clientOptions = {
    apiUrl: emulator.url,
    userAuthKey: DEMO.userAuthKey,
    appKeys: demoAppKeys(),
    rateLimits: false as const,
  };
  readiness = new ExportReadiness({ apiUrl: emulator.url, notReadyTtlMs: 500 });
  const { server } = createGraphQLServer({
    client: createOneSignalClient(clientOptions),
    clientOptions,
    exportReadiness: readiness,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.close();
  };
});
afterAll(() => close());

async function gql<T>(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: T; errors?: { extensions?: { code?: string } }[] };
}

type Export = { url: string; ready: boolean };
const READY = `query ($url: URL!) { csvExport(url: $url) { url ready checkedAt } }`;
const notification = encodeGlobalId('Notification', `${SHOP}/${DEMO.notifications.latestDelivered}`);

const EXPORTS: [string, string][] = [
  [
    'notificationExportEvents',
    `mutation { notificationExportEvents(input: { id: "${notification}" }) { ... on NotificationExportEventsPayload { export { url ready } } } }`,
  ],
  [
    'notificationExportHistory',
    `mutation { notificationExportHistory(input: { id: "${notification}", event: SENT }) { ... on NotificationExportHistoryPayload { export { url ready } } } }`,
  ],
  [
    'playerExportCsv',
    `mutation { playerExportCsv(input: { appId: "${SHOP}" }) { ... on PlayerExportCsvPayload { export { url ready } } } }`,
  ],
];

describe('CSV exports', () => {
  it.each(EXPORTS)(
    '%s returns a link that is not ready at first, then is, and then downloads',
    async (field, mutation) => {
      const started = await gql<Record<string, { export: Export }>>(mutation);
      expect(started.errors).toBeUndefined();
      const first = started.data[field]!.export;
      expect(first.ready).toBe(false);
      expect((await fetch(first.url)).status).toBe(403);
      let ready = false;
      const deadline = Date.now() + EXPORT_MS + 3_000;
      while (!ready && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        ready = (await gql<{ csvExport: Export }>(READY, { url: first.url })).data.csvExport.ready;
      }
      expect(ready).toBe(true);
      const file = await fetch(first.url);
      expect(file.status).toBe(200);
      expect((await file.text()).split('\n')[0]).toMatch(/,/);
    },
  );

  it('20 pollers at once cost one check of the file per interval', async () => {
    const started = await gql<{ notificationExportEvents: { export: Export } }>(EXPORTS[0]![1]);
    const link = started.data.notificationExportEvents.export.url;
    const before = readiness.requests;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => gql<{ csvExport: Export }>(READY, { url: link })),
    );
    expect(answers.every((a) => a.data.csvExport.ready === false)).toBe(true);
    // The mutation's own `ready` made the one check; the 20 polls reused it.
    expect(readiness.requests - before).toBe(0);
  });

  it('refuses to check a URL that is not an export of OneSignal or the configured API', async () => {
    const before = readiness.requests;
    for (const target of ['http://169.254.169.254/latest/meta-data', 'https://example.com/x.csv']) {
      const res = await gql<null>(READY, { url: target });
      expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    }
    expect(readiness.requests).toBe(before);
  });
});
