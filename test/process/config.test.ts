import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadOneSignalConfig } from '../../src/config.js';

const SHOP = '11111111-1111-4111-8111-111111111111';
const NEWS = '22222222-2222-4222-8222-222222222222';
const SECRET = 'very-secret-rest-key-0123456789';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('loadOneSignalConfig', () => {
  it('is unconfigured with an empty environment and sets no options', () => {
    expect(loadOneSignalConfig({})).toEqual({ configured: false });
  });

  it('treats empty and blank variables as unset', () => {
    expect(
      loadOneSignalConfig({
        ONESIGNAL_USER_AUTH_KEY: '',
        ONESIGNAL_APP_KEYS: '  ',
        ONESIGNAL_TIMEOUT_MS: '',
      }),
    ).toEqual({ configured: false });
  });

  it('reads every variable', () => {
    const config = loadOneSignalConfig({
      ONESIGNAL_API_URL: 'http://127.0.0.1:4010/',
      ONESIGNAL_USER_AUTH_KEY: ' user-key ',
      ONESIGNAL_APP_KEYS: JSON.stringify({ [SHOP]: 'shop-key', [NEWS.toUpperCase()]: 'news-key' }),
      ONESIGNAL_TIMEOUT_MS: '2500',
      ONESIGNAL_MAX_ATTEMPTS: '3',
      ONESIGNAL_RETRY_BUDGET_MS: '15000',
      ONESIGNAL_MAX_CONCURRENCY_PER_APP: '4',
      ONESIGNAL_QUEUE_MAX: '50',
      ONESIGNAL_LIMIT_VIEWS: '2:5',
      ONESIGNAL_LIMIT_MESSAGES: '6000',
    });
    expect(config).toEqual({
      apiUrl: 'http://127.0.0.1:4010',
      userAuthKey: 'user-key',
      appKeys: { [SHOP]: 'shop-key', [NEWS]: 'news-key' },
      timeoutMs: 2500,
      maxAttempts: 3,
      retryBudgetMs: 15000,
      maxConcurrentPerApp: 4,
      maxQueuedPerBucket: 50,
      rateLimits: {
        view_notifications: { perSecond: 2, burst: 5 },
        view_notification: { perSecond: 2, burst: 5 },
        view_user: { perSecond: 2, burst: 5 },
        view_in_app_messages: { perSecond: 2, burst: 5 },
        view_email_analytics: { perSecond: 2, burst: 5 },
        view_audit_logs: { perSecond: 2, burst: 5 },
        view_journeys: { perSecond: 2, burst: 5 },
        create_message: { perSecond: 6000, burst: 6000 },
      },
      configured: true,
    });
  });

  it('turns the rate budgets off with ONESIGNAL_RATE_LIMITS=off and names a malformed limit variable', () => {
    expect(loadOneSignalConfig({ ONESIGNAL_RATE_LIMITS: 'off' })).toEqual({
      rateLimits: false,
      configured: false,
    });
    expect(() => loadOneSignalConfig({ ONESIGNAL_RATE_LIMITS: 'sometimes' })).toThrow(
      'ONESIGNAL_RATE_LIMITS must be',
    );
    expect(() => loadOneSignalConfig({ ONESIGNAL_LIMIT_MESSAGES: 'fast' })).toThrow(
      'ONESIGNAL_LIMIT_MESSAGES must be <requests per second>[:<burst>]',
    );
  });

  it('counts as configured with only a user auth key or only app keys', () => {
    expect(loadOneSignalConfig({ ONESIGNAL_USER_AUTH_KEY: 'k' }).configured).toBe(true);
    expect(loadOneSignalConfig({ ONESIGNAL_APP_KEYS: JSON.stringify({ [SHOP]: 'k' }) }).configured).toBe(
      true,
    );
    expect(loadOneSignalConfig({ ONESIGNAL_APP_KEYS: '{}' }).configured).toBe(false);
  });

  it('rejects ONESIGNAL_APP_KEYS that is not JSON, naming the variable but never echoing its value', () => {
    const value = `{"${SHOP}": "${SECRET}"`;
    const error = thrown(() => loadOneSignalConfig({ ONESIGNAL_APP_KEYS: value }));
    expect(error.message).toContain('ONESIGNAL_APP_KEYS');
    expect(error.message).toContain('not valid JSON');
    for (const text of [
      error.message,
      String(error),
      JSON.stringify(error),
      inspect(error, { showHidden: true, depth: 9 }),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(SHOP);
    }
    expect(error.cause).toBeUndefined();
  });

  it('rejects ONESIGNAL_APP_KEYS that is not an object of strings, without echoing keys', () => {
    expect(thrown(() => loadOneSignalConfig({ ONESIGNAL_APP_KEYS: `["${SECRET}"]` })).message).toMatch(
      /^ONESIGNAL_APP_KEYS must be a JSON object/,
    );
    const badValue = thrown(() =>
      loadOneSignalConfig({ ONESIGNAL_APP_KEYS: JSON.stringify({ [SHOP]: 42 }) }),
    );
    expect(badValue.message).toBe(`ONESIGNAL_APP_KEYS: the key for app ${SHOP} must be a non-empty string.`);
    // Written the wrong way round (key → app id): the "app id" is a key and must not be shown.
    const reversed = thrown(() =>
      loadOneSignalConfig({ ONESIGNAL_APP_KEYS: JSON.stringify({ [SECRET]: { id: SHOP } }) }),
    );
    expect(reversed.message).toContain('ONESIGNAL_APP_KEYS');
    expect(reversed.message).not.toContain(SECRET);
  });

  it.each([
    ['ONESIGNAL_TIMEOUT_MS', '0'],
    ['ONESIGNAL_MAX_ATTEMPTS', '-1'],
    ['ONESIGNAL_RETRY_BUDGET_MS', '1.5'],
    ['ONESIGNAL_MAX_CONCURRENCY_PER_APP', 'many'],
    ['ONESIGNAL_TIMEOUT_MS', '1e4'],
  ])('rejects %s=%s as not a positive integer, naming the variable', (name, value) => {
    expect(() => loadOneSignalConfig({ [name]: value })).toThrow(`${name} must be a positive integer`);
  });

  it('rejects an ONESIGNAL_API_URL that is not an http(s) URL, naming the variable', () => {
    expect(() => loadOneSignalConfig({ ONESIGNAL_API_URL: 'api.onesignal.com' })).toThrow(
      /^ONESIGNAL_API_URL must be/,
    );
    expect(() => loadOneSignalConfig({ ONESIGNAL_API_URL: 'ftp://api.onesignal.com' })).toThrow(
      /^ONESIGNAL_API_URL must be/,
    );
  });

  it('reads process.env by default', () => {
    const saved = process.env.ONESIGNAL_MAX_ATTEMPTS;
    process.env.ONESIGNAL_MAX_ATTEMPTS = '7';
    try {
      expect(loadOneSignalConfig().maxAttempts).toBe(7);
    } finally {
      if (saved === undefined) delete process.env.ONESIGNAL_MAX_ATTEMPTS;
      else process.env.ONESIGNAL_MAX_ATTEMPTS = saved;
    }
  });
});
