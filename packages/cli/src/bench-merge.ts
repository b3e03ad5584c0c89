import { isDeepStrictEqual } from 'node:util';
import type { RunMetrics } from '@bidfcl/contracts';
import { summariseRuns, type BenchJson } from './bench-summary.js';

/** A bench JSON and where it came from (a file name, for messages). */
export interface BenchSource {
  source: string;
  json: BenchJson;
}

export class BenchMergeError extends Error {}

/** The first top-level field where two objects differ, for a message that says what to look at. */
function firstDifference(a: unknown, b: unknown): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return '';
  const ka = new Set([...Object.keys(a), ...Object.keys(b)]);
  const k = [...ka].find(
    (key) => !isDeepStrictEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
  return k ? ` (field '${k}')` : '';
}

/** Equal to rounding (1e-9 relative): the same seed, data and code give the same numbers. Both absent counts. */
function sameNumber(x: number | undefined, y: number | undefined): boolean {
  return (
    (x === undefined && y === undefined) ||
    (x !== undefined && y !== undefined && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y)))
  );
}

/** Two results of one method on one seed agree when their test numbers do. */
function sameResult(a: RunMetrics['methods'][number], b: RunMetrics['methods'][number]): boolean {
  return (
    Boolean(a.skipped) === Boolean(b.skipped) &&
    sameNumber(a.mean.eom, b.mean.eom) &&
    sameNumber(a.mean.trueValue, b.mean.trueValue)
  );
}

/**
 * A bench's budgets as words to compare and show: fractions and money per user are different budgets even where
 * the numbers agree (a file from before money budgets existed has fractions).
 */
const budgetList = (json: BenchJson) =>
  json.budgetsPerUser
    ? `money per user ${json.budgetsPerUser.join(', ')}`
    : `fractions of the random assignment's cost ${(json.budgets ?? []).join(', ')}`;

const withoutMethods = (config: Record<string, unknown>) => {
  const { methods: _m, ...rest } = config;
  return rest;
};

/**
 * Merges bench JSONs run on the same data and configuration — other seeds, or other methods on the same seeds
 * (benches run on several machines, or a method added later) — into one, with the summary recomputed over all
 * seeds. Refuses inputs whose scenario or dataset, budgets or configuration (apart from `methods`) differ, and a
 * method whose result on a seed differs between inputs: either means the numbers do not measure the same thing.
 * Normalised values come from each input's own tsm-rct, so a method benched without tsm-rct has none.
 */
export function mergeBenchJson(inputs: BenchSource[], now = new Date()): BenchJson {
  if (inputs.length === 0) throw new BenchMergeError('nothing to merge');
  for (const { source, json } of inputs) {
    if (json?.tool !== 'bidfcl bench' || !Array.isArray(json.runs))
      throw new BenchMergeError(`${source} is not a bidfcl bench JSON (no "tool": "bidfcl bench" and "runs")`);
  }
  const [first, ...rest] = inputs as [BenchSource, ...BenchSource[]];
  for (const { source, json } of rest) {
    const differs = (what: string, a: unknown, b: unknown) => {
      if (!isDeepStrictEqual(a, b))
        throw new BenchMergeError(
          `${source}: ${what} differs from ${first.source}'s${firstDifference(a, b)}; ` +
            'only benches of the same data and configuration can be merged',
        );
    };
    differs('the scenario', first.json.scenario, json.scenario);
    differs('the dataset', first.json.dataset, json.dataset);
    if (budgetList(first.json) !== budgetList(json))
      throw new BenchMergeError(
        `${source}: the budgets (${budgetList(json)}) differ from ${first.source}'s (${budgetList(first.json)}); ` +
          'only benches of the same budgets can be merged',
      );
    differs('the run configuration', withoutMethods(first.json.config), withoutMethods(json.config));
  }

  const bySeed = new Map<
    number,
    { seed: number; runIds: string[]; wallSeconds: number; metrics: RunMetrics; from: string }
  >();
  const methods: string[] = [];
  for (const { source, json } of inputs) {
    for (const m of json.methods) if (!methods.includes(m)) methods.push(m);
    for (const run of json.runs) {
      const seen = bySeed.get(run.seed);
      if (!seen) {
        bySeed.set(run.seed, {
          seed: run.seed,
          runIds: [run.runId],
          wallSeconds: run.wallSeconds,
          metrics: { ...run.metrics, methods: [...run.metrics.methods] },
          from: source,
        });
        continue;
      }
      const a = seen.metrics;
      const b = run.metrics;
      if (a.testRows !== b.testRows || !sameNumber(a.randomCost, b.randomCost)) {
        throw new BenchMergeError(
          `${source}: seed ${run.seed}'s test data differs from ${seen.from}'s ` +
            `(test rows ${b.testRows} vs ${a.testRows}, random-assignment cost ${b.randomCost} vs ${a.randomCost})`,
        );
      }
      for (const m of b.methods) {
        const twin = a.methods.find((x) => x.method === m.method);
        if (!twin) a.methods.push(m);
        else if (!sameResult(twin, m)) {
          throw new BenchMergeError(
            `${source}: ${m.method} on seed ${run.seed} gave a different result than in ${seen.from} ` +
              `(EOM ${m.mean.eom} vs ${twin.mean.eom}): not the same data, configuration or code`,
          );
        }
      }
      seen.runIds.push(run.runId);
      seen.wallSeconds += run.wallSeconds;
    }
  }
  const runs = [...bySeed.values()]
    .sort((x, y) => x.seed - y.seed)
    .map((r) => ({ seed: r.seed, runId: r.runIds.join('+'), wallSeconds: r.wallSeconds, metrics: r.metrics }));
  return {
    tool: 'bidfcl bench',
    createdAt: now.toISOString(),
    versions: first.json.versions,
    ...(first.json.scenario !== undefined ? { scenario: first.json.scenario } : {}),
    ...(first.json.dataset !== undefined ? { dataset: first.json.dataset } : {}),
    methods,
    seeds: runs.map((r) => r.seed),
    ...(first.json.budgetsPerUser
      ? { budgetsPerUser: first.json.budgetsPerUser }
      : { budgets: first.json.budgets ?? [] }),
    config: { ...first.json.config, methods },
    runs,
    summary: summariseRuns(
      runs.map((r) => r.metrics),
      methods,
    ),
    mergedFrom: inputs.map(({ source, json }) => ({ source, createdAt: json.createdAt, versions: json.versions })),
  };
}
