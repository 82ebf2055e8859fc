#!/usr/bin/env node
// Headless-Chromium screenshots of the gallery for the README: English light and dark, Arabic, compact.
// Needs `npm run build` first. Usage: node demo/gallery/screenshots.mjs
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import puppeteer from 'puppeteer-core';

const root = process.cwd();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(root, path);
  if (!file.startsWith(root) || !existsSync(file)) return response.writeHead(404).end();
  response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/demo/gallery/index.html`;

const shots = [
  ['gallery-en-light', '?lang=en&theme=light'],
  ['gallery-en-dark', '?lang=en&theme=dark'],
  ['gallery-ar', '?lang=ar&theme=light'],
  ['gallery-compact', '?lang=en&theme=light&compact'],
  // Every catalog entry under its own code, the whole page (banners laid out: content-visibility would skip them).
  ['gallery-all', '?lang=en&theme=light', true],
];
mkdirSync('docs/screenshots', { recursive: true });
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
try {
  for (const [name, query, fullPage = false] of shots) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 1400, deviceScaleFactor: 1 });
    await page.goto(base + query, { waitUntil: 'networkidle0' });
    // Every banner rendered in the requested language (its files fetched) and the entry fade finished.
    await page.waitForFunction(
      (lang) => [...document.querySelectorAll('xtream-error-banner')].every((banner) => banner.shadowRoot?.querySelector(`[part~="base"][lang="${lang}"]`)),
      { timeout: 10_000 },
      new URL(base + query).searchParams.get('lang'),
    );
    await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
    if (fullPage) await page.addStyleTag({ content: 'xtream-error-banner { content-visibility: visible }' });
    await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage });
    await page.close();
    console.log(`docs/screenshots/${name}.png`);
  }
} finally {
  await browser.close();
  server.close();
}
