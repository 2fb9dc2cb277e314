/**
 * What each app spent upstream in a run, from the emulator's per-app counts, beside its budget and
 * the model's figures: one row per app and dashboard read, and whether each app stayed within every
 * budget (view classes: 1/s averaged over the run, plus the burst of 3).
 */
import { appLimitOf, type LimitClass, ratesFor } from '../../src/onesignal/limits.js';
import { f1, f3, table } from '../lib/report.js';
import type { BenchApp } from './fleet.js';
import { budgetOver, type Deployment, type ReadPrediction, runBound, runExpectation } from './model.js';

export interface AppSpend {
  app: BenchApp;
  /** Calls per second per limit class, averaged over the run. */
  perSecond: { limitClass: LimitClass; callsPerSecond: number; budget: number }[];
  /** Calls per limit class, against what the class's budget allows over the run. */
  overBudget: { limitClass: LimitClass; calls: number; allowed: number }[];
  /** Reads whose calls exceeded the model's bound for the run. */
  overModel: { operation: string; calls: number; bound: number }[];
}

/** Each app's spend, and the table that shows it. */
export function appSpends(
  apps: BenchApp[],
  byApp: Record<string, Record<string, number>>,
  predictions: ReadPrediction[],
  deployment: Deployment,
  seconds: number,
): { spends: AppSpend[]; printed: string } {
  const rates = ratesFor('free');
  const rows: string[][] = [];
  const spends = apps.map((app) => {
    const calls = byApp[app.id.toLowerCase()] ?? {};
    const byClass = new Map<LimitClass, number>();
    for (const [operation, count] of Object.entries(calls)) {
      const limitClass = appLimitOf(operation);
      if (limitClass) byClass.set(limitClass, (byClass.get(limitClass) ?? 0) + count);
    }
    const overModel: AppSpend['overModel'] = [];
    for (const read of predictions) {
      const made = calls[read.operation] ?? 0;
      const bound = runBound(read, deployment, seconds);
      if (made > bound) overModel.push({ operation: read.operation, calls: made, bound });
      rows.push([
        app.name,
        read.operation,
        read.budget ? `${read.limitClass} ${read.budget.perSecond}/s, burst ${read.budget.burst}` : 'none',
        `${made} (${runExpectation(read, deployment, seconds)}, ≤ ${bound})`,
        `${f3(made / seconds)} (${f3(read.callsPerSecond)})`,
      ]);
    }
    const others = Object.keys(calls).filter((op) => !predictions.some((p) => p.operation === op));
    for (const operation of others)
      rows.push([app.name, operation, '', String(calls[operation]), '', '', '']);
    const overBudget = [...byClass].flatMap(([limitClass, count]) => {
      const allowed = budgetOver(rates[limitClass], seconds);
      return count > allowed ? [{ limitClass, calls: count, allowed }] : [];
    });
    const perSecond = [...byClass].map(([limitClass, count]) => ({
      limitClass,
      callsPerSecond: count / seconds,
      budget: rates[limitClass].perSecond,
    }));
    return { app, perSecond, overBudget, overModel };
  });
  const printed = table(
    [
      'app',
      'operation',
      "OneSignal's limit",
      `calls in ${f1(seconds)} s (model: expected, bound)`,
      'calls/s (model: steady state)',
    ],
    rows,
  );
  return { spends, printed };
}
