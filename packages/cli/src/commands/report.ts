import { spawn } from 'node:child_process';
import { keys } from '@bidfcl/contracts';
import { LocalStore } from '@bidfcl/io';
import { parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { cliEnv } from '../context.js';
import { createRuntimeContextForStore } from './store-only.js';

export const reportHelp = `bidfcl report <runId> [--open]
  Prints where the run's report.html (and metrics.json) are; --open opens the report in the desktop's browser
  (copying it to a local temp file first when the store is S3).`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { open: { type: 'boolean' }, help: { type: 'boolean' } }, true);
  if (values.help) return printed(reportHelp);
  const runId = positionals[0];
  if (!runId) throw usageError(reportHelp);
  const { store } = createRuntimeContextForStore(cliEnv());
  const key = keys.reportHtml(runId);
  if (!(await store.exists(key))) throw new CliError(`run '${runId}' has no report yet (${store.describe(key)}); see 'bidfcl status ${runId}'`);
  let location = store.describe(key);
  console.log(`report:  ${location}\nmetrics: ${store.describe(keys.reportMetrics(runId))}`);
  if (values.open) {
    if (!(store instanceof LocalStore)) {
      const { mkdtemp, writeFile } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const dir = await mkdtemp(`${tmpdir()}/bidfcl-report-`);
      location = `${dir}/report.html`;
      await writeFile(location, await store.get(key));
    }
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    const child = spawn(opener, [location], { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`could not run ${opener}; open ${location} yourself`));
    child.unref();
  }
  return 0;
}
