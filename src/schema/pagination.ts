import { ValidationError } from '../core/errors.js';

/** Connection arguments as Pothos passes them. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface OffsetPage {
  offset: number;
  limit: number;
}

const CURSOR_PREFIX = 'offset:';

export const encodeCursor = (offset: number) =>
  Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');

function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return null;
  const offset = Number(text.slice(CURSOR_PREFIX.length));
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}

/**
 * Turns `first`/`after` into OneSignal's limit/offset. `first` may not exceed the upstream page size
 * (50 notifications, 300 players or segments), so one connection page is always one upstream request;
 * `hasNextPage` comes from `total_count`, never from fetching an extra row.
 */
export function offsetPage(args: ConnectionArgs, opts: { max: number; path: string[] }): OffsetPage {
  if (args.last != null || args.before != null) {
    throw ValidationError.field(
      [...opts.path, args.last != null ? 'last' : 'before'],
      'backward paging is not supported by OneSignal; use first/after.',
    );
  }
  const limit = args.first ?? opts.max;
  if (!Number.isInteger(limit) || limit < 1 || limit > opts.max) {
    throw ValidationError.field(
      [...opts.path, 'first'],
      `must be between 1 and ${opts.max} (OneSignal's page size limit), got ${limit}.`,
    );
  }
  let offset = 0;
  if (args.after != null) {
    const decoded = decodeCursor(args.after);
    if (decoded === null)
      throw ValidationError.field(
        [...opts.path, 'after'],
        `"${args.after}" is not a cursor issued by this API.`,
      );
    offset = decoded + 1;
  }
  return { offset, limit };
}

/**
 * A position in OneSignal's time-cursor paging (`time_offset`): the cursor (or ISO time) a page was
 * requested with, and how many of that page's items come before the position. Cursors say which kind
 * of position they hold (`offset:` or `time:`), so one connection pages either way.
 */
export interface TimePosition {
  timeOffset: string;
  skip: number;
}

const TIME_PREFIX = 'time:';

export const encodeTimeCursor = (position: TimePosition) =>
  Buffer.from(`${TIME_PREFIX}${position.skip}:${position.timeOffset}`).toString('base64url');

/** The time position of an `after` cursor, or null when it is an offset cursor (or none). */
export function timeCursorOf(cursor: string | null | undefined, path: string[]): TimePosition | null {
  if (cursor == null) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(TIME_PREFIX)) return null;
  const rest = text.slice(TIME_PREFIX.length);
  const colon = rest.indexOf(':');
  const skip = Number(rest.slice(0, colon));
  const timeOffset = rest.slice(colon + 1);
  if (colon < 1 || !Number.isSafeInteger(skip) || skip < 0 || !timeOffset)
    throw ValidationError.field(path, `"${cursor}" is not a cursor issued by this API.`);
  return { timeOffset, skip };
}

/** Time-cursor pages: edges resume inside the page they came from, the last one at OneSignal's next cursor. */
export function timeConnection<T>(
  items: readonly T[],
  from: TimePosition,
  nextTimeOffset: string | undefined,
  totalCount: number,
): OffsetConnection<T> {
  const edges = items.map((node, i) => {
    const last = i === items.length - 1;
    const position =
      last && nextTimeOffset !== undefined
        ? { timeOffset: nextTimeOffset, skip: 0 }
        : { timeOffset: from.timeOffset, skip: from.skip + i + 1 };
    return { node, cursor: encodeTimeCursor(position) };
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: nextTimeOffset !== undefined,
      hasPreviousPage: from.skip > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** The shape every `*Connection` type resolves from. */
export interface OffsetConnection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

/** `totalCount` of a `*Connection` (Pothos types the parent as a plain relay connection). */
export const totalCountOf = (connection: object) => (connection as OffsetConnection<unknown>).totalCount;

export function offsetConnection<T>(
  items: readonly T[],
  page: OffsetPage,
  totalCount: number,
): OffsetConnection<T> {
  const edges = items.map((node, i) => ({ node, cursor: encodeCursor(page.offset + i) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.offset + items.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
