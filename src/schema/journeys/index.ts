/**
 * The journeys domain (OneSignal's Journeys API, which OneSignal marks beta), one concern per file:
 *
 *   enums.ts       states, node kinds, conditions and operators, with their wire names
 *   graph.ts       the audience, early exit and schedule objects, tags and event conditions
 *   nodes.ts       the node graph: nodes, branches, conditions, time windows
 *   types.ts       the `Journey` node and `JourneyStats`
 *   queries.ts     `App.journeys` (connection over cursor paging), `App.journey(id:)`
 *   mutations.ts   `journeyCreate`, `journeyUpdate`, `journeyNodeUpdate`, `journeyDelete`
 *   input.ts       what create and update accept, its validation and the wire body
 *   node-input.ts  what a node accepts (also `journeyNodeUpdate`)
 *   node-wire.ts   a node input's checks and wire fields
 */
import './types.js';
import './queries.js';
import './mutations.js';
