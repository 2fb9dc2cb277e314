/**
 * A template's message groups (`push`, `email`, `sms` on `templateCreate`, `templateUpdate` and
 * `Template`), driven from the send's own tables (src/schema/notifications/message/): a template
 * with every field of its channel's group sends each under its exact wire name and value (what the
 * emulator received) and reads every one back from view_template; a group on another channel is
 * refused with its path before any upstream call; an update changes the fields it names and keeps
 * the rest.
 */
import { describe, expect, it } from 'vitest';
import type { Group, Leaf } from '../../src/schema/notifications/message/index.js';
import { TEMPLATE_GROUPS } from '../../src/schema/templates/types.js';
import { SHOP } from '../helpers/emulator.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack();

/** Sets `value` at `path` inside `input`, merging with what is there already. */
function setAt(input: Record<string, unknown>, path: string[], value: unknown) {
  let at = input;
  for (const key of path.slice(0, -1)) {
    at[key] = { ...((at[key] as Record<string, unknown>) ?? {}) };
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1] as string] = value;
  return input;
}

const pick = (value: unknown, path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at as Record<string, unknown> | null)?.[key] ?? null, value);

/** A selection of `paths` as one tree: `email { subject body } sms { from }`. */
function selection(paths: string[][]): string {
  const tree = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    const list = tree.get(head as string) ?? [];
    if (rest.length) list.push(rest);
    tree.set(head as string, list);
  }
  return [...tree].map(([name, sub]) => (sub.length ? `${name} { ${selection(sub)} }` : name)).join(' ');
}

