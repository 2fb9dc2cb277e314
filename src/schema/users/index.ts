/**
 * The users domain (v5 user model). Importing this file registers all of it, in this order, which is
 * the order the types appear in in introspection and GraphiQL. Subscriptions come first: users build
 * on them (`User.subscriptions`, `userCreate`'s subscriptions), and that is where they always were.
 * Other domains import refs.ts to point at a user.
 */
import '../subscriptions/index.js';
import './aliases.js';
import './types.js';
import './queries.js';
import './mutations.js';
