/**
 * `node --import tsx test/e2e/screenshots.ts` — the README's screenshots: a player page with the banner while
 * the guard holds retries, and the popup for that page (Chromium, test build, local panel).
 */
import { mkdirSync } from 'node:fs';
import { startPanel } from '../../demo/panel/index.js';
import { buildExtension, launch, startPlayerSite, waitFor, bannerText } from './helpers.js';

const out = new URL('../../docs/screenshots/', import.meta.url);
mkdirSync(out, { recursive: true });
const panel = await startPanel({ port: 0, style: 'classic', flood: 'seed' });
const site = await startPlayerSite(panel.url);
const harness = await launch('chrome', `${buildExtension('test')}/chrome`);
try {
  const page = await harness.browser.newPage();
  await page.setViewport({ width: 1100, height: 720 });
  await page.goto(`${site.url}/player.html`);
  await page.evaluate(`loop('fetch', api('viewer', 'not-the-password'), 9, 1)`);
  await waitFor(async () => /AUTH_FAILED/.test(await bannerText(page)));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await page.screenshot({ path: new URL('player-banner.png', out).pathname });

  const tabId = await harness.inExtension<number>(`return (await api.tabs.query({ url: '${site.url}/player.html' }))[0].id;`);
  const popup = await harness.browser.newPage();
  await popup.setViewport({ width: 400, height: 640 });
  await popup.goto(`${harness.base}popup/popup.html?tab=${tabId}`);
  await new Promise((resolve) => setTimeout(resolve, 800));
  await popup.screenshot({ path: new URL('popup.png', out).pathname });
  console.log('docs/screenshots/player-banner.png, docs/screenshots/popup.png');
} finally {
  await harness.close();
  await site.stop();
  await panel.stop();
}
