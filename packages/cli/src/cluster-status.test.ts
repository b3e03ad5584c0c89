import { describe, expect, test } from 'vitest';
import { ROLE_NAMES, type Role } from '@bidfcl/contracts';
import { missingWorkerLines, workerLines } from './cluster-status.js';

describe('cluster status lines', () => {
  test('a Redis that refuses CLIENT LIST: workers are unknown, said so, never shown as zero', () => {
    const text = workerLines({ known: false, reason: 'GCP does not support client list' });
    expect(text).toMatch(/^live workers: unknown \(this Redis does not list its clients: GCP does not support/);
    expect(missingWorkerLines(['features'], { known: false, reason: 'x' })).toEqual([]);
  });

  test('known workers: a row per role with its count and process names', () => {
    const byRole = Object.fromEntries(ROLE_NAMES.map((r) => [r, [] as string[]])) as Record<Role, string[]>;
    byRole.allocator = ['allocator@a/1', 'allocator@b/2'];
    const text = workerLines({ known: true, byRole });
    expect(text).toMatch(/^allocator\s+2\s+allocator@a\/1 allocator@b\/2$/m);
    expect(text).toMatch(/^evaluator\s+0\s*$/m);
    expect(missingWorkerLines(['allocation', 'evaluation'], { known: true, byRole })).toEqual([
      'waiting: no evaluator worker is running (start one: bidfcl worker evaluator)',
    ]);
  });
});
