import {
  type ApiException,
  createConfiguration,
  DefaultApi,
  GetSegmentSuccessResponse,
  SegmentDetails,
  ServerConfiguration,
  TemplateResource,
  TemplatesListResponse,
  UpdateSegmentSuccessResponse,
} from 'onesignal-node-v5';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

/** What a generated model declares: its attributes with their (OpenAPI-generator) types. */
interface Model {
  getAttributeTypeMap(): { name: string; baseName: string; type: string }[];
}

const SHOP = DEMO.apps[0]!;
const NEWS = DEMO.apps[1]!;
const WELCOME = DEMO.templates[SHOP.id]!.Welcome!;
const GOLD_OR_SILVER = DEMO.segments.ids[SHOP.id]!['Gold or Silver']!;

let emulator: RunningEmulator;
let api: DefaultApi;
/** The same SDK with the news app's REST API key. */
let newsApi: DefaultApi;

/**
 * Checks a raw JSON answer against a model of the SDK: every property is one the model declares, of
 * the declared type (nested models checked too), so nothing the emulator says is lost or mistyped.
 */
function expectModel(value: unknown, model: Model, models: Record<string, Model>, at = 'answer'): void {
  expect(value, at).toBeTypeOf('object');
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const type = attributes.get(key);
    expect(type, `${at}.${key} is not in the SDK model`).toBeDefined();
    if (v === null || v === undefined) continue;
    checkType(v, type as string, models, `${at}.${key}`);
  }
}

function checkType(v: unknown, type: string, models: Record<string, Model>, at: string): void {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    expect(Array.isArray(v), at).toBe(true);
    for (const [i, item] of (v as unknown[]).entries())
      checkType(item, array[1] as string, models, `${at}[${i}]`);
  } else if (type === 'string' || /Enum$/.test(type)) expect(typeof v, at).toBe('string');
  else if (type === 'number') expect(typeof v, at).toBe('number');
  else if (type === 'boolean') expect(typeof v, at).toBe('boolean');
  else if (models[type]) expectModel(v, models[type] as Model, models, at);
  else expect(typeof v, at).toBe('object');
}

/** The raw answer of one request, with the key the SDK would send. */
async function raw(method: string, path: string, key: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Key ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

async function apiError(promise: Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && typeof (error as ApiException<unknown>).code === 'number')
      return error as ApiException<unknown>;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const MODELS = {
  TemplateResource,
  TemplatesListResponse,
  GetSegmentSuccessResponse,
  SegmentDetails,
  UpdateSegmentSuccessResponse,
} as unknown as Record<string, Model>;
// FilterExpression is the element type of SegmentDetails.filters.
const { FilterExpression } = (await import('onesignal-node-v5')) as unknown as Record<string, Model>;
MODELS.FilterExpression = FilterExpression as Model;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  // OneSignal's current SDK talks to https://api.onesignal.com: the emulator serves the same paths.
  const baseServer = new ServerConfiguration<Record<string, string>>(emulator.url, {});
  api = new DefaultApi(
    createConfiguration({ baseServer, restApiKey: SHOP.restApiKey, organizationApiKey: DEMO.userAuthKey }),
  );
  newsApi = new DefaultApi(createConfiguration({ baseServer, restApiKey: NEWS.restApiKey }));
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => emulator.reset());

