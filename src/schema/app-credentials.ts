import type { FieldProblem } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import type { WireAppBody } from '../onesignal/apps.js';
import { builder } from './builder.js';

/**
 * The push credentials of an app (App model, v1.2.2): write-only. OneSignal never returns the
 * certificates, keys or passwords (`apns_p12`, `apns_p12_password`, `safari_apns_p12`,
 * `safari_apns_p12_password` are writeOnly; `apns_p8` is a secret all the same), so no output field
 * carries them: `App.apnsConfigured` and `App.safariConfigured` say whether one is set. Validation
 * messages name the field and the rule, never the value.
 */

/** Decoded size caps: far above real files, low enough that a stray upload is refused here. */
const MAX_P12_BYTES = 64 * 1024;
const MAX_P8_BYTES = 8 * 1024;
const MAX_PASSWORD_CHARS = 1024;

const ApnsP12Input = builder.inputType('ApnsP12Input', {
  description: 'An APNs certificate: the .p12 file and its password. Write-only.',
  fields: (t) => ({
    certificate: t.string({
      required: true,
      description: `The .p12 file, Base64-encoded (at most ${MAX_P12_BYTES / 1024} KiB decoded). Never returned or logged.`,
    }),
    password: t.string({
      required: true,
      description: 'The password of the .p12 file (empty when it has none). Never returned or logged.',
    }),
  }),
});

const ApnsP8Input = builder.inputType('ApnsP8Input', {
  description: 'An APNs token-based auth key (.p8) with the ids Apple issued with it. The key is write-only.',
  fields: (t) => ({
    key: t.string({
      required: true,
      description: `The .p8 key, Base64-encoded (at most ${MAX_P8_BYTES / 1024} KiB decoded). Never returned or logged.`,
    }),
    keyId: t.string({
      required: true,
      description: 'The key id Apple shows beside the .p8 key (10 characters).',
    }),
    teamId: t.string({ required: true, description: 'The Apple developer team id (10 characters).' }),
  }),
});

const ApnsCredentialInput = builder.inputType('ApnsCredentialInput', {
  description: 'How the app authenticates to APNs: exactly one of a .p12 certificate or a .p8 key.',
  isOneOf: true,
  fields: (t) => ({
    p12: t.field({ type: ApnsP12Input, description: 'Certificate-based authentication.' }),
    p8: t.field({ type: ApnsP8Input, description: 'Token-based authentication (recommended by Apple).' }),
  }),
});

const SafariCredentialInput = builder.inputType('SafariCredentialInput', {
  description:
    'Safari web push through APNs: the Website Push certificate, and the 256×256 icon (OneSignal derives the smaller sizes).',
  fields: (t) => ({
    p12: t.string({
      required: true,
      description: `The Safari .p12 certificate, Base64-encoded (at most ${MAX_P12_BYTES / 1024} KiB decoded). Never returned or logged.`,
    }),
    p12Password: t.string({
      required: true,
      description: 'The password of the Safari .p12 file (empty when it has none). Never returned or logged.',
    }),
    icon256Url: t.field({
      type: 'URL',
      description:
        "URL of a 256×256 PNG notification icon. OneSignal's only writable Safari icon: the 16, 32, 64 and 128 px icons are derived from it and read-only.",
    }),
  }),
});

export const AppCredentialsInput = builder.inputType('AppCredentialsInput', {
  description:
    'Push credentials of an app, grouped by service. Write-only: nothing returns them; `App.apnsConfigured` and `App.safariConfigured` say whether one is stored. Pass them as variables: traces keep the document, never the variables.',
  fields: (t) => ({
    apns: t.field({ type: ApnsCredentialInput, description: 'iOS push through APNs.' }),
    safari: t.field({ type: SafariCredentialInput, description: 'Safari web push.' }),
  }),
});

