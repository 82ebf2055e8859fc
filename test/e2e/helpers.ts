/**
 * e2e harness: builds the extension (test or shipped configuration) into a temporary folder, launches
 * Debian Chromium or Firefox ESR with it through puppeteer-core, and serves a small player site that
 * reverse-proxies the local panel (the page and its panel share an origin, as many portals do).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export type BrowserName = 'chrome' | 'firefox';
const root = resolve(import.meta.dirname, '..', '..');
const FIREFOX_UUID = '6d3a8f52-6b0e-4a5c-9a57-3c7be2f0e1a4';
const GECKO_ID = 'xtream-error-ux@xtream-error-ux.github.io';

const builds = new Map<string, string>();
const BUILD_FLAGS = { test: ['--test'], 'test-short': ['--test', '--short-durations'], shipped: [] } as const;
/**
 * Builds once per process: `test` (pre-granted 127.0.0.1, open shadow root), `test-short` (the same with the
 * guard's quiet period and mirrored blocks shortened to seconds) or `shipped` (what dist/ holds).
 */
export function buildExtension(kind: keyof typeof BUILD_FLAGS): string {
  const cached = builds.get(kind);
  if (cached) return cached;
  const out = mkdtempSync(join(tmpdir(), `xux-ext-${kind}-`));
  execFileSync(process.execPath, ['scripts/build-extension.mjs', '--out', out, ...BUILD_FLAGS[kind]], { cwd: root, stdio: 'pipe' });
  builds.set(kind, out);
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  return out;
}

export interface Harness {
  readonly name: BrowserName;
  readonly browser: Browser;
  readonly extensionId: string;
  /** `chrome-extension://id/` or `moz-extension://uuid/`. */
  readonly base: string;
  /** Runs `fn` in an extension page (the popup document) and returns its result. */
  inExtension<T>(fn: string): Promise<T>;
  /** Sends a runtime message from an extension page. */
  message<T>(message: unknown): Promise<T>;
  /**
   * Opens the extension's real popup for `page`, the way a person does: Chromium's `Extensions.triggerAction`
   * (the toolbar click, activeTab included); in Firefox a synthesized click on the toolbar button.
   */
  openPopup(page: Page): Promise<Popup>;
  close(): Promise<void>;
}

/** The toolbar popup, opened for a page. */
export interface Popup {
  text(): Promise<string>;
  /** A real (trusted) click on the first element matching `selector`: a user gesture. */
  click(selector: string): Promise<void>;
}

interface BidiConnection {
  send(method: string, params: unknown): Promise<unknown>;
}

/** Firefox only (needs --remote-allow-system-access): evaluates `expression` in the browser window's chrome scope. */
async function chromeEval(browser: Browser, expression: string): Promise<unknown> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  const unwrap = (answer: unknown) => ((answer as { result?: unknown }).result ?? answer) as Record<string, unknown>;
  const tree = unwrap(await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })) as { contexts: Array<{ context: string; url: string }> };
  const window = tree.contexts.find((context) => context.url === 'chrome://browser/content/browser.xhtml') ?? tree.contexts[0]!;
  const answer = unwrap(await connection.send('script.evaluate', { expression, target: { context: window.context }, awaitPromise: true, resultOwnership: 'none' }));
  if (answer.type === 'exception') throw new Error(`chrome scope: ${JSON.stringify(answer.exceptionDetails).slice(0, 300)}`);
  return (answer.result as { value?: unknown } | undefined)?.value;
}

/** EventUtils (shipped with Firefox's remote agent) in the browser window, for trusted synthesized input. */
const CHROME_EVENT_UTILS = `const EU = { window, parent: window, _EU_Ci: Ci, _EU_Cc: Cc };
  Services.scriptloader.loadSubScript('chrome://remote/content/external/EventUtils.js', EU);`;
const popupBrowser = `[...document.querySelectorAll('browser')].find((b) => (b.currentURI?.spec ?? '').includes('/popup/popup.html'))`;

const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

