/** Validation of the segment mutations' input and its mapping to create_segment and update_segment bodies. */
import { ValidationError } from '../../core/errors.js';
import type { WireFilter, WireSegmentUpdateBody } from '../../onesignal/index.js';
import { type FilterInputShape, toWireFilters } from './filters.js';

/** Validates `segmentCreate`'s input (every problem at once) and builds create_segment's body. */
export function toSegmentCreateBody(input: { name: string; filters: readonly FilterInputShape[] }): {
  name: string;
  filters: WireFilter[];
} {
  const problems: { path: string[]; message: string }[] = [];
  if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
  if (input.filters.length === 0)
    problems.push({ path: ['input', 'filters'], message: 'give at least one condition.' });
  let filters: WireFilter[] = [];
  try {
    filters = toWireFilters(input.filters, ['input', 'filters']);
  } catch (error) {
    if (error instanceof ValidationError) problems.push(...error.fields);
    else throw error;
  }
  if (problems.length) throw new ValidationError(problems);
  return { name: input.name, filters };
}

interface SegmentUpdateInputShape {
  name?: string | null;
  description?: string | null;
  filters?: FilterInputShape[] | null;
}

/** Validates `segmentUpdate`'s input (every problem at once) and builds update_segment's body, name aside. */
export function toSegmentUpdateBody(input: SegmentUpdateInputShape): Partial<WireSegmentUpdateBody> {
  const problems: { path: string[]; message: string }[] = [];
  const body: Partial<WireSegmentUpdateBody> = {};
  if (input.name != null) {
    if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
    body.name = input.name;
  }
  if (input.description != null) body.description = input.description;
  if (input.filters != null) {
    if (!input.filters.some((f) => f.condition))
      problems.push({ path: ['input', 'filters'], message: 'give at least one condition.' });
    try {
      body.filters = toWireFilters(input.filters, ['input', 'filters']);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.fields);
      else throw error;
    }
  }
  if (input.name == null && input.description == null && input.filters == null)
    problems.push({ path: ['input'], message: 'give a name, a description or filters to change.' });
  if (problems.length) throw new ValidationError(problems);
  return body;
}
