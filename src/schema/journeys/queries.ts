/**
 * Fields that return journeys: `App.journeys`, a connection over view_journeys' forward-only cursor
 * paging, and `App.journey(id:)`.
 */
import { type GraphQLResolveInfo, Kind } from 'graphql';
import { ValidationError } from '../../core/errors.js';
import type { LoadedJourney } from '../../loaders/journeys.js';
import { JOURNEY_PAGE_MAX } from '../../onesignal/index.js';
import { AppRef, registerAppFieldPrefetch } from '../apps.js';
import { builder } from '../builder.js';
import type { ConnectionArgs } from '../pagination.js';
import { orNull, upstream } from '../upstream-errors.js';
import { JOURNEY_READ_SCOPES, JourneyRef } from './types.js';

const JourneyConnectionRef = builder.connectionObject(
  { type: JourneyRef, name: 'JourneyConnection', description: 'A page of journeys, newest first.' },
  { name: 'JourneyEdge', description: 'A journey with its cursor.' },
);

/**
 * A position in the list: OneSignal's cursor of the page it falls in (none: the first page) and how
 * many of that page's journeys come before it. Our cursors carry it, opaque, so a connection page can
 * end anywhere in an upstream page and the next one still starts with a single request.
 */
interface Position {
  cursor: string | undefined;
  skip: number;
}

const PREFIX = 'journeys:';
const encodePosition = (p: Position) =>
  Buffer.from(`${PREFIX}${JSON.stringify([p.cursor ?? null, p.skip])}`).toString('base64url');

function decodePosition(after: string, path: string[]): Position {
  const text = Buffer.from(after, 'base64url').toString('utf8');
  try {
    if (text.startsWith(PREFIX)) {
      const [cursor, skip] = JSON.parse(text.slice(PREFIX.length)) as unknown[];
      if (
        (cursor === null || typeof cursor === 'string') &&
        Number.isSafeInteger(skip) &&
        (skip as number) >= 0
      )
        return { cursor: cursor ?? undefined, skip: skip as number };
    }
  } catch {
    // refused below
  }
  throw ValidationError.field(path, `"${after}" is not a cursor issued by this API.`);
}

/** The upstream page a connection page reads, validated before any call. */
function journeyPageKey(appId: string, args: ConnectionArgs) {
  const path = ['journeys'];
  if (args.last != null || args.before != null)
    throw ValidationError.field(
      [...path, args.last != null ? 'last' : 'before'],
      'backward paging is not supported by OneSignal; use first/after.',
    );
  const first = args.first ?? JOURNEY_PAGE_MAX;
  if (!Number.isInteger(first) || first < 1 || first > JOURNEY_PAGE_MAX)
    throw ValidationError.field(
      [...path, 'first'],
      `must be between 1 and ${JOURNEY_PAGE_MAX} (OneSignal's page size limit), got ${first}.`,
    );
  const from =
    args.after != null ? decodePosition(args.after, [...path, 'after']) : { cursor: undefined, skip: 0 };
  if (from.skip > JOURNEY_PAGE_MAX)
    throw ValidationError.field([...path, 'after'], `"${args.after}" is not a cursor issued by this API.`);
  return {
    from,
    first,
    key: {
      appId: appId.toLowerCase(),
      cursor: from.cursor,
      limit: Math.min(JOURNEY_PAGE_MAX, from.skip + first),
    },
  };
}

/** Journey fields that need none of the journey's own data. */
const STATS_ONLY = new Set(['__typename', 'id', 'oneSignalId', 'stats', 'app']);

/** Whether the field's selection is plain fields all in `allowed` (fragments: not judged, so no). */
function selectsOnly(info: GraphQLResolveInfo, allowed: Set<string>): boolean {
  return info.fieldNodes.every((node) =>
    (node.selectionSet?.selections ?? []).every(
      (sel) => sel.kind === Kind.FIELD && allowed.has(sel.name.value),
    ),
  );
}

registerAppFieldPrefetch('journeys', (appId, args, ctx) => {
  ctx.loaders.journeyPage.load(journeyPageKey(appId, args).key).catch(() => {});
});

builder.objectFields(AppRef, (t) => ({
  journeys: t.field({
    type: JourneyConnectionRef,
    skipTypeScopes: true,
    authScopes: JOURNEY_READ_SCOPES,
    description: `The app's journeys, newest first (OneSignal's Journeys API, beta). One page is one view_journeys request of at most ${JOURNEY_PAGE_MAX}; a page that starts inside an upstream page reads up to its end, so it may hold fewer than \`first\` with \`hasNextPage\` true. No total: OneSignal reports none.`,
    args: {
      first: t.arg.int({
        description: `How many journeys to return, 1–${JOURNEY_PAGE_MAX} (default ${JOURNEY_PAGE_MAX}).`,
      }),
      after: t.arg.string({ description: 'Return journeys after this cursor.' }),
    },
    resolve: async (app, args, ctx) => {
      const { from, first, key } = journeyPageKey(app.id, args);
      const page = await upstream(ctx.loaders.journeyPage.load(key));
      const items = page.journeys.slice(from.skip, from.skip + first);
      const edges = items.map((node, i) => {
        const index = from.skip + i;
        const endsUpstreamPage =
          index === page.journeys.length - 1 && page.hasMore && page.nextCursor !== undefined;
        const position = endsUpstreamPage
          ? { cursor: page.nextCursor, skip: 0 }
          : { cursor: from.cursor, skip: index + 1 };
        return { node, cursor: encodePosition(position) };
      });
      return {
        edges,
        pageInfo: {
          hasNextPage: page.journeys.length > from.skip + items.length || page.hasMore,
          hasPreviousPage: from.cursor !== undefined || from.skip > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
  journey: t.field({
    type: JourneyRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: JOURNEY_READ_SCOPES,
    description: 'One journey of the app by its OneSignal id (view_journey); null when it does not exist.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal journey id.' }) },
    resolve: async (app, { id }, ctx, info) => {
      const key = { appId: app.id.toLowerCase(), id: id.toLowerCase() };
      if (!selectsOnly(info, STATS_ONLY)) return orNull(ctx.loaders.journey.load(key));
      // Only ids and stats: view_journey_stats alone tells whether the journey exists (404), so the
      // journey itself is not read. `summary` makes any other field read it after all.
      const stats = await orNull(ctx.loaders.journeyStats.load(key));
      return stats ? ({ id: key.id, app_id: key.appId, name: '', summary: true } as LoadedJourney) : null;
    },
  }),
}));
