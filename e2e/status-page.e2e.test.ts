/**
 * The status page in a real browser: a devnet stack (hub over CCTP-style, spoke-a over CCIP, spoke-b over Wormhole),
 * the status server, and Chromium driven by playwright-core. A settlement per chain and a NAV posted during the test
 * must show on every chain's row: the supply grows by the amount, the NAV round moves, and the settlement's delivery
 * is listed with the transport that carried it. STATUS_SCREENSHOT=1 writes docs/status-page.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import type { Hex } from 'viem';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, demoNav, demoSubscription } from '../devnet/demo.js';
import { postAccepted } from './lib/post.js';
import { waitFor } from '../testkit/wait.js';
import { startStatusServer, type StatusServer } from '../status/server.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const SCREENSHOT = join(import.meta.dirname, '..', 'docs', 'status-page.png');
const EXPECTED_TRANSPORT: Record<string, string> = { hub: 'cctp', 'spoke-a': 'ccip', 'spoke-b': 'wormhole' };

let stack: Stack | undefined;
let status: StatusServer | undefined;
let browser: Browser | undefined;

/** What one chain's row shows now, read from the page's DOM. */
interface RowSeen {
  supplyRaw: string;
  nav: string;
  deliveries: { id: string; transport: string }[];
}

async function rowsSeen(page: Page): Promise<Record<string, RowSeen>> {
  return page.$$eval('tr[data-chain]', (rows) =>
    Object.fromEntries(
      rows.map((tr) => [
        tr.getAttribute('data-chain') ?? '',
        {
          supplyRaw: tr.querySelector('[data-col="supply"]')?.getAttribute('data-supply-raw') ?? '',
          nav: tr.querySelector('[data-col="nav"]')?.textContent ?? '',
          deliveries: [...tr.querySelectorAll('li[data-attestation-id]')].map((li) => ({ id: li.getAttribute('data-attestation-id') ?? '', transport: li.getAttribute('data-transport') ?? '' })),
        },
      ]),
    ),
  );
}

describe('status page in a real browser', () => {
  beforeAll(async () => {
    // Fail, never skip: a missing browser is an install problem CI must show (the test itself fails, below).
    if (!existsSync(CHROMIUM)) return;
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-status-')), logLevel: 'warn', ccipSpokes: ['spoke-a'], wormholeSpokes: ['spoke-b'] });
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
    status = await startStatusServer({
      deployment: stack.deployment,
      relayerUrl: stack.relayerUrl,
      oracleUrl: stack.oracleUrl,
      host: '127.0.0.1',
      port: 0,
      refreshMs: 500,
      timeoutMs: 3000,
      logger: pino({ level: 'warn' }),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await status?.stop();
    await stack?.stop();
  });

  it('shows a settlement posted now on every chain’s row: supply, NAV round and the delivery with its transport', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: npm install installs Debian's chromium when run as root with apt-get (scripts/setup.mjs); otherwise run apt-get install chromium`);
    }
    const d = stack!.deployment;
    const page = await browser!.newPage({ viewport: { width: 1500, height: 620 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${status!.url}/`);

    // The page renders a row per chain once the first poll answers.
    const before = await waitFor(
      async () => {
        const rows = await rowsSeen(page);
        return d.chains.every((c) => rows[c.name]?.supplyRaw) ? rows : undefined;
      },
      { what: 'a row with a supply per chain on the page', timeoutMs: 20_000 },
    );
    expect(await page.textContent('section[data-did] h2')).toBe(d.dids[0]!.did);

    const now = Math.floor(Date.now() / 1000);
    const amounts = new Map(d.chains.map((c, i) => [c.name, [1_000n, 2_500n, 7_000n][i % 3]! * 1_000_000n]));
    const ids = new Map<string, Hex>();
    for (const c of d.chains) {
      const body = await demoSubscription(d, c.chainId, `E2E-STATUS-${now}-${c.name}`, amounts.get(c.name)!, now);
      ids.set(c.name, ((await postAccepted(`${stack!.oracleUrl}/v1/settlements`, body, 20_000)).json as { id: Hex }).id);
    }
    await postAccepted(`${stack!.oracleUrl}/v1/nav`, await demoNav(d, 100_250_000n, now), 20_000);

    const after = await waitFor(
      async () => {
        const rows = await rowsSeen(page);
        const done = d.chains.every((c) => {
          const r = rows[c.name];
          return r && BigInt(r.supplyRaw || '0') === BigInt(before[c.name]!.supplyRaw) + amounts.get(c.name)! && r.deliveries.some((x) => x.id === ids.get(c.name)) && r.nav.startsWith('1.0025 ');
        });
        return done ? rows : undefined;
      },
      { what: 'the settlement and the NAV on every chain row of the page', timeoutMs: 90_000 },
    );
    for (const c of d.chains) {
      const delivered = after[c.name]!.deliveries.find((x) => x.id === ids.get(c.name));
      expect(delivered?.transport, c.name).toBe(EXPECTED_TRANSPORT[c.name]);
      expect(after[c.name]!.nav).toMatch(/^1\.0025 \(\d+\)$/);
    }
    expect(await page.locator('#offline').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);

    if (process.env.STATUS_SCREENSHOT === '1') await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
