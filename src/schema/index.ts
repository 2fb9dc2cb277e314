import { builder } from './builder.js';
import './error-types.js';
import './apps.js';
import './notifications.js';
import './outcomes.js';
import './segments.js';
import './players.js';
import './users.js';
import './subscriptions.js';
import './live-activities.js';
import './api-keys.js';

import { GraphQLSchema } from 'graphql';

/**
 * Pothos would take any type named `Subscription` as the subscription root, and OneSignal's domain
 * type has that name; so the roots are named apart from the domain (the subscription root is
 * `SubscriptionRoot`, declared in src/schema/builder.ts) and the schema carries a description, which
 * makes `printSchema` write the explicit `schema { … }` block into schema.graphql. Without a
 * subscription root, `subscription { token }` is refused at validation (HTTP 400).
 */
const built = builder.toSchema({ sortSchema: false });
export const schema = new GraphQLSchema({
  ...built.toConfig(),
  description:
    'OneSignal apps, their messages, users and subscriptions. `Subscription` is the OneSignal subscription (a device, email address or phone number), not a GraphQL operation type.',
  subscription: null,
});
