/**
 * The old path of the segments domain, kept for notifications.ts and recipient-estimate.ts (which
 * target with segment filters and are being reorganised on their own): once they import
 * ./segments/filters.js, this file can go. It loads the whole folder, not only the filters, so the
 * segment types stay registered where they were and the unsorted schema does not change.
 */
import './segments/index.js';

export { FilterInput, type FilterInputShape, toWireFilters } from './segments/filters.js';
