import { hash } from 'node:crypto';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Caller } from '../../auth/index.js';
import type { TransportOptions } from './config.js';

export const SUBSCRIPTION_ERROR_CODES = {
  TOO_MANY_SUBSCRIPTIONS:
    'The caller (or this server) already holds the most subscriptions it may keep open; close one first. `extensions.limit` is the cap and `extensions.scope` says whose (CALLER or SERVER).',
} as const;

/** A subscription refused because a cap on open subscriptions is reached, before anything ran. */
export class TooManySubscriptionsError extends GraphQLError {
  constructor(scope: 'CALLER' | 'SERVER', limit: number, shuttingDown = false) {
    super(
      shuttingDown
        ? 'This server is shutting down and opens no new subscriptions; reconnect (to another replica).'
        : scope === 'CALLER'
          ? `This caller already holds ${limit} open subscriptions, the most it may (SUBSCRIPTIONS_MAX_PER_CALLER); close one before opening another.`
          : `This server already holds ${limit} open subscriptions, the most it may (SUBSCRIPTIONS_MAX); try again later or another replica.`,
      { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', scope, limit } },
    );
  }
}

/**
 * Whose subscriptions count together: a JWT's subject or a token's name; passthrough callers by a hash
 * of the keys they sent (their name is the same for all). With AUTH_MODE=none every caller is
 * `anonymous`, so the per-caller cap is one more process-wide cap.
 */
function callerKey(caller: Caller): string {
  if (!caller.oneSignalKeys) return `name:${caller.name}`;
  return `keys:${hash('sha256', JSON.stringify(caller.oneSignalKeys), 'hex')}`;
}

/**
 * Every subscription open in this process, whatever carries it (SSE, graphql-sse, multipart,
 * WebSocket): all run through Yoga's envelop, whose `onSubscribe` sees each one before its resolver,
 * so the caps are checked before any upstream call. `closeAll()` ends each stream the way its
 * transport completes one (SSE `complete`, the closing multipart boundary, graphql-ws `Complete`).
 */
export class OpenSubscriptions {
  private readonly perCaller = new Map<string, number>();
  private readonly streams = new Set<TrackedStream>();
  private total = 0;
  private closing = false;

  constructor(
    private readonly options: Pick<TransportOptions, 'maxSubscriptions' | 'maxSubscriptionsPerCaller'>,
  ) {}

  /** Subscriptions open now, every caller together. */
  count(): number {
    return this.total;
  }

  private reserve(key: string): TooManySubscriptionsError | (() => void) {
    if (this.closing) return new TooManySubscriptionsError('SERVER', 0, true);
    const mine = this.perCaller.get(key) ?? 0;
    if (mine >= this.options.maxSubscriptionsPerCaller)
      return new TooManySubscriptionsError('CALLER', this.options.maxSubscriptionsPerCaller);
    if (this.total >= this.options.maxSubscriptions)
      return new TooManySubscriptionsError('SERVER', this.options.maxSubscriptions);
    this.perCaller.set(key, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perCaller.get(key) ?? 1) - 1;
      if (left > 0) this.perCaller.set(key, left);
      else this.perCaller.delete(key);
    };
  }

  /** The envelop plugin that counts, caps and tracks subscriptions; put it after authentication. */
  plugin(): Plugin {
    return {
      onSubscribe: ({ args, setResultAndStopExecution }) => {
        const caller = (args.contextValue as { caller?: Caller }).caller;
        if (!caller) return;
        const reserved = this.reserve(callerKey(caller));
        if (reserved instanceof TooManySubscriptionsError) {
          setResultAndStopExecution({ errors: [reserved] });
          return;
        }
        const release = reserved;
        return {
          onSubscribeError: () => release(),
          onSubscribeResult: ({ result, setResult }) => {
            if (!isAsyncIterable(result)) return release();
            setResult(this.track(result as AsyncIterable<ExecutionResult>, release));
          },
        };
      },
    };
  }

  /** `source`, releasing its place when it ends, however it ends, and closable by `closeAll()`. */
  private track<T>(source: AsyncIterable<T>, release: () => void): AsyncIterableIterator<T> {
    const inner = source[Symbol.asyncIterator]();
    const streams = this.streams;
    let ended!: () => void;
    const done = new Promise<void>((resolve) => {
      ended = resolve;
    });
    const finish = () => {
      streams.delete(entry);
      release();
      ended();
    };
    const entry: TrackedStream = { end: () => inner.return?.(), done };
    streams.add(entry);
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        try {
          const step = await inner.next();
          if (step.done) finish();
          return step;
        } catch (error) {
          finish();
          throw error;
        }
      },
      async return(value?: unknown) {
        finish();
        return (await inner.return?.(value)) ?? { done: true, value: undefined as T };
      },
      async throw(error?: unknown) {
        finish();
        if (inner.throw) return inner.throw(error);
        throw error;
      },
    };
  }

  /**
   * Ends every open subscription and refuses new ones: for shutdown, before the server closes. Waits
   * (up to `graceMs`) until each transport has seen its stream end, so its completion is on the wire
   * before sockets close.
   */
  async closeAll(graceMs = 1_000): Promise<void> {
    this.closing = true;
    const open = [...this.streams];
    for (const stream of open) void Promise.resolve(stream.end()).catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(open.map((stream) => stream.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    // A transport writes its completion after it sees the end, and graphql-ws waits for each write's
    // callback between messages: a moment for those writes to reach the wire before sockets close.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface TrackedStream {
  /** Ends the source; the transport reading it then sees `done`. */
  end(): unknown;
  /** Settles once the stream has ended and its place is released. */
  done: Promise<void>;
}
