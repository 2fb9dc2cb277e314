import { EMULATOR_ORGANIZATION_ID } from './audit-log.js';
import type { Store } from './store.js';
import type { AuditEntry } from './types.js';
import { stableUuid } from './util.js';

/** The member of the demo organization the seeded audit events name as their actor. */
export const DEMO_AUDIT_ACTOR = {
  type: 'user',
  id: stableUuid('demo-audit-actor'),
  name: 'Demo Admin',
  email: 'admin@example.com',
} as const;

const DAY = 86_400;

/**
 * Demo data for email reputation and the audit log: a spam complaint per 400 delivered emails of every
 * seeded email send (the emulator's inboxes report none by themselves), and the audit events of the
 * demo apps' setup (created 60 days ago, their custom segments the next days), by a dashboard user.
 */
export function seedEmailAndAudit(store: Store, anchor: number): void {
  let seq = 0;
  for (const state of store.apps.values()) {
    for (const n of state.notifications.values()) {
      const email = n.platform_stats.email;
      if (email && email.successful > 0)
        state.emailComplaints.set(n.id, Math.floor(email.successful / 400) + 1);
    }
    const event = (at: number, action: string, target: AuditEntry['targets'][number]): AuditEntry => ({
      id: stableUuid(`audit:${state.id}:${action}:${target.id}`),
      organization_id: EMULATOR_ORGANIZATION_ID,
      app_id: state.id,
      action,
      occurred_at: new Date(at * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      version: 1,
      actor: { ...DEMO_AUDIT_ACTOR, metadata: {} },
      targets: [target],
      context: {
        ip: '203.0.113.10',
        user_agent: 'Mozilla/5.0 (OneSignal dashboard)',
        country: 'US',
        metadata: {},
      },
      metadata: {},
      seq: seq++,
    });
    const created = anchor - 60 * DAY;
    state.auditLog.push(
      event(created, 'app.created', { type: 'app', id: state.id, name: state.app.name, metadata: {} }),
    );
    [...state.segments.values()]
      .filter((s) => !s.builtin)
      .forEach((segment, i) => {
        state.auditLog.push(
          event(created + (i + 1) * DAY, 'segment.created', {
            type: 'segment',
            id: segment.id,
            name: segment.name,
            metadata: {},
          }),
        );
      });
  }
}
