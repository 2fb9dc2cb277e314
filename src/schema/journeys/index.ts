/**
 * The journeys domain (OneSignal's Journeys API, which OneSignal marks beta), one concern per file:
 *
 *   enums.ts       states, node kinds, conditions and operators, with their wire names
 *   graph.ts       the audience, early exit, schedule and node graph objects
 *   types.ts       the `Journey` node and `JourneyStats`
 *   queries.ts     `App.journeys` (connection over cursor paging), `App.journey(id:)`
 *   mutations.ts   `journeyCreate`, `journeyUpdate`, `journeyNodeUpdate`, `journeyDelete`
 *   input.ts       what create and update accept, its validation and the wire body
 *   node-input.ts  what a node accepts (also `journeyNodeUpdate`), its checks and wire fields
 */
import './types.js';
import './queries.js';
import './mutations.js';
