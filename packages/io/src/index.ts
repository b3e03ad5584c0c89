export { NotFoundError, StoreError, isTransientStoreError, type ArtefactStore, type S3Credentials } from './store/artefact-store.js';
export { LocalStore } from './store/local-store.js';
export { S3Store, MULTIPART_THRESHOLD, type S3StoreOptions } from './store/s3-store.js';
export { createStore, parseS3Url } from './store/create-store.js';
export { assertValidKey, assertValidPrefix } from './store/store-key.js';
export { readSource, type SourceBytes } from './source/read-source.js';
export { detectFormat, type TableFormat } from './table/detect-format.js';
