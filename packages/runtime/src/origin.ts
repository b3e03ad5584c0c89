import { userInfo } from 'node:os';
import type { Origin } from '@bidfcl/contracts';

/** The OS user running this process ('unknown' where the system has no entry for it, as in some containers). */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A person at the CLI: what runs started and models promoted by hand record. */
export const cliOrigin = (): Origin => ({ via: 'cli', user: osUser() });
