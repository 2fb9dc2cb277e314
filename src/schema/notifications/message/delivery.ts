/**
 * When and how fast a message goes out: `NotificationCreateInput.delivery` / `Notification.delivery`.
 * Applies to every channel.
 */
import { builder } from '../../builder.js';
import { fromUnix } from '../../time.js';
import { defineGroup } from './group.js';

export const DelayedOptionEnum = builder.enumType('DelayedOption', {
  description: 'Per-recipient delivery timing, applied once `sendAfter` has passed.',
  values: {
    TIMEZONE: { value: 'timezone', description: "At `deliveryTimeOfDay` in each recipient's own time zone." },
    LAST_ACTIVE: {
      value: 'last-active',
      description: 'Intelligent delivery: at the time of day each recipient was last active.',
    },
  } as const,
});

/** OneSignal's documented formats: 12-hour ("9:00AM"), 24-hour ("21:45") and with seconds ("9:45:30"). */
const TIME_OF_DAY =
  /^(?:(?:1[0-2]|0?[1-9]):[0-5]\d(?::[0-5]\d)?\s?(?:AM|PM)|(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)$/i;

export const DeliveryOptions = defineGroup({
  name: 'DeliveryOptions',
  description: 'When the message goes out, and how fast. Every channel.',
  leaves: {
    sendAfter: {
      wire: 'send_after',
      input: 'DateTime',
      description: 'Deliver at this time instead of now.',
      toWire: (value) => (value as Date).toISOString(),
      // OneSignal answers Unix seconds; a snapshot of our own send holds the ISO string we sent.
      fromWire: (value) => (typeof value === 'number' ? fromUnix(value) : new Date(String(value))),
      sample: { input: '2030-01-02T03:04:05.000Z', wire: '2030-01-02T03:04:05.000Z' },
    },
    delayedOption: {
      wire: 'delayed_option',
      input: DelayedOptionEnum,
      description: 'Per-recipient timing once `sendAfter` has passed. Not with throttling.',
      sample: { input: 'LAST_ACTIVE', wire: 'last-active' },
    },
    deliveryTimeOfDay: {
      wire: 'delivery_time_of_day',
      input: 'String',
      description:
        'With `delayedOption: TIMEZONE`: the local time of day to deliver at, as `9:00AM`, `21:45` or `9:45:30`.',
      toWire: (value, path, problems) => {
        if (!TIME_OF_DAY.test(String(value)))
          problems.push({ path, message: 'must be a time of day like "9:00AM", "21:45" or "9:45:30".' });
        return value;
      },
      sample: { input: '9:00AM', with: { delayedOption: 'TIMEZONE' } },
    },
    throttleRatePerMinute: {
      wire: 'throttle_rate_per_minute',
      input: 'NonNegativeInt',
      description:
        'For apps with throttling on: messages per minute for this one, 0 for no throttling. The app’s setting when omitted.',
      // The request takes it as a string ("0" disables); OneSignal's views answer a number.
      toWire: (value) => String(value),
      fromWire: (value) => Number(value),
      sample: { input: 500, wire: '500' },
    },
  },
  validate(value, path, problems) {
    if (value.deliveryTimeOfDay != null && value.delayedOption !== 'timezone')
      problems.push({
        path: [...path, 'deliveryTimeOfDay'],
        message: 'only applies with delayedOption: TIMEZONE.',
      });
    if (value.delayedOption === 'timezone' && value.deliveryTimeOfDay == null)
      problems.push({
        path: [...path, 'deliveryTimeOfDay'],
        message: 'required with delayedOption: TIMEZONE.',
      });
    if (
      value.delayedOption != null &&
      typeof value.throttleRatePerMinute === 'number' &&
      value.throttleRatePerMinute > 0
    )
      problems.push({
        path: [...path, 'throttleRatePerMinute'],
        message: 'cannot be combined with delayedOption; set it to 0 to turn throttling off for this send.',
      });
  },
});
