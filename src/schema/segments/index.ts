/**
 * The segments domain: filters, the Segment type, `App.segments` and the segment mutations.
 * Importing this file registers all of it, in this order, which is the order the types appear in in
 * introspection and GraphiQL.
 */
import './filters.js';
import './types.js';
import './queries.js';
import './mutations.js';
