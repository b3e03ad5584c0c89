import { CliError } from './cli-error.js';
import { demoCommand, demoHelp } from './commands/demo.js';
import { reportCommand, reportHelp } from './commands/report.js';
import { runCommand, runHelp } from './commands/run.js';
import { scheduleCommand, scheduleHelp } from './commands/schedule.js';
import { simulateCommand, simulateHelp } from './commands/simulate.js';
import { statusCommand, statusHelp } from './commands/status.js';
import { workerCommand, workerHelp } from './commands/worker.js';

const COMMANDS: Record<string, { run(argv: string[]): Promise<number>; help: string }> = {
  demo: { run: demoCommand, help: demoHelp },
  simulate: { run: simulateCommand, help: simulateHelp },
  run: { run: runCommand, help: runHelp },
  worker: { run: workerCommand, help: workerHelp },
  status: { run: statusCommand, help: statusHelp },
  schedule: { run: scheduleCommand, help: scheduleHelp },
  report: { run: reportCommand, help: reportHelp },
};

export const USAGE = `bidfcl — budget-constrained marketing allocation with Bi-DFCL

Usage: bidfcl <command> [options]   (bidfcl <command> --help for details)

${Object.values(COMMANDS)
  .map((c) => c.help.split('\n')[0])
  .join('\n')}

Environment: REDIS_URL, BIDFCL_QUEUE_PREFIX, BIDFCL_STORE (dir or s3://bucket/prefix), BIDFCL_S3_ENDPOINT,
BIDFCL_S3_REGION, BIDFCL_S3_ACCESS_KEY_ID, BIDFCL_S3_SECRET_ACCESS_KEY, BIDFCL_TF_BACKEND (wasm|cpu).`;

/** Runs one CLI command; resolves with the exit status (2 = usage or config error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`bidfcl ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