/** The fields of an object value, as a selection (nested objects nested). */
const fieldsOf = (value: object): string =>
  Object.entries(value)
    .map(([key, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? `${key} { ${fieldsOf(v)} }` : key))
    .join(' ');

/**
 * A leaf's path to select: an object-typed leaf (buttons, a background layout, texts per language)
 * selects the fields its sample sets; scalars (JSON ones too) and enums select none.
 */
function selected({ path, leaf }: { path: string[]; leaf: Leaf }): string[] {
  const type = leaf.output ?? leaf.input;
  const scalar = typeof type === 'string' || (Array.isArray(type) && typeof type[0] === 'string');
  const sample: unknown = Array.isArray(leaf.sample.input) ? leaf.sample.input[0] : leaf.sample.input;
  if (scalar || !sample || typeof sample !== 'object') return path;
  return [...path.slice(0, -1), `${path[path.length - 1]} { ${fieldsOf(sample)} }`];
}

/** The group's whole input: every leaf's sample, after the siblings some need (`with`). */
function wholeGroup(name: string, group: Group): Record<string, unknown> {
  const leaves = group.leaves([name]);
  const input: Record<string, unknown> = {};
  for (const { path, leaf } of leaves)
    for (const [sibling, value] of Object.entries(leaf.sample.with ?? {}))
      setAt(input, [...path.slice(0, -1), sibling], value);
  for (const { path, leaf } of leaves) setAt(input, path, leaf.sample.input);
  return input[name] as Record<string, unknown>;
}

/** What OneSignal received for a leaf: its one wire field, or the fields it spreads over. */
const receivedFor = (leaf: Leaf, body: Record<string, unknown>): unknown =>
  typeof leaf.wire === 'string'
    ? body[leaf.wire]
    : Object.fromEntries((leaf.wire as readonly string[]).map((name) => [name, body[name]]));

/** The smallest valid template on a channel (an email template needs its subject and body). */
function baseTemplate(channel: string): Record<string, unknown> {
  const input: Record<string, unknown> = {
    appId: SHOP.id,
    name: `A ${channel} template`,
    channel: channel.toUpperCase(),
    contents: [{ language: 'en', text: 'Hello' }],
  };
  if (channel === 'email') input.email = { subject: 'Hello', body: '<p>Hello</p>' };
  return input;
}

const CREATE = `mutation Create($input: TemplateCreateInput!) {
  templateCreate(input: $input) {
    __typename
    ... on TemplateCreatePayload { template { id channel } }
    ... on ValidationError { code fields { path message } }
    ... on Error { code message }
  }
}`;
const UPDATE = `mutation Update($input: TemplateUpdateInput!) {
  templateUpdate(input: $input) {
    __typename
    ... on TemplateUpdatePayload { template { id channel } }
    ... on ValidationError { code fields { path message } }
    ... on Error { code message }
  }
}`;

type Result = {
  __typename: string;
  code?: string;
  template?: { id: string; channel: string };
  fields?: { path: string[]; message: string }[];
};

async function create(input: Record<string, unknown>): Promise<Result> {
  const { templateCreate } = await stack.gql<{ templateCreate: Result }>(CREATE, { input });
  return templateCreate;
}
async function update(input: Record<string, unknown>): Promise<Result> {
  const { templateUpdate } = await stack.gql<{ templateUpdate: Result }>(UPDATE, { input });
  return templateUpdate;
}
/** The template as a fresh request reads it: one view_template. */
async function read(id: string, paths: string[][]): Promise<Record<string, unknown>> {
  const { node } = await stack.gql<{ node: Record<string, unknown> }>(
    `query($id: ID!) { node(id: $id) { ... on Template { ${selection(paths)} } } }`,
    { id },
  );
  return node;
}
const pathsOf = (result: Result) => (result.fields ?? []).map((f) => f.path.join('.'));

const GROUPS = TEMPLATE_GROUPS.map(([name, group]) => [name, group] as const);
const NAMES = GROUPS.map(([name]) => name);

describe('the groups a template holds', () => {
  it("are the send's channel groups (push, email, SMS: as many as the send has), never delivery or targeting", async () => {
    expect(NAMES).toEqual(expect.arrayContaining(['email', 'sms']));
    expect(NAMES.every((name) => ['push', 'email', 'sms'].includes(name))).toBe(true);
    const { __type } = await stack.gql<{ __type: { inputFields: { name: string }[] } }>(
      '{ __type(name: "TemplateCreateInput") { inputFields { name } } }',
    );
    const fields = __type.inputFields.map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining(NAMES));
    for (const gone of ['delivery', 'target', 'emailSubject', 'emailBody'])
      expect(fields).not.toContain(gone);
  });

  it.each(GROUPS)(
    '%s: a template with every field of the group sends each under its wire name and reads every one back',
    async (name, group) => {
      const leaves = group.leaves([name]);
      const input = { ...baseTemplate(name), [name]: wholeGroup(name, group) };
      const result = await create(input);
      expect(result, JSON.stringify(result)).toMatchObject({
        __typename: 'TemplateCreatePayload',
        template: { channel: name.toUpperCase() },
      });
      expect(stack.upstreamCalls()).toEqual({ create_template: 1 });

      const received = stack.emulator.received('create_template').at(-1) as Record<string, unknown>;
      for (const { path, leaf } of leaves)
        expect(receivedFor(leaf, received), path.join('.')).toEqual(leaf.sample.wire ?? leaf.sample.input);
      if (name === 'email') expect(received).toMatchObject({ isEmail: true });
      if (name === 'sms') expect(received).toMatchObject({ isSMS: true });

      stack.emulator.resetStats();
      const others = NAMES.filter((other) => other !== name).map((other) => [other]);
      const node = await read(result.template?.id as string, [
        ['channel'],
        ...leaves.map(selected),
        ...others.map((other) => [...other, '__typename']),
      ]);
      expect(stack.upstreamCalls()).toEqual({ view_template: 1 });
      expect(node.channel).toBe(name.toUpperCase());
      for (const { path, leaf } of leaves)
        expect(pick(node, path), path.join('.')).toEqual(leaf.sample.input);
      // The groups OneSignal returned nothing for read null.
      for (const [other] of others) expect(node[other as string], other).toBeNull();
    },
  );

  it('reads null groups on a template that set none (a seeded push template)', async () => {
    const { app } = await stack.gql<{ app: { templates: { nodes: Record<string, unknown>[] } } }>(
      `{ app(id: "${SHOP.id}") { templates { nodes { name ${NAMES.map((n) => `${n} { __typename }`).join(' ')} } } } }`,
    );
    const welcome = app.templates.nodes.find((n) => n.name === 'Welcome') as Record<string, unknown>;
    for (const name of NAMES) expect(welcome[name], name).toBeNull();
    // The seeded email template has its subject and body, so its email group reads back.
    const digest = app.templates.nodes.find((n) => n.name === 'Weekly digest') as Record<string, unknown>;
    expect(digest.email).toEqual({ __typename: 'EmailOptions' });
  });
});

