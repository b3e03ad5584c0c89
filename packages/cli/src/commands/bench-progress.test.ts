import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressPrinter } from './bench.js';

describe("bench's progress printer", () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints no epoch line for a stage after its ✓ (progress arrives on another connection than the ✓)', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    // As in a log file: one line per epoch (on a terminal the epoch line overwrites itself instead).
    const tty = process.stdout.isTTY;
    process.stdout.isTTY = false;
    const { onEvent } = progressPrinter(() => '[seed 1/1]');
    process.stdout.isTTY = tty;
    onEvent({ type: 'progress', stage: 'train.a', progress: { epoch: 1, epochs: 2 } });
    onEvent({ type: 'stage', stage: 'train.a', status: 'succeeded', seconds: 1 });
    onEvent({ type: 'progress', stage: 'train.a', progress: { epoch: 2, epochs: 2 } });
    expect(lines).toEqual(['[seed 1/1] train.a: epoch 1/2', '[seed 1/1] ✓ train.a (1.0 s)']);
  });
});
