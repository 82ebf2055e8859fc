/**
 * The demo portal (`npm start`) in a real browser, once per browser (portal.chrome.test.ts, portal.firefox.test.ts):
 * the demo is started in-process as `npm start` starts it (scripts/demo-server.mjs: three panels serving the real
 * test pattern, the Vite server with the portal), and the portal is driven like a viewer drives it.
 *
 * - A channel plays with hls.js and with mpegts.js, through the project's adapters (video.currentTime advances;
 *   the segments and the MPEG-TS stream answered 200).
 * - Each failure the panel can give a player (expired, max connections, not in bouquet, format not allowed, wrong
 *   password, banned IP) shows its <xtream-error-banner> over the player with the right code — on the classic
 *   panel with hls.js (the codes from the error bodies) and on the XC_VM panel with mpegts.js (replacement
 *   videos, fake nginx 404s) — and the panel logged that very refusal.
 * - The naive-vs-guarded loop with real hls.js players: the panel bans the naive client, never the guarded one,
 *   which then plays with the right password.
 * - The panel never bans the viewer: the only banned addresses are the clients the demo floods on purpose.
 * - No credential in the DOM outside the inputs, in storage or in the console.
 *
 * What every step saw is printed (`[portal] …` lines) before it is asserted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startDemo, type Demo, type DemoPanelName } from '../../scripts/demo-server.mjs';
import type { BrowserName } from './helpers.js';

const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'];
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

/** Every password the portal may type or send (demo/portal: the failures, the loop, the sign-ins). */
const SECRETS = ['test123', 'single123', 'basic123', 'hlsonly123', 'expired123', 'wrong-password', 'not-the-password'];

interface Failure {
  label: string;
  /** The code the banner over the player shows. */
  code: string;
  /** What the panel logged for that client (its own reason, which a masked answer hides from the browser). */
  logged: string;
}

