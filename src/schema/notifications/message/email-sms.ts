/**
 * The email and SMS groups of a message: `NotificationCreateInput.email` / `Notification.email` and
 * `.sms`. Sent only with their channel (the send checks that, see ../input.ts).
 */
import { atMost, defineGroup } from './group.js';

/** OneSignal v1.2.2: "10 media urls with a total max. size of 5MBs". */
const MAX_SMS_MEDIA = 10;

export const EmailOptions = defineGroup({
  name: 'EmailOptions',
  description: 'Email content and sender settings. Only with `channel: EMAIL`.',
  leaves: {
    subject: {
      wire: 'email_subject',
      input: 'String',
      description: 'The subject line. Required for email unless `templateId` is given.',
      sample: { input: 'Your order has shipped' },
    },
    body: {
      wire: 'email_body',
      input: 'String',
      description: 'The HTML body. Required for email unless `templateId` is given.',
      sample: { input: '<p>On its way.</p>' },
    },
    preheader: {
      wire: 'email_preheader',
      input: 'String',
      description: 'The preview text inboxes show after the subject.',
      sample: { input: 'Tracking inside' },
    },
    fromName: {
      wire: 'email_from_name',
      input: 'String',
      description: "The sender's name; the app's default sender name when omitted.",
      sample: { input: 'Shop team' },
    },
    fromAddress: {
      wire: 'email_from_address',
      input: 'EmailAddress',
      description: "The sender's address, on a domain set up for the app; the app's default when omitted.",
      sample: { input: 'news@shop.example' },
    },
    replyToAddress: {
      wire: 'email_reply_to_address',
      input: 'EmailAddress',
      description: 'Where replies go; `fromAddress` when omitted.',
      sample: { input: 'support@shop.example' },
    },
    senderDomain: {
      wire: 'email_sender_domain',
      input: 'String',
      description: 'Which of the app’s sending domains to send from (current API).',
      sample: { input: 'mail.shop.example' },
    },
    bcc: {
      wire: 'email_bcc',
      input: ['EmailAddress'],
      // OneSignal documents no maximum: it checks the addresses' syntax only (as the scalar does here).
      description:
        'Addresses that get a hidden copy of every email sent (current API). Each adds one billed send per recipient; OneSignal does not check they can receive mail.',
      sample: { input: ['audit@shop.example'] },
    },
    disableClickTracking: {
      wire: 'disable_email_click_tracking',
      input: 'Boolean',
      description: 'Leave links as written instead of routing them through click tracking (current API).',
      sample: { input: true },
    },
    includeUnsubscribed: {
      wire: 'include_unsubscribed',
      input: 'Boolean',
      description:
        'Also send to addresses that unsubscribed: only for transactional email (receipts, password resets).',
      sample: { input: true },
    },
  },
});

export const SmsOptions = defineGroup({
  name: 'SmsOptions',
  description: 'SMS and MMS settings. Only with `channel: SMS`; the text is `contents`.',
  leaves: {
    from: {
      wire: 'sms_from',
      input: 'PhoneNumber',
      description: 'The sending number, in E.164 (`+15551234567`); the app’s default number when omitted.',
      sample: { input: '+15551234567' },
    },
    mediaUrls: {
      wire: 'sms_media_urls',
      input: ['URL'],
      description: `Images or media to send as MMS, at most ${MAX_SMS_MEDIA} (5 MB in all).`,
      toWire: atMost(MAX_SMS_MEDIA, 'media URLs'),
      sample: { input: ['https://cdn.example/a.png'] },
    },
  },
});
