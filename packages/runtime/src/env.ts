import { z } from 'zod';
import { formatZodError } from '@bidfcl/contracts';
import type { SourceAccess, StoreRetryPolicy } from '@bidfcl/io';

/**
 * Largest input file a worker reads (it holds a file whole while validating it): 2 GiB, below Node's largest
 * buffer. Larger tables come as a folder of parts, which are read one job each.
 */
export const DEFAULT_MAX_INPUT_BYTES = 2 * 1024 ** 3;
/** Largest job payload: payloads carry ids and keys (a few hundred bytes); anything big belongs in the store. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

/** Everything the runtime takes from the environment, parsed once. Only runtime and cli read process.env. */
export const runtimeEnvSchema = z.object({
  REDIS_URL: z.string().url().optional(),
  /** PEM file of the CA that signed a rediss:// server's certificate (a private CA). */
  BIDFCL_REDIS_CA_FILE: z.string().min(1).optional(),
  BIDFCL_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
    .default('bidfcl'),
  BIDFCL_STORE: z.string().min(1).default('.bidfcl/store'),
  BIDFCL_S3_ENDPOINT: z.string().url().optional(),
  BIDFCL_S3_REGION: z.string().default('us-east-1'),
  BIDFCL_S3_ACCESS_KEY_ID: z.string().optional(),
  BIDFCL_S3_SECRET_ACCESS_KEY: z.string().optional(),
  BIDFCL_S3_TIMEOUT_SECONDS: z.coerce.number().positive().optional(),
  BIDFCL_TF_BACKEND: z.enum(['wasm', 'cpu']).default('wasm'),
  /** Directories (separated by ':') under which a worker reads local input files; unset: anywhere. */
  BIDFCL_LOCAL_ROOTS: z.string().optional(),
  BIDFCL_MAX_INPUT_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_INPUT_BYTES),
  BIDFCL_MAX_PAYLOAD_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_PAYLOAD_BYTES),
  // How long an S3 store operation rides out an outage before its job fails, and the longest pause between
  // two attempts (issue 13, item 2).
  BIDFCL_STORE_RETRY_SECONDS: z.coerce.number().positive().default(600),
  BIDFCL_STORE_RETRY_MAX_DELAY_SECONDS: z.coerce.number().positive().default(30),
});

export interface RuntimeEnv {
  /** Redis to use; undefined means "the default, 127.0.0.1:6379". */
  redisUrl: string | undefined;
  /** CA for a rediss:// server with a private certificate (BIDFCL_REDIS_CA_FILE). */
  redisCaFile?: string;
  prefix: string;
  storeUrl: string;
  s3: { endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; timeoutSeconds?: number };
  /** Where user-named local inputs may be read and how large an input may be ({@link sourceAccess}). */
  inputs: Omit<SourceAccess, 's3'>;
  maxPayloadBytes: number;
  tfBackend: 'wasm' | 'cpu';
  /** S3 outages: give up after `maxSeconds`, pause at most `maxDelaySeconds` (default 600 / 30). */
  storeRetry?: { maxSeconds: number; maxDelaySeconds: number };
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Parses the environment; throws an Error listing every bad variable. */
export function loadRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = runtimeEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`bad environment:\n${formatZodError(parsed.error)}`);
  const e = parsed.data;
  const s3: RuntimeEnv['s3'] = { region: e.BIDFCL_S3_REGION };
  if (e.BIDFCL_S3_ENDPOINT) s3.endpoint = e.BIDFCL_S3_ENDPOINT;
  if (e.BIDFCL_S3_ACCESS_KEY_ID) s3.accessKeyId = e.BIDFCL_S3_ACCESS_KEY_ID;
  if (e.BIDFCL_S3_SECRET_ACCESS_KEY) s3.secretAccessKey = e.BIDFCL_S3_SECRET_ACCESS_KEY;
  if (e.BIDFCL_S3_TIMEOUT_SECONDS) s3.timeoutSeconds = e.BIDFCL_S3_TIMEOUT_SECONDS;
  const roots = e.BIDFCL_LOCAL_ROOTS?.split(':').filter((r) => r !== '');
  if (roots?.some((r) => !r.startsWith('/')))
    throw new Error(
      `bad environment:\n- BIDFCL_LOCAL_ROOTS: every root must be an absolute path (got ${roots.join(':')})`,
    );
  const inputs: RuntimeEnv['inputs'] = { maxBytes: e.BIDFCL_MAX_INPUT_BYTES };
  if (roots && roots.length > 0) inputs.localRoots = roots;
  return {
    redisUrl: e.REDIS_URL,
    ...(e.BIDFCL_REDIS_CA_FILE ? { redisCaFile: e.BIDFCL_REDIS_CA_FILE } : {}),
    prefix: e.BIDFCL_QUEUE_PREFIX,
    storeUrl: e.BIDFCL_STORE,
    s3,
    inputs,
    maxPayloadBytes: e.BIDFCL_MAX_PAYLOAD_BYTES,
    tfBackend: e.BIDFCL_TF_BACKEND,
    storeRetry: { maxSeconds: e.BIDFCL_STORE_RETRY_SECONDS, maxDelaySeconds: e.BIDFCL_STORE_RETRY_MAX_DELAY_SECONDS },
  };
}

