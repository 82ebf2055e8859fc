/**
 * Components bench: gzip sizes of the script-tag build and of each language's locale files, and the cost of
 * rendering then removing 1000 banners against 1000 Shoelace <sl-alert> holding the same text, in the same
 * headless Chromium run. Needs `npm run build` first (reads dist/).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import type { BenchRow } from './run.js';

const ROOT = process.cwd();
const KB = 1024;
const COUNT = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function gz(path: string): number {
  return gzipSync(readFileSync(path)).length;
}

function sizes(): BenchRow[] {
  const rows: BenchRow[] = [{ name: 'script-tag build (gzip, English inside)', value: +(gz('dist/xtream-error-ux.js') / KB).toFixed(2), unit: 'KB', target: '≤ 28 KB' }];
  // Each language is five lazy chunks (ui + four error families): a banner fetches ui and its family only.
  for (const lng of readdirSync('dist/locales').filter((name) => name !== 'en' && !name.endsWith('.json')).sort()) {
    const chunks = readdirSync(join('dist/locales', lng))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ file: file.replace(/\.json$/, ''), bytes: gz(join('dist/locales', lng, file)) }))
      .sort((a, b) => b.bytes - a.bytes);
    const total = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
    const list = chunks.map((chunk) => `${chunk.file} ${(chunk.bytes / KB).toFixed(2)}`).join(', ');
    rows.push({ name: `locale ${lng}, largest chunk (gzip; ${list})`, value: +(chunks[0]!.bytes / KB).toFixed(2), unit: 'KB', target: '≤ 5 KB' });
    rows.push({ name: `locale ${lng}, all ${chunks.length} chunks (gzip)`, value: +(total / KB).toFixed(2), unit: 'KB' });
    // The same files as bundlers' lazy chunks (`export default {…}` modules).
    const modules = readdirSync(join('dist/locales', lng)).filter((file) => file.endsWith('.js'));
    const largest = Math.max(...modules.map((file) => gz(join('dist/locales', lng, file))));
    rows.push({ name: `locale ${lng}, largest lazy chunk for bundlers (.js, gzip)`, value: +(largest / KB).toFixed(2), unit: 'KB', target: '≤ 5 KB' });
  }
  return rows;
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/node_modules/@shoelace-style/shoelace/cdn/themes/light.css">
<style>.all-laid-out xtream-error-banner { content-visibility: visible }</style>
<script src="/dist/xtream-error-ux.js"></script>
<script type="module" src="/node_modules/@shoelace-style/shoelace/cdn/components/alert/alert.js"></script>
</head><body><main id="stage"></main></body></html>`;

function serve(): Promise<{ server: Server; origin: string }> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.html': 'text/html' };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/bench.html') return void response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    const file = join(ROOT, normalize(decodeURIComponent(path)));
    if (!file.startsWith(ROOT) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  }));
}

/** Runs in the page: render `count` elements, wait until rendered and laid out, remove them; ms. */
async function renderAndRemove(kind: 'ours' | 'ours-all-laid-out' | 'shoelace', count: number): Promise<number> {
  type Updatable = HTMLElement & { updateComplete: Promise<unknown> };
  const stage = document.getElementById('stage')!;
  // Banners skip layout while off-screen (content-visibility: auto); this variant opts out, as a page may.
  stage.classList.toggle('all-laid-out', kind === 'ours-all-laid-out');
  const sample = document.createElement('xtream-error-banner') as Updatable & { code: string; silent: boolean };
  sample.code = 'USER_EXPIRED';
  sample.silent = true;
  stage.append(sample);
  await sample.updateComplete;
  const root = sample.shadowRoot!;
  const text = (part: string) => root.querySelector(`[part~="${part}"]`)?.textContent?.trim() ?? '';
  const title = text('title');
  const what = text('what');
  const who = text('who');
  const solutions = [...root.querySelectorAll('[part~="solution"]')].map((li) => li.textContent ?? '');
  sample.remove();
  const start = performance.now();
  const elements: Updatable[] = [];
  for (let i = 0; i < count; i++) {
    if (kind !== 'shoelace') {
      const banner = document.createElement('xtream-error-banner') as Updatable & { code: string; silent: boolean };
      banner.code = 'USER_EXPIRED';
      banner.silent = true;
      elements.push(banner);
    } else {
      const alert = document.createElement('sl-alert') as Updatable & { open: boolean; variant: string; closable: boolean };
      alert.open = true;
      alert.closable = true;
      alert.variant = 'danger';
      const strong = document.createElement('strong');
      strong.textContent = title;
      const list = document.createElement('ol');
      for (const solution of solutions) list.append(Object.assign(document.createElement('li'), { textContent: solution }));
      alert.append(strong, document.createElement('br'), what, document.createElement('br'), who, list);
      elements.push(alert);
    }
  }
  stage.append(...elements);
  await Promise.all(elements.map((element) => element.updateComplete));
  void stage.offsetHeight; // layout
  for (const element of elements) element.remove();
  void stage.offsetHeight;
  return performance.now() - start;
}

const inPage = renderAndRemove as (kind: string, count: number) => Promise<number>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchComponents(): Promise<BenchRow[]> {
  if (!existsSync('dist/xtream-error-ux.js')) throw new Error('run `npm run build` first');
  const rows = sizes();
  const { server, origin } = await serve();
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    // tsx compiles with keepNames: functions handed to page.evaluate call its `__name` helper.
    await page.evaluateOnNewDocument('globalThis.__name = (target) => target');
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(`${origin}/bench.html`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => customElements.get('sl-alert') && customElements.get('xtream-error-banner'));
    const ours: number[] = [];
    const oursLaidOut: number[] = [];
    const theirs: number[] = [];
    await page.evaluate(inPage, 'ours', 100); // warm-up both
    await page.evaluate(inPage, 'shoelace', 100);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on a warmer heap.
      const order = round % 2 ? (['shoelace', 'ours-all-laid-out', 'ours'] as const) : (['ours', 'ours-all-laid-out', 'shoelace'] as const);
      for (const kind of order) (kind === 'ours' ? ours : kind === 'shoelace' ? theirs : oursLaidOut).push(await page.evaluate(inPage, kind, COUNT));
    }
    const oursMs = median(ours);
    const theirsMs = median(theirs);
    rows.push({ name: `render + remove ${COUNT} sl-alert (Shoelace, same text)`, value: +theirsMs.toFixed(1), unit: 'ms' });
    rows.push({ name: `render + remove ${COUNT} <xtream-error-banner>`, value: +oursMs.toFixed(1), unit: 'ms', ratio: +(oursMs / theirsMs).toFixed(3), target: '≤ 0.5' });
    const laidOutMs = median(oursLaidOut);
    rows.push({ name: `the same, every banner laid out (content-visibility: visible)`, value: +laidOutMs.toFixed(1), unit: 'ms', ratio: +(laidOutMs / theirsMs).toFixed(3) });
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
