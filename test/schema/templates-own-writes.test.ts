/**
 * Read your own writes for templates: `templateCreate`/`templateUpdate { template { … } }` answer from
 * the template the write returned, with no view_template, in every key configuration, cache on or
 * off; with the cache on it answers the next reads for the "sending" TTL, then OneSignal's view does.
 */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { ownWritesStacks, SEED_TTL_MS } from '../helpers/own-writes.js';
import type { Stack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;

const FIELDS =
  'id oneSignalId name channel contents { language text } headings { language text } email { subject }';

const CREATE = `mutation($input: TemplateCreateInput!) { templateCreate(input: $input) {
  __typename ... on TemplateCreatePayload { template { ${FIELDS} } } ... on Error { code message }
} }`;
const UPDATE = `mutation($input: TemplateUpdateInput!) { templateUpdate(input: $input) {
  __typename ... on TemplateUpdatePayload { template { ${FIELDS} } } ... on Error { code message }
} }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on Template { ${FIELDS} } } }`;

interface Tpl {
  id: string;
  oneSignalId: string;
  name: string;
  channel: string | null;
  contents: { language: string; text: string }[];
  headings: { language: string; text: string }[];
  email: { subject: string | null } | null;
}

const stackWith = ownWritesStacks();

const create = async (s: Stack, name: string) =>
  (
    await s.gql<{ templateCreate: { __typename: string; template: Tpl } }>(CREATE, {
      input: {
        appId: SHOP,
        name,
        contents: [{ language: 'en', text: `${name} body` }],
        headings: [{ language: 'en', text: `${name} title` }],
      },
    })
  ).templateCreate;

const update = async (s: Stack, id: string, name: string) =>
  (
    await s.gql<{ templateUpdate: { __typename: string; template: Tpl } }>(UPDATE, {
      input: { id, name, contents: [{ language: 'en', text: `${name} body` }] },
    })
  ).templateUpdate;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(KEY_CONFIGURATIONS)('template writes selecting the template, with %s', (name, options) => {
  const lookup = name === 'org key only' ? { get_app: 1 } : {};

  it.each([
    ['off', false],
    ['on', true],
  ])('cost the write alone, no view_template, cache %s', async (_label, cache) => {
    const { s } = await stackWith(options, cache);
    const created = await create(s, 'Spring sale');
    expect(s.upstreamCalls()).toEqual({ create_template: 1, ...lookup });
    expect(created.template).toMatchObject({
      name: 'Spring sale',
      channel: 'PUSH',
      contents: [{ language: 'en', text: 'Spring sale body' }],
      headings: [{ language: 'en', text: 'Spring sale title' }],
      email: null,
    });

    s.emulator.resetStats();
    const updated = await update(s, created.template.id, 'Summer sale');
    expect(s.upstreamCalls()).toEqual({ update_template: 1 });
    expect(updated.template).toMatchObject({
      id: created.template.id,
      name: 'Summer sale',
      contents: [{ language: 'en', text: 'Summer sale body' }],
      // Not sent: the stored one stays.
      headings: [{ language: 'en', text: 'Spring sale title' }],
    });
  });

  it('answer a node read right after from the written template while fresh, then from OneSignal (cache on)', async () => {
    const { s } = await stackWith(options, true);
    const created = await create(s, 'Autumn');
    s.emulator.resetStats();
    const right = await s.gql<{ node: Tpl }>(NODE, { id: created.template.id });
    expect(s.upstreamCalls()).toEqual({});
    expect(right.node).toEqual(created.template);

    const updated = await update(s, created.template.id, 'Winter');
    s.emulator.resetStats();
    const afterUpdate = await s.gql<{ node: Tpl }>(NODE, { id: created.template.id });
    expect(s.upstreamCalls()).toEqual({});
    expect(afterUpdate.node).toEqual(updated.template);

    await sleep(SEED_TTL_MS + 100);
    const later = await s.gql<{ node: Tpl }>(NODE, { id: created.template.id });
    expect(s.upstreamCalls()).toEqual({ view_template: 1 });
    expect(later.node).toEqual(updated.template);
  });

  it('read the template from OneSignal in the next request when the cache is off', async () => {
    const { s } = await stackWith(options, false);
    const created = await create(s, 'Offline');
    s.emulator.resetStats();
    await s.gql(NODE, { id: created.template.id });
    expect(s.upstreamCalls()).toEqual({ view_template: 1 });
  });
});

describe('a template write that fails', () => {
  it('seeds nothing', async () => {
    const { s, store } = await stackWith({}, true);
    s.emulator.setFaults({ serverErrorRate: 1, serverErrorStatus: 503, operations: ['create_template'] });
    const res = await s.gqlRaw<{ templateCreate: { __typename: string } }>(CREATE, {
      input: { appId: SHOP, name: 'Never', contents: [{ language: 'en', text: 'x' }] },
    });
    s.emulator.setFaults(null);
    expect(res.data?.templateCreate.__typename).not.toBe('TemplateCreatePayload');
    expect(store.size).toBe(0);
  });
});