/** The inverse of loadRuntimeEnv: variables that reproduce `env` in a child process (sandboxed processors). */
export function runtimeEnvToVars(env: RuntimeEnv): Record<string, string> {
  const vars: Record<string, string> = {
    BIDFCL_QUEUE_PREFIX: env.prefix,
    BIDFCL_STORE: env.storeUrl,
    BIDFCL_S3_REGION: env.s3.region,
    BIDFCL_TF_BACKEND: env.tfBackend,
    BIDFCL_MAX_INPUT_BYTES: String(env.inputs.maxBytes ?? DEFAULT_MAX_INPUT_BYTES),
    BIDFCL_MAX_PAYLOAD_BYTES: String(env.maxPayloadBytes),
  };
  if (env.inputs.localRoots) vars.BIDFCL_LOCAL_ROOTS = env.inputs.localRoots.join(':');
  if (env.redisUrl) vars.REDIS_URL = env.redisUrl;
  if (env.redisCaFile) vars.BIDFCL_REDIS_CA_FILE = env.redisCaFile;
  if (env.storeRetry) {
    vars.BIDFCL_STORE_RETRY_SECONDS = String(env.storeRetry.maxSeconds);
    vars.BIDFCL_STORE_RETRY_MAX_DELAY_SECONDS = String(env.storeRetry.maxDelaySeconds);
  }
  if (env.s3.endpoint) vars.BIDFCL_S3_ENDPOINT = env.s3.endpoint;
  if (env.s3.accessKeyId) vars.BIDFCL_S3_ACCESS_KEY_ID = env.s3.accessKeyId;
  if (env.s3.secretAccessKey) vars.BIDFCL_S3_SECRET_ACCESS_KEY = env.s3.secretAccessKey;
  if (env.s3.timeoutSeconds) vars.BIDFCL_S3_TIMEOUT_SECONDS = String(env.s3.timeoutSeconds);
  return vars;
}

/** How io reads the inputs users name (dataset files, users tables) under this environment. */
export function sourceAccess(env: RuntimeEnv): SourceAccess {
  return { s3: env.s3, ...env.inputs };
}

/** The store retry policy an environment asks for (the initial pause stays 1 s). */
export function storeRetryPolicy(env: RuntimeEnv): Partial<StoreRetryPolicy> {
  if (!env.storeRetry) return {};
  return { maxElapsedMs: env.storeRetry.maxSeconds * 1000, maxDelayMs: env.storeRetry.maxDelaySeconds * 1000 };
}
