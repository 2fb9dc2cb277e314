import { randomUUID } from 'node:crypto';
import { channelOf, SUBSCRIPTION_TYPES } from './devices.js';
import type { AppState } from './store.js';
import type { NotificationRecord, PlayerRecord } from './types.js';

/**
 * OneSignal's Event Streams, emulated: each simulated delivery POSTs its per-recipient events (sent,
 * received, opened, clicked…) to one URL with the configured headers, one event per request, and
 * retries anything but a 2xx, as OneSignal does (at least once). Optional duplicates and reordering
 * exercise the receiver's de-duplication offline.
 *
 * OneSignal sends the body a stream is configured with (Liquid); the emulator sends the body
 * docs/event-streams.md asks for. OneSignal's docs give no retry schedule: the emulator retries with
 * a doubling backoff (250 ms to 5 s), 20 attempts at most, 8 POSTs at a time. Events do not move the notification's
 * counts, which the emulator derives from time (present.ts).
 */

/** The event body the emulator sends (kept here: the emulator imports nothing of the server's). */
export interface EmittedEvent {
  event: {
    id: string;
    kind: string;
    timestamp: number;
    datetime: string;
    app_id: string;
    subscription_device_type: string;
    data?: Record<string, unknown>;
  };
  message: { id: string; name: string; template_id: string };
  user: { onesignal_id: string; external_id: string };
  subscription: { id: string };
}

export interface EventStreamOptions {
  url: string;
  /** Sent with every event, e.g. `{ authorization: 'Bearer <secret>' }`. */
  headers?: Record<string, string>;
  /** 0..1: the share of events sent a second time, a little later. */
  duplicates?: number;
  /** 0..1: the share of events held back a little, so later events overtake them. */
  reorder?: number;
  /** Undelivered events kept at most (the oldest are dropped past it). */
  maxPending?: number;
}

export interface EventStreamStats {
  /** Distinct events created (each once, whatever the duplicates). */
  emitted: number;
  /** POSTs made, retries and duplicates included. */
  posted: number;
  /** POSTs answered 2xx. */
  accepted: number;
  /** POSTs answered otherwise or failed, each retried. */
  retried: number;
  /** Extra copies sent (`duplicates`) and events held back (`reorder`). */
  duplicated: number;
  reordered: number;
  /** Given up after 20 attempts, or dropped past `maxPending`. */
  dropped: number;
  /** Deliveries not yet answered 2xx. */
  pending: number;
}

interface Job {
  body: EmittedEvent;
  attempt: number;
  timer?: NodeJS.Timeout;
}

const MAX_ATTEMPTS = 20;
/** POSTs in flight at once; the rest wait their turn (OneSignal's own concurrency is not documented). */
const CONCURRENCY = 8;

/** The kinds each channel's recipients produce: every one is sent and received; some open and click. */
function kindsFor(channel: 'push' | 'email' | 'sms', index: number): string[] {
  if (channel === 'sms') return ['sent', 'delivered'];
  if (channel === 'email')
    return [
      'sent',
      'received',
      ...(index % 2 === 0 ? ['opened'] : []),
      ...(index % 4 === 0 ? ['clicked'] : []),
    ];
  return ['sent', 'received', ...(index % 4 === 0 ? ['clicked'] : [])];
}

