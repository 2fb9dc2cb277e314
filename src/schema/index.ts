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

import { GraphQLSchema } from 'graphql';

/**
 * Pothos takes any type named `Subscription` as the subscription root, and OneSignal's domain type
 * has that name, so `subscription { token }` would pass validation and fail at run time. This API
 * serves no GraphQL subscriptions (yet), so the schema gets no subscription root at all and such an
 * operation is refused at validation (HTTP 400).
 */
const built = builder.toSchema({ sortSchema: false });
export const schema = new GraphQLSchema({ ...built.toConfig(), subscription: null });
