/** GraphQL documents that more than one suite sends. */

/** An app's recipient estimate for a targeting: what a send with it would reach. */
export const ESTIMATE = /* GraphQL */ `
  query ($app: UUID!, $targeting: NotificationTargetInput!, $channel: TargetChannel) {
    app(id: $app) {
      recipientEstimate(targeting: $targeting, channel: $channel) { count uncappedCount capApplied mobileSuppressed mobileExcludedCount }
    }
  }
`;
