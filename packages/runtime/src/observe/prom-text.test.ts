import { describe, expect, test } from 'vitest';
import { promSample } from './prom-text.js';

const text = `# HELP bidfcl_jobs_completed_total Jobs
# TYPE bidfcl_jobs_completed_total counter
bidfcl_jobs_completed_total{job_name="a.v1",role="r"} 2
bidfcl_jobs_completed_total{job_name="b.v1",role="r"} 3
bidfcl_up 1
`;

describe('promSample', () => {
  test('the value of the series whose labels include those asked for; several are summed', () => {
    expect(promSample(text, 'bidfcl_jobs_completed_total', { job_name: 'b.v1' })).toBe(3);
    expect(promSample(text, 'bidfcl_jobs_completed_total')).toBe(5);
    expect(promSample(text, 'bidfcl_up')).toBe(1);
  });

  test('no such series: undefined, not 0 (a counter never created differs from one at 0)', () => {
    expect(promSample(text, 'bidfcl_jobs_completed_total', { job_name: 'c.v1' })).toBeUndefined();
    expect(promSample(text, 'bidfcl_jobs_completed')).toBeUndefined();
  });
});
