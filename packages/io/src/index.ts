export {
  NotFoundError,
  StoreError,
  isTransientStoreError,
  type ArtefactStore,
  type RangeReader,
  type S3Credentials,
} from './store/artefact-store.js';
export { LocalStore } from './store/local-store.js';
export { S3Store, MULTIPART_THRESHOLD, type S3StoreOptions } from './store/s3-store.js';
export { createStore, parseS3Url, type StoreRetryOptions } from './store/create-store.js';
export {
  DEFAULT_STORE_RETRY,
  RetryingStore,
  describeStoreRetry,
  retryDelayMs,
  type StoreRetryNotice,
  type StoreRetryPolicy,
} from './store/retrying-store.js';
export { assertValidKey, assertValidPrefix } from './store/store-key.js';
export { putFloat32Array, getFloat32Array } from './store/float32-array.js';
export { readSource, openSourceRange, type SourceBytes, type SourceRange } from './source/read-source.js';
export { InputRefusedError, allowedLocalPath, type SourceAccess } from './source/source-access.js';
export { detectFormat, type TableFormat } from './table/detect-format.js';
export { type RawColumn, type RawTable } from './table/raw-table.js';
export { readParquet, readArrowTable, writeParquet, type ParquetColumnData } from './table/parquet.js';
export { parseCsv, parseCsvBytes, parseCsvChunks, parseNumberCell } from './table/csv.js';
export { readTable } from './table/read-table.js';
export { SNIPPET_MAX, excerpt, quotedList, sanitiseMessage, snippet } from './table/snippet.js';
export { DatasetValidationError } from './dataset/dataset-validation-error.js';
export { validateRawTable, type ValidatedPart } from './dataset/validate-raw-table.js';
export { checkArmCoverage } from './dataset/arm-coverage.js';
export { encodeFeatureTable, decodeFeatureTable, FEATURE_TABLE_FORMAT } from './features/feature-table.js';
export { encodeStagedPart, decodeStagedPart } from './features/staged-part.js';
export { saveWeights, loadWeights, MODEL_JSON, WEIGHTS_BIN, type NamedWeight } from './model/weights.js';
export { loadManifest, loadFeatureSplit, concatFeatureTables } from './features/load-split.js';
export { encodeScoreMatrix, decodeScoreMatrix } from './features/score-matrix.js';
export type { ScoreLabels } from './features/score-matrix.js';
export { encodeCheckpoint, decodeCheckpoint, saveCheckpoint, loadCheckpoint } from './checkpoint/checkpoint.js';
export { readUsersTable, readUsersRows, usersTableIds, readShardUsers } from './population/users.js';
export { forEachUsersChunk } from './population/users-rows.js';
export { digestPart, mergedDecisionsSha256, DIGEST_GROUP_ROWS } from './population/decisions-digest.js';
export { openParquetRowGroups, rowGroupsOf, type ParquetRowGroups } from './table/parquet-row-groups.js';
export type { UsersTable, EncodedUsers } from './population/users.js';
export { planAllocation, splitRows, USERS_PER_SHARD, type AllocationPlan } from './population/plan.js';
export {
  decodeShardScores,
  encodeShardScores,
  encodeShardUserIds,
  readShardScores,
  readShardUserIds,
} from './population/shard-scores.js';
export {
  decisionsSha256,
  numericColumnOf,
  publishDecisions,
  readDecisionsPart,
  type DecisionsPart,
  type PublishedDecisions,
} from './population/decisions.js';
