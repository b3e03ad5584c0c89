import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from './data-dir.js';

/**
 * For tests that read the real data files: the data directory and whether `relative` exists there. When it
 * does not, says so on stderr (naming the path) so a skipped test is visible, never a silent pass.
 */
export function sharedData(relative: string): { dataDir: string; present: boolean } {
  const dataDir = defaultDataDir();
  const file = path.join(dataDir, relative);
  const present = existsSync(file);
  if (!present)
    console.warn(
      `SKIPPING tests that need ${file}: it does not exist (set BIDFCL_DATA_DIR to the folder holding the shared data)`,
    );
  return { dataDir, present };
}
