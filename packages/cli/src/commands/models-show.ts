import type { ModelPointer, ModelVersion } from '@bidfcl/contracts';
import type { ArtefactStore } from '@bidfcl/io';
import { resolveModel } from '@bidfcl/runtime';
import { printed } from '../args.js';
import { byWhom, readModelRows } from '../models-read.js';
import { table } from '../output.js';

/** `bidfcl models list`: every model, its current version and where that came from. */
export async function listCommand(store: ArtefactStore, json: boolean): Promise<number> {
  const rows = await readModelRows(store);
  if (json)
    return printed(
      JSON.stringify(
        rows.map(({ model, pointer, current, versions }) => ({
          model,
          current: pointer?.version ?? null,
          versions,
          ...(current
            ? { runId: current.runId, method: current.method, promotedAt: current.promotedAt, by: current.promotedBy }
            : {}),
        })),
        null,
        2,
      ),
    );
  if (rows.length === 0) return printed(`no models in ${store.describe('models/')}`);
  const header = ['model', 'current', 'versions', 'run', 'method', 'promoted', 'by'];
  const cells = rows.map(({ model, pointer, current, versions }) => [
    model,
    pointer ? String(pointer.version) : '—',
    String(versions.length),
    current?.runId,
    current?.method,
    current?.promotedAt,
    current ? byWhom(current.promotedBy) : undefined,
  ]);
  return printed(table(header, cells));
}

function describeVersion(store: ArtefactStore, v: ModelVersion, pointer: ModelPointer | undefined): string {
  const current = pointer?.version === v.version;
  const status = current ? 'current' : pointer ? `not current; current is ${pointer.version}` : 'no current version';
  const enc = v.encoding;
  const categorical = Object.keys(enc.vocab);
  const numeric = enc.featureNames.length - Object.values(enc.vocab).reduce((s, x) => s + x.length, 0);
  const arms = enc.arms.map((a) => (a.zeroCost ? `${a.name} (zero cost)` : a.name)).join(', ');
  const val = v.metrics.validation;
  const test = v.metrics.test;
  const num = (x: number | undefined) => (x === undefined ? '—' : String(Number(x.toPrecision(5))));
  const lines = [
    `model ${v.model}, version ${v.version} (${status})`,
    `run        ${v.runId}, method ${v.method}, dataset ${v.dataset.name}/${v.dataset.version}`,
    `promoted   ${v.promotedAt} by ${byWhom(v.promotedBy)}`,
    `weights    ${store.describe(v.weights)} (copied from ${v.copiedFrom})`,
    `features   ${enc.featureNames.length}: ${numeric} numeric, ${categorical.length} categorical` +
      (categorical.length ? ` (${categorical.join(', ')})` : ''),
    `arms       ${arms}; target scale revenue ${num(enc.targetScale.revenue)}, cost ${num(enc.targetScale.cost)}`,
    `validation ${val ? `epoch ${val.epoch}: loss ${num(val.valLoss)}, EOM ${num(val.valEom)}` : '—'}`,
    `test       ${test.testRows} rows; mean EOM ${num(test.mean.eom)}, true value ${num(test.mean.trueValue)}`,
    table(
      ['budget', 'EOM', 'true value', 'oracle capture'],
      test.budgets.map((b) => [`${b.fraction * 100}%`, b.eom, b.trueValue, b.oracleCapture]),
    ),
  ];
  return lines.join('\n');
}

/** `bidfcl models show <model>[@<version>]`: one version, the current one by default. */
export async function showCommand(store: ArtefactStore, ref: string, json: boolean): Promise<number> {
  const { version, pointer } = await resolveModel(store, ref);
  if (json) return printed(JSON.stringify({ ...version, current: pointer?.version === version.version }, null, 2));
  return printed(describeVersion(store, version, pointer));
}
