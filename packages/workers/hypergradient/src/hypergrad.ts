import { keys } from '@bidfcl/contracts';
import { getFloat32Array, putFloat32Array } from '@bidfcl/io';
import { hypergradStepFromSeeds, initBackend, methodParts, type BidfclMethod } from '@bidfcl/learn';
import { PermanentJobError, readRunConfig, type JobHandler } from '@bidfcl/runtime';
import { ContextCache } from './context-cache.js';

const cache = new ContextCache();

/**
 * hypergrad.step.v1 — the Bi-DFCL upper level (docs/method.md §3.5): k look-ahead steps to θ*, λ* on the RCT batch,
 * ∇θ L_up at θ*, conjugate gradient on (H + δI) v = ∇θ L_up, ∇φ = −∇²φθ L_low · v (or the explicit one-step
 * variant). The batches are a pure function of the seeds in the payload, so the result does not depend on which
 * worker computes it.
 */
export const hypergradStep: JobHandler<'hypergrad.step.v1'> = async (payload, ctx) => {
  const { store, env } = ctx.runtime;
  const parts = methodParts(payload.method as BidfclMethod);
  if (!parts)
    throw new PermanentJobError(
      `hypergrad.step.v1: ${payload.method} has no upper level ` +
        '(only bidfcl-ppl, bidfcl-pifd and their -explicit variants do)',
    );
  await initBackend(env.tfBackend);
  const config = await readRunConfig(ctx.runtime, payload.runId);
  const entry = await cache.get(store, config, payload.method);
  const [theta, phi] = await Promise.all([
    getFloat32Array(store, payload.thetaKey),
    getFloat32Array(store, payload.phiKey),
  ]);
  const out = hypergradStepFromSeeds(
    entry.ctx,
    { theta, phi },
    { obsBatchSeed: payload.obsBatchSeed, rctBatchSeed: payload.rctBatchSeed },
    entry.settings,
    parts.kind,
    parts.variant,
  );
  const gradKey = keys.hypergrad(payload.runId, payload.method, payload.step, 'grad');
  await putFloat32Array(store, gradKey, out.gradPhi);
  return {
    gradKey,
    cgIterations: out.cgIterations,
    negativeCurvatureStops: out.negativeCurvatureStops,
    upperLoss: out.upperLoss,
  };
};