export async function launch(name: BrowserName, extensionDir: string, options: { lang?: string } = {}): Promise<Harness> {
  const lang = options.lang ?? 'en-US';
  const browser =
    name === 'chrome'
      ? await puppeteer.launch({
          executablePath: '/usr/lib/chromium/chromium',
          headless: true,
          pipe: true,
          enableExtensions: true,
          args: [...CHROME_ARGS, `--lang=${lang}`, `--accept-lang=${lang}`],
          env: { ...process.env, LANGUAGE: lang.replace('-', '_'), LANG: `${lang.replace('-', '_')}.UTF-8` },
        })
      : await puppeteer.launch({
          browser: 'firefox',
          executablePath: '/usr/bin/firefox-esr',
          headless: true,
          enableExtensions: true,
          // Lets the harness reach the browser's own window (toolbar button, extension popup): see openPopup.
          args: ['--remote-allow-system-access'],
          extraPrefsFirefox: {
            'intl.accept_languages': lang,
            'intl.locale.requested': lang,
            // A fixed moz-extension:// UUID, so tests can open the extension's pages.
            'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
            // Optional permissions granted without a doorhanger (only the permissions.onAdded test asks).
            'extensions.webextOptionalPermissionPrompts': false,
          },
        });
  const extensionId = await browser.installExtension(extensionDir);
  const base = name === 'chrome' ? `chrome-extension://${extensionId}/` : `moz-extension://${FIREFOX_UUID}/`;
  // Test builds open options/options.html?e2e themselves: Firefox's BiDi won't navigate to moz-extension://.
  let extensionPage: Page | undefined;
  const page = async () => {
    if (!extensionPage || extensionPage.isClosed()) {
      // (Firefox reports such a tab's URL as about:blank: ask the document itself.)
      await waitFor(async () => {
        for (const candidate of await browser.pages()) {
          const href = await candidate.evaluate('location.href').catch(() => '');
          if (typeof href === 'string' && href.startsWith(`${base}options/options.html`)) {
            extensionPage = candidate;
            return true;
          }
        }
        return false;
      }, 15_000, 200);
    }
    return extensionPage;
  };
  const harness: Harness = {
    name,
    browser,
    extensionId,
    base,
    async inExtension<T>(fn: string) {
      const target = (await page())!;
      // A page found while it still loads (the install-time tab, in Firefox) has no extension API for a moment.
      await waitFor(async () => (await target.evaluate('Boolean(globalThis.browser ?? globalThis.chrome)').catch(() => false)) === true, 10_000, 50);
      return target.evaluate(`(async () => { const api = globalThis.browser ?? globalThis.chrome; ${fn} })()`) as Promise<T>;
    },
    message<T>(message: unknown) {
      return harness.inExtension<T>(`return api.runtime.sendMessage(${JSON.stringify(message)});`);
    },
    async openPopup(target: Page): Promise<Popup> {
      if (name === 'chrome') {
        const extension = (await browser.extensions()).get(extensionId);
        if (!extension) throw new Error('extension not found');
        await target.bringToFront();
        await target.triggerExtensionAction(extension);
        const popupTarget = await browser.waitForTarget((candidate) => candidate.url().startsWith(`${base}popup/popup.html`), { timeout: 10_000 });
        const popup = (await popupTarget.asPage())!;
        return {
          text: () => popup.evaluate(() => document.body.innerText),
          click: (selector) => popup.click(selector),
        };
      }
      // Firefox: select the page's tab, pin the action to the toolbar and click it (EventUtils: trusted input).
      const href = target.url();
      await chromeEval(
        browser,
        `(() => {
          const tab = gBrowser.tabs.find((candidate) => candidate.linkedBrowser.currentURI.spec === ${JSON.stringify(href)});
          if (!tab) throw new Error('no tab for the page');
          gBrowser.selectedTab = tab;
          // Firefox's widget id: the add-on id, lower case, [^a-z0-9_-] → '_', plus '-browser-action'.
          const widgetId = ${JSON.stringify(`${GECKO_ID.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}-browser-action`)};
          CustomizableUI.addWidgetToArea(widgetId, CustomizableUI.AREA_NAVBAR);
          const node = CustomizableUI.getWidget(widgetId).forWindow(window).node;
          ${CHROME_EVENT_UTILS}
          EU.synthesizeMouseAtCenter(node.querySelector('.unified-extensions-item-action-button') ?? node, {}, window);
          return true;
        })()`,
      );
      const popupView = (expression: string) =>
        harness.inExtension<unknown>(`const [view] = api.extension.getViews({ type: 'popup' }); if (!view || view.document.readyState !== 'complete') return null; return ${expression};`);
      await waitFor(async () => (await popupView('view.document.body.innerText.length > 0').catch(() => null)) === true, 10_000, 100);
      return {
        text: async () => String(await popupView('view.document.body.innerText')),
        async click(selector) {
          await waitFor(async () => (await popupView(`!!view.document.querySelector(${JSON.stringify(selector)})`)) === true, 10_000, 100);
          const rect = JSON.parse(String(await popupView(`JSON.stringify(view.document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect())`))) as DOMRect;
          await chromeEval(
            browser,
            `(() => { ${CHROME_EVENT_UTILS}
              EU.synthesizeMouse(${popupBrowser}, ${rect.x + rect.width / 2}, ${rect.y + rect.height / 2}, {}, window);
              return true; })()`,
          );
        },
      };
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
  // Wait until the background registered the content scripts for the pre-granted origin.
  await waitFor(async () => {
    const scripts = await harness.inExtension<unknown[]>('return api.scripting.getRegisteredContentScripts();').catch(() => []);
    return scripts.length > 0 || !(await harness.inExtension<boolean>("return (await api.permissions.getAll()).origins.length > 0;").catch(() => false));
  }, 10_000);
  return harness;
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, stepMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

export const PLAYER_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Player</title>
<style>body{font:16px system-ui;margin:0;background:#111;color:#eee} header{padding:12px 16px;background:#222}
video{display:block;width:100%;max-width:960px;aspect-ratio:16/9;background:#000;margin:16px auto}
#log{font:12px monospace;padding:0 16px;white-space:pre-wrap}</style></head>
<body><header>My IPTV — web player</header><video controls muted></video><div id="log"></div>
<script>
  // Helpers the tests (and the bench) drive: a player retrying blindly, by fetch or by XHR.
  window.api = (user, pass, action) => '/player_api.php?username=' + encodeURIComponent(user) + '&password=' + encodeURIComponent(pass) + (action ? '&action=' + action : '');
  window.fetchJson = async (url) => { try { const r = await fetch(url); const text = await r.text(); return { status: r.status, length: text.length }; } catch (e) { return { error: String(e && e.name) }; } };
  window.xhr = (url) => new Promise((resolve) => { const x = new XMLHttpRequest(); x.open('GET', url); x.onload = () => resolve({ status: x.status }); x.onerror = () => resolve({ error: 'network' }); x.send(); });
  window.loop = async (kind, url, rounds, parallel) => {
    const results = [];
    for (let i = 0; i < rounds; i++) {
      const batch = [];
      for (let j = 0; j < parallel; j++) batch.push(kind === 'xhr' ? window.xhr(url) : window.fetchJson(url));
      results.push(...(await Promise.all(batch)));
    }
    return results;
  };
</script></body></html>`;

export interface PlayerSite {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Serves /player.html and reverse-proxies everything else to the panel, streaming, byte for byte.
 * `latencyMs` holds each proxied answer that long (a panel across the internet rather than on loopback).
 */
export async function startPlayerSite(panelUrl: string, options: { latencyMs?: number } = {}): Promise<PlayerSite> {
  const latencyMs = options.latencyMs ?? 0;
  const panel = new URL(panelUrl);
  const server: Server = createServer((req, res) => {
    if (req.url === '/player.html' || req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PLAYER_HTML);
      return;
    }
    const upstream = httpRequest(
      { host: panel.hostname, port: panel.port, path: req.url, method: req.method, headers: { ...req.headers, host: panel.host } },
      (answer) => {
        const forward = () => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (latencyMs > 0) setTimeout(forward, latencyMs);
        else forward();
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** The banner texts the page shows (test builds keep the shadow root open). */
export async function bannerText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector('xtream-error-ux-extension');
    return host?.shadowRoot?.querySelector(".stack")?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  });
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