describe('templates through @onesignal/node-onesignal 5.x', () => {
  it('lists templates (viewTemplates), paged and by channel, as TemplatesListResponse', async () => {
    const page = await api.viewTemplates(SHOP.id, 2, 0);
    expect(page.templates?.map((t) => t.name)).toEqual(['Welcome', 'Weekly digest']);
    expect(page.templates?.[0]).toMatchObject({ id: WELCOME, channel: 'push' });
    const email = await api.viewTemplates(SHOP.id, 50, 0, 'email');
    expect(email.templates?.map((t) => t.name)).toEqual(['Weekly digest']);
    expectModel(
      await raw('GET', `/templates?app_id=${SHOP.id}&limit=2`, SHOP.restApiKey),
      TemplatesListResponse as unknown as Model,
      MODELS,
    );
    expect((await apiError(api.viewTemplates(SHOP.id, 51))).code).toBe(400);
  });

  it('reads one template (viewTemplate) with its content as TemplateResource', async () => {
    const t = await api.viewTemplate(WELCOME, SHOP.id);
    expect(t).toMatchObject({ id: WELCOME, name: 'Welcome', channel: 'push' });
    expect(t.content?.contents).toEqual({ en: 'Welcome to Demo Shop!', de: 'Willkommen bei Demo Shop!' });
    expectModel(
      await raw('GET', `/templates/${WELCOME}?app_id=${SHOP.id}`, SHOP.restApiKey),
      TemplateResource as unknown as Model,
      MODELS,
    );
    // Another app's key is refused; an unknown template is a 404.
    expect((await apiError(newsApi.viewTemplate(WELCOME, SHOP.id))).code).toBe(403);
    expect((await apiError(api.viewTemplate('99999999-9999-4999-8999-999999999999', SHOP.id))).code).toBe(
      404,
    );
  });

  it('creates, updates and deletes a template (createTemplate, updateTemplate, deleteTemplate)', async () => {
    const created = await api.createTemplate({
      app_id: SHOP.id,
      name: 'Restock',
      contents: { en: 'Back in stock' },
      headings: { en: 'Good news' },
    });
    expect(created).toMatchObject({ name: 'Restock', channel: 'push' });
    expect(created.content).toMatchObject({
      contents: { en: 'Back in stock' },
      headings: { en: 'Good news' },
    });
    const id = created.id as string;

    const updated = await api.updateTemplate(id, SHOP.id, {
      name: 'Restocked',
      contents: { en: 'Back again' },
    });
    expect(updated).toMatchObject({ id, name: 'Restocked' });
    expect(updated.content).toMatchObject({ contents: { en: 'Back again' }, headings: { en: 'Good news' } });
    expectModel(
      await raw('PATCH', `/templates/${id}?app_id=${SHOP.id}`, SHOP.restApiKey, { name: 'Restocked' }),
      TemplateResource as unknown as Model,
      MODELS,
    );

    expect(await api.deleteTemplate(id, SHOP.id)).toMatchObject({ success: true });
    expect((await apiError(api.viewTemplate(id, SHOP.id))).code).toBe(404);
    expect(
      (await apiError(api.createTemplate({ app_id: SHOP.id, name: 'x', contents: { fr: 'x' } }))).code,
    ).toBe(400);
    expect(emulator.stats().byOperation).toMatchObject({
      create_template: 2,
      update_template: 2,
      delete_template: 1,
      view_template: 1,
    });
  });

  it('makes email and SMS templates from the SDK’s channel flags (isEmail, isSMS on the wire), keeping their channel fields', async () => {
    const email = await api.createTemplate({
      app_id: SHOP.id,
      name: 'Receipt',
      contents: { en: 'Your receipt' },
      is_email: true,
      email_subject: 'Your receipt',
      email_body: '<p>Thanks</p>',
      email_bcc: ['audit@shop.example'],
    });
    expect(email).toMatchObject({ name: 'Receipt', channel: 'email' });
    expect(email.content).toMatchObject({
      email_subject: 'Your receipt',
      email_body: '<p>Thanks</p>',
      email_bcc: ['audit@shop.example'],
    });
    const sms = await api.createTemplate({
      app_id: SHOP.id,
      name: 'Code',
      contents: { en: 'Your code' },
      is_sms: true,
    });
    expect(sms).toMatchObject({ name: 'Code', channel: 'sms' });
    // An email template needs its subject and body.
    expect(
      (
        await apiError(
          api.createTemplate({ app_id: SHOP.id, name: 'x', contents: { en: 'x' }, is_email: true }),
        )
      ).code,
    ).toBe(400);
  });

  it('copies a template to another app with the organization key (copyTemplateToApp)', async () => {
    const copy = await api.copyTemplateToApp(WELCOME, SHOP.id, { target_app_id: NEWS.id });
    expect(copy.id).not.toBe(WELCOME);
    expect(copy).toMatchObject({ name: 'Welcome', channel: 'push' });
    const inNews = await newsApi.viewTemplate(copy.id as string, NEWS.id);
    expect(inNews.content?.contents).toEqual({
      en: 'Welcome to Demo Shop!',
      de: 'Willkommen bei Demo Shop!',
    });
    // The app's REST API key is not the organization key.
    const appKeyOnly = new DefaultApi(
      createConfiguration({
        baseServer: new ServerConfiguration<Record<string, string>>(emulator.url, {}),
        organizationApiKey: SHOP.restApiKey,
      }),
    );
    expect(
      (await apiError(appKeyOnly.copyTemplateToApp(WELCOME, SHOP.id, { target_app_id: NEWS.id }))).code,
    ).toBe(403);
    expectModel(
      await raw('POST', `/templates/${WELCOME}/copy_to_app?app_id=${SHOP.id}`, DEMO.userAuthKey, {
        target_app_id: NEWS.id,
      }),
      TemplateResource as unknown as Model,
      MODELS,
    );
  });

  it('fills a send from the template it names', async () => {
    const sent = await api.createNotification({
      app_id: SHOP.id,
      template_id: WELCOME,
      included_segments: ['Subscribed Users'],
    } as Parameters<DefaultApi['createNotification']>[0]);
    const n = await api.getNotification(SHOP.id, sent.id as string);
    expect(n.contents).toMatchObject({ en: 'Welcome to Demo Shop!' });
    expect(n.headings).toMatchObject({ en: 'Demo Shop' });
  });
});

