import { type InAppMessageRecord, restoreInAppMessage } from './in-app-messages.js';
import { InAppMessageUsage } from './in-app-usage.js';
import { inAppMessagesOf } from './journey-graph.js';
import type { JourneyRecord } from './journeys.js';
import type {
  ApiKeyRecord,
  AppRecord,
  AuditEntry,
  CreateNotificationResult,
  NotificationRecord,
  PlayerRecord,
  RecordedEvent,
  SegmentRecord,
  TemplateRecord,
  UserRecord,
} from './types.js';

export interface AppSnapshot {
  app: AppRecord;
  players: PlayerRecord[];
  users: UserRecord[];
  segments: SegmentRecord[];
  notifications: NotificationRecord[];
  idempotency: [string, CreateNotificationResult][];
  outcomes: Record<string, [number, number]>;
  /** In-app messages (routes/in-app-messages.ts); older snapshots hold the SDK manifest shape. */
  iams: InAppMessageRecord[];
  liveActivities: [string, [string, string][]][];
  /** Absent in snapshots taken before templates existed. */
  templates?: TemplateRecord[];
  /** REST API keys, each with the hash of its key, never the key; absent in older snapshots. */
  apiKeys?: ApiKeyRecord[];
  /** Recorded custom events, oldest first; absent in older snapshots. */
  customEvents?: RecordedEvent[];
  /** Audit log events and email spam complaints; absent in snapshots taken before they existed. */
  auditAndEmail?: { auditLog: AuditEntry[]; emailComplaints: [string, number][] };
  /** Absent in snapshots taken before journeys existed. */
  journeys?: JourneyRecord[];
}

export interface Snapshot {
  version: 1;
  apps: AppSnapshot[];
  exports: [string, string][];
}

const aliasKey = (label: string, id: string) => `${label}\u0000${id}`;

/** One app's data with the indexes that keep every lookup O(1). */
export class AppState {
  readonly players = new Map<string, PlayerRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly segments = new Map<string, SegmentRecord>();
  /** Message templates in creation order. */
  readonly templates = new Map<string, TemplateRecord>();
  readonly notifications = new Map<string, NotificationRecord>();
  /** Notification ids in ascending queued_at order. */
  readonly notificationOrder: string[] = [];
  /** external_id / idempotency_key → the first create_notification answer. */
  readonly idempotency = new Map<string, CreateNotificationResult>();
  /** `${name}|${bucket}|${platform}|${attribution}` → [count, sum]; bucket 0 = last hour, 1 = last day, 2 = last month. */
  outcomes: Record<string, [number, number]> = {};
  /** In-app messages in creation order: the in-app message API and get_eligible_iams read these. */
  iams: InAppMessageRecord[] = [];
  /** activity_id → subscription_id → push token. */
  readonly liveActivities = new Map<string, Map<string, string>>();
  /** REST API keys (current API), token id → key, in creation order. */
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  /** Custom events recorded for the app, oldest first. */
  customEvents: RecordedEvent[] = [];
  /** Audit log events of this app, oldest first (list_audit_logs gathers them across apps). */
  auditLog: AuditEntry[] = [];
  /** Notification id → spam complaints its email drew (the emulator's inboxes report none by themselves). */
  readonly emailComplaints = new Map<string, number>();
  /** Journeys (beta API) by lower-case id, with the counts their stats show. */
  readonly journeys = new Map<string, JourneyRecord>();
  /** Which journeys use which in-app messages; rebuilt from the journeys, so not in snapshots. */
  readonly inAppMessageUsage = new InAppMessageUsage();

  private readonly aliases = new Map<string, string>();
  private readonly tokens = new Map<string, string>();
  private readonly segmentsByName = new Map<string, string>();
  private sortedPlayerIds: string[] | null = null;

  constructor(public app: AppRecord) {}

  get id(): string {
    return this.app.id;
  }

  // Players / subscriptions

  addPlayer(player: PlayerRecord): void {
    this.players.set(player.id, player);
    if (player.identifier) this.tokens.set(player.identifier, player.id);
    this.sortedPlayerIds = null;
    const user = this.users.get(player.user_id);
    if (user && !user.subscriptions.includes(player.id)) user.subscriptions.push(player.id);
  }

