import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import { chromium } from 'playwright-core';
import { minigridActions } from '../../helpers/create-test-gateway.ts';
import { recordedTrafficYaml, seedRecordedTraffic } from '../../helpers/seed-recorded-traffic.ts';

const executablePath = '/usr/bin/chromium';
const outputDir = fileURLToPath(new URL('../../../test-output/viewer/', import.meta.url));

// Locally a missing browser should not block the rest of the suite; in CI it must, because
// .ci/run installs it and a silent skip there would hide a broken viewer.
const missingBrowser = existsSync(executablePath)
  ? false
  : process.env.CI
    ? false
    : `chromium is not installed at ${executablePath} (apt-get install -y chromium); skipping the viewer browser test`;

test(
  'the viewer in Chromium: sign in by ?token=, filter by run, open a request, see its image and bar chart',
  { skip: missingBrowser, timeout: 120_000 },
  async (t) => {
    assert.ok(
      existsSync(executablePath),
      `CI is set but chromium is missing at ${executablePath}: .ci/run should install it`,
    );
    const { gateway, ids } = await seedRecordedTraffic({
      yaml: `${recordedTrafficYaml}auth: { tokens: ["\${GATEWAY_TOKEN}"] }\n`,
      environment: { GATEWAY_TOKEN: 'browser-secret' },
    });
    const server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: gateway.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started as Server),
      );
    });
    // node:test runs after-hooks first in, first out; these must run last in, first out, so the
    // browser is gone before the server's close() would wait on its keep-alive connections.
    const cleanups: (() => unknown)[] = [];
    t.after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const userDataDir = mkdtempSync(join(tmpdir(), 'viewer-chromium-'));
    cleanups.push(() => rmSync(userDataDir, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    cleanups.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    mkdirSync(outputDir, { recursive: true });

    await page.goto(`${base}/ui?token=browser-secret`);
    assert.equal(new URL(page.url()).search, '', 'the token is dropped from the address bar');
    assert.equal(await page.locator('table.requests tbody tr').count(), 5);

    await page.selectOption('#filter-run', 'ppo-a');
    await Promise.all([
      page.waitForURL(/run=ppo-a/),
      page.click('form#filters button[type=submit]'),
    ]);
    assert.equal(await page.locator('table.requests tbody tr').count(), 4);
    assert.equal(
      await page.locator('table.runs tr[data-run="ppo-a"]').count(),
      1,
      'the run summary shows above the list',
    );
    await page.screenshot({ path: join(outputDir, 'request-list.png'), fullPage: true });

    await Promise.all([
      page.waitForURL(/\/ui\/requests\//),
      page.click(`tr[data-id="${ids.miss}"] a`),
    ]);
    await page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('#observation-image');
      return image !== null && image.complete;
    });
    const naturalWidth = await page
      .locator('#observation-image')
      .evaluate((image: HTMLImageElement) => image.naturalWidth);
    assert.equal(naturalWidth, 64, 'the image came through the cookie-authenticated image route');
    const labels = await page
      .locator('svg.chart g[data-label]')
      .evaluateAll((groups) => groups.map((group) => group.getAttribute('data-label')));
    assert.deepEqual(labels, minigridActions.labels);
    assert.equal(await page.locator('svg.chart rect.bar').count(), minigridActions.labels.length);
    assert.equal(await page.locator('svg.chart rect.bar.chosen').count(), 1);
    const widths = await page
      .locator('svg.chart rect.bar')
      .evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().width));
    assert.ok(
      Math.max(...widths) > 200,
      `the chosen action's bar is drawn long: ${widths.join(', ')}`,
    );
    await page.screenshot({ path: join(outputDir, 'request-detail.png'), fullPage: true });

    await page.goto(`${base}/ui/runs`);
    assert.equal(await page.locator('table.runs tbody tr').count(), 2);
    await page.screenshot({ path: join(outputDir, 'runs.png'), fullPage: true });

    assert.deepEqual(problems, [], 'no console errors (a CSP violation would show here)');
  },
);
