import type { Logger } from './logger.js';

type Sink = (level: 'info' | 'warn', fields: object, message: string) => void;

// Process-wide, like stderr itself: the runtime's notices (store retries, Redis lost and back) come from code that
// runs before and apart from any worker, and a worker process wants them in its log with its other lines.
let sink: Sink | undefined;

/** Sends the runtime's notices to `log` (a worker process); without it they are plain stderr lines (the CLI). */
export function routeNoticesTo(log: Logger | undefined): void {
  sink = log ? (level, fields, message) => log[level](fields, message) : undefined;
}

/** Something an operator should see that is no job's outcome: an outage waited out, a connection back. */
export function notice(message: string, fields: object = {}, level: 'info' | 'warn' = 'warn'): void {
  if (sink) sink(level, fields, message);
  else process.stderr.write(`[bidfcl] ${message}\n`);
}
