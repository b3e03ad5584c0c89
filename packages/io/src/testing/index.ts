/** Test support: real s3rver child processes and temporary directories (no mocks). */
export { startS3rver, type S3rverHandle } from './s3rver.js';
export { tempDir } from './temp-dir.js';
