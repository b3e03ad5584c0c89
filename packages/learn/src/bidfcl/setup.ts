import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '@bidfcl/core';
import { Adam } from '../adam.js';
import { DeviceTable } from '../device-table.js';
import { initMlp, paramNames } from '../mlp.js';
import { arraysToParams, ParamSet, paramsToArrays } from '../params.js';
import { trainModel } from '../train-model.js';
import { createBidfclContext, type BidfclContext, type BidfclData } from './context.js';
import { ParamAverage } from './ema.js';
import { hypergradStepFromSeeds } from './hypergrad-step.js';
import type { BidfclRun, RunProgress } from './run.js';
import { methodParts, selectionCriterion, type BidfclMethod, type BidfclSettings } from './settings.js';
import { emptyEpochAcc, emptyTotals, type BidfclState } from './state.js';
import type { BidfclHooks, RequestHypergradient } from './train-types.js';

/** The Teacher's parameters and the epoch its pretraining selected. */
type Teacher = { params: tf.Tensor[]; selectedEpoch: number };

/**
 * Alg. 1 line 1: pretrains the Teacher ψ with the factual MSE and early stopping on the validation MSE: on the RCT
 * split (bidfcl.teacherData 'rct', tsm-rct, the paper's) or on RCT and OBS rows pooled ('rct+obs', tsm-both, so
 * that the Teacher is at least as strong as a Target trained on those rows, at the price of the OBS rows' bias,
 * which the gates weigh). The run's training config is overridden by bidfcl.teacher; hidden sizes stay the Target's.
 */
async function trainTeacher(data: BidfclData, settings: BidfclSettings): Promise<Teacher> {
  // Only the overrides that are set: an absent key keeps the run's own value.
  const overrides = Object.fromEntries(Object.entries(settings.bidfcl.teacher).filter(([, v]) => v !== undefined));
  const training = { ...settings.training, ...overrides, hidden: settings.training.hidden };
  const method = settings.bidfcl.teacherData === 'rct+obs' ? 'tsm-both' : 'tsm-rct';
  const seed = deriveSeed(settings.seed, 'teacher');
  const res = await trainModel(method, data, { training, dfcl: settings.dfcl, seed });
  if (res.lastParams) tf.dispose(res.lastParams);
  return { params: res.params, selectedEpoch: res.selectedEpoch };
}

/** Refuses a checkpoint of another method, or one whose parameter average does not match bidfcl.averaging. */
function checkResume(method: BidfclMethod, settings: BidfclSettings, resume: BidfclState): void {
  if (resume.method !== method) throw new Error(`resume state is for '${resume.method}', not '${method}'`);
  const { averaging } = settings.bidfcl;
  if ((resume.ema !== undefined) !== (averaging === 'ema' && resume.biBatches > 0)) {
    const has = resume.ema ? 'has' : 'lacks';
    const after = `after ${resume.biBatches} bi-level batches`;
    throw new Error(`resume state ${has} a parameter average but bidfcl.averaging is '${averaging}' ${after}`);
  }
}

/** Position and bookkeeping of a run: a fresh start, or copies of a checkpoint's. */
function progress(resume: BidfclState | undefined): RunProgress {
  return {
    epoch: resume?.epoch ?? 0,
    batchInEpoch: resume?.batchInEpoch ?? 0,
    biBatches: resume?.biBatches ?? 0,
    best: resume?.best ?? null,
    badEpochs: resume?.badEpochs ?? 0,
    history: [...(resume?.history ?? [])],
    totals: { ...(resume?.totals ?? emptyTotals()) },
    epochAcc: { ...(resume?.epochAcc ?? emptyEpochAcc()) },
  };
}

/** The default source of hypergradients: `hypergradStepFromSeeds` on the run's own context. */
function inProcess(
  ctx: BidfclContext,
  settings: BidfclSettings,
  parts: ReturnType<typeof methodParts>,
): RequestHypergradient {
  return async (_step, theta, phi, seeds) => {
    if (!parts) throw new Error('a method without an upper level asked for a hypergradient');
    const answer = hypergradStepFromSeeds(ctx, { theta, phi }, seeds, settings, parts.kind, parts.variant);
    return async () => answer;
  };
}

/**
 * Sets a run up: the Teacher (Alg. 1 line 1, or the checkpoint's), the context with the Teacher's predictions,
 * θ and φ at their seeded initial values and fresh Adams, or everything as `hooks.resume` saved it.
 */
export async function startRun(
  method: BidfclMethod,
  data: BidfclData,
  settings: BidfclSettings,
  hooks: BidfclHooks,
): Promise<BidfclRun> {
  const { training, bidfcl, seed } = settings;
  const parts = methodParts(method);
  const resume = hooks.resume;
  if (resume) checkResume(method, settings, resume);
  const psi = resume
    ? { params: arraysToParams(resume.teacher), selectedEpoch: resume.teacherSelectedEpoch }
    : await trainTeacher(data, settings);
  const ctx = createBidfclContext(data, psi.params, settings);
  const names = paramNames(ctx.spec);
  const bridgeNames = paramNames(ctx.bridgeSpec);
  const valTable = new DeviceTable(data.val, data.scale);
  const thetaInit = resume ? arraysToParams(resume.theta, names) : initMlp(ctx.spec, deriveSeed(seed, 'init'));
  const phiInit = resume
    ? arraysToParams(resume.phi, bridgeNames)
    : initMlp(ctx.bridgeSpec, deriveSeed(seed, 'bridge-init'));
  const theta = new ParamSet(thetaInit);
  const phi = new ParamSet(phiInit);
  tf.dispose([...thetaInit, ...phiInit]);
  // Before the first bi-level step the average's value is never read: the first update overwrites it.
  const averaged = bidfcl.averaging === 'ema';
  const averageInit = averaged ? (resume?.ema ? arraysToParams(resume.ema, names) : theta.snapshot()) : null;
  const average = averageInit ? new ParamAverage(averageInit) : null;
  if (averageInit) tf.dispose(averageInit);
  const thetaAdam = new Adam(theta.vars, { learningRate: training.learningRate });
  const phiAdam = new Adam(phi.vars, { learningRate: bidfcl.phiLearningRate });
  if (resume) {
    thetaAdam.setState(resume.thetaAdam);
    phiAdam.setState(resume.phiAdam);
  }
  const request = hooks.requestHypergradient ?? inProcess(ctx, settings, parts);
  const batchSize = Math.min(training.batchSize, ctx.lower.n);
  const teacher = { ...psi, arrays: resume?.teacher ?? paramsToArrays(psi.params, names) };
  return {
    method,
    settings,
    hooks,
    parts,
    data,
    ctx,
    valTable,
    names,
    bridgeNames,
    teacher,
    theta,
    phi,
    thetaAdam,
    phiAdam,
    average,
    request,
    inFlight: [],
    selectBy: selectionCriterion(bidfcl),
    warmEpochs: Math.min(training.epochs, Math.round(bidfcl.warmStartFraction * training.epochs)),
    batchSize,
    batchesPerEpoch: Math.floor(ctx.lower.n / batchSize),
    ...progress(resume),
  };
}