export class EventStreamEmitter {
  private readonly jobs = new Set<Job>();
  private readonly counts: Omit<EventStreamStats, 'pending'> = {
    emitted: 0,
    posted: 0,
    accepted: 0,
    retried: 0,
    duplicated: 0,
    reordered: 0,
    dropped: 0,
  };
  private closed = false;
  private active = 0;
  private readonly ready: Job[] = [];
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: EventStreamOptions) {}

  /**
   * A send began delivering to `players`: each recipient's events follow over `deliveryMs` (the
   * emulator's pacing), in order per recipient, spread across the recipients.
   */
  delivering(app: AppState, n: NotificationRecord, deliveryMs: number): void {
    const players = (n.recipient_ids ?? [])
      .map((id) => app.players.get(id))
      .filter((p): p is PlayerRecord => p !== undefined);
    const start = Math.max(Date.now(), n.delivery_start_ms ?? (n.send_after ?? 0) * 1000);
    players.forEach((p, i) => {
      const at = start + (deliveryMs * (i + 1)) / Math.max(1, players.length);
      const channel = channelOf(p.device_type);
      for (const [step, action] of kindsFor(channel, i).entries()) {
        const when = at + step * 20;
        this.emit(this.body(app, n, p, `message.${channel}.${action}`, when), when);
      }
    });
  }

  private body(
    app: AppState,
    n: NotificationRecord,
    p: PlayerRecord,
    kind: string,
    at: number,
  ): EmittedEvent {
    const fields = n.fields as { name?: unknown; template_id?: unknown };
    return {
      event: {
        id: randomUUID(),
        kind,
        timestamp: Math.floor(at / 1000),
        datetime: new Date(at).toISOString(),
        app_id: app.id,
        subscription_device_type: (SUBSCRIPTION_TYPES[p.device_type] ?? 'AndroidPush').replace(/Push$/, ''),
      },
      // Liquid renders a missing value as an empty string.
      message: {
        id: n.id,
        name: typeof fields.name === 'string' ? fields.name : '',
        template_id: typeof fields.template_id === 'string' ? fields.template_id : '',
      },
      user: { onesignal_id: p.user_id, external_id: app.externalIdOf(p) ?? '' },
      subscription: { id: p.id },
    };
  }

  /** Queues one event for `at` (epoch ms), with the configured chances of a copy and of a delay. */
  emit(body: EmittedEvent, at = Date.now()): void {
    if (this.closed) return;
    this.counts.emitted++;
    let delay = Math.max(0, at - Date.now());
    if (Math.random() < (this.options.reorder ?? 0)) {
      this.counts.reordered++;
      delay += 50 + Math.random() * 250;
    }
    this.schedule({ body, attempt: 0 }, delay);
    if (Math.random() < (this.options.duplicates ?? 0)) {
      this.counts.duplicated++;
      this.schedule({ body, attempt: 0 }, delay + Math.random() * 300);
    }
  }

  private schedule(job: Job, delayMs: number) {
    if (!this.jobs.has(job)) {
      if (this.jobs.size >= (this.options.maxPending ?? 10_000)) {
        this.counts.dropped++;
        return;
      }
      this.jobs.add(job);
    }
    job.timer = setTimeout(() => this.due(job), delayMs);
    job.timer.unref?.();
  }

  private due(job: Job) {
    if (this.active >= CONCURRENCY) this.ready.push(job);
    else void this.post(job);
  }

  private async post(job: Job): Promise<void> {
    if (this.closed) return;
    this.active++;
    job.attempt++;
    this.counts.posted++;
    let ok = false;
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body: JSON.stringify(job.body),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      ok = res.status >= 200 && res.status < 300;
    } catch {
      ok = false;
    }
    this.active--;
    const next = this.ready.shift();
    if (next) void this.post(next);
    if (ok) {
      this.counts.accepted++;
      this.done(job);
    } else if (job.attempt >= MAX_ATTEMPTS || this.closed) {
      this.counts.dropped++;
      this.done(job);
    } else {
      this.counts.retried++;
      this.schedule(job, Math.min(250 * 2 ** (job.attempt - 1), 5_000));
    }
  }

  private done(job: Job) {
    this.jobs.delete(job);
    if (this.jobs.size === 0) for (const resolve of this.waiting.splice(0)) resolve();
  }

  stats(): EventStreamStats {
    return { ...this.counts, pending: this.jobs.size };
  }

  /** Resolves once every queued event is answered 2xx (or given up). */
  idle(): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const job of this.jobs) clearTimeout(job.timer);
    this.jobs.clear();
    this.ready.length = 0;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
