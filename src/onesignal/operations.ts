/**
 * The one table of OneSignal operations this client performs, by OneSignal's operation id. Each id
 * names its calls everywhere: errors, metrics, logs, the rate-limit classes (limits.ts) and the
 * emulator's request stats. Tests check that the client has exactly one method per operation, that
 * the emulator serves each, and that the resource suites cover each end to end.
 */

/** The 37 operations of API v1.2.2, `get_segments`, and the current API's additions. */
export const OPERATIONS = [
  // apps (user auth key)
  'get_apps',
  'get_app',
  'create_app',
  'update_app',
  // notifications
  'get_notifications',
  'get_notification',
  'create_notification',
  'cancel_notification',
  'get_notification_history',
  'export_events',
  // players (v1 devices)
  'get_players',
  'get_player',
  'create_player',
  'update_player',
  'delete_player',
  'update_player_tags',
  'export_players',
  // segments
  'get_segments',
  'create_segments',
  'delete_segments',
  'get_segment',
  'update_segment',
  // templates (current API; copying needs the user auth key)
  'view_templates',
  'view_template',
  'create_template',
  'update_template',
  'delete_template',
  'copy_template_to_app',
  // outcomes
  'get_outcomes',
  // users
  'create_user',
  'fetch_user',
  'update_user',
  'delete_user',
  // aliases
  'fetch_user_identity',
  'fetch_aliases',
  'identify_user_by_alias',
  'identify_user_by_subscription_id',
  'delete_alias',
  // subscriptions
  'create_subscription',
  'update_subscription',
  'delete_subscription',
  'transfer_subscription',
  'get_eligible_iams',
  // live activities
  'update_live_activity',
  'begin_live_activity',
  'end_live_activity',
  // API keys (user auth key; current API)
  'view_api_keys',
  'create_api_key',
  'update_api_key',
  'delete_api_key',
  'rotate_api_key',
  // custom events (current API)
  'create_custom_events',
  // subscriptions by token (current API)
  'update_subscription_by_token',
  // recipient estimates (current API)
  'estimate_notification_recipients',
  // in-app messages (current API; OneSignal's reference gives no operation ids: these follow its page titles)
  'view_in_app_messages',
  'view_in_app_message',
  'create_in_app_message',
  'update_in_app_message',
  'set_in_app_message_enabled',
  'delete_in_app_message',
  'view_in_app_message_stats',
  // push-to-start Live Activities (current API)
  'start_live_activity',
  // email: unsubscribe by token, sender reputation (current API)
  'unsubscribe_email_with_token',
  'get_email_reputation',
  // organization audit logs (current API; the organization key, Enterprise plans)
  'list_audit_logs',
  // journeys (current API, beta)
  'view_journeys',
  'view_journey',
  'create_journey',
  'update_journey',
  'delete_journey',
  'update_journey_node',
  'view_journey_stats',
] as const;

export type OperationId = (typeof OPERATIONS)[number];
