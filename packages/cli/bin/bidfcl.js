#!/usr/bin/env node
// The command npm links at install time. It is committed rather than compiled, because `npm ci` links bins before
// anything is built: a bin pointing into dist/ was a dangling link on a fresh clone ("bidfcl: not found").
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('bidfcl is not built yet: run `npm run build` in the repository root first\n');
  process.exit(1);
}
await import(built.href);