describe('a template the groups refuse', () => {
  const CHANNELS = ['push', 'email', 'sms'];
  const WRONG = GROUPS.flatMap(([name, group]) =>
    CHANNELS.filter((channel) => channel !== name).map((channel) => [name, channel, group] as const),
  );

  it.each(WRONG)(
    'the %s group on a %s template: VALIDATION_FAILED at input.<group>, no upstream call',
    async (name, channel, group) => {
      const result = await create({ ...baseTemplate(channel), [name]: wholeGroup(name, group) });
      expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
      expect(pathsOf(result)).toEqual([`input.${name}`]);
      expect(stack.upstreamCalls()).toEqual({});
    },
  );

  it('a group on the wrong channel of an update that gives the channel: refused, no upstream call', async () => {
    const created = await create(baseTemplate('sms'));
    stack.emulator.resetStats();
    const result = await update({
      id: created.template?.id,
      channel: 'SMS',
      email: { preheader: 'x' },
    });
    expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(pathsOf(result)).toEqual(['input.email']);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it("lists every problem at once: the group's own checks, the channel, an email template's subject and body", async () => {
    const result = await create({
      ...baseTemplate('email'),
      email: {
        preheader: 'x',
        bcc: ['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example', 'e@x.example', 'f@x.example'],
      },
      sms: { mediaUrls: Array(11).fill('https://cdn.example/a.png') },
    });
    expect(result.__typename).toBe('ValidationError');
    expect(pathsOf(result)).toEqual([
      'input.sms.mediaUrls',
      'input.sms',
      'input.email.bcc',
      'input.email.subject',
      'input.email.body',
    ]);
    expect(result.fields?.find((f) => f.path.join('.') === 'input.email.bcc')?.message).toBe(
      'at most 5 addresses on a template (got 6).',
    );
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('templateUpdate and the groups', () => {
  it.each(GROUPS)(
    '%s: changing one field sends only it, and the template keeps the rest',
    async (name, group) => {
      const whole = wholeGroup(name, group);
      const created = await create({ ...baseTemplate(name), [name]: whole });
      expect(created.__typename).toBe('TemplateCreatePayload');
      const leaves = group.leaves([name]);
      // A plain text leaf to change (every group has one: a sound, a subject, a sender number).
      const changed =
        leaves.find(({ leaf }) => leaf.input === 'String' && !leaf.toWire && !leaf.sample.with) ??
        leaves.find(({ leaf }) => leaf.input === 'PhoneNumber');
      expect(changed, `${name} has a text field to change`).toBeDefined();
      const { path, leaf } = changed as { path: string[]; leaf: Leaf };
      const value = leaf.input === 'PhoneNumber' ? '+15557654321' : 'Changed';

      stack.emulator.resetStats();
      const result = await update(setAt({ id: created.template?.id }, path, value));
      expect(result, JSON.stringify(result)).toMatchObject({ __typename: 'TemplateUpdatePayload' });
      expect(stack.upstreamCalls()).toEqual({ update_template: 1 });
      expect(stack.emulator.received('update_template').at(-1)).toEqual({ [leaf.wire as string]: value });

      stack.emulator.resetStats();
      const node = await read(created.template?.id as string, [['channel'], ...leaves.map(selected)]);
      expect(node.channel).toBe(name.toUpperCase());
      for (const other of leaves) {
        const expected = other.path.join('.') === path.join('.') ? value : other.leaf.sample.input;
        expect(pick(node, other.path), other.path.join('.')).toEqual(expected);
      }
    },
  );

  it('moves a template to PUSH by clearing both channel flags', async () => {
    const created = await create(baseTemplate('sms'));
    stack.emulator.resetStats();
    const result = await update({ id: created.template?.id, channel: 'PUSH' });
    expect(result).toMatchObject({ __typename: 'TemplateUpdatePayload', template: { channel: 'PUSH' } });
    expect(stack.emulator.received('update_template').at(-1)).toEqual({ isEmail: false, isSMS: false });
  });
});