describe('segments through @onesignal/node-onesignal 5.x', () => {
  it('reads one segment with its filters (getSegment, include-segment-detail) as GetSegmentSuccessResponse', async () => {
    const answer = await api.getSegment(SHOP.id, GOLD_OR_SILVER, true);
    expect(answer.payload).toMatchObject({ id: GOLD_OR_SILVER, name: 'Gold or Silver', source: 'custom' });
    expect(answer.payload?.filters).toEqual([
      { field: 'tag', key: 'tier', relation: '=', value: 'gold' },
      { operator: 'OR' },
      { field: 'tag', key: 'tier', relation: '=', value: 'silver' },
    ]);
    expect(answer.subscriber_count).toBeGreaterThan(0);
    expectModel(
      await raw(
        'GET',
        `/apps/${SHOP.id}/segments/${GOLD_OR_SILVER}?include-segment-detail=true`,
        SHOP.restApiKey,
      ),
      GetSegmentSuccessResponse as unknown as Model,
      MODELS,
    );
    // Without the detail flag, no definition.
    expect((await api.getSegment(SHOP.id, GOLD_OR_SILVER)).payload?.filters).toBeUndefined();
    expect((await apiError(api.getSegment(SHOP.id, '99999999-9999-4999-8999-999999999999'))).code).toBe(404);
  });

  it('replaces a segment’s filters (updateSegment) as UpdateSegmentSuccessResponse', async () => {
    const answer = await api.updateSegment(SHOP.id, GOLD_OR_SILVER, {
      name: 'Gold only',
      filters: [{ field: 'tag', key: 'tier', relation: '=', value: 'gold' }],
    });
    expect(answer).toMatchObject({ success: true, id: GOLD_OR_SILVER });
    const after = await api.getSegment(SHOP.id, GOLD_OR_SILVER, true);
    expect(after.payload).toMatchObject({ name: 'Gold only' });
    expect(after.payload?.filters).toEqual([{ field: 'tag', key: 'tier', relation: '=', value: 'gold' }]);
    const listed = await api.getSegments(SHOP.id);
    expect(listed.segments?.find((s) => s.id === GOLD_OR_SILVER)?.name).toBe('Gold only');
    expectModel(
      await raw('PATCH', `/apps/${SHOP.id}/segments/${GOLD_OR_SILVER}`, SHOP.restApiKey, {
        name: 'Gold only',
      }),
      UpdateSegmentSuccessResponse as unknown as Model,
      MODELS,
    );
    const builtin = DEMO.segments.ids[SHOP.id]!['Subscribed Users']!;
    expect((await apiError(api.updateSegment(SHOP.id, builtin, { name: 'Mine' }))).code).toBe(400);
  });
});
