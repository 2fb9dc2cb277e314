import { OneSignalError } from '../onesignal/index.js';

export interface ReadinessState {
  ready: boolean;
  /** When the upstream was last asked (ISO 8601). */
  checkedAt: string;
  /** Why not ready; names the setting to fix, never a key. */
  reason?: string;
}

/**
 * `/ready`: the configuration loaded (the server would not be running otherwise), OneSignal answers,
 * and it accepts the configured key. The upstream check runs at most once per `ttlMs` (it spends a
 * request of the rate budget), concurrent probes share it, and its answer is served from cache
 * meanwhile.
 */
export class Readiness {
  private last: { state: ReadinessState; at: number } | undefined;
  private running: Promise<ReadinessState> | undefined;

  constructor(
    /** Resolves when OneSignal answered and accepted the key; throws otherwise. */
    private readonly probe: () => Promise<void>,
    private readonly ttlMs = 10_000,
  ) {}

  async state(): Promise<ReadinessState> {
    if (this.last && performance.now() - this.last.at < this.ttlMs) return this.last.state;
    this.running ??= this.check().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async check(): Promise<ReadinessState> {
    const checkedAt = new Date().toISOString();
    let state: ReadinessState;
    try {
      await this.probe();
      state = { ready: true, checkedAt };
    } catch (error) {
      const reason =
        error instanceof OneSignalError
          ? error.message
          : `OneSignal could not be checked (${error instanceof Error ? error.name : 'unknown error'}).`;
      state = { ready: false, checkedAt, reason };
    }
    this.last = { state, at: performance.now() };
    return state;
  }
}
