// @web/test-runner: the component tests in the Debian Chromium and Firefox ESR installed on the machine
// (no browser downloads). Firefox runs through puppeteer-core over WebDriver BiDi.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import * as puppeteerCore from 'puppeteer-core';

/** Source locale files are served as ES modules (`export default {…}`), as bundlers import JSON. */
const localeJsonModules = {
  name: 'locale-json-modules',
  transform(context) {
    if (/^\/locales\/.+\.json$/.test(context.path)) return { body: `export default ${context.body};`, type: 'js' };
  },
};

export const CSP = "script-src 'self'; style-src 'self'; require-trusted-types-for 'script'";

/** The script-tag build the page tests load: rebuilt when missing or older than any source. */
function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestSource(path) : stat.mtimeMs);
  }
  return newest;
}
const bundle = 'dist/xtream-error-ux.js';
const stale = !existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(...['components', 'core', 'locales'].map(newestSource));
if (stale && !process.env.XTREAM_SKIP_BUILD) {
  console.log('dist/ is missing or stale: running scripts/build-lib.mjs');
  const run = spawnSync(process.execPath, ['scripts/build-lib.mjs'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('library build failed');
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

const only = process.env.BROWSERS?.split(',');
/** Both browsers; `firefoxPrefs` set Firefox preferences (it has no media emulation over WebDriver BiDi). */
const launchers = (firefoxPrefs = {}) =>
  [
    chromeLauncher({ launchOptions: { executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs } }),
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, extraPrefsFirefox: firefoxPrefs },
    }),
  ].filter((_, index) => !only || only.includes(index === 0 ? 'chromium' : 'firefox'));

/**
 * `emulate-media-features`: Chromium emulates the given media features over CDP; Firefox answers false and the
 * media group's preferences apply instead (the tests check the media queries match either way).
 */
const emulateMediaFeatures = {
  name: 'emulate-media-features',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-media-features') return undefined;
    const page = session.browser.getPage?.(session.id);
    if (!page || session.browser.name !== 'Chrome') return false;
    // Over CDP directly: puppeteer's emulateMediaFeatures refuses forced-colors. The session stays attached, as
    // emulation ends with the session that set it.
    const cdp = await page.createCDPSession();
    await cdp.send('Emulation.setEmulatedMedia', { features: payload });
    return true;
  },
};

export default {
  files: ['test/browser/**/*.test.ts', '!test/browser/media/**'],
  groups: [
    {
      name: 'media',
      files: ['test/browser/media/**/*.test.ts'],
      // Firefox: "override the page's colours: always" is its forced-colours mode; reduced motion by preference.
      browsers: launchers({ 'browser.display.document_color_use': 2, 'ui.prefersReducedMotion': 1 }),
    },
  ],
  nodeResolve: true,
  concurrency: 2,
  concurrentBrowsers: 2,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 20_000 } },
  browsers: launchers(),
  // Source locale files are imported as modules; dist/locales/** stay JSON (the script-tag build fetches them).
  mimeTypes: { 'locales/**/*.json': 'js' },
  middleware: [
    async function contentSecurityPolicy(context, next) {
      await next();
      if (context.path.startsWith('/test/browser/fixtures/csp')) context.set('Content-Security-Policy', CSP);
    },
  ],
  plugins: [emulateMediaFeatures, localeJsonModules, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
};
