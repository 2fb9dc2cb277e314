import { builder } from './builder.js';
import './error-types.js';
import './apps.js';
import './notifications/index.js';
import './outcomes.js';
import './segments/index.js';
import './templates/index.js';
import './players/index.js';
import './users/index.js';
import './subscriptions/index.js';
import './live-activities.js';
import './custom-events.js';
import './recipient-estimate.js';
import './live-delivery.js';
import './api-keys.js';
import './in-app-messages/index.js';
import './live-activity-start.js';
import './email.js';
import './organization.js';
import './message-events.js';
import './journeys/index.js';

import { GraphQLSchema } from 'graphql';

/**
 * OneSignal's domain type is named `Subscription`, so the subscription root is `SubscriptionRoot`
 * (src/schema/builder.ts), and `subscription { token }` is refused at validation (HTTP 400). The
 * schema carries a description, which makes `printSchema` write the explicit `schema { … }` block
 * into schema.graphql, so no tool has to guess the roots from their names.
 */
const built = builder.toSchema({ sortSchema: false });
export const schema = new GraphQLSchema({
  ...built.toConfig(),
  description:
    'OneSignal apps, their messages, users and subscriptions. `Subscription` is the OneSignal subscription (a device, email address or phone number), not a GraphQL operation type.',
});
