/** App.outcomes (src/schema/outcomes.ts): named outcome totals of an app, with their filters. */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { useStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;

const stack = useStack();

describe('outcomes', () => {
  it('totals named outcomes of an app, with time range, platforms and attribution, in one get_outcomes', async () => {
    const [a, b] = DEMO.outcomeNames;
    const { app } = await stack.gql<{
      app: { day: { name: string; aggregation: string; value: number }[]; direct: { value: number }[] };
    }>(
      `{ app(id: "${SHOP}") {
        day: outcomes(names: [{ name: "os__click", aggregation: COUNT }, { name: "${b ?? a}", aggregation: SUM }], timeRange: ONE_MONTH) { name aggregation value }
        direct: outcomes(names: [{ name: "os__click", aggregation: COUNT }], timeRange: ONE_MONTH, platforms: [IOS, ANDROID], attribution: DIRECT) { value }
      } }`,
    );
    expect(app.day.map((o) => [o.name, o.aggregation])).toEqual([
      ['os__click', 'COUNT'],
      [b ?? a, 'SUM'],
    ]);
    expect(app.day[0]!.value).toBeGreaterThan(0);
    expect(app.direct[0]!.value).toBeLessThanOrEqual(app.day[0]!.value);
    expect(stack.upstreamCalls()).toEqual({ get_outcomes: 2 });
  });

  it('rejects empty or malformed outcome names, naming the argument', async () => {
    const empty = await stack.gqlRaw(`{ app(id: "${SHOP}") { outcomes(names: []) { value } } }`);
    expect(empty.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['outcomes', 'names'] }],
    });
    const dotted = await stack.gqlRaw(
      `{ app(id: "${SHOP}") { outcomes(names: [{ name: "a.b", aggregation: SUM }, { name: "os__click", aggregation: SUM }]) { value } } }`,
    );
    expect(dotted.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [
        { path: ['outcomes', 'names', '0', 'name'] },
        { path: ['outcomes', 'names', '1', 'aggregation'] },
      ],
    });
    expect(stack.upstreamCalls().get_outcomes).toBeUndefined();
  });
});

describe('the outcomes fields', () => {
  it('say Custom Outcomes are historical data, without being deprecated (OneSignal still serves view_outcomes)', async () => {
    const data = await stack.gql<{
      app: { fields: { name: string; description: string; isDeprecated: boolean }[] };
      notification: { fields: { name: string; description: string; isDeprecated: boolean }[] };
    }>(`{
      app: __type(name: "App") { fields(includeDeprecated: true) { name description isDeprecated } }
      notification: __type(name: "Notification") { fields(includeDeprecated: true) { name description isDeprecated } }
    }`);
    for (const type of [data.app, data.notification]) {
      const outcomes = type.fields.find((f) => f.name === 'outcomes');
      expect(outcomes?.isDeprecated).toBe(false);
      expect(outcomes?.description).toMatch(
        /retiring Custom Outcomes .* conversion metrics .* historical data/,
      );
      expect(outcomes?.description).toMatch(/`os__click`.* still reported/);
    }
  });
});
