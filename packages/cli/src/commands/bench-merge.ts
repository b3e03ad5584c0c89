import { readFile, writeFile } from 'node:fs/promises';
import { parse, printed } from '../args.js';
import { BenchMergeError, mergeBenchJson, type BenchSource } from '../bench-merge.js';
import { benchTable, type BenchJson } from '../bench-summary.js';
import { usageError } from '../cli-error.js';

export const benchMergeHelp = `bidfcl bench-merge <a.json> <b.json> … [--json out.json]
  Merges \`bidfcl bench --json\` files of the same data and configuration — other seeds (benches run on several
  machines), or other methods on the same seeds — and prints the table over all of them; --json writes the
  merged bench JSON (same format, plus "mergedFrom"). A method present twice for one seed must give the same
  result in both files. Normalised values come from each file's own tsm-rct: include tsm-rct in every bench.`;

export async function benchMergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'string' }, help: { type: 'boolean' } }, true);
  if (values.help) return printed(benchMergeHelp);
  if (positionals.length < 1) throw usageError(`bench-merge needs at least one bench JSON file\n\n${benchMergeHelp}`);
  const inputs: BenchSource[] = [];
  for (const source of positionals) {
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (err) {
      throw usageError(`${source}: cannot read: ${(err as Error).message}`);
    }
    try {
      inputs.push({ source, json: JSON.parse(text) as BenchJson });
    } catch (err) {
      throw usageError(`${source}: invalid JSON: ${(err as Error).message}`);
    }
  }
  let merged: BenchJson;
  try {
    merged = mergeBenchJson(inputs);
  } catch (err) {
    if (err instanceof BenchMergeError) throw usageError(err.message);
    throw err;
  }
  console.log(
    `${benchTable(merged.summary)}\n` +
      `(mean ± std over ${merged.seeds.length} seed${merged.seeds.length > 1 ? 's' : ''} ` +
      `[${merged.seeds.join(', ')}] from ${inputs.length} file${inputs.length > 1 ? 's' : ''}; ` +
      "each seed's value is the mean over budgets)",
  );
  if (values.json) {
    await writeFile(values.json, JSON.stringify(merged, null, 2));
    console.log(`wrote ${values.json}`);
  }
  return 0;
}
