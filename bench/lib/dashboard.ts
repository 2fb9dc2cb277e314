/**
 * The dashboard the benches load: an app and its 50 latest notifications with their counts, what a
 * team's dashboard shows. Two upstream reads when nothing is cached (`get_app`, `get_notifications`).
 */
export const dashboardQuery = (appId: string) =>
  `query Dashboard { app(id: "${appId}") { name messageablePlayerCount notifications(first: 50) { totalCount nodes { id status queuedAt successfulCount failedCount } } } }`;
