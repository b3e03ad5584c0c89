import type { RunEvent } from '@bidfcl/runtime';
import { describe, expect, it } from 'vitest';
import { etaSeconds, formatDuration, runEventPrinter } from './run-event-printer.js';

const progress = (stage: string, epoch: number, epochs = 10): RunEvent => ({
  type: 'progress',
  stage,
  progress: { epoch, epochs, valLoss: 0.5 },
});

/** A printer on a fake clock: `at(ms)` sets the time of the next events. */
function printer(quiet = false) {
  const lines: string[] = [];
  let t = 0;
  const onEvent = runEventPrinter((l) => lines.push(l), { quiet, now: () => t });
  return { lines, onEvent, at: (ms: number) => (t = ms) };
}

describe('runEventPrinter', () => {
  it("drops a stage's progress that arrives after its ✓, and prints it again once the stage is retried", () => {
    const p = printer();
    p.onEvent({ type: 'stage', stage: 'train.tsm-rct', status: 'running' });
    p.onEvent(progress('train.tsm-rct', 1));
    p.onEvent({ type: 'stage', stage: 'train.tsm-rct', status: 'succeeded', seconds: 2 });
    p.onEvent(progress('train.tsm-rct', 2)); // late: published on another connection
    p.onEvent(progress('train.dfcl-ppl', 1)); // another stage is unaffected
    expect(p.lines).toEqual([
      '  ▸ train.tsm-rct',
      '    train.tsm-rct: epoch 1/10, valLoss 0.5000',
      '  ✓ train.tsm-rct (2.0 s)',
      '    train.dfcl-ppl: epoch 1/10, valLoss 0.5000',
    ]);
    p.onEvent({ type: 'stage', stage: 'train.tsm-rct', status: 'retrying', error: 'x' });
    p.onEvent(progress('train.tsm-rct', 1));
    expect(p.lines[p.lines.length - 1]).toBe('    train.tsm-rct: epoch 1/10, valLoss 0.5000');
  });

  it('adds an ETA from the epochs seen, from the second epoch on', () => {
    const p = printer();
    p.at(0);
    p.onEvent(progress('train.a', 1));
    p.at(30_000);
    p.onEvent(progress('train.a', 2));
    p.at(90_000);
    p.onEvent(progress('train.a', 4));
    expect(p.lines).toEqual([
      '    train.a: epoch 1/10, valLoss 0.5000',
      '    train.a: epoch 2/10, valLoss 0.5000, ETA 4 min 00 s',
      '    train.a: epoch 4/10, valLoss 0.5000, ETA 3 min 00 s',
    ]);
  });

  it('prints stage lines only when quiet', () => {
    const p = printer(true);
    p.onEvent(progress('train.a', 1));
    p.onEvent({ type: 'stage', stage: 'train.a', status: 'succeeded' });
    expect(p.lines).toEqual(['  ✓ train.a']);
  });
});

describe('etaSeconds and formatDuration', () => {
  it('follow the recent epochs (a phase change) and stop at zero', () => {
    const times = [0, 10, 20, 30, 130, 230, 330].map((s, k) => ({ epoch: k + 1, at: s * 1000 }));
    expect(etaSeconds(times, 10)).toBe(300); // the last three epochs took 100 s each
    expect(etaSeconds(times.slice(0, 1), 10)).toBeUndefined();
    expect(etaSeconds(times, 5)).toBe(0);
    expect([45, 185, 3720].map(formatDuration)).toEqual(['45 s', '3 min 05 s', '1 h 02 min']);
  });
});
