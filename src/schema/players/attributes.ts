/**
 * Attributes a device record shares with the v5 user model: platform (`DeviceType`), iOS build type
 * (`TestType`), data tags and location, each with its wire conversion and, where it can be set, its
 * input. users/ and subscriptions/ use them too, so they sit apart from the Player type.
 */
import { ValidationError } from '../../core/errors.js';
import { builder } from '../builder.js';

/** OneSignal `device_type` integers. */
const DEVICE_TYPES = {
  IOS: { code: 0, description: 'iOS (APNs).' },
  ANDROID: { code: 1, description: 'Android (FCM).' },
  AMAZON: { code: 2, description: 'Amazon Fire OS (ADM).' },
  WINDOWS_PHONE: { code: 3, description: 'Windows Phone (MPNS). Deprecated by OneSignal.' },
  CHROME_APP: { code: 4, description: 'Chrome Apps and Extensions.' },
  CHROME_WEB: { code: 5, description: 'Chrome (and Chromium) web push.' },
  WINDOWS: { code: 6, description: 'Windows (WNS).' },
  SAFARI: { code: 7, description: 'Safari legacy web push (before Safari 16.4).' },
  FIREFOX: { code: 8, description: 'Firefox web push.' },
  MACOS: { code: 9, description: 'macOS apps.' },
  ALEXA: { code: 10, description: 'Amazon Alexa.' },
  EMAIL: { code: 11, description: 'An email address.' },
  EDGE: { code: 12, description: 'Microsoft Edge web push.' },
  HUAWEI: { code: 13, description: 'Huawei App Gallery builds (HMS). Not Huawei devices using FCM.' },
  SMS: { code: 14, description: 'A phone number for SMS.' },
  SAFARI_VAPID: { code: 17, description: 'Safari 16.4+ standard (VAPID) web push.' },
} as const;

export type DeviceTypeName = keyof typeof DEVICE_TYPES | 'UNKNOWN';

const DEVICE_TYPE_BY_CODE = new Map<number, DeviceTypeName>(
  Object.entries(DEVICE_TYPES).map(([name, { code }]) => [code, name as DeviceTypeName]),
);

export const deviceTypeFromWire = (code: number | null | undefined): DeviceTypeName =>
  (code != null && DEVICE_TYPE_BY_CODE.get(code)) || 'UNKNOWN';

export const deviceTypeToWire = (name: Exclude<DeviceTypeName, 'UNKNOWN'>): number => DEVICE_TYPES[name].code;

export const DeviceTypeEnum = builder.enumType('DeviceType', {
  description: "A device's platform (OneSignal's v1 `device_type`).",
  values: {
    ...Object.fromEntries(
      Object.entries(DEVICE_TYPES).map(([name, { description }]) => [name, { description }]),
    ),
    UNKNOWN: {
      description:
        'A platform this API does not know yet; `deviceTypeCode` has the raw value. Not accepted as input.',
    },
  } as Record<DeviceTypeName, { description: string }>,
});

/** Which APNs certificate OneSignal uses for an iOS device (`test_type`). */
export const TestTypeEnum = builder.enumType('TestType', {
  description:
    'The iOS provisioning profile an app was built with; null means an App Store (production) build.',
  values: {
    DEVELOPMENT: { value: 1, description: 'Development build: pushes go through the APNs sandbox.' },
    AD_HOC: { value: 2, description: 'Ad-hoc build.' },
  },
});

export const testTypeFromWire = (value: number | null | undefined): 1 | 2 | null =>
  value === 1 || value === 2 ? value : null;

export interface TagShape {
  key: string;
  value: string;
}

export const TagRef = builder.objectRef<TagShape>('Tag').implement({
  description: 'A data tag: a key/value pair used for segmentation and personalization.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Tag key.' }),
    value: t.exposeString('value', { description: 'Tag value. OneSignal stores numbers as strings.' }),
  }),
});

/** Wire tags object → sorted, stringified list (OneSignal caps tags per record, so a list is bounded). */
export function tagsFromWire(tags: Record<string, unknown> | null | undefined): TagShape[] {
  if (!tags) return [];
  return Object.entries(tags)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

export const TagInput = builder.inputType('TagInput', {
  description: 'Sets or removes one tag.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Tag key.' }),
    value: t.string({ description: 'New value; null removes the tag.' }),
  }),
});

/** Tag inputs → the wire object, where an empty string deletes a tag. */
export function tagsToWire(
  tags: readonly { key: string; value?: string | null }[],
  path: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  tags.forEach((tag, i) => {
    if (!tag.key.trim()) throw ValidationError.field([...path, String(i), 'key'], 'must not be empty.');
    if (tag.key in out)
      throw ValidationError.field([...path, String(i), 'key'], `"${tag.key}" appears twice.`);
    out[tag.key] = tag.value ?? '';
  });
  return out;
}

export interface LocationShape {
  latitude: number;
  longitude: number;
}

export const LocationRef = builder.objectRef<LocationShape>('Location').implement({
  description: 'A geographic point reported by the device, used for location-based segments.',
  fields: (t) => ({
    latitude: t.exposeFloat('latitude', { description: 'Latitude in degrees, -90 to 90.' }),
    longitude: t.exposeFloat('longitude', { description: 'Longitude in degrees, -180 to 180.' }),
  }),
});

export const locationFromWire = (
  lat: number | null | undefined,
  long: number | null | undefined,
): LocationShape | null =>
  typeof lat === 'number' && typeof long === 'number' ? { latitude: lat, longitude: long } : null;

export const LocationInput = builder.inputType('LocationInput', {
  description: 'A geographic point.',
  fields: (t) => ({
    latitude: t.float({ required: true, description: 'Latitude in degrees, -90 to 90.' }),
    longitude: t.float({ required: true, description: 'Longitude in degrees, -180 to 180.' }),
  }),
});

export function validateLocation(location: LocationShape | null | undefined, path: string[]): void {
  if (!location) return;
  if (!(location.latitude >= -90 && location.latitude <= 90))
    throw ValidationError.field([...path, 'latitude'], 'must be between -90 and 90.');
  if (!(location.longitude >= -180 && location.longitude <= 180))
    throw ValidationError.field([...path, 'longitude'], 'must be between -180 and 180.');
}
