import { readPositiveInts } from '../../security/limits.js';

/** How long-lived streams are kept alive and how many may be open at once. */
export interface TransportOptions {
  /**
   * Milliseconds between heartbeats on a multipart stream (an empty `{}` part) and between WebSocket
   * pings. SSE streams keep Yoga's and graphql-sse's own 12 s comment pings.
   */
  heartbeatMs: number;
  /** Subscriptions one caller may hold open at once, on every transport together. */
  maxSubscriptionsPerCaller: number;
  /** Subscriptions this process holds open at once, every caller together. */
  maxSubscriptions: number;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  // Under the idle timeouts of common proxies and load balancers (nginx 60 s, AWS ALB 60 s).
  heartbeatMs: 12_000,
  maxSubscriptionsPerCaller: 100,
  maxSubscriptions: 10_000,
};

export const TRANSPORT_ENV: Record<keyof TransportOptions, string> = {
  heartbeatMs: 'SUBSCRIPTION_HEARTBEAT_MS',
  maxSubscriptionsPerCaller: 'SUBSCRIPTIONS_MAX_PER_CALLER',
  maxSubscriptions: 'SUBSCRIPTIONS_MAX',
};

/**
 * Reads SUBSCRIPTION_HEARTBEAT_MS, SUBSCRIPTIONS_MAX_PER_CALLER and SUBSCRIPTIONS_MAX (positive
 * integers); errors name the variable.
 */
export function loadTransportConfig(env: NodeJS.ProcessEnv = process.env): TransportOptions {
  return readPositiveInts(env, TRANSPORT_ENV, DEFAULT_TRANSPORT_OPTIONS);
}
