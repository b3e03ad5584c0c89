import type { ArtefactStore } from '../store/artefact-store.js';

/** One named weight tensor, float32, row-major. */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

// The TensorFlow.js format stores float32 little-endian; typed arrays use the platform's order.
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function checkWeights(weights: NamedWeight[], where: string): void {
  const seen = new Set<string>();
  for (const w of weights) {
    if (!w.name) throw new Error(`${where}: a weight has an empty name`);
    if (seen.has(w.name)) throw new Error(`${where}: duplicate weight name '${w.name}'`);
    seen.add(w.name);
    if (!w.shape.every((s) => Number.isInteger(s) && s >= 0))
      throw new Error(`${where}: weight '${w.name}' has an invalid shape [${w.shape}]`);
    if (!(w.values instanceof Float32Array))
      throw new Error(`${where}: weight '${w.name}' values must be a Float32Array`);
    if (size(w.shape) !== w.values.length)
      throw new Error(
        `${where}: weight '${w.name}' has ${w.values.length} values but shape [${w.shape}] needs ${size(w.shape)}`,
      );
  }
}

/**
 * Saves weights in the TensorFlow.js model format: `<prefix>weights.bin` (float32 little-endian values,
 * concatenated in order) and `<prefix>model.json` (format, generatedBy, weightsManifest,
 * userDefinedMetadata = `metadata`). model.json is written last, so a reader that finds it finds its weights.
 */
export async function saveWeights(
  store: ArtefactStore,
  prefix: string,
  weights: NamedWeight[],
  metadata: Record<string, unknown>,
): Promise<void> {
  if (!LITTLE_ENDIAN) throw new Error('saveWeights: big-endian platforms are not supported');
  checkWeights(weights, store.describe(prefix + MODEL_JSON));
  const total = weights.reduce((s, w) => s + w.values.length, 0);
  const bin = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    bin.set(w.values, offset);
    offset += w.values.length;
  }
  const modelJson = {
    format: 'bidfcl-weights',
    generatedBy: '@bidfcl/io',
    convertedBy: null,
    weightsManifest: [
      {
        paths: [WEIGHTS_BIN],
        weights: weights.map((w): ManifestEntry => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })),
      },
    ],
    userDefinedMetadata: metadata,
  };
  await store.put(prefix + WEIGHTS_BIN, new Uint8Array(bin.buffer));
  await store.putJson(prefix + MODEL_JSON, modelJson);
}

function parseManifest(json: unknown, where: string): { paths: string[]; weights: ManifestEntry[] }[] {
  const groups = (json as { weightsManifest?: unknown })?.weightsManifest;
  if (!Array.isArray(groups)) throw new Error(`${where}: no weightsManifest array; not a TensorFlow.js model.json`);
  return groups.map((g: { paths?: unknown; weights?: unknown }, i) => {
    if (!Array.isArray(g?.paths) || !g.paths.every((p) => typeof p === 'string') || !Array.isArray(g.weights))
      throw new Error(`${where}: weightsManifest[${i}] needs 'paths' (strings) and 'weights'`);
    for (const w of g.weights as ManifestEntry[]) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape))
        throw new Error(`${where}: weightsManifest[${i}] has an entry without name/shape`);
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization !== undefined)
        throw new Error(
          `${where}: weight '${w.name}' has dtype ${w.dtype}${w.quantization ? ' (quantized)' : ''}; ` +
            'only unquantized float32 is supported',
        );
    }
    return { paths: g.paths as string[], weights: g.weights as ManifestEntry[] };
  });
}

/** Loads weights saved by {@link saveWeights} (or any unquantized float32 TensorFlow.js weights manifest). */
export async function loadWeights(
  store: ArtefactStore,
  prefix: string,
): Promise<{ weights: NamedWeight[]; metadata: Record<string, unknown> }> {
  const where = store.describe(prefix + MODEL_JSON);
  const json = await store.getJson<{ userDefinedMetadata?: Record<string, unknown> }>(prefix + MODEL_JSON);
  const weights: NamedWeight[] = [];
  for (const group of parseManifest(json, where)) {
    // A group's shards are one byte stream split across files; weights may straddle shard boundaries.
    const shards = await Promise.all(group.paths.map((p) => store.get(prefix + p)));
    const bytes = new Uint8Array(shards.reduce((s, b) => s + b.byteLength, 0));
    let at = 0;
    for (const s of shards) {
      bytes.set(s, at);
      at += s.byteLength;
    }
    const need = group.weights.reduce((s, w) => s + size(w.shape) * 4, 0);
    if (need !== bytes.byteLength)
      throw new Error(
        `${where}: the manifest describes ${need} bytes of weights ` +
          `but the weight files (${group.paths.join(', ')}) hold ${bytes.byteLength}`,
      );
    let offset = 0;
    for (const w of group.weights) {
      const count = size(w.shape);
      // Copy into a fresh, aligned buffer: `bytes` views may not be 4-byte aligned and must not alias.
      weights.push({
        name: w.name,
        shape: [...w.shape],
        values: new Float32Array(bytes.slice(offset, offset + count * 4).buffer),
      });
      offset += count * 4;
    }
  }
  checkWeights(weights, where);
  return { weights, metadata: json.userDefinedMetadata ?? {} };
}
