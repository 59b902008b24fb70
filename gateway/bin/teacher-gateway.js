#!/usr/bin/env node
// `teacher-gateway`: runs the compiled command line (dist/ is built by `npm ci` or `npm run build`).
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('teacher-gateway: not built yet (no dist/cli.js); run `npm run build` in the repository\n');
  process.exit(1);
}
await import(entry.href);
