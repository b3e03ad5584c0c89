import { ROLE_NAMES, type Role } from '@bidfcl/contracts';
import { closeOnSignals } from '@bidfcl/runtime';
import { intOption, parse, printed } from '../args.js';
import { usageError } from '../cli-error.js';
import { startRole } from '../cluster.js';
import { connect } from '../context.js';

export const workerHelp = `bidfcl worker <role> [--concurrency n] [--lock-seconds s]
  Roles: ${ROLE_NAMES.join(', ')}. Start more processes of a role to scale it; stop with SIGINT/SIGTERM
  (active jobs finish first). --lock-seconds (default 15 for the sandboxed training and hypergradient queues, 60
  for the others): a job whose worker died is retried about this long after; keep it above the longest time a
  job may block its process.`;

export async function workerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { concurrency: { type: 'string' }, 'lock-seconds': { type: 'string' }, help: { type: 'boolean' } },
    true,
  );
  if (values.help) return printed(workerHelp);
  const role = positionals[0] as Role | undefined;
  if (!role || !ROLE_NAMES.includes(role))
    throw usageError(`unknown role '${role ?? ''}'; one of: ${ROLE_NAMES.join(', ')}`);
  const concurrency = intOption(values.concurrency, 'concurrency', 1);
  // Without --lock-seconds each queue keeps the lock its kind needs (runtime's lockSettings).
  const lock = values['lock-seconds'];
  const lockDurationMs = lock === undefined ? undefined : intOption(lock, 'lock-seconds', 1) * 1000;
  const ctx = await connect();
  const workers = startRole(ctx, role, concurrency, {
    ...(lockDurationMs === undefined ? {} : { lockDurationMs }),
    onJobEnd: (e) =>
      console.log(`${new Date().toISOString()} ${role} ${e.status} ${e.jobId}${e.error ? `: ${e.error}` : ''}`),
  });
  console.log(
    `${role} worker: queues ${workers.workers.map((w) => w.name).join(', ')}, prefix ${ctx.env.prefix}, ` +
      `concurrency ${concurrency}, store ${ctx.store.describe()}`,
  );
  await new Promise<void>((resolve) => {
    closeOnSignals(async () => {
      await workers.close();
      await ctx.close();
      resolve();
    });
  });
  return 0;
}
