import { logLevelFromEnv } from '@bidfcl/runtime';
import { usageError } from './cli-error.js';

/** BIDFCL_LOG_LEVEL, shared by workers and the decisions service; a bad value is a configuration error (exit 2). */
export function logLevelOrUsage(): string {
  try {
    return logLevelFromEnv();
  } catch (err) {
    throw usageError((err as Error).message);
  }
}