/** Classic answers: every reason in the error body, read by the adapter. */
const CLASSIC: Failure[] = [
  { label: 'Expired', code: 'USER_EXPIRED', logged: 'USER_EXPIRED' },
  { label: 'Max connections', code: 'USER_ALREADY_CONNECTED', logged: 'USER_ALREADY_CONNECTED' },
  { label: 'Not in bouquet', code: 'NOT_IN_BOUQUET', logged: 'NOT_IN_BOUQUET' },
  { label: 'Format not allowed', code: 'USER_DISALLOW_EXT', logged: 'USER_DISALLOW_EXT' },
  { label: 'Wrong password', code: 'AUTH_FAILED', logged: 'AUTH_FAILED' },
  { label: 'Banned IP', code: 'PANEL_BLOCK', logged: 'AUTH_FAILED' },
];
/** XC_VM: replacement videos for expired and already connected (302 to the clip for .ts), fake 404s for the rest. */
const XCVM: Failure[] = [
  { label: 'Expired', code: 'USER_EXPIRED', logged: 'USER_EXPIRED' },
  { label: 'Max connections', code: 'USER_ALREADY_CONNECTED', logged: 'USER_ALREADY_CONNECTED' },
  { label: 'Not in bouquet', code: '404', logged: 'NOT_IN_BOUQUET' },
  { label: 'Format not allowed', code: '404', logged: 'USER_DISALLOW_EXT' },
  { label: 'Wrong password', code: '404', logged: 'AUTH_FAILED' },
  { label: 'Banned IP', code: 'PANEL_BLOCK', logged: 'AUTH_FAILED' },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function launchBrowser(name: BrowserName): Promise<Browser> {
  if (name === 'firefox') {
    return puppeteer.launch({
      browser: 'firefox',
      executablePath: '/usr/bin/firefox-esr',
      headless: true,
      extraPrefsFirefox: { 'media.autoplay.default': 0, 'media.autoplay.blocking_policy': 0 },
    });
  }
  const { existsSync } = await import('node:fs');
  const executablePath = CHROMIUM.find((path) => existsSync(path)) ?? CHROMIUM[0]!;
  return puppeteer.launch({ executablePath, headless: true, pipe: true, args: CHROME_ARGS });
}

function log(name: BrowserName, what: string, data: unknown): void {
  console.log(`[portal] ${name} ${what} ${JSON.stringify(data)}`);
}

export function portalSuite(name: BrowserName): void {
  describe(`the demo portal in ${name}: real players, a banner over the player for every failure`, { timeout: 240_000 }, () => {
    let demo: Demo;
    let browser: Browser;
    let page: Page;
    const consoleTexts: string[] = [];
    /** Every answer the page got: path (no query), status. */
    const answers: { path: string; status: number }[] = [];
    /** The clients the demo gets banned on purpose (the failure "Banned IP", the naive loop). */
    const floodedOnPurpose: Record<DemoPanelName, string[]> = { classic: [], masked: [], xcvm: [] };

    before(async () => {
      demo = await startDemo({ port: 0, logLevel: 'silent' });
      browser = await launchBrowser(name);
      // The browser's own first tab: in front, so the players load media (background tabs defer it).
      page = (await browser.pages())[0] ?? (await browser.newPage());
      await page.setViewport({ width: 1360, height: 900 });
      // tsx compiles with keepNames: functions handed to page.evaluate call its `__name` helper.
      await page.evaluateOnNewDocument('globalThis.__name = (target) => target');
      page.on('console', (message) => consoleTexts.push(message.text()));
      page.on('pageerror', (error) => consoleTexts.push(`pageerror: ${String(error)}`));
      page.on('response', (response) => {
        try {
          answers.push({ path: new URL(response.url()).pathname, status: response.status() });
        } catch {
          /* data: URLs */
        }
      });
      await page.goto(`${demo.url}portal/`, { waitUntil: 'load', timeout: 60_000 });
      await page.waitForFunction(() => customElements.get('xtream-error-banner') && document.querySelectorAll('#player-failures button').length === 6, { timeout: 60_000 });
      await page.evaluate(() => localStorage.clear());
      await page.bringToFront();
    });

    after(async () => {
      await browser?.close();
      await demo?.stop();
    });

    async function signIn(panel: DemoPanelName, username: string, password: string): Promise<void> {
      await page.select('#panel', panel);
      await page.$eval('#username', (input) => ((input as HTMLInputElement).value = ''));
      await page.$eval('#password', (input) => ((input as HTMLInputElement).value = ''));
      await page.type('#username', username);
      await page.type('#password', password);
      await page.click('#signin');
      await page.waitForSelector('button.channel', { timeout: 15_000 });
    }

    /** The player's video time, sampled twice `gapMs` apart once it passed `min` seconds. */
    async function playsFor(min: number, gapMs = 1200): Promise<{ first: number; second: number; readyState: number }> {
      await page.waitForFunction((min) => (document.querySelector('#video') as HTMLVideoElement).currentTime > min, { timeout: 20_000 }, min);
      const first = await page.$eval('#video', (video) => (video as HTMLVideoElement).currentTime);
      await sleep(gapMs);
      const [second, readyState] = await page.$eval('#video', (video) => [(video as HTMLVideoElement).currentTime, (video as HTMLVideoElement).readyState]);
      return { first, second: second!, readyState: readyState! };
    }

    it('plays a live channel with hls.js and with mpegts.js through the adapters (classic panel, signed in as demo)', async () => {
      await signIn('classic', 'demo', 'test123');
      await page.select('#engine', 'hls');
      const before = answers.length;
      await page.click('button.channel[data-stream-id="1001"]');
      const hls = await playsFor(1.5);
      const hlsAnswers = answers.slice(before);
      const segments = hlsAnswers.filter((a) => a.path.startsWith('/hls/') && a.status === 200).length;
      const hlsState = await page.evaluate(() => ({ status: document.querySelector('#player')!.textContent, banner: (document.querySelector('#player-banner') as HTMLElement).hidden }));
      log(name, 'hls.js', { ...hls, segments, playlists: hlsAnswers.filter((a) => a.path.endsWith('/1001.m3u8')).map((a) => a.status), ...hlsState });

      await page.select('#engine', 'mpegts');
      const mark = answers.length;
      await page.click('button.channel[data-stream-id="1002"]');
      const ts = await playsFor(1.5);
      const tsAnswers = answers.slice(mark).filter((a) => a.path.endsWith('/1002.ts')).map((a) => a.status);
      const connections = demo.panels.classic.connections().filter((c) => c.user === 'demo' && c.streamId === 1002).length;
      const tsState = await page.evaluate(() => ({ status: document.querySelector('#player')!.textContent, banner: (document.querySelector('#player-banner') as HTMLElement).hidden }));
      log(name, 'mpegts.js', { ...ts, answers: tsAnswers, connections, ...tsState });

      assert.ok(hls.second > hls.first + 0.5, `hls.js: the picture moves on (${hls.first} → ${hls.second})`);
      assert.ok(hls.readyState >= 2, 'hls.js: a frame is decoded');
      assert.ok(segments >= 1, 'hls.js fetched segments (200)');
      assert.equal(hlsState.banner, true, 'no banner over a healthy channel');
      assert.match(hlsState.status ?? '', /playing with hls\.js/);
      assert.ok(ts.second > ts.first + 0.5, `mpegts.js: the picture moves on (${ts.first} → ${ts.second})`);
      assert.ok(ts.readyState >= 2, 'mpegts.js: a frame is decoded');
      assert.deepEqual(tsAnswers, [200], 'mpegts.js: one live MPEG-TS request, answered 200');
      assert.equal(connections, 1, 'the panel counts the MPEG-TS stream as one open connection');
      assert.equal(tsState.banner, true, 'no banner over a healthy channel');
      assert.match(tsState.status ?? '', /playing with mpegts\.js/);
      await page.click('#stop');
    });

    async function failures(panel: DemoPanelName, engine: 'hls' | 'mpegts', table: Failure[]): Promise<void> {
      await page.select('#panel', panel);
      await page.select('#engine', engine);
      const seen: Array<Failure & { shown?: string; text?: string; ip?: string; panelCodes: string[]; over: boolean; onTop: boolean; ms: number }> = [];
      for (const failure of table) {
        const logStart = demo.panels[panel].log().length;
        const started = Date.now();
        const [button] = await page.$$(`xpath/.//div[@id="player-failures"]/button[normalize-space()="${failure.label}"]`);
        assert.ok(button, `the button ${failure.label}`);
        await button.click();
        const state = await page
          .waitForFunction(
            (code) => {
              const banner = document.querySelector('#player-banner') as HTMLElement & { shown?: { code: string } };
              if (banner.hidden || banner.shown?.code !== code) return false;
              const text = banner.shadowRoot?.querySelector('[part~="code"]')?.textContent ?? '';
              return text.includes(code) ? text : false;
            },
            { timeout: 20_000 },
            failure.code,
          )
          .then((handle) => handle.jsonValue() as Promise<string>)
          .catch(() => undefined);
        const geometry = await page.evaluate(() => {
          const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
          const banner = box('#player-banner');
          const screen = box('#screen');
          const video = box('#video');
          const inside = banner.left >= screen.left - 1 && banner.right <= screen.right + 1 && banner.top >= screen.top - 1 && banner.bottom <= screen.bottom + 1;
          const overlaps = banner.width > 0 && banner.height > 0 && banner.top < video.bottom && banner.bottom > video.top && banner.left < video.right && banner.right > video.left;
          const hit = document.elementFromPoint(banner.left + banner.width / 2, banner.top + banner.height / 2);
          return {
            over: inside && overlaps,
            onTop: hit === document.querySelector('#player-banner'),
            shown: (document.querySelector('#player-banner') as HTMLElement & { shown?: { code: string } }).shown?.code,
          };
        });
        const entries = demo.panels[panel].log().slice(logStart).filter((entry) => entry.ip.startsWith('10.44.'));
        const ip = entries.find((entry) => /^\/live\//.test(entry.path))?.ip ?? entries[0]?.ip;
        const panelCodes = [...new Set(entries.filter((entry) => entry.ip === ip).map((entry) => entry.code))];
        if (failure.label === 'Banned IP' && ip) floodedOnPurpose[panel].push(ip);
        seen.push({ ...failure, shown: geometry.shown, text: state, ip, panelCodes, over: geometry.over, onTop: geometry.onTop, ms: Date.now() - started });
      }
      log(name, `${panel} failures (${engine})`, seen);
      for (const s of seen) {
        assert.equal(s.shown, s.code, `${s.label}: the banner over the player shows ${s.code}`);
        assert.ok(s.text?.includes(s.code), `${s.label}: the banner's support code reads ${s.code}`);
        assert.ok(s.over, `${s.label}: the banner sits over the video, inside the player`);
        assert.ok(s.onTop, `${s.label}: nothing covers the banner`);
        assert.ok(s.panelCodes.includes(s.logged), `${s.label}: the panel logged ${s.logged} for the client (${s.panelCodes.join(', ')})`);
      }
      const banned = demo.panels[panel].banList().map((ban) => ban.ip);
      assert.deepEqual(
        seen.filter((s) => s.ip && banned.includes(s.ip)).map((s) => s.label),
        ['Banned IP'],
        'the panel banned only the client flooded on purpose',
      );
      await page.click('#stop');
    }

    it('shows each failure of the classic panel over the hls.js player, with its code', () => failures('classic', 'hls', CLASSIC));

    it('shows each failure of the XC_VM panel over the mpegts.js player (replacement videos, fake 404s)', () => failures('xcvm', 'mpegts', XCVM));

    it('runs the naive-vs-guarded loop with real hls.js players: the panel bans the naive client, never the guarded one', async () => {
      await page.select('#panel', 'classic');
      const started = Date.now();
      await page.click('#loop-run');
      await page.waitForFunction(() => !(document.querySelector('#loop-check') as HTMLButtonElement).disabled, { timeout: 120_000 });
      const ran = Date.now() - started;
      const read = () =>
        page.evaluate(() => {
          const text = (id: string) => document.getElementById(id)!.textContent ?? '';
          const items = (id: string) => [...document.getElementById(id)!.children].map((li) => li.textContent ?? '');
          return { naiveIp: text('naive-ip'), guardedIp: text('guarded-ip'), naive: items('naive-log'), guarded: items('guarded-log'), naiveSummary: text('naive-summary'), guardedSummary: text('guarded-summary'), naiveBanner: (document.querySelector('#naive-banner') as HTMLElement & { shown?: { code: string } }).shown?.code, guardedBanner: (document.querySelector('#guarded-banner') as HTMLElement & { shown?: { code: string } }).shown?.code };
        });
      const loops = await read();
      const naiveIp = /\b(10\.66\.\d+\.\d+)\b/.exec(loops.naiveIp)?.[1] ?? '';
      const guardedIp = /\b(10\.77\.\d+\.\d+)\b/.exec(loops.guardedIp)?.[1] ?? '';
      if (naiveIp) floodedOnPurpose.classic.push(naiveIp);
      const panel = demo.panels.classic;
      const result = { ran, naiveIp, guardedIp, naiveBanned: panel.banList().some((b) => b.ip === naiveIp), guardedBanned: panel.banList().some((b) => b.ip === guardedIp), guardedFailures: panel.failures(guardedIp), naiveFailures: panel.failures(naiveIp) };
      log(name, 'loops', { ...loops, ...result });

      const checkStart = Date.now();
      await page.click('#loop-check');
      await page.waitForFunction(() => [...document.querySelectorAll('#guarded-log li')].some((li) => li.textContent?.startsWith('right password')), { timeout: 40_000 });
      const check = await read();
      const naiveRight = check.naive.find((t) => t.startsWith('right password')) ?? '';
      const guardedRight = check.guarded.find((t) => t.startsWith('right password')) ?? '';
      const t0 = await page.$eval('#guarded-video', (video) => (video as HTMLVideoElement).currentTime);
      await sleep(1000);
      const t1 = await page.$eval('#guarded-video', (video) => (video as HTMLVideoElement).currentTime);
      log(name, 'right password', { naiveRight, guardedRight, ms: Date.now() - checkStart, guardedVideo: [t0, t1] });

      assert.ok(naiveIp && guardedIp, 'both simulated clients are shown');
      assert.equal(result.naiveBanned, true, 'the panel banned the naive player');
      assert.equal(result.guardedBanned, false, 'the panel never banned the guarded player');
      assert.ok(result.guardedFailures < 10, `the guarded player stopped under the panel's block (${result.guardedFailures} failures)`);
      assert.ok(loops.naive.some((t) => /blocked/.test(t)), 'the naive log shows the block');
      assert.ok(loops.guarded.some((t) => /paused/.test(t)), 'the guarded log shows the pause');
      assert.equal(loops.naiveBanner, 'PANEL_BLOCK');
      assert.equal(loops.guardedBanner, 'AUTH_FAILED');
      assert.match(naiveRight, /refused/, 'the naive client is locked out, even with the right password');
      assert.match(guardedRight, /plays/, 'the guarded client plays with the right password');
      assert.ok(t1 > t0 + 0.3, `the guarded client's picture moves on (${t0} → ${t1})`);
    });

    it('never gets the viewer banned: only the clients flooded on purpose are', () => {
      const bans = Object.fromEntries(Object.entries(demo.panels).map(([panel, p]) => [panel, p.banList().map((b) => b.ip)]));
      const viewer = Object.fromEntries(Object.entries(demo.panels).map(([panel, p]) => [panel, p.failures('127.0.0.1')]));
      log(name, 'bans', { bans, floodedOnPurpose, viewerFailures: viewer });
      for (const panel of Object.keys(demo.panels) as DemoPanelName[]) {
        assert.deepEqual([...bans[panel]!].sort(), [...floodedOnPurpose[panel]].sort(), `${panel}: bans`);
        assert.ok(viewer[panel]! < 5, `${panel}: the viewer's own address stays under the panel's warning (${viewer[panel]} failures)`);
      }
      assert.ok(floodedOnPurpose.classic.length === 2 && floodedOnPurpose.xcvm.length === 1, 'the clients flooded on purpose were found');
    });

    it('keeps credentials out of the DOM (outside the inputs), storage and the console', async () => {
      const found = await page.evaluate((secrets) => {
        const hits: string[] = [];
        const visit = (root: Document | ShadowRoot) => {
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const text = walker.currentNode.textContent ?? '';
            if (secrets.some((s) => text.includes(s))) hits.push(`text: ${text.slice(0, 80)}`);
          }
          for (const element of root.querySelectorAll('*')) {
            for (const attribute of element.attributes) if (secrets.some((s) => attribute.value.includes(s))) hits.push(`<${element.localName} ${attribute.name}>`);
            if (element.shadowRoot) visit(element.shadowRoot);
          }
        };
        visit(document);
        for (const storage of [localStorage, sessionStorage]) {
          for (let i = 0; i < storage.length; i++) {
            const key = storage.key(i) ?? '';
            if (secrets.some((s) => `${key}${storage.getItem(key)}`.includes(s))) hits.push(`storage ${key}`);
          }
        }
        if (secrets.some((s) => document.cookie.includes(s))) hits.push('cookie');
        return hits;
      }, SECRETS);
      const inConsole = consoleTexts.filter((text) => SECRETS.some((s) => text.includes(s)));
      const errors = consoleTexts.filter((text) => text.startsWith('pageerror'));
      log(name, 'leaks', { found, inConsole, errors, consoleLines: consoleTexts.length });
      assert.deepEqual(found, []);
      assert.deepEqual(inConsole, []);
      assert.deepEqual(errors, []);
    });
  });
}
