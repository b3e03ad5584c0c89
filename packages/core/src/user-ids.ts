import type { FeatureTable, Split } from '@bidfcl/contracts';

/**
 * Each row's user id, for the artefacts that name users (scores, allocation parts): the dataset's
 * `columns.userId` values when it names that column, else `<split>-<row>`, the row's 0-based position in the
 * run's feature split (its parts in order). A carved split's positions are those after carving, not the input
 * file's rows, so such ids join only to the run's own artefacts.
 */
export function userIdsOf(table: Pick<FeatureTable, 'n' | 'userId'>, split: Split): string[] {
  if (table.userId) {
    if (table.userId.length !== table.n)
      throw new Error(`${split} split has ${table.n} rows but ${table.userId.length} user ids`);
    return table.userId;
  }
  return Array.from({ length: table.n }, (_, i) => `${split}-${i}`);
}
