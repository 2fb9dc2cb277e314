import { ValidationError } from '../core/errors.js';
import { APP_REF_DESCRIPTION, parseAppRef } from '../core/ids.js';
import type { WireEmailReputation, WireEmailReputationWindow } from '../onesignal/index.js';
import { AppRef } from './apps.js';
import { builder } from './builder.js';
import { mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import { NotificationRef } from './notifications/types.js';
import { orNull, upstream } from './upstream-errors.js';

// --- App.emailReputation ----------------------------------------------------------------------------

const RATE_UNIT =
  'as OneSignal reports it: its reference does not state the unit; the emulator reports a fraction (0.02 is 2%). Null when OneSignal gives none.';

const EmailReputationPeriodEnum = builder.enumType('EmailReputationPeriod', {
  description: 'The periods OneSignal reports email reputation over, each ending now.',
  values: {
    LAST_24_HOURS: { value: 'last_24_hours', description: 'The last 24 hours.' },
    LAST_7_DAYS: { value: 'last_7_days', description: 'The last 7 days.' },
    LAST_30_DAYS: { value: 'last_30_days', description: 'The last 30 days.' },
  } as const,
});

type Period = 'last_24_hours' | 'last_7_days' | 'last_30_days';
const PERIODS: readonly Period[] = ['last_24_hours', 'last_7_days', 'last_30_days'];

interface ReputationWindowShape {
  period: Period;
  wire: WireEmailReputationWindow;
}

const EmailReputationWindowRef = builder.objectRef<ReputationWindowShape>('EmailReputationWindow').implement({
  description: "An app's email bounce and spam-complaint rates over one period.",
  fields: (t) => ({
    period: t.field({
      type: EmailReputationPeriodEnum,
      description: 'The period the rates cover.',
      resolve: (w) => w.period,
    }),
    bounceRate: t.float({
      nullable: true,
      description: `Share of the emails sent that bounced, ${RATE_UNIT}`,
      resolve: (w) => (typeof w.wire.bounce_rate === 'number' ? w.wire.bounce_rate : null),
    }),
    complaintRate: t.float({
      nullable: true,
      description: `Share of the emails delivered that recipients reported as spam, ${RATE_UNIT}`,
      resolve: (w) => (typeof w.wire.complaint_rate === 'number' ? w.wire.complaint_rate : null),
    }),
  }),
});

/** The periods OneSignal reported, shortest first. */
const windowsOf = (reputation: WireEmailReputation | undefined): ReputationWindowShape[] =>
  PERIODS.flatMap((period) => {
    const wire = reputation?.[period];
    return wire && typeof wire === 'object' ? [{ period, wire }] : [];
  });

builder.objectFields(AppRef, (t) => ({
  emailReputation: t.field({
    type: [EmailReputationWindowRef],
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description:
      "The app's sender reputation on OneSignal Email: bounce and spam-complaint rates over the last 24 hours, 7 and 30 days, shortest first; a period OneSignal does not report is left out (get_email_reputation; the app's key; one read, cached for a minute).",
    resolve: async (app, _args, ctx) => windowsOf(await upstream(ctx.client.email.reputation(app.id))),
  }),
}));

// --- emailUnsubscribe -------------------------------------------------------------------------------

interface UnsubscribedShape {
  appId: string;
  notificationId: string;
}

const EmailUnsubscribePayloadRef = builder.objectRef<UnsubscribedShape>('EmailUnsubscribePayload').implement({
  description:
    'The result of `emailUnsubscribe`: the email subscription the token named no longer receives email.',
  fields: (t) => ({
    unsubscribed: t.boolean({
      description: 'Always true: OneSignal disabled the email subscription.',
      resolve: () => true,
    }),
    notification: t.field({
      type: NotificationRef,
      nullable: true,
      description:
        'The email the recipient unsubscribed from (one read, only when selected); null when OneSignal no longer has it.',
      resolve: (p, _args, ctx) =>
        orNull(ctx.loaders.notification.load({ appId: p.appId, id: p.notificationId })),
    }),
  }),
});

/** OneSignal renders the token into the email; generous, so a real token is never refused here. */
const MAX_TOKEN_CHARS = 512;

builder.mutationFields((t) => ({
  emailUnsubscribe: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      "Unsubscribes an email recipient from a custom unsubscribe page, with the token OneSignal put in the email (`{{subscription.unsubscribe_token}}`) and the email's message id (`{{message.id}}`) (unsubscribe_email_with_token).",
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      notificationId: t.input.field({
        type: 'UUID',
        required: true,
        description: 'The OneSignal id of the email (`{{message.id}}` in the email).',
      }),
      token: t.input.string({
        required: true,
        description:
          'The unsubscribe token of the recipient (`{{subscription.unsubscribe_token}}` in the email).',
      }),
    },
    type: EmailUnsubscribePayloadRef,
    typeOptions: { description: 'Input of `emailUnsubscribe`: the app, the email and the token it carried.' },
    errors: mutationResult(
      'emailUnsubscribe',
      UPSTREAM_ERRORS,
      'What `emailUnsubscribe` returns: the payload, or a `ValidationError`, `NotFoundError` (no subscription has the token, or no such email), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(String(input.appId), ['input', 'appId']);
      const token = input.token.trim();
      if (!token || token.length > MAX_TOKEN_CHARS || /\s/.test(token))
        throw ValidationError.field(
          ['input', 'token'],
          `must be the token from the email: 1–${MAX_TOKEN_CHARS} characters, no spaces.`,
        );
      const notificationId = input.notificationId.toLowerCase();
      await upstream(ctx.client.email.unsubscribe(appId, notificationId, token));
      return { appId, notificationId };
    },
  }),
}));
