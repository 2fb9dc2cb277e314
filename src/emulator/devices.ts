/** OneSignal device_type integers and their v5 subscription type names. */
export const SUBSCRIPTION_TYPES: Record<number, string> = {
  0: 'iOSPush',
  1: 'AndroidPush',
  2: 'FireOSPush',
  4: 'ChromeExtensionPush',
  5: 'ChromePush',
  6: 'WindowsPush',
  7: 'SafariLegacyPush',
  8: 'FirefoxPush',
  9: 'macOSPush',
  11: 'Email',
  13: 'HuaweiPush',
  14: 'SMS',
  17: 'SafariPush',
};

const DEVICE_TYPE_BY_SUBSCRIPTION_TYPE = new Map(
  Object.entries(SUBSCRIPTION_TYPES).map(([k, v]) => [v, Number(k)]),
);

export const VALID_DEVICE_TYPES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17]);

export const deviceTypeOf = (subscriptionType: string): number | undefined =>
  DEVICE_TYPE_BY_SUBSCRIPTION_TYPE.get(subscriptionType);

export const subscriptionTypeOf = (deviceType: number): string =>
  SUBSCRIPTION_TYPES[deviceType] ?? 'AndroidPush';

export const channelOf = (deviceType: number): 'push' | 'email' | 'sms' =>
  deviceType === 11 ? 'email' : deviceType === 14 ? 'sms' : 'push';

/** The platform_delivery_stats key a device_type is reported under. */
export function platformKeyOf(deviceType: number): string {
  switch (deviceType) {
    case 0:
    case 9:
      return 'ios';
    case 5:
    case 4:
      return 'chrome_web_push';
    case 8:
      return 'firefox_web_push';
    case 7:
    case 17:
      return 'safari_web_push';
    case 6:
    case 12:
      return 'edge_web_push';
    case 11:
      return 'email';
    case 14:
      return 'sms';
    default:
      return 'android';
  }
}

/** Notification platform flags (isIos, ...) and the device types they select. */
export const PLATFORM_FLAGS: Record<string, number[]> = {
  isIos: [0],
  isAndroid: [1],
  isHuawei: [13],
  isAnyWeb: [5, 7, 8, 17, 6],
  isChromeWeb: [5],
  isFirefox: [8],
  isSafari: [7, 17],
  isWP_WNS: [6],
  isAdm: [2],
  isChrome: [4],
};
