import { cliOrigin, promoteModel, type RuntimeContext } from '@bidfcl/runtime';
import { startAllRoles } from '../cluster.js';
import { runToCompletion } from '../local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './fixtures.js';

/**
 * Trains tsm-rct on the tiny simulated dataset (written to datasets/tiny/v1/ in the store) and promotes it as
 * version 1 of `model`: what a population allocation needs. Features x0 … x7, user ids in user_id.
 */
export async function promoteTinyModel(ctx: RuntimeContext, model: string, runId = 'pop-run'): Promise<void> {
  const cluster = startAllRoles(ctx);
  try {
    const config = tinyRunConfig(runId, await tinySimulatedDataset(ctx.store), { methods: ['tsm-rct'] });
    await runToCompletion(ctx, config);
  } finally {
    await cluster.close();
  }
  await promoteModel(ctx, { model, runId, method: 'tsm-rct', by: cliOrigin() });
}

/** A users CSV: header `user_id,x0,…,x7` plus `extra` columns, and `rows` rows of deterministic features. */
export function usersCsv(rows: number, edit: (cells: string[], i: number) => string[] = (c) => c): string {
  const header = ['user_id', ...Array.from({ length: 8 }, (_, k) => `x${k}`), 'note'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 8 }, (_, k) => (((i * 7 + k * 13) % 17) / 8 - 1).toFixed(3));
    lines.push(edit([`u${i}`, ...x, 'n/a'], i).join(','));
  }
  return lines.join('\n') + '\n';
}
