// Node 20's test runner does not expand globs, so the file list is built here.
// Usage: node scripts/run-tests.mjs [folder-or-file ...]   (default: test/)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

function findTests(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? findTests(join(path, entry.name))
        : entry.name.endsWith('.test.ts')
          ? [join(path, entry.name)]
          : [],
    )
    .sort();
}

// Tests import the packages by name, which resolves to their built dist/: build what changed first
// (a no-op when nothing did), so a test never runs against stale output.
const build = spawnSync(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-b', 'client', 'gateway', 'trainer'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['test']).flatMap(findTests);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
