import { formatZodError, keys, runMetricsSchema } from '@bidfcl/contracts';
import { LocalStore, type ArtefactStore } from '@bidfcl/io';
import { renderReport, runReportOptions } from '@bidfcl/report';
import { parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { cliEnv } from '../context.js';
import { openInBrowser } from '../open-in-browser.js';
import { createRuntimeContextForStore } from './store-only.js';

export const reportHelp = `bidfcl report <runId> [--render] [--open]
  Prints where the run's report.html (and metrics.json) are.
  --render  draws report.html again from the run's metrics.json, re-running nothing (after a change to the
            report's code, or when report.html is missing); the same metrics give the same bytes
  --open    opens the report in the desktop's browser (copying it to a local temp file first when the store
            is S3); exit 1, naming the file, when no browser can open it (a server, a container)`;

/** Draws a run's report.html again from its metrics.json, as the evaluator did. */
async function renderFromMetrics(store: ArtefactStore, runId: string): Promise<void> {
  const metricsKey = keys.reportMetrics(runId);
  const where = store.describe(metricsKey);
  if (!(await store.exists(metricsKey))) {
    throw new CliError(`run '${runId}' has no metrics.json to render from (${where}); see 'bidfcl status ${runId}'`);
  }
  const parsed = runMetricsSchema.safeParse(await store.getJson(metricsKey));
  if (!parsed.success) throw new CliError(`${where}: invalid run metrics:\n${formatZodError(parsed.error)}`);
  const { html, warnings, charts } = await renderReport(parsed.data, runReportOptions(parsed.data));
  for (const w of warnings) console.error(`warning: ${w}`);
  await store.put(keys.reportHtml(runId), html);
  console.log(`rendered report.html from metrics.json (${charts} charts)`);
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { render: { type: 'boolean' }, open: { type: 'boolean' }, help: { type: 'boolean' } },
    true,
  );
  if (values.help) return printed(reportHelp);
  const runId = positionals[0];
  if (!runId) throw usageError(reportHelp);
  const { store } = createRuntimeContextForStore(cliEnv());
  if (values.render) await renderFromMetrics(store, runId);
  const key = keys.reportHtml(runId);
  if (!(await store.exists(key))) {
    throw new CliError(`run '${runId}' has no report yet (${store.describe(key)}); see 'bidfcl status ${runId}'`);
  }
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
    await openInBrowser(location);
    console.log(`opened ${location} in the browser`);
  }
  return 0;
}
