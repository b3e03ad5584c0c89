import type { FeatureTable } from '@bidfcl/contracts';
import {
  allocateBudget,
  createWorld,
  encodeRawFeatures,
  simulateSplit,
  type RawFeatureColumn,
  type SimSplit,
} from '@bidfcl/core';
import { readCurrentVersion } from '@bidfcl/runtime';
import { predictWithModel } from '@bidfcl/worker-allocator';
import { intOption, parse, printed } from '../args.js';
import { usageError } from '../cli-error.js';
import { cliEnv } from '../context.js';
import { parseDrift } from '../day/drift.js';
import { replayDay, type DayResult } from '../day/replay.js';
import { createStore } from '@bidfcl/io';
import { resolveScenario } from './simulate.js';

export const simulateDayHelp = `bidfcl simulate-day --scenario <preset|file> --model <name> --budget <money>
                    [--drift none] [--drift cost:1.2@12] [--drift traffic:1.5@12+cost:1.2@12] …
                    [--arrivals 4000] [--seed 1] [--url http://127.0.0.1:8080] [--json]
  Replays a simulated day of arrivals against a running bidfcl serve (docs/method.md §8): each arrival asks
  POST /v1/decide, redemptions are drawn from the simulator's truth (with the drift) and posted to /v1/spend.
  Each drift runs twice: paced, and with the fixed morning λ (the λ meeting the budget on the model's predicted
  costs of a same-sized day of other users). Prints spend against budget and true revenue.`;

/** The model's predicted scores of simulated users (raw features x0… encoded with the version's encoding). */
async function scoreUsers(users: SimSplit, model: string) {
  const env = cliEnv();
  const store = createStore(env.storeUrl, env.s3);
  const version = await readCurrentVersion(store, model);
  if (!version) throw usageError(`model '${model}' has no current version`);
  const columns = new Map<string, RawFeatureColumn>();
  for (let k = 0; k < users.d; k++)
    columns.set(`x${k}`, {
      kind: 'number',
      values: Float64Array.from({ length: users.n }, (_, i) => users.x[i * users.d + k]!),
    });
  const enc = version.encoding;
  const x = encodeRawFeatures(columns, enc, 0, users.n, 'simulated users');
  const m = enc.arms.length;
  const table: FeatureTable = {
    n: users.n,
    d: enc.featureNames.length,
    m,
    x,
    arm: new Int32Array(users.n),
    revenue: new Float64Array(users.n),
    cost: new Float64Array(users.n),
  };
  return predictWithModel(store, version.weights, enc, table, env.tfBackend);
}

export async function simulateDayCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    scenario: { type: 'string' },
    model: { type: 'string' },
    budget: { type: 'string' },
    drift: { type: 'string', multiple: true },
    arrivals: { type: 'string' },
    seed: { type: 'string' },
    url: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) return printed(simulateDayHelp);
  if (!values.scenario || !values.model || !values.budget)
    throw usageError('--scenario, --model and --budget are required');
  const budget = Number(values.budget);
  if (!(budget > 0)) throw usageError(`--budget must be a positive amount, got '${values.budget}'`);
  const n = intOption(values.arrivals, 'arrivals', 4000);
  const seed = intOption(values.seed, 'seed', 1, 0);
  const drifts = (values.drift ?? ['none']).map(parseDrift);
  const scenario = await resolveScenario(values.scenario, { seed });
  const world = createWorld(scenario);
  const users = simulateSplit(scenario, world, 'test', n);
  // The morning λ: what a batch run on yesterday's users (another split, same size) would pick for this budget.
  const yesterday = await scoreUsers(simulateSplit(scenario, world, 'val', n), values.model);
  const lambda0 = allocateBudget(yesterday, budget / n).lambda;
  const url = (values.url ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const results: DayResult[] = [];
  for (const drift of drifts)
    for (const mode of ['paced', 'fixed'] as const)
      results.push(
        await replayDay({
          url,
          model: values.model,
          users,
          armValues: scenario.armValues,
          budget,
          lambda0,
          drift,
          mode,
          seed,
        }),
      );
  if (values.json) return printed(JSON.stringify({ lambda0, arrivals: n, results }, null, 2));
  const lines = [
    `morning λ ${lambda0.toPrecision(4)}, ${n} arrivals, budget ${budget}`,
    'drift                          mode    spend      spend/budget  true revenue  λ changes  stopped at',
    ...results.map((r) => {
      const share = ((100 * r.spend) / r.budget).toFixed(2).padStart(11);
      const stopped = r.exhaustedAtHour === undefined ? '-' : `${r.exhaustedAtHour.toFixed(1)} h`;
      const changes = String(r.lambdaChanges).padStart(10);
      return (
        `${r.drift.padEnd(30)} ${r.mode.padEnd(7)} ${r.spend.toFixed(2).padStart(10)} ${share} % ` +
        `${r.revenue.toFixed(1).padStart(13)} ${changes}  ${stopped}`
      );
    }),
  ];
  return printed(lines.join('\n'));
}
