/**
 * The current official SDK (@onesignal/node-onesignal 5.x, installed as onesignal-node-v5) as a real
 * client of the emulator, and a check of raw answers against the SDK's own models.
 */
import * as sdk from 'onesignal-node-v5';
import { expect } from 'vitest';

/** A client of `url` signed with `keys`; every answer's raw JSON body is pushed onto `answers`. */
export function sdkV5Api(
  url: string,
  keys: { organizationApiKey?: string; restApiKey?: string },
  answers: unknown[],
): sdk.DefaultApi {
  const baseServer = new sdk.ServerConfiguration<Record<string, string>>(url, {});
  return new sdk.DefaultApi(
    sdk.createConfiguration({
      baseServer,
      ...keys,
      promiseMiddleware: [
        {
          pre: async (ctx) => ctx,
          post: async (ctx) => {
            const text = await ctx.body.text();
            answers.push(text ? JSON.parse(text) : undefined);
            // The fetch body reads once: hand the SDK a copy.
            ctx.body = { text: async () => text, binary: async () => Buffer.from(text) };
            return ctx;
          },
        },
      ],
    }),
  );
}

type ModelClass = { getAttributeTypeMap(): { baseName: string; type: string }[] };

/**
 * Fails unless `value` (raw JSON) fits the SDK model `type`, recursively: no field the model lacks,
 * every field of the model's type. Returns `value`.
 */
export function expectSdkModel(value: unknown, type: string, where = type): unknown {
  if (value === undefined || value === null) return value;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    expect(Array.isArray(value), `${where} is an array`).toBe(true);
    for (const [i, v] of (value as unknown[]).entries())
      expectSdkModel(v, array[1] as string, `${where}[${i}]`);
    return value;
  }
  if (type === 'string' || type === 'number' || type === 'boolean') {
    expect(typeof value, where).toBe(type);
    return value;
  }
  if (type === 'any' || type === 'object' || type.startsWith('{')) return value;
  // An intersection (`DeliveryData & PlatformDeliveryDataEmailAllOf`): the fields of every part.
  const parts = type.split(' & ').map((t) => (sdk as unknown as Record<string, ModelClass | undefined>)[t]);
  const model = parts.every((m) => m?.getAttributeTypeMap)
    ? { getAttributeTypeMap: () => parts.flatMap((m) => (m as ModelClass).getAttributeTypeMap()) }
    : undefined;
  if (!model) {
    // An enum: the SDK types it as a string union.
    expect(typeof value, where).toBe('string');
    return value;
  }
  expect(typeof value === 'object' && !Array.isArray(value), `${where} is an object`).toBe(true);
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    expect(attributes.has(key), `${where}.${key} is in the SDK model`).toBe(true);
    expectSdkModel(field, attributes.get(key) as string, `${where}.${key}`);
  }
  return value;
}
