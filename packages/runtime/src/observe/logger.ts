import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** The log level every process takes from the environment (workers, the CLI's own lines, the decisions service). */
export const LOG_LEVEL_VAR = 'BIDFCL_LOG_LEVEL';
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** BIDFCL_LOG_LEVEL, or `fallback` when unset; an unknown level is a configuration error, said with the choices. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env, fallback = 'info'): string {
  const level = env[LOG_LEVEL_VAR]?.trim().toLowerCase();
  if (!level) return fallback;
  if (!(LEVELS as readonly string[]).includes(level))
    throw new Error(`bad environment:\n- ${LOG_LEVEL_VAR}: one of ${LEVELS.join(', ')} (got '${level}')`);
  return level;
}

/**
 * The base options every bidfcl logger shares (the decisions service passes them to Fastify): the level, the
 * service name, and ISO times, so lines from workers and the service sort and join alike.
 */
export function baseLoggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export interface LoggerTarget {
  /** Where lines go (default stdout); tests pass a stream to read them. */
  stream?: NodeJS.WritableStream;
  /** Human-readable lines instead of JSON (default: when the stream is a terminal). */
  pretty?: boolean;
  level?: string;
}

/**
 * Where a logger writes: JSON lines for log collectors; readable ones on a terminal, where a person watches a
 * worker. pino-pretty runs as a stream in this thread, not a transport: lines come out in order with the process's
 * others.
 */
export function logDestination(target: Omit<LoggerTarget, 'level'> = {}): NodeJS.WritableStream {
  const stream = target.stream ?? process.stdout;
  const isTty = (stream as NodeJS.WriteStream).isTTY === true;
  if (!(target.pretty ?? isTty)) return stream;
  // One line per entry: a person follows jobs going by, not records.
  return pretty({ destination: stream, colorize: isTty, ignore: 'pid,hostname', singleLine: true, sync: true });
}

export function createLogger(service: string, target: LoggerTarget = {}): Logger {
  return pino(baseLoggerOptions(service, target.level ?? logLevelFromEnv()), logDestination(target));
}
