import { datasetSpecSchema, type DatasetSpecInput } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../table/csv.js';
import { readParquet, writeParquet } from '../table/parquet.js';
import { checkArmCoverage } from './arm-coverage.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { validateRawTable } from './validate-raw-table.js';

const base: DatasetSpecInput = {
  name: 'shop',
  splits: { rct: ['rct.csv'] },
  columns: {
    arm: 'arm',
    revenue: 'rev',
    cost: 'cost',
    userId: 'uid',
    features: ['x1', 'x2'],
    categorical: ['channel'],
    trueRevenue: ['tr0', 'tr1', 'tr2'],
    trueCost: ['tc0', 'tc1', 'tc2'],
  },
  arms: [{ name: 'control', zeroCost: true }, { name: 'five' }, { name: 'ten' }],
};
const spec = datasetSpecSchema.parse(base);

const header = 'uid,arm,rev,cost,x1,x2,channel';
const good = `${header}\nu1,control,0,0,1.5,-2,web\nu2,ten,30.5,10,0,3,phone\nu3,five,0,0,2,1,\n`;

/** Runs validation and returns the DatasetValidationError it throws. */
async function errorOf(csv: string, split: 'rct' | 'test' = 'rct', s = spec): Promise<DatasetValidationError> {
  const raw = await parseCsv(csv, 'data/rct.csv');
  try {
    validateRawTable(raw, s, { file: 'data/rct.csv', split });
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetValidationError);
    return err as DatasetValidationError;
  }
  throw new Error('validation passed but should have failed');
}

/** Replaces one cell (1-based data row, column name) of the good CSV. */
function withCell(row: number, column: string, value: string): string {
  const lines = good.trimEnd().split('\n');
  const idx = header.split(',').indexOf(column);
  const cells = lines[row]!.split(',');
  cells[idx] = value;
  lines[row] = cells.join(',');
  return lines.join('\n') + '\n';
}

