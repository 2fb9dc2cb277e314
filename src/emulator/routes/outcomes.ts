import { type Operation, ok } from '../operation.js';
import type { OutcomeValue } from '../types.js';
import { fail } from '../util.js';

const RANGES: Record<string, number[]> = { '1h': [0], '1d': [0, 1], '1mo': [0, 1, 2] };
const ATTRIBUTIONS: Record<string, string[]> = {
  direct: ['direct'],
  influenced: ['influenced'],
  unattributed: ['unattributed'],
  total: ['direct', 'influenced', 'unattributed'],
};
const OUTCOME_PLATFORMS = [0, 1, 5];

export const outcomeOperations: Operation[] = [
  {
    id: 'get_outcomes',
    method: 'GET',
    path: '/apps/:app_id/outcomes',
    auth: 'app',
    handler: ({ app, query }) => {
      const names = [...query.getAll('outcome_names'), ...query.getAll('outcome_names[]')]
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (names.length === 0) throw fail(400, 'outcome_names is required, e.g. os__click.count,Purchase.sum');
      const range = query.get('outcome_time_range') || '1h';
      const buckets = RANGES[range];
      if (!buckets) throw fail(400, `outcome_time_range must be one of 1h, 1d, 1mo (got '${range}')`);
      const attribution = query.get('outcome_attribution') || 'total';
      const attributions = ATTRIBUTIONS[attribution];
      if (!attributions)
        throw fail(400, 'outcome_attribution must be one of direct, influenced, unattributed, total');
      const platformsRaw = query.get('outcome_platforms');
      const platforms = platformsRaw
        ? platformsRaw.split(',').map((p) => {
            if (!/^\d+$/.test(p.trim()))
              throw fail(400, `outcome_platforms must be device type integers (got '${p}')`);
            return Number(p);
          })
        : OUTCOME_PLATFORMS;
      const outcomes: OutcomeValue[] = names.map((full) => {
        const dot = full.lastIndexOf('.');
        const name = full.slice(0, dot);
        const aggregation = full.slice(dot + 1);
        if (dot <= 0 || (aggregation !== 'count' && aggregation !== 'sum'))
          throw fail(400, `Outcome '${full}' must be of the form <name>.count or <name>.sum`);
        let value = 0;
        for (const b of buckets)
          for (const p of platforms)
            for (const a of attributions) {
              const cell = app.outcomes[`${name}|${b}|${p}|${a}`];
              if (cell) value += aggregation === 'count' ? cell[0] : cell[1];
            }
        return { id: name, value, aggregation };
      });
      return ok({ outcomes });
    },
  },
];
