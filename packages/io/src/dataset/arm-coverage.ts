import type { ArmSpec } from '@bidfcl/contracts';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * Throws when an arm has no rows in the RCT data (`counts[j]` rows for arm j): propensities, IPW
 * evaluation and the upper-level loss all need every arm represented. `what` names the data (files or split).
 */
export function checkArmCoverage(counts: number[], arms: ArmSpec[], what: string): void {
  if (counts.length !== arms.length)
    throw new DatasetValidationError(
      `${what}: got row counts for ${counts.length} arm(s), but the dataset configures ${arms.length}`,
      { file: what },
    );
  const empty = arms.map((a, j) => ({ a, j })).filter(({ j }) => !(counts[j]! > 0));
  if (empty.length > 0) {
    const list = empty.map(({ a, j }) => `'${a.name}' (index ${j})`).join(', ');
    const all = arms.map((a, j) => `${a.name}=${counts[j]}`).join(', ');
    throw new DatasetValidationError(
      `${what}: RCT data has no rows for arm ${list}; every configured arm needs randomised rows (arm counts: ${all})`,
      { file: what },
    );
  }
}
