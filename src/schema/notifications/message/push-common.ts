/**
 * What the push platform groups share: reading OneSignal's enum values back safely, and the
 * lock-screen visibility that Android and Huawei both take.
 */
import { builder } from '../../builder.js';

/**
 * Wire → enum value for an output: the value when the enum knows it, else null, so a value OneSignal
 * adds later reads as "not set" instead of failing the whole notification.
 */
export const known =
  (...values: readonly unknown[]) =>
  (value: unknown) =>
    values.includes(value) ? value : null;

/** Lock-screen visibility, as OneSignal's numbers (Android and Huawei). */
export const PushVisibilityEnum = builder.enumType('PushVisibility', {
  description:
    'How much of the notification shows on a locked screen (Android 5–7, Huawei EMUI 5 and older).',
  values: {
    PUBLIC: { value: 1, description: 'The whole notification (the default).' },
    PRIVATE: { value: 0, description: 'Only that there is a notification; its text shows once unlocked.' },
    SECRET: { value: -1, description: 'Nothing at all on the lock screen.' },
  } as const,
});
