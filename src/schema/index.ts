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

export const schema = builder.toSchema({ sortSchema: false });
