/**
 * OneSignal's documented rate limits, written once: the client paces its calls by this table
 * (src/upstream/scheduler.ts) and the emulator refuses with 429 by it (src/emulator/limits.ts), so
 * what we are tested against is what we pace by.
 *
 * Source: OneSignal's rate-limits page, {@link RATE_LIMITS_URL}. Viewing notifications, a notification
 * or a user is about 1 request/s per app with a short burst; creating and canceling messages 150/s on
 * free plans, 6,000/s on paid ones; user and subscription writes 1,000/s per app and 1/s per user or
 * subscription. The bursts are ours: OneSignal gives no figure, and these are small enough that a
 * client within them never meets a 429.
 *
 * Pure data and small pure functions that import nothing: the emulator, which otherwise imports
 * nothing of ours, may import exactly this file (.dependency-cruiser.cjs).
 */
export const RATE_LIMITS_URL = 'https://documentation.onesignal.com/reference/rate-limits';

export type Plan = 'free' | 'paid';

export interface Rate {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests OneSignal accepts at once after a quiet period (a bucket's size). */
  burst: number;
}

interface LimitSpec {
  /** The limit's name in the emulator's 429 bodies (`limit.name`) and in the client's buckets. */
  readonly name: string;
  /** `app`: one budget per app; `subject`: one per user or subscription, spent besides the app's. */
  readonly per: 'app' | 'subject';
  readonly free: Rate;
  /** Only where paid plans get more than free ones. */
  readonly paid?: Rate;
  /** Operation ids, as in src/onesignal/index.ts OPERATIONS. Operations in no class are not limited. */
  readonly operations: readonly string[];
}

const USER_AND_SUBSCRIPTION_WRITES = [
  'create_user',
  'update_user',
  'delete_user',
  'identify_user_by_alias',
  'delete_alias',
  'create_subscription',
  'update_subscription',
  'delete_subscription',
  'identify_user_by_subscription_id',
  'transfer_subscription',
  // An update of a subscription that names it by its token instead of its id. OneSignal's page puts
  // user and subscription writes (create, update, delete) at 1,000/s per app and 1/s per user or
  // subscription, whatever names the subscription, so it is a write here and on the subject budget.
  'update_subscription_by_token',
] as const;

/**
 * A view class: about 1 request/s per app, burst 3, as OneSignal documents for viewing messages, a
 * message or a user. The newer read APIs get one each too, though OneSignal's page lists none for
 * them (in-app messages, email analytics, the audit log, journeys): paced as views until it does.
 */
const view = <const N extends string, const O extends readonly string[]>(name: N, operations: O) => ({
  name,
  per: 'app' as const,
  free: { perSecond: 1, burst: 3 },
  operations,
});

/** The classes, in the order the emulator lists them. */
export const LIMITS = [
  view('view_notifications', ['get_notifications']),
  view('view_notification', ['get_notification']),
  view('view_user', ['fetch_user', 'fetch_user_identity', 'fetch_aliases']),
  {
    name: 'create_message',
    per: 'app',
    free: { perSecond: 150, burst: 150 },
    paid: { perSecond: 6000, burst: 6000 },
    // A push-to-start creates a notification (its answer is one) and takes an idempotency key: a send.
    operations: ['create_notification', 'cancel_notification', 'start_live_activity'],
  },
  {
    name: 'user_write',
    per: 'app',
    free: { perSecond: 1000, burst: 1000 },
    operations: USER_AND_SUBSCRIPTION_WRITES,
  },
  {
    name: 'user_write_per_subject',
    per: 'subject',
    free: { perSecond: 1, burst: 2 },
    // Creating a user names no existing user or subscription to count against.
    operations: USER_AND_SUBSCRIPTION_WRITES.filter((op) => op !== 'create_user'),
  },
  view('view_in_app_messages', ['view_in_app_messages', 'view_in_app_message', 'view_in_app_message_stats']),
  view('view_email_analytics', ['get_email_reputation']),
  // The audit log is signed with the organization key and names no app: its budget is that key's.
  view('view_audit_logs', ['list_audit_logs']),
  view('view_journeys', ['view_journeys', 'view_journey', 'view_journey_stats']),
] as const satisfies readonly LimitSpec[];

export type LimitClass = (typeof LIMITS)[number]['name'];

export const LIMIT_CLASSES: readonly LimitClass[] = LIMITS.map((l) => l.name);

/** Every class's rate on a plan. */
export function ratesFor(plan: Plan): Record<LimitClass, Rate> {
  return Object.fromEntries(
    LIMITS.map((l) => {
      const rate: Rate = plan === 'paid' && 'paid' in l ? l.paid : l.free;
      return [l.name, { ...rate }];
    }),
  ) as Record<LimitClass, Rate>;
}

const inClass = (l: LimitSpec, operationId: string) => l.operations.includes(operationId);

/** The per-app class an operation counts against, if OneSignal limits it. */
export function appLimitOf(operationId: string): LimitClass | undefined {
  return LIMITS.find((l) => l.per === 'app' && inClass(l, operationId))?.name;
}

/** What names a user or subscription in a request: its path parameters, as OneSignal's paths name them. */
export interface SubjectParams {
  subscription_id?: string | undefined;
  alias_label?: string | undefined;
  alias_id?: string | undefined;
  /** With `token`: a subscription named by its type (`Email`, `SMS`, `iOSPush`, …) and token. */
  token_type?: string | undefined;
  token?: string | undefined;
}

/**
 * `subscription/<id>`, `subscription_token/<type>/<token>` or `user/<label>/<id>`: how 429 bodies and
 * the client's buckets name a subject.
 *
 * A subscription named by its token is budgeted by that token, not by its id: the client cannot know
 * the id without a read, and a 429 naming a budget the client's retry does not wait on would only earn
 * more 429s. So an update by id and one by token of the same subscription share no budget here, where
 * OneSignal may count them together; its 429 then still pauses the client (on the app's class).
 */
export function subjectOf(params: SubjectParams): string | undefined {
  if (params.subscription_id) return `subscription/${params.subscription_id}`;
  if (params.token_type && params.token) return `subscription_token/${params.token_type}/${params.token}`;
  if (params.alias_label && params.alias_id) return `user/${params.alias_label}/${params.alias_id}`;
  return undefined;
}

/**
 * The budgets a request spends: the per-subject one first (when the operation has one and the
 * request names a subject), then its app's class. Empty when OneSignal does not limit it.
 */
export function limitsOf(
  operationId: string,
  params: SubjectParams,
): { name: LimitClass; subject: string | undefined }[] {
  const out: { name: LimitClass; subject: string | undefined }[] = [];
  for (const l of LIMITS) {
    if (!inClass(l, operationId)) continue;
    if (l.per === 'app') {
      out.push({ name: l.name, subject: undefined });
      continue;
    }
    const subject = subjectOf(params);
    if (subject) out.unshift({ name: l.name, subject });
  }
  return out;
}
