import { CronExpressionParser } from 'cron-parser';
import { addSchedule, listSchedules, removeSchedule } from '@bidfcl/runtime';
import { parse, printed, parseSets } from '../args.js';
import { usageError } from '../cli-error.js';
import { loadRunConfigFile } from '../config-file.js';
import { connect } from '../context.js';
import { table } from '../output.js';

export const scheduleHelp = `bidfcl schedule add <id> --config <run.yaml> [--cron "0 2 * * *"] [--tz Europe/Berlin]
bidfcl schedule list
bidfcl schedule remove <id>
  Nightly retraining: a BullMQ job scheduler that starts the config's run as <runId>-<yyyymmddhhmm> on a cron
  pattern (default 02:00 every day). Dataset sources like store:datasets/<name>/@latest/rct/ pick the newest
  version at each firing. A feature-builder worker must be running to start the runs.`;

const CRON = /^(\S+\s+){4,5}\S+$/;

/**
 * Why a schedule's --cron or --tz would be refused by the scheduler, or undefined when both are valid: checked
 * before anything is read or enqueued, so a typo is a usage error (exit 2) that says what is allowed, not a
 * library's message at the first firing. Uses the cron parser BullMQ itself uses.
 */
export function scheduleArgsProblem(cron: string, tz: string | undefined): string | undefined {
  if (tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      return `--tz '${tz}' is not an IANA time zone name (e.g. UTC, Europe/Berlin, America/New_York)`;
    }
  }
  const fields = 'minute hour day-of-month month day-of-week, optionally seconds first';
  if (!CRON.test(cron.trim())) return `--cron '${cron}' is not a cron pattern of 5 or 6 fields (${fields})`;
  try {
    CronExpressionParser.parse(cron, tz ? { tz } : {});
  } catch (err) {
    return `--cron '${cron}' is not a valid cron pattern: ${(err as Error).message} (fields: ${fields})`;
  }
  return undefined;
}

export async function scheduleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      config: { type: 'string' },
      cron: { type: 'string', default: '0 2 * * *' },
      tz: { type: 'string' },
      set: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return printed(scheduleHelp);
  const [verb, id] = positionals;
  if (verb === 'add') {
    if (!id || !values.config) throw usageError(`schedule add needs an id and --config\n${scheduleHelp}`);
    const problem = scheduleArgsProblem(values.cron!, values.tz);
    if (problem) throw usageError(problem);
    const config = await loadRunConfigFile(values.config, parseSets(values.set));
    const ctx = await connect();
    try {
      await addSchedule(ctx, id, values.cron!, config, values.tz);
      const s = (await listSchedules(ctx)).find((x) => x.id === id);
      console.log(
        `schedule ${id}: '${values.cron}'${values.tz ? ` (${values.tz})` : ' (UTC)'} ` +
          `starts ${config.runId}-<yyyymmddhhmm>${s?.next ? `; next at ${new Date(s.next).toISOString()}` : ''}`,
      );
    } finally {
      await ctx.close();
    }
    return 0;
  }
  if (verb === 'list') {
    const ctx = await connect();
    try {
      const all = await listSchedules(ctx);
      console.log(
        all.length
          ? table(
              ['id', 'cron', 'tz', 'run id prefix', 'next'],
              all.map((s) => [
                s.id,
                s.pattern,
                s.tz ?? 'UTC',
                s.runIdPrefix,
                s.next ? new Date(s.next).toISOString() : '',
              ]),
            )
          : 'no schedules',
      );
    } finally {
      await ctx.close();
    }
    return 0;
  }
  if (verb === 'remove') {
    if (!id) throw usageError('schedule remove needs an id');
    const ctx = await connect();
    try {
      const removed = await removeSchedule(ctx, id);
      console.log(removed ? `removed schedule ${id}` : `no schedule ${id}`);
      return removed ? 0 : 1;
    } finally {
      await ctx.close();
    }
  }
  throw usageError(scheduleHelp);
}
