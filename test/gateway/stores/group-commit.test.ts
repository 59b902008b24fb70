import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '@teacher-gateway/gateway/internal/errors/gateway-error';
import { createGroupCommit } from '@teacher-gateway/gateway/internal/stores/group-commit';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';

function setUp() {
  const database = openDatabase(':memory:');
  database.exec('CREATE TABLE t (value INTEGER NOT NULL)');
  const insert = database.prepare('INSERT INTO t (value) VALUES (?)');
  const count = () => (database.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  // A scheduler the test drives, so it can see what shares a transaction.
  const scheduled: (() => void)[] = [];
  const commits = createGroupCommit(database, (callback) => scheduled.push(callback));
  const runNext = () => {
    const callback = scheduled.shift();
    assert.ok(callback, 'a commit is scheduled');
    callback();
  };
  return { database, insert, count, commits, scheduled, runNext };
}

test('writes added before a commit runs share one transaction, and resolve only after it', async () => {
  const { insert, count, commits, scheduled, runNext } = setUp();
  let resolved = 0;
  const writes = [1, 2, 3].map((value) => commits.add(() => insert.run(value)).then(() => (resolved += 1)));
  assert.equal(scheduled.length, 1, 'one commit for the three writes');
  await Promise.resolve();
  assert.equal(resolved, 0);
  assert.equal(count(), 0);
  runNext();
  await Promise.all(writes);
  assert.equal(resolved, 3);
  assert.equal(count(), 3);
});

test('a write added after a commit ran goes into the next one, and flush waits for it', async () => {
  const { insert, count, commits, scheduled, runNext } = setUp();
  const first = commits.add(() => insert.run(1));
  runNext();
  await first;
  const second = commits.add(() => insert.run(2));
  assert.equal(scheduled.length, 1);
  let flushed = false;
  const flushing = commits.flush().then(() => (flushed = true));
  await Promise.resolve();
  assert.equal(flushed, false);
  runNext();
  await Promise.all([second, flushing]);
  assert.equal(count(), 2);
});

test('a failed commit rolls back the whole batch, rejects every write and tells each settled hook', async () => {
  const { insert, count, commits, runNext } = setUp();
  const settled: unknown[] = [];
  const good = commits.add(() => insert.run(1), (error) => settled.push(error ?? 'committed'));
  const bad = commits.add(() => insert.run(null), (error) => settled.push(error ?? 'committed'));
  runNext();
  await assert.rejects(good);
  await assert.rejects(bad);
  assert.equal(count(), 0, 'nothing of the batch was kept');
  assert.equal(settled.length, 2);
  assert.ok(settled.every((error) => error !== 'committed'));
  // The next batch is unaffected.
  const later = commits.add(() => insert.run(3));
  runNext();
  await later;
  assert.equal(count(), 1);
});

test('a disk or file fault becomes 503 storage_unavailable', async () => {
  const { commits, runNext } = setUp();
  const written = commits.add(() => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  });
  runNext();
  await assert.rejects(written, (error: unknown) => error instanceof GatewayError && error.code === 'storage_unavailable');
});

test('settled hooks run before any promise of the batch resolves', async () => {
  const { insert, commits, runNext } = setUp();
  const order: string[] = [];
  const writes = [commits.add(() => insert.run(1), () => order.push('hook 1')), commits.add(() => insert.run(2), () => order.push('hook 2'))];
  void writes[0]?.then(() => order.push('resolved 1'));
  runNext();
  await Promise.all(writes);
  assert.deepEqual(order, ['hook 1', 'hook 2', 'resolved 1']);
});
