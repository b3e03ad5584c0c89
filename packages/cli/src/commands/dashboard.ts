import { closeOnSignals } from '@bidfcl/runtime';
import { intOption, parse, printed } from '../args.js';
import { CliError } from '../cli-error.js';
import { cliEnv, connect } from '../context.js';
import { DASHBOARD_PASSWORD_ENV, DASHBOARD_USER_ENV, dashboardCredentials } from '../dashboard/auth.js';
import { BULL_BOARD_PATH, DASHBOARD_DEFAULTS, startDashboard } from '../dashboard/server.js';

const { host: HOST, port: PORT } = DASHBOARD_DEFAULTS;

export const dashboardHelp = `bidfcl dashboard [--host ${HOST}] [--port ${PORT}] [--log-level warn]
  A web dashboard: runs (status, stages with timings, failure reasons, metrics, the report), models and their
  versions, allocations with their summaries, and Bull Board for every queue under ${BULL_BOARD_PATH}.
  On a loopback address it needs no login. On any other address (--host 0.0.0.0) it requires basic auth with
  ${DASHBOARD_USER_ENV} and ${DASHBOARD_PASSWORD_ENV}, and refuses to start without them (exit 2).
  /healthz answers without credentials, for probes.`;

export async function dashboardCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) return printed(dashboardHelp);
  const host = values.host ?? DASHBOARD_DEFAULTS.host;
  const port = intOption(values.port, 'port', DASHBOARD_DEFAULTS.port, 0);
  // Checked before connecting: an exposed dashboard without credentials is refused whether Redis answers or not.
  const credentials = dashboardCredentials(host, process.env);
  const ctx = await connect(cliEnv());
  let dashboard;
  try {
    dashboard = await startDashboard(
      ctx,
      { host, port },
      { logLevel: values['log-level'] ?? 'warn', ...(credentials ? { credentials } : {}) },
    );
  } catch (err) {
    await ctx.close();
    const code = (err as NodeJS.ErrnoException).code;
    // Not a usage error: the same command works once the port is free (exit 1, one line, no stack trace).
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES')
      throw new CliError(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
    throw err;
  }
  // One line for people and scripts (tests) to find the address.
  process.stdout.write(
    `bidfcl dashboard: listening on ${dashboard.url}${credentials ? ' (basic auth required)' : ''}\n`,
  );
  await new Promise<void>((resolve) =>
    closeOnSignals(async () => {
      await dashboard.close();
      await ctx.close();
      resolve();
    }),
  );
  return 0;
}