export interface AppCredentialsShape {
  apns?: {
    p12?: { certificate: string; password: string } | null;
    p8?: { key: string; keyId: string; teamId: string } | null;
  } | null;
  safari?: { p12: string; p12Password: string; icon256Url?: URL | string | null } | null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const APPLE_ID = /^[A-Z0-9]{10}$/;

/** The decoded bytes of a Base64 value (whitespace and line breaks allowed), or a problem. */
function base64Bytes(
  value: string,
  path: string[],
  maxBytes: number,
  problems: FieldProblem[],
): Buffer | null {
  const compact = value.replace(/\s+/g, '');
  if (!compact || !BASE64.test(compact)) {
    problems.push({ path, message: 'must be Base64-encoded (A–Z, a–z, 0–9, +, / and = padding).' });
    return null;
  }
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > maxBytes)
    problems.push({ path, message: `is ${bytes.length} bytes decoded; at most ${maxBytes} are accepted.` });
  return bytes;
}

/** A PKCS#12 file is one DER SEQUENCE: its first byte is 0x30. */
function checkP12(value: string, path: string[], problems: FieldProblem[]): string {
  const bytes = base64Bytes(value, path, MAX_P12_BYTES, problems);
  if (bytes && bytes.length > 0 && bytes[0] !== 0x30)
    problems.push({ path, message: 'is not a .p12 (PKCS#12) file: export it from Keychain Access as .p12.' });
  return value.replace(/\s+/g, '');
}

/** A .p8 is a PEM private key; its Base64 may carry the PEM text or the DER key (first byte 0x30). */
function checkP8(value: string, path: string[], problems: FieldProblem[]): string {
  const bytes = base64Bytes(value, path, MAX_P8_BYTES, problems);
  if (
    bytes &&
    bytes.length > 0 &&
    bytes[0] !== 0x30 &&
    !bytes.toString('latin1').includes('PRIVATE KEY-----')
  )
    problems.push({ path, message: 'is not a .p8 key: Base64-encode the AuthKey_….p8 file Apple issued.' });
  return value.replace(/\s+/g, '');
}

function checkPassword(value: string, path: string[], problems: FieldProblem[]): void {
  if (value.length > MAX_PASSWORD_CHARS)
    problems.push({ path, message: `must be at most ${MAX_PASSWORD_CHARS} characters.` });
}

/**
 * Validates `credentials` (every problem with its path, at once) into the App body's credential
 * fields. Throws before any upstream call; messages never echo a value.
 */
export function credentialsBody(credentials: AppCredentialsShape, at: string[]): WireAppBody {
  const problems: FieldProblem[] = [];
  const body: WireAppBody = {};
  const apns = credentials.apns;
  if (apns?.p12) {
    const p = [...at, 'apns', 'p12'];
    body.apns_p12 = checkP12(apns.p12.certificate, [...p, 'certificate'], problems);
    checkPassword(apns.p12.password, [...p, 'password'], problems);
    body.apns_p12_password = apns.p12.password;
  } else if (apns?.p8) {
    const p = [...at, 'apns', 'p8'];
    body.apns_p8 = checkP8(apns.p8.key, [...p, 'key'], problems);
    for (const [field, value] of [
      ['keyId', apns.p8.keyId],
      ['teamId', apns.p8.teamId],
    ] as const)
      if (!APPLE_ID.test(value))
        problems.push({
          path: [...p, field],
          message: 'must be the 10 capital letters and digits Apple issued.',
        });
    body.apns_key_id = apns.p8.keyId;
    body.apns_team_id = apns.p8.teamId;
  } else if (apns) {
    problems.push({ path: [...at, 'apns'], message: 'give exactly one of p12, p8.' });
  }
  const safari = credentials.safari;
  if (safari) {
    const p = [...at, 'safari'];
    body.safari_apns_p12 = checkP12(safari.p12, [...p, 'p12'], problems);
    checkPassword(safari.p12Password, [...p, 'p12Password'], problems);
    body.safari_apns_p12_password = safari.p12Password;
    if (safari.icon256Url) {
      const url = String(safari.icon256Url);
      if (!/^https:\/\//i.test(url))
        problems.push({ path: [...p, 'icon256Url'], message: 'must be an https:// URL.' });
      body.safari_icon_256_256 = url;
    }
  }
  if (!apns && !safari) problems.push({ path: at, message: 'give apns, safari or both.' });
  if (problems.length) throw new ValidationError(problems);
  return body;
}