  removePlayer(id: string): PlayerRecord | undefined {
    const player = this.players.get(id);
    if (!player) return undefined;
    this.players.delete(id);
    if (player.identifier && this.tokens.get(player.identifier) === id) this.tokens.delete(player.identifier);
    this.sortedPlayerIds = null;
    const user = this.users.get(player.user_id);
    if (user) user.subscriptions = user.subscriptions.filter((s) => s !== id);
    for (const tokens of this.liveActivities.values()) tokens.delete(id);
    return player;
  }

  setIdentifier(player: PlayerRecord, identifier: string | null): void {
    if (player.identifier && this.tokens.get(player.identifier) === player.id)
      this.tokens.delete(player.identifier);
    player.identifier = identifier;
    if (identifier) this.tokens.set(identifier, player.id);
  }

  playerByToken(token: string): PlayerRecord | undefined {
    const id = this.tokens.get(token);
    return id === undefined ? undefined : this.players.get(id);
  }

  /** Player ids sorted ascending, cached until the next insert/delete. */
  playerIdsSorted(): string[] {
    if (!this.sortedPlayerIds) this.sortedPlayerIds = [...this.players.keys()].sort();
    return this.sortedPlayerIds;
  }

  /** Moves a subscription to another user. */
  transferPlayer(player: PlayerRecord, to: UserRecord): void {
    const from = this.users.get(player.user_id);
    if (from) from.subscriptions = from.subscriptions.filter((s) => s !== player.id);
    player.user_id = to.onesignal_id;
    if (!to.subscriptions.includes(player.id)) to.subscriptions.push(player.id);
  }

  // Users and aliases

  addUser(user: UserRecord): void {
    this.users.set(user.onesignal_id, user);
    for (const [label, id] of Object.entries(user.aliases))
      this.aliases.set(aliasKey(label, id), user.onesignal_id);
  }

  removeUser(user: UserRecord): void {
    for (const sub of [...user.subscriptions]) this.removePlayer(sub);
    for (const [label, id] of Object.entries(user.aliases)) this.aliases.delete(aliasKey(label, id));
    this.users.delete(user.onesignal_id);
  }

  userByAlias(label: string, id: string): UserRecord | undefined {
    if (label === 'onesignal_id') return this.users.get(id);
    const owner = this.aliases.get(aliasKey(label, id));
    return owner === undefined ? undefined : this.users.get(owner);
  }

  setAlias(user: UserRecord, label: string, id: string): void {
    const previous = user.aliases[label];
    if (previous !== undefined) this.aliases.delete(aliasKey(label, previous));
    user.aliases[label] = id;
    this.aliases.set(aliasKey(label, id), user.onesignal_id);
  }

  removeAlias(user: UserRecord, label: string): void {
    const previous = user.aliases[label];
    if (previous === undefined) return;
    this.aliases.delete(aliasKey(label, previous));
    delete user.aliases[label];
  }

  externalIdOf(player: PlayerRecord): string | null {
    return this.users.get(player.user_id)?.aliases.external_id ?? null;
  }

  tagsOf(player: PlayerRecord): Record<string, string> {
    return this.users.get(player.user_id)?.properties.tags ?? {};
  }

  // Segments

  addSegment(segment: SegmentRecord): void {
    this.segments.set(segment.id, segment);
    this.segmentsByName.set(segment.name, segment.id);
  }

  removeSegment(id: string): boolean {
    const segment = this.segments.get(id);
    if (!segment) return false;
    this.segments.delete(id);
    this.segmentsByName.delete(segment.name);
    return true;
  }

  /** Changes a segment in place (keeping its position) and its name index. */
  updateSegment(
    id: string,
    patch: Partial<Pick<SegmentRecord, 'name' | 'filters' | 'description' | 'updated_at'>>,
  ): void {
    const segment = this.segments.get(id);
    if (!segment) return;
    if (patch.name !== undefined && patch.name !== segment.name) {
      this.segmentsByName.delete(segment.name);
      this.segmentsByName.set(patch.name, id);
    }
    Object.assign(segment, patch);
  }

  segmentByName(name: string): SegmentRecord | undefined {
    const id = this.segmentsByName.get(name);
    return id === undefined ? undefined : this.segments.get(id);
  }

  // Notifications

