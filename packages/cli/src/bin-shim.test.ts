import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const shim = join(cliDir, pkg.bin.bidfcl ?? '');

// Issue 12 §6: on a fresh clone `npx bidfcl` said "bidfcl: not found": the bin pointed into dist/, which npm ci
// links before anything is built.
describe('the bidfcl bin', () => {
  it('is a committed, executable file outside dist/', () => {
    expect(pkg.bin.bidfcl).not.toMatch(/dist\//);
    expect(() => accessSync(shim, constants.X_OK)).not.toThrow();
  });

  it('runs the built CLI', () => {
    const r = spawnSync(shim, ['--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/bidfcl/);
  });

  it('says to build first when there is no build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bidfcl-shim-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(shim, join(dir, 'bin', 'bidfcl.js'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'bidfcl.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('run `npm run build` in the repository root first');
  });
});
