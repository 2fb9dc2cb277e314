/** What a caller may do. A field or mutation names the scope it needs; callers carry a set of them. */
export const SCOPES = {
  'apps:read': 'Read apps, their settings and segments.',
  'apps:write': 'Create and change apps (`appCreate`, `appUpdate`).',
  'notifications:read': 'Read notifications, their delivery statistics and outcomes, and email reputation.',
  'notifications:send': 'Send and cancel notifications, and drive Live Activities.',
  'users:read': 'Read users, their aliases and subscriptions, and players.',
  'users:write': 'Create, change and delete users, aliases, subscriptions and players.',
  'segments:write': 'Create, change and delete segments.',
  'templates:write':
    'Create, change, delete and copy message templates (reading them needs `notifications:read`).',
  'apikeys:read': "Read an app's API keys: names and IP allow-lists, never the keys (`App.apiKeys`).",
  'apikeys:write':
    'Create, change, rotate and delete API keys (`apiKeyCreate`, `apiKeyUpdate`, `apiKeyRotate`, `apiKeyDelete`); also reads them.',
  'inappmessages:read':
    "Read an app's in-app messages and their stats (`App.inAppMessages`, `App.inAppMessage`, `InAppMessage`).",
  'inappmessages:write':
    'Create, change, pause, resume and delete in-app messages (`inAppMessageCreate`, `inAppMessageUpdate`, `inAppMessagePause`, `inAppMessageResume`, `inAppMessageDelete`); also reads them.',
  'auditlogs:read':
    "Read an organization's audit log (`Organization.auditLogs`; needs the organization API key and an Enterprise plan).",
  'journeys:read': "Read an app's journeys (OneSignal's Journeys API, beta) and their stats.",
  'journeys:write':
    'Create, change, activate, archive and delete journeys and their nodes (`journeyCreate`, `journeyUpdate`, `journeyNodeUpdate`, `journeyDelete`); also reads them.',
  exports: 'Start CSV exports (`notificationExportHistory`, `notificationExportEvents`, `playerExportCsv`).',
} as const;

export type Scope = keyof typeof SCOPES;

export const ALL_SCOPES: readonly Scope[] = Object.keys(SCOPES) as Scope[];

export const isScope = (value: unknown): value is Scope => typeof value === 'string' && value in SCOPES;
