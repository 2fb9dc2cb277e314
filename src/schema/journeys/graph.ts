/**
 * The parts of a journey as OneSignal's reference documents them, besides its node graph (nodes.ts):
 * the entry audience, early exit, schedule, tags and event conditions. The audience also hands on
 * as `extra` the fields a beta API answers that it does not name yet.
 */
import type {
  WireJourneyAudience,
  WireJourneyEarlyExit,
  WireJourneyEventAttribute,
  WireJourneyNode,
  WireJourneySchedule,
} from '../../onesignal/index.js';
import { builder } from '../builder.js';
import { fromIso } from '../time.js';
import { extraOf, JourneyAudienceKindEnum, JourneyEventOperatorEnum, known, OPERATORS } from './enums.js';

/** A node with the app its journey belongs to, so `template` can be read. */
export interface NodeParent {
  wire: WireJourneyNode;
  appId: string;
}

export const EXTRA =
  'Fields OneSignal answered that this type does not name yet (the Journeys API is beta); null when none.';

export const JourneyTagRef = builder.simpleObject('JourneyTag', {
  description: 'A tag key and value.',
  fields: (t) => ({
    key: t.string({ description: 'Tag key.' }),
    value: t.string({ description: 'Tag value; an empty string removes the tag.' }),
  }),
});

export const tagsOf = (map: Record<string, string> | null | undefined) =>
  Object.entries(map ?? {}).map(([key, value]) => ({ key, value: String(value) }));

export const JourneyEventAttributeRef = builder
  .objectRef<WireJourneyEventAttribute>('JourneyEventAttribute')
  .implement({
    description: 'A condition on a property of a custom event.',
    fields: (t) => ({
      key: t.exposeString('key', { description: 'The event property.' }),
      operator: t.field({
        type: JourneyEventOperatorEnum,
        nullable: true,
        description: 'How it is compared; null for an operator this API does not know yet.',
        resolve: (a) => known(OPERATORS, a.operator),
      }),
      value: t.string({
        nullable: true,
        description: 'The value compared against; null for EXISTS and NOT_EXISTS.',
        resolve: (a) => (a.value == null ? null : String(a.value)),
      }),
    }),
  });

/** OneSignal nests event conditions in groups and takes exactly one, its conditions AND'd. */
export const eventAttributesOf = (groups: WireJourneyEventAttribute[][] | undefined) => (groups ?? []).flat();

export const JourneyAudienceRef = builder.objectRef<WireJourneyAudience>('JourneyAudience').implement({
  description: 'Who enters the journey: segment members, or users who send a custom event.',
  fields: (t) => ({
    kind: t.field({
      type: JourneyAudienceKindEnum,
      nullable: true,
      description: 'How users enter; null for a kind this API does not know yet.',
      resolve: (a) => known(['segment', 'event_trigger'] as const, a.kind),
    }),
    includedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT: the segments whose users enter.',
      resolve: (a) => a.included_segment_ids ?? [],
    }),
    excludedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT: the segments whose users never enter.',
      resolve: (a) => a.excluded_segment_ids ?? [],
    }),
    futureAdditionsOnly: t.boolean({
      nullable: true,
      description: 'SEGMENT: only users who newly match after activation enter (OneSignal’s default: false).',
      resolve: (a) => a.future_additions_only ?? null,
    }),
    eventName: t.string({
      nullable: true,
      description: 'EVENT_TRIGGER: the custom event that makes a user enter.',
      resolve: (a) => a.name ?? null,
    }),
    eventAttributes: t.field({
      type: [JourneyEventAttributeRef],
      description: 'EVENT_TRIGGER: conditions on the event’s properties, all of which must hold.',
      resolve: (a) => eventAttributesOf(a.attributes),
    }),
    extra: t.field({
      type: 'JSONObject',
      nullable: true,
      description: EXTRA,
      resolve: (a) =>
        extraOf(a, [
          'kind',
          'included_segment_ids',
          'excluded_segment_ids',
          'future_additions_only',
          'name',
          'attributes',
        ]),
    }),
  }),
});

export const JourneyEarlyExitRef = builder.objectRef<WireJourneyEarlyExit>('JourneyEarlyExit').implement({
  description: 'What takes a user out of the journey before its end.',
  fields: (t) => ({
    onSegmentIds: t.field({
      type: ['UUID'],
      description: 'Users who join one of these segments exit.',
      resolve: (e) => e.rules?.on_segment?.included_segment_ids ?? [],
    }),
    whenNotInAudience: t.boolean({
      description: 'Users who stop matching the journey’s audience exit.',
      resolve: (e) => e.rules?.when_not_in_audience === true,
    }),
    onSession: t.boolean({
      description: 'Users exit when they start a new session.',
      resolve: (e) => e.rules?.on_session === true,
    }),
    onEventName: t.string({
      nullable: true,
      description: 'Users who send this custom event exit; null when no event rule is set.',
      resolve: (e) => e.rules?.on_event?.name ?? null,
    }),
    tagsOnExit: t.field({
      type: [JourneyTagRef],
      description: 'Tags set on a user who exits early.',
      resolve: (e) => tagsOf(e.tag_on_early_exit),
    }),
  }),
});

export const JourneyScheduleRef = builder.objectRef<WireJourneySchedule>('JourneySchedule').implement({
  description: 'When a journey starts and stops by itself.',
  fields: (t) => ({
    startAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it activates (SCHEDULED journeys).',
      resolve: (s) => fromIso(s.start_at),
    }),
    stopAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it stops.',
      resolve: (s) => fromIso(s.stop_at),
    }),
    error: t.string({
      nullable: true,
      description: 'Why scheduling failed, when it did.',
      resolve: (s) => s.error ?? null,
    }),
  }),
});
