import { z } from 'zod';
import { formatZodError } from '@bidfcl/contracts';
import type { SourceAccess } from '@bidfcl/io';

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
  BIDFCL_TF_BACKEND: z.enum(['wasm', 'cpu']).default('wasm'),
  /** Directories (separated by ':') under which a worker reads local input files; unset: anywhere. */
  BIDFCL_LOCAL_ROOTS: z.string().optional(),
  BIDFCL_MAX_INPUT_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_INPUT_BYTES),
  BIDFCL_MAX_PAYLOAD_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_PAYLOAD_BYTES),
});

export interface RuntimeEnv {
  /** Redis to use; undefined means "the default, 127.0.0.1:6379". */
  redisUrl: string | undefined;
  /** CA for a rediss:// server with a private certificate (BIDFCL_REDIS_CA_FILE). */
  redisCaFile?: string;
  prefix: string;
  storeUrl: string;
  s3: { endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string };
  /** Where user-named local inputs may be read and how large an input may be ({@link sourceAccess}). */
  inputs: Omit<SourceAccess, 's3'>;
  maxPayloadBytes: number;
  tfBackend: 'wasm' | 'cpu';
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
  if (env.s3.endpoint) vars.BIDFCL_S3_ENDPOINT = env.s3.endpoint;
  if (env.s3.accessKeyId) vars.BIDFCL_S3_ACCESS_KEY_ID = env.s3.accessKeyId;
  if (env.s3.secretAccessKey) vars.BIDFCL_S3_SECRET_ACCESS_KEY = env.s3.secretAccessKey;
  return vars;
}

/** How io reads the inputs users name (dataset files, users tables) under this environment. */
export function sourceAccess(env: RuntimeEnv): SourceAccess {
  return { s3: env.s3, ...env.inputs };
}
