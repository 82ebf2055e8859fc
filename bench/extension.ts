/**
 * The companion extension (test build, local panel), in Chromium and in Firefox:
 *
 * - failing response → banner visible in the page: p50/p95 over 50 runs (target p95 ≤ 50 ms), measured in
 *   the page from the moment `fetch` resolves to the banner host's render mark (`data-shown` on the banner
 *   host, seen by a MutationObserver);
 * - a player page making 500 API requests one after the other, with the extension vs the same browser without
 *   it (target ≤ 1.05×). Each side is warmed up, then rounds alternate (with, without / without, with …) so
 *   that load from elsewhere on the machine hits both alike. Reported: the median round of each side, the
 *   median of the per-round ratios, and the added time per request. The panel is on loopback (a request
 *   takes ~3 ms), which makes every fixed cost per request look as large as it can;
 * - the same over a 20 ms link (the player site holds each answer 20 ms, as a panel across the internet);
 * - Chromium only, for scale: an extension that does nothing but hold the `webRequest` permission and one
 *   empty `onHeadersReceived` listener — what Chromium charges any extension that observes requests (its
 *   requests go through the browser process), before any of ours.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startPanel } from '../demo/panel/index.js';
import { buildExtension, launch, startPlayerSite, type BrowserName, type PlayerSite } from '../test/e2e/helpers.js';
import type { BenchRow } from './run.js';

const RUNS = 50;
const REQUESTS = 500;
const ROUNDS = 8;
const LINK_MS = 20;
const LINK_REQUESTS = 100;
const LINK_ROUNDS = 4;
const VIEWER = { username: 'bench-viewer', password: 'bench-secret-1' };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const median = (values: number[]) => percentile(values, 50);

/** Time for `count` sequential small API requests from the page (valid account: live categories). */
async function apiLoop(page: Page, count: number): Promise<number> {
  return (await page.evaluate(`(async () => {
    const url = api(${JSON.stringify(VIEWER.username)}, ${JSON.stringify(VIEWER.password)}, 'get_live_categories');
    const start = performance.now();
    for (let i = 0; i < ${count}; i++) { const response = await fetch(url); await response.text(); }
    return performance.now() - start;
  })()`)) as number;
}

interface Paired {
  readonly ours: number[];
  readonly base: number[];
  readonly ratios: number[];
}

/** Warm-up, then `rounds` rounds alternating which side goes first. */
async function paired(ours: Page, base: Page, count: number, rounds: number): Promise<Paired> {
  await apiLoop(ours, Math.min(count, 100));
  await apiLoop(base, Math.min(count, 100));
  const result: Paired = { ours: [], base: [], ratios: [] };
  for (let round = 0; round < rounds; round++) {
    const [first, second] = round % 2 ? [base, ours] : [ours, base];
    const a = await apiLoop(first, count);
    const b = await apiLoop(second, count);
    const [mine, theirs] = round % 2 ? [b, a] : [a, b];
    result.ours.push(mine);
    result.base.push(theirs);
    result.ratios.push(mine / theirs);
  }
  return result;
}

async function plainBrowser(name: BrowserName): Promise<Browser> {
  return name === 'chrome'
    ? puppeteer.launch({ executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, args: CHROMIUM_ARGS })
    : puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
}

