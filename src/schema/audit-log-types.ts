import type {
  WireAuditLogActor,
  WireAuditLogContext,
  WireAuditLogEvent,
  WireAuditLogTarget,
} from '../onesignal/index.js';
import { AppRef, belongingApp } from './apps.js';
import { builder } from './builder.js';
import { fromIso } from './time.js';

/** The output types of `Organization.auditLogs`: an event, its actor, targets and context. */

const metadataOf = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

const AuditLogActorRef = builder.objectRef<WireAuditLogActor>('AuditLogActor').implement({
  description: 'Who performed an audited action: a member of the organization or a service (an API key).',
  fields: (t) => ({
    type: t.string({
      nullable: true,
      description: 'Kind of actor, e.g. `user` or `service`.',
      resolve: (a) => a.type ?? null,
    }),
    oneSignalId: t.string({
      nullable: true,
      description: 'OneSignal id of the actor.',
      resolve: (a) => a.id ?? null,
    }),
    name: t.string({
      nullable: true,
      description: 'Display name; null when unknown.',
      resolve: (a) => a.name ?? null,
    }),
    email: t.string({
      nullable: true,
      description: 'Email address; null when unknown.',
      resolve: (a) => a.email ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further actor data OneSignal gives, as sent.',
      resolve: (a) => metadataOf(a.metadata),
    }),
  }),
});

const AuditLogTargetRef = builder.objectRef<WireAuditLogTarget>('AuditLogTarget').implement({
  description: 'A resource an audited action was performed on.',
  fields: (t) => ({
    type: t.string({
      nullable: true,
      description: 'Kind of resource, e.g. `app`, `segment`, `notification`, `api_key`.',
      resolve: (x) => x.type ?? null,
    }),
    oneSignalId: t.string({
      nullable: true,
      description: 'OneSignal id of the resource.',
      resolve: (x) => x.id ?? null,
    }),
    name: t.string({
      nullable: true,
      description: 'Display name; null when unknown.',
      resolve: (x) => x.name ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further resource data OneSignal gives, as sent.',
      resolve: (x) => metadataOf(x.metadata),
    }),
  }),
});

const AuditLogContextRef = builder.objectRef<WireAuditLogContext>('AuditLogContext').implement({
  description: 'Where an audited request came from.',
  fields: (t) => ({
    ip: t.string({ nullable: true, description: 'IP address of the request.', resolve: (c) => c.ip ?? null }),
    userAgent: t.string({
      nullable: true,
      description: 'User agent of the client.',
      resolve: (c) => c.user_agent ?? null,
    }),
    country: t.string({
      nullable: true,
      description: 'Country code OneSignal derived from the IP.',
      resolve: (c) => c.country ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further context OneSignal gives, as sent.',
      resolve: (c) => metadataOf(c.metadata),
    }),
  }),
});

const AuditLogEventRef = builder.objectRef<WireAuditLogEvent>('AuditLogEvent').implement({
  description: 'One action in the organization: who did what, to which resources, when and from where.',
  fields: (t) => ({
    oneSignalId: t.string({
      nullable: true,
      description: 'OneSignal id of the event.',
      resolve: (e) => e.id ?? null,
    }),
    action: t.string({
      nullable: true,
      description: 'What was done, dotted: `segment.created`, `app.updated`, `notification.sent`, …',
      resolve: (e) => e.action ?? null,
    }),
    occurredAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it happened.',
      resolve: (e) => fromIso(e.occurred_at),
    }),
    app: t.field({
      type: AppRef,
      nullable: true,
      description: 'The app it happened in; null for organization-level events. `app { id }` costs no read.',
      resolve: (e, _args, ctx, info) => (e.app_id ? belongingApp(ctx, e.app_id, info) : null),
    }),
    actor: t.field({
      type: AuditLogActorRef,
      nullable: true,
      description: 'Who did it; null when OneSignal does not know.',
      resolve: (e) => e.actor ?? null,
    }),
    targets: t.field({
      type: [AuditLogTargetRef],
      description: 'The resources it was done to; empty for some organization-level events.',
      resolve: (e) => e.targets ?? [],
    }),
    context: t.field({
      type: AuditLogContextRef,
      nullable: true,
      description: 'Where the request came from; null when not captured.',
      resolve: (e) => e.context ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Further event data OneSignal gives, as sent.',
      resolve: (e) => metadataOf(e.metadata),
    }),
    version: t.int({
      nullable: true,
      description: "Version of OneSignal's event schema.",
      resolve: (e) => (typeof e.version === 'number' ? e.version : null),
    }),
  }),
});

export const AuditLogEventConnectionRef = builder.connectionObject(
  {
    type: AuditLogEventRef,
    name: 'AuditLogEventConnection',
    description: 'A page of audit log events, oldest first.',
  },
  { name: 'AuditLogEventEdge', description: 'An audit log event with its cursor.' },
);
