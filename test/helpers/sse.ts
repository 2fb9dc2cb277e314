/** GraphQL subscriptions over Server-Sent Events, as a browser's EventSource-less client sends them. */
import { expect } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';

export interface Update {
  status: string;
  successfulCount: number;
  remainingCount: number;
}

/** One SSE subscription (graphql-yoga's distinct-connections mode): every `next` payload, until `complete`. */
export async function subscribeSse(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ events: Record<string, unknown>[]; completed: boolean }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  if (res.status !== 200) throw new Error(`SSE answered ${res.status}: ${await res.text()}`);
  const events: Record<string, unknown>[] = [];
  let completed = false;
  for await (const { event, data } of sseMessages(res.body as unknown as AsyncIterable<Uint8Array>)) {
    if (event === 'next' && data) events.push(JSON.parse(data));
    if (event === 'complete') completed = true;
  }
  return { events, completed };
}

/** The messages of an SSE body (`event:` and `data:` of each block), as they arrive. */
export async function* sseMessages(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ event: string | undefined; data: string | undefined }> {
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      yield { event: /^event: (.*)$/m.exec(block)?.[1], data: /^data: (.*)$/m.exec(block)?.[1] };
    }
  }
}

export const DELIVERY = `subscription ($id: ID!) { notificationDelivery(id: $id) { status successfulCount remainingCount } }`;

/** The updates of a subscription, failing on any GraphQL error. */
export function updatesOf(events: Record<string, unknown>[]): Update[] {
  return events.map((e) => {
    if (e.errors) throw new Error(`Unexpected errors: ${JSON.stringify(e.errors)}`);
    return (e.data as { notificationDelivery: Update }).notificationDelivery;
  });
}

/** Updates progress: each one newer than the last, the last one DELIVERED. */
export function expectProgress(updates: Update[], min = 3) {
  expect(updates.length).toBeGreaterThanOrEqual(min);
  expect(updates.at(-1)?.status).toBe('DELIVERED');
  expect(updates.at(-1)?.remainingCount).toBe(0);
  for (let i = 1; i < updates.length; i++) {
    const [a, b] = [updates[i - 1] as Update, updates[i] as Update];
    expect(b.successfulCount >= a.successfulCount && JSON.stringify(a) !== JSON.stringify(b)).toBe(true);
  }
  expect(updates[0]?.status).not.toBe('DELIVERED');
}

/** Sends to the demo shop's subscribed users through a GraphQL endpoint; the new notification's global id. */
export async function sendThrough(graphqlUrl: string): Promise<string> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation { notificationCreate(input: { appId: "${DEMO.apps[0]!.id}", target: { segments: { include: ["Subscribed Users"] } }, contents: [{ language: "en", text: "Live" }] }) { ... on NotificationCreatePayload { notification { id } } } }`,
    }),
  });
  const body = (await res.json()) as { data: { notificationCreate: { notification: { id: string } } } };
  return body.data.notificationCreate.notification.id;
}