/** An extension holding only `webRequest` (+ the host) and one empty listener: Chromium's own cost of observing. */
function observerOnlyExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xux-observer-only-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'observer only', version: '1.0', permissions: ['webRequest'], host_permissions: ['http://127.0.0.1/*'], background: { service_worker: 'background.js' } }),
  );
  writeFileSync(join(dir, 'background.js'), "chrome.webRequest.onHeadersReceived.addListener(() => {}, { urls: ['http://*/*', 'https://*/*'], types: ['xmlhttprequest', 'media', 'other', 'object'] }, ['responseHeaders']);\n");
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function benchBrowser(name: BrowserName, site: PlayerSite, slowSite: PlayerSite): Promise<BenchRow[]> {
  const label = name === 'chrome' ? 'Chromium' : 'Firefox';
  const harness = await launch(name, `${buildExtension('test')}/${name}`);
  let plain: Browser | undefined;
  let observer: Browser | undefined;
  try {
    const page = await harness.browser.newPage();
    await page.goto(`${site.url}/player.html`);

    // ── failing response → banner ──
    const latencies: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      if (run % 5 === 0) await harness.message({ type: 'test:forget-all' });
      const ms = (await page.evaluate(`(async () => {
        const host = () => document.querySelector('xtream-error-ux-extension');
        const before = Number(host()?.dataset.shown ?? 0);
        const marked = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (Number(host()?.dataset.shown ?? 0) > before) { observer.disconnect(); resolve(performance.now()); }
          });
          observer.observe(document.documentElement, { attributes: true, childList: true, subtree: true, attributeFilter: ['data-shown'] });
        });
        const response = await fetch(api('nobody', 'wrong-${run}'));
        const received = performance.now();
        await response.text();
        return (await marked) - received;
      })()`)) as number;
      latencies.push(ms);
    }

    // ── API requests, with and without the extension ──
    plain = await plainBrowser(name);
    const plainPage = await plain.newPage();
    await plainPage.goto(`${site.url}/player.html`);
    await harness.message({ type: 'test:forget-all' });
    await page.reload();
    const loopback = await paired(page, plainPage, REQUESTS, ROUNDS);
    await page.goto(`${slowSite.url}/player.html`);
    await plainPage.goto(`${slowSite.url}/player.html`);
    const link = await paired(page, plainPage, LINK_REQUESTS, LINK_ROUNDS);

    const rows: BenchRow[] = [
      { name: `failing response → banner visible, p50 (${RUNS} runs, ${label})`, value: percentile(latencies, 50), unit: 'ms' },
      { name: `failing response → banner visible, p95 (${RUNS} runs, ${label})`, value: percentile(latencies, 95), unit: 'ms', target: 'p95 ≤ 50 ms' },
      { name: `${REQUESTS} API requests, without the extension (${label}, median of ${ROUNDS})`, value: median(loopback.base), unit: 'ms' },
      {
        name: `${REQUESTS} API requests, with the extension (${label}, median of ${ROUNDS}; ratio: median of paired rounds)`,
        value: median(loopback.ours),
        unit: 'ms',
        ratio: median(loopback.ratios),
        target: '≤ 1.05×',
      },
      { name: `  added per API request on loopback (${label})`, value: ((median(loopback.ours) - median(loopback.base)) / REQUESTS) * 1000, unit: 'µs' },
      {
        name: `${LINK_REQUESTS} API requests over a ${LINK_MS} ms link, with ÷ without (${label}, median of ${LINK_ROUNDS} paired rounds)`,
        value: median(link.ours),
        unit: 'ms',
        ratio: median(link.ratios),
      },
    ];

    if (name === 'chrome') {
      observer = await puppeteer.launch({ executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, enableExtensions: true, args: CHROMIUM_ARGS });
      await observer.installExtension(observerOnlyExtension());
      const observerPage = await observer.newPage();
      await observerPage.goto(`${site.url}/player.html`);
      await plainPage.goto(`${site.url}/player.html`);
      const floor = await paired(observerPage, plainPage, REQUESTS, ROUNDS / 2);
      rows.push({
        name: `  for scale: ${REQUESTS} API requests with an empty extension that only observes (webRequest + one empty listener, ${label})`,
        value: median(floor.ours),
        unit: 'ms',
        ratio: median(floor.ratios),
      });
    }
    return rows;
  } finally {
    await observer?.close().catch(() => undefined);
    await plain?.close().catch(() => undefined);
    await harness.close();
  }
}

export async function benchExtension(): Promise<BenchRow[]> {
  const panel = await startPanel({ port: 0, style: 'classic', flood: 'off' });
  panel.addUser({ ...VIEWER, expiresInDays: 30 });
  const site = await startPlayerSite(panel.url);
  const slowSite = await startPlayerSite(panel.url, { latencyMs: LINK_MS });
  try {
    return [...(await benchBrowser('chrome', site, slowSite)), ...(await benchBrowser('firefox', site, slowSite))];
  } finally {
    await slowSite.stop();
    await site.stop();
    await panel.stop();
  }
}
