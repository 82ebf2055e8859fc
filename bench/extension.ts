/**
 * The companion extension in Chromium (test build, local panel):
 * - failing response → banner visible in the page: p50/p95 over 50 runs (target p95 ≤ 50 ms), measured in
 *   the page from the moment `fetch` resolves to the banner host's render mark (`data-shown` on the banner host, seen by a MutationObserver);
 * - a player page making 500 API requests, with the extension vs the same browser without it (target ≤ 1.05×).
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startPanel } from '../demo/panel/index.js';
import { buildExtension, launch, startPlayerSite } from '../test/e2e/helpers.js';
import type { BenchRow } from './run.js';

const RUNS = 50;
const REQUESTS = 500;
const VIEWER = { username: 'bench-viewer', password: 'bench-secret-1' };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Time for REQUESTS sequential small API requests from the page (valid account: live categories). */
async function apiLoop(page: Page): Promise<number> {
  return (await page.evaluate(`(async () => {
    const url = api(${JSON.stringify(VIEWER.username)}, ${JSON.stringify(VIEWER.password)}, 'get_live_categories');
    const start = performance.now();
    for (let i = 0; i < ${REQUESTS}; i++) { const response = await fetch(url); await response.text(); }
    return performance.now() - start;
  })()`)) as number;
}

export async function benchExtension(): Promise<BenchRow[]> {
  const panel = await startPanel({ port: 0, style: 'classic', flood: 'off' });
  panel.addUser({ ...VIEWER, expiresInDays: 30 });
  const site = await startPlayerSite(panel.url);
  const harness = await launch('chrome', `${buildExtension('test')}/chrome`);
  let plain: Browser | undefined;
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

    // ── 500 API requests, with and without the extension (alternating, best of 3 each) ──
    plain = await puppeteer.launch({
      executablePath: '/usr/lib/chromium/chromium',
      headless: true,
      pipe: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const plainPage = await plain.newPage();
    await plainPage.goto(`${site.url}/player.html`);
    await harness.message({ type: 'test:forget-all' });
    await page.reload();
    const withExtension: number[] = [];
    const without: number[] = [];
    await apiLoop(page);
    await apiLoop(plainPage);
    for (let round = 0; round < 3; round++) {
      withExtension.push(await apiLoop(page));
      without.push(await apiLoop(plainPage));
    }
    const best = (values: number[]) => Math.min(...values);
    return [
      { name: `failing response → banner visible, p50 (${RUNS} runs)`, value: percentile(latencies, 50), unit: 'ms' },
      { name: `failing response → banner visible, p95 (${RUNS} runs)`, value: percentile(latencies, 95), unit: 'ms', target: 'p95 ≤ 50 ms' },
      { name: `${REQUESTS} API requests, without the extension`, value: best(without), unit: 'ms' },
      { name: `${REQUESTS} API requests, with the extension`, value: best(withExtension), unit: 'ms', ratio: best(withExtension) / best(without), target: '≤ 1.05×' },
    ];
  } finally {
    await plain?.close().catch(() => undefined);
    await harness.close();
    await site.stop();
    await panel.stop();
  }
}
