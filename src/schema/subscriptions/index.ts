/**
 * The subscriptions domain (v5 user model). Importing this file registers all of it, in this order,
 * which is the order the types appear in in introspection and GraphiQL. users/index.ts imports it
 * before the users' own files; other domains import the file that defines what they need.
 */
import './types.js';
import './input.js';
import './mutations.js';