  addNotification(notification: NotificationRecord): void {
    this.notifications.set(notification.id, notification);
    const order = this.notificationOrder;
    // Appends in the common case; keeps queued_at order when restoring or seeding out of order.
    let i = order.length;
    while (i > 0 && (this.notifications.get(order[i - 1] as string)?.queued_at ?? 0) > notification.queued_at)
      i--;
    order.splice(i, 0, notification.id);
  }

  snapshot(): AppSnapshot {
    return {
      app: this.app,
      players: [...this.players.values()],
      users: [...this.users.values()],
      segments: [...this.segments.values()],
      notifications: this.notificationOrder.map((id) => this.notifications.get(id) as NotificationRecord),
      idempotency: [...this.idempotency.entries()],
      outcomes: this.outcomes,
      iams: this.iams,
      liveActivities: [...this.liveActivities.entries()].map(([a, m]) => [a, [...m.entries()]]),
      templates: [...this.templates.values()],
      apiKeys: [...this.apiKeys.values()],
      customEvents: this.customEvents,
      auditAndEmail: { auditLog: this.auditLog, emailComplaints: [...this.emailComplaints.entries()] },
      journeys: [...this.journeys.values()],
    };
  }

  static fromSnapshot(s: AppSnapshot): AppState {
    const state = new AppState(s.app);
    for (const u of s.users) state.addUser({ ...u, subscriptions: [] });
    for (const p of s.players) state.addPlayer(p);
    for (const u of s.users) {
      const user = state.users.get(u.onesignal_id);
      if (user) user.subscriptions = u.subscriptions.filter((id) => state.players.has(id));
    }
    for (const seg of s.segments) state.addSegment(seg);
    for (const n of s.notifications) state.addNotification(n);
    for (const [k, v] of s.idempotency) state.idempotency.set(k, v);
    state.outcomes = s.outcomes;
    state.iams = (s.iams ?? []).map((m) =>
      restoreInAppMessage(m as unknown as Record<string, unknown>, s.app.id),
    );
    for (const [a, entries] of s.liveActivities) state.liveActivities.set(a, new Map(entries));
    for (const t of s.templates ?? []) state.templates.set(t.id, t);
    for (const k of s.apiKeys ?? []) state.apiKeys.set(k.token_id, k);
    state.customEvents = s.customEvents ?? [];
    state.auditLog = s.auditAndEmail?.auditLog ?? [];
    for (const [id, n] of s.auditAndEmail?.emailComplaints ?? []) state.emailComplaints.set(id, n);
    for (const j of s.journeys ?? []) {
      state.journeys.set(j.journey.id, j);
      state.inAppMessageUsage.set(j.journey.id, inAppMessagesOf(j.journey));
    }
    return state;
  }
}

export class Store {
  readonly apps = new Map<string, AppState>();
  /** File name → CSV served under /__emulator/exports/. */
  readonly exports = new Map<string, string>();
  /** SHA-256 of a live REST API key → its app: the keys `requireAppKey` accepts beside `basic_auth_key`. */
  readonly apiKeyOwners = new Map<string, string>();
  private readonly keyIndex = new Map<string, string>();

  addApp(app: AppRecord): AppState {
    const state = new AppState(app);
    this.apps.set(app.id, state);
    this.keyIndex.set(app.basic_auth_key, app.id);
    return state;
  }

  appByKey(key: string): AppState | undefined {
    const id = this.keyIndex.get(key);
    return id === undefined ? undefined : this.apps.get(id);
  }

  snapshot(): Snapshot {
    return {
      version: 1,
      apps: [...this.apps.values()].map((a) => a.snapshot()),
      exports: [...this.exports.entries()],
    };
  }

  static fromSnapshot(s: Snapshot): Store {
    if (s?.version !== 1 || !Array.isArray(s.apps)) throw new Error('Unsupported emulator data file');
    const store = new Store();
    for (const a of s.apps) {
      const state = AppState.fromSnapshot(a);
      store.apps.set(state.id, state);
      store.keyIndex.set(state.app.basic_auth_key, state.id);
      for (const k of state.apiKeys.values()) store.apiKeyOwners.set(k.token_sha256, state.id);
    }
    for (const [k, v] of s.exports ?? []) store.exports.set(k, v);
    return store;
  }
}