describe('validateRawTable', () => {
  it('returns columns by role with arm names mapped to indices', async () => {
    const p = validateRawTable(await parseCsv(good, 'f.csv'), spec, { file: 'f.csv', split: 'rct' });
    expect(p.n).toBe(3);
    expect(Array.from(p.arm)).toEqual([0, 2, 1]);
    expect(Array.from(p.revenue)).toEqual([0, 30.5, 0]);
    expect(Array.from(p.cost)).toEqual([0, 10, 0]);
    expect(Array.from(p.numeric.x2!)).toEqual([-2, 3, 1]);
    expect(p.categorical.channel).toEqual(['web', 'phone', '']);
    expect(p.userId).toEqual(['u1', 'u2', 'u3']);
    // Truth columns are optional outside the test split.
    expect(p.trueRevenue).toBeUndefined();
  });

  it('accepts arm indices 0..M-1 from Parquet integers and numeric categorical values', async () => {
    const bytes = writeParquet({
      uid: ['a', 'b'],
      arm: new Int32Array([2, 0]),
      rev: new Float64Array([1, 2]),
      cost: new Float32Array([0.5, 0]),
      x1: new Float64Array([1, 2]),
      x2: new Float32Array([3, 4]),
      channel: new Int32Array([7, 8]),
    });
    const p = validateRawTable(readParquet(bytes, 'p.parquet'), spec, { file: 'p.parquet', split: 'obs' });
    expect(Array.from(p.arm)).toEqual([2, 0]);
    expect(p.categorical.channel).toEqual(['7', '8']);
  });

  it('reads true outcomes as n × M row-major and requires them on the test split', async () => {
    const csv = `${header},tr0,tr1,tr2,tc0,tc1,tc2\nu1,0,1,0,0,0,w,10,11,12,0,1,2\nu2,1,2,1,0,0,w,20,21,22,0,3,4\n`;
    const p = validateRawTable(await parseCsv(csv, 't.csv'), spec, { file: 't.csv', split: 'test' });
    expect(Array.from(p.trueRevenue!)).toEqual([10, 11, 12, 20, 21, 22]);
    expect(Array.from(p.trueCost!)).toEqual([0, 1, 2, 0, 3, 4]);
    const e = await errorOf(good, 'test');
    expect(e.message).toMatch(/data\/rct\.csv: missing required columns 'tr0' \(true-outcome column\)/);
    expect(e.column).toBe('tr0');
  });

  it('missing column: names the file, the column and the available columns', async () => {
    const e = await errorOf(good.replace(header, 'uid,arm,revenue,cost,x1,x2,channel'));
    expect(e.message).toBe(
      "data/rct.csv: missing required column 'rev' (revenue column) for the rct split; " +
        "available columns: 'uid', 'arm', 'revenue', 'cost', 'x1', 'x2', 'channel'",
    );
    expect(e.file).toBe('data/rct.csv');
    expect(e.column).toBe('rev');
    expect(e.row).toBeUndefined();
  });

  it('non-numeric value in a numeric feature column', async () => {
    const e = await errorOf(withCell(2, 'x1', 'abc'));
    expect(e.message).toBe(
      "data/rct.csv: non-numeric value 'abc' in numeric feature column 'x1' at row 2; it must hold numbers",
    );
    expect([e.column, e.row]).toEqual(['x1', 2]);
  });

  it('NaN, empty and Infinity in revenue, cost and features', async () => {
    let e = await errorOf(withCell(3, 'x2', ''));
    expect(e.message).toBe(
      "data/rct.csv: missing value (empty, null or NaN) in numeric feature column 'x2' at row 3; " +
        'it must hold finite numbers',
    );
    expect([e.column, e.row]).toEqual(['x2', 3]);
    e = await errorOf(withCell(1, 'rev', 'NaN'));
    expect(e.message).toMatch(/^data\/rct\.csv: missing value .* in revenue column 'rev' at row 1;/);
    e = await errorOf(withCell(2, 'cost', 'inf'));
    expect(e.message).toBe("data/rct.csv: Infinity in cost column 'cost' at row 2; it must hold finite numbers");
    expect([e.column, e.row]).toEqual(['cost', 2]);
    e = await errorOf(withCell(3, 'x1', '-Infinity'));
    expect(e.message).toMatch(/-Infinity in numeric feature column 'x1' at row 3/);
  });

  it('negative cost', async () => {
    const e = await errorOf(withCell(2, 'cost', '-1.5'));
    expect(e.message).toBe("data/rct.csv: negative value -1.5 in cost column 'cost' at row 2; costs must be ≥ 0");
    expect([e.column, e.row]).toEqual(['cost', 2]);
  });

  it('arm outside the configured arms, by name or by index', async () => {
    let e = await errorOf(withCell(3, 'arm', 'twenty'));
    expect(e.message).toBe(
      "data/rct.csv: arm value 'twenty' in arm column 'arm' at row 3 is not a configured arm; " +
        "allowed: arm names 'control', 'five', 'ten' or arm indices 0..2",
    );
    expect([e.column, e.row]).toEqual(['arm', 3]);
    const indices = good.replace('u1,control', 'u1,0').replace('u2,ten', 'u2,3').replace('u3,five', 'u3,1');
    e = await errorOf(indices);
    expect(e.message).toMatch(
      /arm value '3' in arm column 'arm' at row 2 is not a configured arm; allowed: .* arm indices 0\.\.2/,
    );
    e = await errorOf(withCell(1, 'arm', '1'));
    expect(e.message).toMatch(/arm column 'arm' mixes arm names and indices \(row 2 holds 'ten'\)/);
  });

  it('zero rows', async () => {
    const e = await errorOf(`${header}\n`);
    expect(e.message).toBe('data/rct.csv: no data rows in this rct file; every input file needs at least one row');
  });

  it('matches numeric arm names by value when every value is a name', async () => {
    const s = datasetSpecSchema.parse({ ...base, arms: [{ name: '0' }, { name: '5' }, { name: '10' }] });
    const csv = good.replace('control', '0').replace('ten', '10').replace('five', '5');
    const p = validateRawTable(await parseCsv(csv, 'f.csv'), s, { file: 'f.csv', split: 'rct' });
    expect(Array.from(p.arm)).toEqual([0, 2, 1]);
  });
});

describe('checkArmCoverage', () => {
  it('passes when every arm has rows and names the empty arm otherwise', async () => {
    expect(() => checkArmCoverage([3, 1, 2], spec.arms, 'rct split')).not.toThrow();
    let err: unknown;
    try {
      checkArmCoverage([3, 0, 2], spec.arms, 'rct split (rct.csv)');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetValidationError);
    expect((err as Error).message).toBe(
      "rct split (rct.csv): RCT data has no rows for arm 'five' (index 1); " +
        'every configured arm needs randomised rows (arm counts: control=3, five=0, ten=2)',
    );
    expect(() => checkArmCoverage([1, 1], spec.arms, 'x')).toThrow(
      /counts for 2 arm\(s\), but the dataset configures 3/,
    );
  });
});
