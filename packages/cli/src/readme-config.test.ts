import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runConfigSchema } from '@bidfcl/contracts';

/** The README's run-config example is what users copy: it must stay a valid config with the real defaults. */
describe('README run config example', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const section = readme.slice(readme.indexOf('### A run config'));
  const start = section.indexOf('```yaml') + '```yaml'.length;
  const example = parse(section.slice(start, section.indexOf('```', start))) as Record<string, unknown>;
  // The example names a dataset file, which `bidfcl run` reads before validating; stand in an inline one.
  const dataset = {
    name: 'toy',
    splits: { rct: ['./rct.csv'] },
    columns: { arm: 'arm', revenue: 'revenue', cost: 'cost', features: ['x1'] },
    arms: [{ name: 'control', zeroCost: true }, { name: 'coupon' }],
  };

  test('parses as a run config', () => {
    expect(typeof example.dataset).toBe('string');
    const r = runConfigSchema.safeParse({ ...example, dataset });
    expect(r.success ? [] : r.error.issues).toEqual([]);
  });

  test("the Model registry section's deploy block is a valid run config's deploy", () => {
    const registry = readme.slice(readme.indexOf('### Model registry'));
    const at = registry.indexOf('```yaml') + '```yaml'.length;
    const block = parse(registry.slice(at, registry.indexOf('```', at))) as Record<string, unknown>;
    expect(Object.keys(block)).toEqual(['deploy']);
    const r = runConfigSchema.safeParse({ runId: 'x', dataset, ...block });
    expect(r.success ? [] : r.error.issues).toEqual([]);
    expect(r.success && r.data.deploy).toEqual({
      model: 'coupons',
      promote: 'if-better',
      guardrail: { metric: 'eom', margin: 0.01 },
    });
  });

  test('every value it shows is the default', () => {
    const defaults = runConfigSchema.parse({ runId: 'x', dataset }) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    for (const block of ['training', 'dfcl', 'bidfcl', 'evaluation', 'features'] as const) {
      const shown = example[block] as Record<string, unknown>;
      expect(Object.keys(shown).length, block).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(shown)) expect(value, `${block}.${key}`).toEqual(defaults[block]![key]);
    }
  });
});
