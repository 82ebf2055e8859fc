#!/usr/bin/env node
/**
 * Regenerates docs/screenshots/portal-*.png from a running `npm start` (the gallery's are demo/gallery/screenshots.mjs):
 *
 *   PORT=5173 npm start &
 *   node demo/portal/screenshots.mjs http://127.0.0.1:5173/ [all|portal|player]
 *
 * `player`: a channel playing (hls.js) and the banner over the player (the xcvm panel's replacement video for an
 * expired line; already connected in Arabic), at 1360 px and at 390 px (a phone).
 *
 * Headless Chromium through puppeteer-core (CHROME_PATH, default /usr/bin/chromium). Also fails when the page
 * logs an error, or when a credential shows up in the console, the DOM outside the inputs, or storage.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const base = (process.argv[2] ?? 'http://127.0.0.1:5173/').replace(/\/?$/, '/');
const which = process.argv[3] ?? 'all';
const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });

const SECRETS = ['test123', 'single123', 'basic123', 'hlsonly123', 'wrong-password', 'not-the-password', 'uarules123', 'geo123', 'isplock123', 'iplocked123', 'expired123', 'banned123', 'disabled123'];

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
});
const problems = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function openPage(path, { width = 1360, height = 900, scheme = 'light' } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  page.on('console', (message) => {
    const text = message.text();
    if (SECRETS.some((secret) => text.includes(secret))) problems.push(`credential in the console: ${text}`);
    if (message.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(text)) problems.push(`console error on ${path}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${path}: ${error.message}`));
  await page.goto(base + path, { waitUntil: 'networkidle0' });
  return page;
}

/** Credentials anywhere but the inputs' values: text, attributes, shadow roots, storage. */
async function leaks(page) {
  return page.evaluate((secrets) => {
    const found = [];
    const visit = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const text = walker.currentNode.textContent;
        if (secrets.some((s) => text.includes(s))) found.push(`text: ${text.slice(0, 60)}`);
      }
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          if (secrets.some((s) => attribute.value.includes(s))) found.push(`<${element.localName} ${attribute.name}>`);
        }
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document);
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (secrets.some((s) => `${key}${storage.getItem(key)}`.includes(s))) found.push(`storage ${key}`);
      }
    }
    if (secrets.some((s) => document.cookie.includes(s))) found.push('cookie');
    return found;
  }, SECRETS);
}

async function signIn(page, username, password, panel = 'classic') {
  await page.select('#panel', panel);
  await page.$eval('#username', (el) => (el.value = ''));
  await page.$eval('#password', (el) => (el.value = ''));
  await page.type('#username', username);
  await page.type('#password', password);
  await page.click('#signin');
  await page.waitForFunction(() => document.querySelector('#login')?.getAttribute('aria-busy') === 'false');
  await sleep(400);
}

async function portal() {
  // 1. A failed sign-in (classic, wrong password), the form keeping what was typed.
  let page = await openPage('portal/');
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'networkidle0' });
  await signIn(page, 'demo', 'not-the-password');
  await page.waitForFunction(() => {
    const banner = document.querySelector('#login-banner');
    return banner && !banner.hidden && banner.shadowRoot?.textContent?.trim();
  });
  const kept = await page.$eval('#password', (el) => el.value);
  if (kept !== 'not-the-password') problems.push('the password field lost its value after a failed sign-in');
  await sleep(300);
  await page.screenshot({ path: `${out}portal-login-error.png` });

  // 2. Signed in, channel list, a channel playing, and one refused (basic + premium channel) in the stack.
  await sleep(3000); // the guard's wait after a failure (at least 2.5 s)
  await signIn(page, 'basic', 'basic123');
  await page.waitForSelector('button.channel');
  await page.click('button.channel[data-stream-id="1001"]');
  await page.waitForFunction(() => document.querySelector('#player')?.classList.contains('ok'));
  await page.screenshot({ path: `${out}portal-channels.png` });
  const leaked = await leaks(page);
  if (leaked.length) problems.push(`credentials outside the inputs: ${leaked.join(', ')}`);
  await page.close();

  // 3. Masked panel: the loop demo.
  page = await openPage('portal/');
  await page.select('#panel', 'masked');
  await page.click('#loop-run');
  await page.waitForFunction(() => !document.querySelector('#loop-run')?.disabled, { timeout: 60_000 });
  await page.click('#loop-check');
  await sleep(800);
  const loop = await page.$('#loop-title');
  const box = await page.evaluate(() => {
    const card = document.querySelector('#loop-title').closest('.card');
    const rect = card.getBoundingClientRect();
    return { x: rect.x + scrollX, y: rect.y + scrollY, width: rect.width, height: rect.height };
  });
  await loop.scrollIntoView();
  await sleep(300);
  await page.screenshot({ path: `${out}portal-loop.png`, clip: { x: 0, y: Math.max(0, box.y - 16), width: 1360, height: box.height + 32 }, captureBeyondViewport: true });
  const naive = await page.$eval('#naive-summary', (el) => el.textContent);
  const guarded = await page.$eval('#guarded-summary', (el) => el.textContent);
  if (!/blocked this client/.test(naive)) problems.push(`naive loop: ${naive}`);
  if (!/paused/.test(guarded)) problems.push(`guarded loop: ${guarded}`);

  // 4. Make it fail: a few failures in the stack (masked), in dark theme and German.
  await page.select('#theme', 'dark');
  await page.select('#language', 'de');
  for (const label of ['Wrong password', 'Not in bouquet', 'Playlist limit 429']) {
    const [button] = await page.$$(`xpath/.//button[normalize-space()="${label}"]`);
    await button.click();
    await page.waitForFunction((b) => b.getAttribute('aria-busy') !== 'true', {}, button);
    await sleep(300);
  }
  await page.evaluate(() => scrollTo(0, document.querySelector('#fail-title').getBoundingClientRect().top + scrollY - 80));
  await sleep(600);
  await page.screenshot({ path: `${out}portal-make-it-fail.png` });
  const leaked2 = await leaks(page);
  if (leaked2.length) problems.push(`credentials outside the inputs: ${leaked2.join(', ')}`);
  await page.close();
}

