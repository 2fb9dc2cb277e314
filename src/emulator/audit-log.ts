import { createHash, randomUUID } from 'node:crypto';
import type { OpContext, OpResult } from './operation.js';
import type { AppState, Store } from './store.js';
import type { AuditEntry } from './types.js';
import { isObject, stableUuid } from './util.js';

/**
 * The organization the emulator's user auth key belongs to: every app is in it, and
 * `/organizations/{id}/audit_logs` answers only for it (OneSignal: the id must match the key).
 */
export const EMULATOR_ORGANIZATION_ID = '99999999-9999-4999-8999-999999999999';

/** What one audited write records: its action and the resource it acted on. */
interface Audited {
  action: string;
  targetType: string;
  /** The acted-on resource's id: from the path, else from the answer. */
  target: (ctx: OpContext, body: Record<string, unknown>) => string | undefined;
  /** The app the event belongs to (default: the path's app). */
  app?: (ctx: OpContext, body: Record<string, unknown>) => string | undefined;
}

const fromPath = (param: string) => (ctx: OpContext) => ctx.params[param];
const fromAnswer = (field: string) => (_ctx: OpContext, body: Record<string, unknown>) =>
  typeof body[field] === 'string' ? (body[field] as string) : undefined;

/**
 * The emulator's own writes that leave an audit trail. OneSignal's reference names actions such as
 * `segment.created` and `notification.sent` without listing them all; these follow that pattern.
 */
const AUDITED: Record<string, Audited> = {
  create_app: { action: 'app.created', targetType: 'app', target: fromAnswer('id'), app: fromAnswer('id') },
  update_app: { action: 'app.updated', targetType: 'app', target: fromPath('app_id') },
  create_api_key: { action: 'api_key.created', targetType: 'api_key', target: fromAnswer('token_id') },
  update_api_key: { action: 'api_key.updated', targetType: 'api_key', target: fromPath('token_id') },
  delete_api_key: { action: 'api_key.deleted', targetType: 'api_key', target: fromPath('token_id') },
  rotate_api_key: { action: 'api_key.rotated', targetType: 'api_key', target: fromPath('token_id') },
  create_segments: { action: 'segment.created', targetType: 'segment', target: fromAnswer('id') },
  update_segment: { action: 'segment.updated', targetType: 'segment', target: fromPath('segment_id') },
  delete_segments: { action: 'segment.deleted', targetType: 'segment', target: fromPath('segment_id') },
  create_template: { action: 'template.created', targetType: 'template', target: fromAnswer('id') },
  update_template: { action: 'template.updated', targetType: 'template', target: fromPath('template_id') },
  delete_template: { action: 'template.deleted', targetType: 'template', target: fromPath('template_id') },
  create_notification: { action: 'notification.sent', targetType: 'notification', target: fromAnswer('id') },
};

let sequence = 0;

/**
 * After a write answered with success: records who did what to which resource. The actor is the key
 * that signed it, named by a digest, never by the key; changed settings are named, never their values
 * (an app update that sets an APNs certificate records `apns_p12`, not the certificate).
 */
export function recordAudit(
  store: Store,
  operationId: string,
  ctx: OpContext,
  result: OpResult,
  request: { key: string | undefined; userAuthKey: string; ip: string; userAgent: string },
): void {
  const audited = AUDITED[operationId];
  if (!audited || result.status >= 300) return;
  const answer = isObject(result.body) ? result.body : {};
  const appId = (audited.app ?? fromPath('app_id'))(ctx, answer) ?? appFromBody(ctx);
  const state = appId ? store.apps.get(appId) : undefined;
  const targetId = audited.target(ctx, answer);
  if (!state || !targetId || (operationId === 'create_notification' && !answer.id)) return;
  const organizationKey = request.key === request.userAuthKey;
  const keyDigest = createHash('sha256')
    .update(request.key ?? '')
    .digest('hex');
  state.auditLog.push({
    id: randomUUID(),
    organization_id: EMULATOR_ORGANIZATION_ID,
    app_id: state.id,
    action: audited.action,
    occurred_at: new Date(ctx.now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    version: 1,
    actor: {
      type: 'service',
      id: stableUuid(`actor:${keyDigest}`),
      name: organizationKey ? 'Organization API key' : 'App API key',
      metadata: {},
    },
    targets: [
      { type: audited.targetType, id: targetId, ...targetName(state, audited, targetId), metadata: {} },
    ],
    context: { ip: request.ip, user_agent: request.userAgent, country: 'US', metadata: {} },
    metadata: operationId === 'update_app' ? { changed_fields: Object.keys(ctx.body).sort() } : {},
    seq: sequence++,
  });
}

const appFromBody = (ctx: OpContext) => (typeof ctx.body.app_id === 'string' ? ctx.body.app_id : undefined);

function targetName(state: AppState, audited: Audited, id: string): { name?: string } {
  if (audited.targetType === 'app') return { name: state.app.name };
  if (audited.targetType === 'segment') {
    const name = state.segments.get(id)?.name;
    return name ? { name } : {};
  }
  if (audited.targetType === 'template') {
    const name = state.templates.get(id)?.name;
    return name ? { name } : {};
  }
  return {};
}

/** The wire form of an entry (without the emulator's ordering field). */
export function presentAuditEntry(entry: AuditEntry): Omit<AuditEntry, 'seq'> {
  const { seq: _seq, ...wire } = entry;
  return wire;
}
