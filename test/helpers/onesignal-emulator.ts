import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { OneSignalClient } from '../../src/onesignal/index.js';
import { createOneSignalClient, type OneSignalClientOptions } from '../../src/upstream/index.js';

export { DEMO, demoAppKeys };

export const SHOP = DEMO.apps[0]?.id as string;
export const NEWS = DEMO.apps[1]?.id as string;

/** Every key the emulator knows, for asserting none of them leaks. */
export const ALL_KEYS = [DEMO.userAuthKey, ...DEMO.apps.map((a) => a.restApiKey)];

export interface EmulatorHarness {
  emulator: RunningEmulator;
  /** A client for the emulator; fast back-off and no rate budgets (the emulator's limits are off) unless overridden. */
  client(options?: OneSignalClientOptions): OneSignalClient;
  /** Requests per operation id since the last `emulator.resetStats()`. */
  calls(): Record<string, number>;
  close(): Promise<void>;
}

/** Starts a seeded emulator on 127.0.0.1, port 0. */
export async function startOneSignalEmulator(): Promise<EmulatorHarness> {
  const emulator = await startEmulator({ port: 0, seed: true });
  return {
    emulator,
    client: (options = {}) =>
      createOneSignalClient({ apiUrl: emulator.url, retryBaseDelayMs: 5, rateLimits: false, ...options }),
    calls: () => emulator.stats().byOperation,
    close: () => emulator.close(),
  };
}

/**
 * Operations each suite drives end to end. test/onesignal/operations.test.ts checks that together they
 * are exactly `OPERATIONS`, and each suite checks against the emulator's counters that it called all of its own.
 */
export const SUITE_OPERATIONS = {
  appsNotificationsOutcomes: [
    'get_apps',
    'get_app',
    'create_app',
    'update_app',
    'get_notifications',
    'get_notification',
    'create_notification',
    'cancel_notification',
    'get_notification_history',
    'export_events',
    'get_outcomes',
  ],
  playersSegments: [
    'get_players',
    'get_player',
    'create_player',
    'update_player',
    'delete_player',
    'update_player_tags',
    'export_players',
    'get_segments',
    'create_segments',
    'delete_segments',
  ],
  usersAliasesSubscriptionsLiveActivities: [
    'create_user',
    'fetch_user',
    'update_user',
    'delete_user',
    'fetch_user_identity',
    'fetch_aliases',
    'identify_user_by_alias',
    'identify_user_by_subscription_id',
    'delete_alias',
    'create_subscription',
    'update_subscription',
    'delete_subscription',
    'transfer_subscription',
    'get_eligible_iams',
    'update_live_activity',
    'begin_live_activity',
    'end_live_activity',
  ],
  /** test/schema/templates.test.ts and test/emulator/sdk-v5-templates-segments.test.ts. */
  templatesSegmentDetails: [
    'get_segment',
    'update_segment',
    'view_templates',
    'view_template',
    'create_template',
    'update_template',
    'delete_template',
    'copy_template_to_app',
  ],
  /** test/schema/api-keys.test.ts and test/emulator/sdk-v5-keys-events-estimates.test.ts. */
  apiKeys: ['view_api_keys', 'create_api_key', 'update_api_key', 'delete_api_key', 'rotate_api_key'],
  /**
   * Custom events, subscriptions by token and recipient estimates: test/schema/custom-events,
   * subscriptions and recipient-estimate, and test/emulator/sdk-v5-keys-events-estimates.
   */
  eventsTokensEstimates: [
    'create_custom_events',
    'update_subscription_by_token',
    'estimate_notification_recipients',
  ],
  /** test/schema/in-app-messages.test.ts and test/emulator/in-app-messages.test.ts (no SDK has these). */
  inAppMessages: [
    'view_in_app_messages',
    'view_in_app_message',
    'create_in_app_message',
    'update_in_app_message',
    'set_in_app_message_enabled',
    'delete_in_app_message',
    'view_in_app_message_stats',
  ],
  /**
   * Push-to-start, email unsubscribe and reputation, organization audit logs: test/schema/
   * live-activity-start, email and audit-logs, and test/emulator/sdk-v5-email-audit-start.test.ts.
   */
  startEmailAudit: [
    'start_live_activity',
    'unsubscribe_email_with_token',
    'get_email_reputation',
    'list_audit_logs',
  ],
  /** Journeys (beta): test/schema/journeys.test.ts and test/emulator/journeys.test.ts. */
  journeys: [
    'view_journeys',
    'view_journey',
    'create_journey',
    'update_journey',
    'delete_journey',
    'update_journey_node',
    'view_journey_stats',
  ],
} as const;

/** Fetches a URL the emulator handed out (CSV exports) and returns its text. */
export async function download(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}
