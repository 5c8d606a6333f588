/**
 * The status page's "notice due" line (issue 23) in a real browser: the status app serves a view whose DID owes its
 * incident notice, then one where it was answered; the page (polling /v1/status) shows the line, then drops it. No
 * chains: the view comes from the oracle in production (status/collect.ts, tested in status/collect.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { close, listen } from '../common/serve.js';
import { createStatusPageApp } from '../status/app.js';
import { createStatusMetrics } from '../status/metrics.js';
import type { StatusView } from '../status/view.js';
import { waitFor } from '../testkit/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const DID = 'did:rwa:demo:ustb-2027';

const viewWith = (notice: StatusView['dids'][number]['notice']): StatusView => ({
  generatedAt: new Date().toISOString(),
  relayer: { url: 'http://relayer', ok: true, error: null, cursor: 1 },
  oracle: null,
  dids: [{ did: DID, didHash: `0x${'ab'.repeat(32)}`, notice, chains: [] }],
});

let view = viewWith({ due: true, stage: 'B', since: '2026-12-05T04:00:00.000Z', required: 'public announcement and filing' });
let server: Parameters<typeof close>[0] | undefined;
let url = '';
let browser: Browser | undefined;

describe('status page: notice due', () => {
  beforeAll(async () => {
    const started = await listen(createStatusPageApp(() => view, createStatusMetrics()), '127.0.0.1', 0);
    server = started.server;
    url = `http://127.0.0.1:${started.port}`;
    if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await close(server);
  });

  it('shows "notice due" with the stage and what is owed under the DID, and drops it once answered', async () => {
    if (!browser) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${url}/`);
    const line = await waitFor(async () => (await page.$(`section[data-did="${DID}"] [data-notice="due"]`))?.textContent(), { what: 'the notice due line', timeoutMs: 15_000 });
    expect(line).toMatch(/^notice due: stage B \(public announcement and filing\) since /);

    view = viewWith({ due: false });
    await waitFor(async () => (await page.$(`section[data-did="${DID}"]`)) !== null && (await page.$('[data-notice="due"]')) === null, { what: 'the notice line gone', timeoutMs: 15_000 });
    expect(pageErrors).toEqual([]);
  });
});
