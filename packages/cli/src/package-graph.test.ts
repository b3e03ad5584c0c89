import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// The layering of the monorepo (README, Architecture): every package may import only the packages listed for
// it here, and declares exactly what it imports. ALLOWED has no cycle (a worker may not import another worker),
// so neither has the graph. Tooling that only tests use (vitest, s3rver) is the root's.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WORKER = 'worker-*';
const ALLOWED: Record<string, string[]> = {
  contracts: [],
  core: ['contracts'],
  io: ['contracts', 'core'],
  learn: ['contracts', 'core'],
  report: ['contracts', 'core'],
  runtime: ['contracts', 'core', 'io'],
  [WORKER]: ['contracts', 'core', 'io', 'learn', 'report', 'runtime'],
  serve: ['contracts', 'core', 'io', 'learn', 'runtime'],
  cli: ['contracts', 'core', 'io', 'learn', 'report', 'runtime', 'serve', WORKER],
};
const ROOT_DEV = new Set(['vitest', 's3rver']);

interface Pkg {
  name: string;
  short: string;
  dir: string;
  declared: Set<string>;
  /** devDependencies: enough for tests and test support, never for shipped code. */
  declaredDev: Set<string>;
}

function packages(): Pkg[] {
  const dirs = ['packages', 'packages/workers'].flatMap((d) =>
    readdirSync(join(root, d))
      .map((n) => join(root, d, n))
      .filter((p) => statSync(p).isDirectory() && safeExists(join(p, 'package.json'))),
  );
  return dirs.map((dir) => {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    return {
      name: json.name,
      short: json.name.replace('@bidfcl/', ''),
      dir,
      declared: new Set(Object.keys(json.dependencies ?? {})),
      declaredDev: new Set(Object.keys(json.devDependencies ?? {})),
    };
  });
}

function safeExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mts)$/.test(n) && !n.endsWith('.d.ts') ? [p] : [];
  });
}

/** Bare package names a source file imports (static, dynamic, type-only and re-exports); node: built-ins left out. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specs
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

const layer = (short: string) => (short.startsWith('worker-') ? WORKER : short);

describe('package graph', () => {
  const pkgs = packages();

  test('every package is known to the layering', () => {
    for (const p of pkgs) expect(ALLOWED[layer(p.short)], `${p.name} has no place in ALLOWED`).toBeDefined();
  });

  test('the root tsconfig.json builds every package (npm run build is one `tsc -b` over its references)', () => {
    const rootConfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
      references: { path: string }[];
    };
    const referenced = new Set(rootConfig.references.map((r) => join(root, r.path)));
    const missing = pkgs.filter((p) => !referenced.has(p.dir)).map((p) => p.name);
    expect(missing, 'add them to the references of the root tsconfig.json').toEqual([]);
  });

  test('imports follow the layering and are declared; declared dependencies are imported', () => {
    const problems: string[] = [];
    for (const p of pkgs) {
      const used = new Map<string, { file: string; test: boolean }>();
      for (const file of sourceFiles(join(p.dir, 'src'))) {
        const isTest = /(\.test|-suite)\.ts$/.test(file) || /\/(testing|test-support)\//.test(file);
        for (const name of importsOf(file)) {
          const prev = used.get(name);
          if (!prev || (prev.test && !isTest)) used.set(name, { file: relative(root, file), test: isTest });
        }
      }
      for (const [name, where] of used) {
        if (name === p.name) continue;
        if (name.startsWith('@bidfcl/')) {
          const target = layer(name.replace('@bidfcl/', ''));
          if (!ALLOWED[layer(p.short)]!.includes(target))
            problems.push(`${p.name} imports ${name} (${where.file}): not allowed`);
        }
        if (!p.declared.has(name) && !(where.test && (ROOT_DEV.has(name) || p.declaredDev.has(name))))
          problems.push(`${p.name} imports ${name} (${where.file}) without declaring it`);
      }
      for (const name of p.declared)
        if (!used.has(name)) problems.push(`${p.name} declares ${name} but never imports it`);
    }
    expect(problems).toEqual([]);
  });
});
