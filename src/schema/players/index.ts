/**
 * The players domain (OneSignal's v1 device records). Importing this file registers all of it, in
 * this order, which is the order the types appear in in introspection and GraphiQL; other domains
 * that need it before its turn in ../index.ts (outcomes.ts needs `DeviceType`) import it from here.
 */
import './attributes.js';
import './types.js';
import './queries.js';
import './mutations.js';

export { DeviceTypeEnum, type DeviceTypeName, deviceTypeToWire } from './attributes.js';