/** A screenshot of one card (the closest `.card` of `selector`), whole, at the page's width. */
async function shootCard(page, selector, name) {
  const box = await page.evaluate((selector) => {
    const card = document.querySelector(selector).closest('.card');
    card.scrollIntoView({ block: 'start' });
    const rect = card.getBoundingClientRect();
    return { x: rect.x + scrollX, y: rect.y + scrollY, width: rect.width, height: rect.height };
  }, selector);
  await page.mouse.move(1, 1); // no hover highlight
  await sleep(200);
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  await page.screenshot({ path: `${out}${name}.png`, clip: { x: 0, y: Math.max(0, box.y - 12), width, height: box.height + 24 }, captureBeyondViewport: true });
}

/** Waits until the player's video has advanced `seconds` (a picture is on screen). */
async function waitPlaying(page, seconds = 1.5) {
  await page.waitForFunction((s) => document.querySelector('#video').currentTime > s && document.querySelector('#video').readyState >= 2 && document.querySelector('#player').classList.contains('ok'), { timeout: 20_000 }, seconds);
}

/** Clicks the player's failure button `label` and waits for the banner over the player to show `code`. */
async function playerFailure(page, label, code) {
  const [button] = await page.$$(`xpath/.//div[@id="player-failures"]/button[normalize-space()="${label}"]`);
  await button.click();
  await page.waitForFunction(
    (code) => {
      const banner = document.querySelector('#player-banner');
      return !banner.hidden && banner.shown?.code === code && banner.shadowRoot?.textContent?.trim();
    },
    { timeout: 20_000 },
    code,
  );
}

async function player() {
  for (const width of [1360, 390]) {
    const suffix = width === 1360 ? '' : `-${width}`;
    const page = await openPage('portal/', { width, height: width === 1360 ? 900 : 844 });
    await page.evaluate(() => localStorage.clear());
    await page.reload({ waitUntil: 'networkidle0' });
    // A channel playing with hls.js through createHlsLoader (the xcvm panel: a production panel's answers).
    await signIn(page, 'demo', 'test123', 'xcvm');
    await page.waitForSelector('button.channel');
    await page.select('#engine', 'hls');
    await page.click('button.channel[data-stream-id="1001"]');
    await waitPlaying(page);
    await shootCard(page, '#live-title', `portal-playing${suffix}`);
    const leaked = await leaks(page);
    if (leaked.length) problems.push(`credentials outside the inputs: ${leaked.join(', ')}`);
    // The expired line: XC_VM answers with its replacement video; the banner over it says why.
    await playerFailure(page, 'Expired', 'USER_EXPIRED');
    await sleep(1500); // the replacement clip under the banner
    await shootCard(page, '#live-title', `portal-player-banner${suffix}`);
    // The same in Arabic (the banner right to left), for a second device over the connection limit.
    await page.select('#language', 'ar');
    await playerFailure(page, 'Max connections', 'USER_ALREADY_CONNECTED');
    await page.waitForFunction(() => document.querySelector('#player-banner').shadowRoot?.querySelector('[part~="base"][lang="ar"][dir="rtl"]'), { timeout: 10_000 });
    await sleep(1500);
    await shootCard(page, '#live-title', `portal-player-banner-ar${suffix}`);
    const leaked2 = await leaks(page);
    if (leaked2.length) problems.push(`credentials outside the inputs: ${leaked2.join(', ')}`);
    await page.close();
  }
}

try {
  if (which === 'portal' || which === 'all') await portal();
  if (which === 'player' || which === 'all') await player();
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`screenshots written to ${out}`);
