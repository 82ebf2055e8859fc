#!/usr/bin/env node
/**
 * Builds the companion extension from manifest.json (the single source) into
 *   dist/extension/chrome/   dist/extension/chrome.zip
 *   dist/extension/firefox/  dist/extension/firefox.zip
 *
 * Background, content script and main-world tap are bundled by esbuild as classic scripts (IIFE): Chrome's
 * service worker could be a module, but Firefox's background scripts and every content script cannot. The
 * popup and options pages load ES modules and share one chunk.
 * Locale JSON is copied for runtime loading (service workers forbid import()), `_locales/<lng>/messages.json`
 * is generated from locales/<lng>/extension.json for the store name and description.
 *
 * `--test` makes a test build (test/e2e only; never shipped, never written to dist/ unless `--out` says so):
 * it pre-grants http://127.0.0.1/* and opens the banner's shadow root so tests can read it.
 * `--short-durations` (with `--test` only) shortens the guard's quiet period and mirrored blocks to seconds,
 * so a test can watch an alarm end a pause.
 * `--out <dir>` writes elsewhere; `--browser chrome|firefox` builds one.
 */
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};
const testBuild = flag('--test');
/** Test builds only: seconds instead of the panel's minutes and hour. */
const testThresholds = testBuild && flag('--short-durations') ? { quietMs: 6_000, blockMs: 6_000, extendedMs: 10_000 } : null;
const outRoot = resolve(root, option('--out') ?? 'dist/extension');
const browsers = option('--browser') ? [option('--browser')] : ['chrome', 'firefox'];

/** Classic scripts (IIFE): Firefox's background scripts and every content script can't be ES modules. */
const SCRIPTS = {
  background: 'extension/background/index.ts',
  'content/banners': 'extension/content/banners.ts',
  'page/tap': 'extension/page/tap.ts',
};
/** The extension's own pages load ES modules, so popup and options share one chunk (lit, components, core). */
const PAGES = {
  'popup/popup': 'extension/popup/popup.ts',
  'options/options': 'extension/options/options.ts',
};
const STATIC = ['extension/popup/popup.html', 'extension/options/options.html'];
const TARGETS = { chrome: ['chrome120'], firefox: ['firefox140'] };
/** Chrome's _locales folder names. */
const storeLocale = (lng) => lng.replace('-', '_');

function manifestFor(browser) {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  manifest.version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (testBuild) {
    manifest.name = `${manifest.name} (test build)`;
    manifest.host_permissions = ['http://127.0.0.1/*'];
  }
  return manifest;
}

/**
 * i18next → components/i18next-lite.ts, as in the script-tag build: the extension uses only what core/i18n and
 * the elements use (resource bundles, getFixedT, `{{var}}`, plural suffixes, fallback to English), which the lite
 * resolver gives key for key like i18next (test/browser/i18next-lite.test.ts, every locale). Real i18next is
 * ~40 KB minified in each bundle that imports core/i18n — the background and content script included, where
 * its module-level side effects kept it even unused.
 */
const i18nextLite = {
  name: 'i18next-lite',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^i18next$/ }, () => ({ path: join(root, 'components/i18next-lite.ts') }));
  },
};

async function bundle(browser, out) {
  const common = {
    outdir: out,
    bundle: true,
    target: TARGETS[browser],
    platform: 'browser',
    // Whitespace and syntax only: names stay, so stack traces and store reviewers can still read the code.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    treeShaking: true,
    legalComments: 'inline',
    charset: 'utf8',
    logLevel: 'warning',
    plugins: [i18nextLite],
    define: {
      __XUX_TEST_BUILD__: JSON.stringify(testBuild),
      __XUX_BROWSER__: JSON.stringify(browser),
      __XUX_TEST_THRESHOLDS__: JSON.stringify(testThresholds),
    },
  };
  const entries = (map) => Object.fromEntries(Object.entries(map).map(([name, file]) => [name, join(root, file)]));
  await build({ ...common, entryPoints: entries(SCRIPTS), format: 'iife' });
  await build({ ...common, entryPoints: entries(PAGES), format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
}

function copyLocales(out) {
  const languages = JSON.parse(readFileSync(join(root, 'locales/index.json'), 'utf8'));
  mkdirSync(join(out, 'locales'), { recursive: true });
  cpSync(join(root, 'locales/index.json'), join(out, 'locales/index.json'));
  for (const { code } of languages) {
    const from = join(root, 'locales', code);
    if (!existsSync(from)) continue;
    // ui.json, the four errors-*.json (core/i18n's LOCALE_FILES) and extension.json.
    for (const file of readdirSync(from).filter((name) => name.endsWith('.json'))) {
      cpSync(join(from, file), join(out, 'locales', code, file));
    }
    const extension = existsSync(join(from, 'extension.json')) ? JSON.parse(readFileSync(join(from, 'extension.json'), 'utf8')) : undefined;
    if (!extension) continue;
    const messages = {};
    for (const key of ['name', 'shortName', 'description', 'actionTitle']) {
      if (typeof extension[key] === 'string') messages[key] = { message: extension[key].slice(0, key === 'description' ? 132 : 75) };
    }
    mkdirSync(join(out, '_locales', storeLocale(code)), { recursive: true });
    writeFileSync(join(out, '_locales', storeLocale(code), 'messages.json'), `${JSON.stringify(messages, null, 2)}\n`);
  }
}

// ── icons: drawn here so the repository holds no binaries ──────────────────
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y, size), y * (size * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A rounded blue square holding a white exclamation mark. */
function iconPixel(x, y, size) {
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  const r = 0.2;
  const dx = Math.max(r - u, 0, u - (1 - r));
  const dy = Math.max(r - v, 0, v - (1 - r));
  const inside = dx * dx + dy * dy <= r * r;
  if (!inside) return [0, 0, 0, 0];
  const bar = Math.abs(u - 0.5) < 0.09 && v > 0.18 && v < 0.62;
  const dot = (u - 0.5) ** 2 + (v - 0.78) ** 2 < 0.1 ** 2;
  return bar || dot ? [255, 255, 255, 255] : [9, 105, 218, 255];
}

function writeIcons(out) {
  mkdirSync(join(out, 'icons'), { recursive: true });
  for (const size of [16, 32, 48, 128]) writeFileSync(join(out, 'icons', `${size}.png`), png(size, iconPixel));
}

// ── zip (stored deflate entries, no external tool) ─────────────────────────
function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function zip(dir, target) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of filesUnder(dir).sort()) {
    const name = Buffer.from(relative(dir, file).split('\\').join('/'));
    const data = readFileSync(file);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01: reproducible archives
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(target, Buffer.concat([...locals, ...centrals, end]));
}

for (const browser of browsers) {
  const out = join(outRoot, browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await bundle(browser, out);
  for (const file of STATIC) cpSync(join(root, file), join(out, relative('extension', file)));
  copyLocales(out);
  writeIcons(out);
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifestFor(browser), null, 2)}\n`);
  zip(out, join(outRoot, `${browser}.zip`));
  console.log(`  ${relative(root, out)}/ and ${relative(root, join(outRoot, `${browser}.zip`))}${testBuild ? ` (test build${testThresholds ? ', short durations' : ''})` : ''}`);
}
