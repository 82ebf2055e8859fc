/**
 * The player adapters (players/hls.ts, players/mpegts.ts, players/videojs.ts): what each costs a player, and
 * its size.
 *
 * - hls.js: the loader hls.js loads every playlist and fragment with (`Hls.DefaultConfig.loader`, its
 *   XhrLoader) against `createHlsLoader(Hls, { guard })` around it, in Chromium, fragments from a local media
 *   server: small fragments for the time each request takes (and what the adapter adds to it), large ones for
 *   media throughput.
 * - mpegts.js: the loader mpegts.js reads a live `.ts` with (its FetchStreamLoader, from the package's source)
 *   against `createMpegtsLoader(mpegts, { guard })`, the same long body read to its end: throughput.
 * - Sizes: each adapter minified and gzipped with what it adds to `xtream-error-ux/core` (the portal has core
 *   for guardedFetch already), and standalone with the part of core it pulls in.
 *
 * Each loader is driven the way its player drives it (hls.js: `load(context, config, callbacks)`; mpegts.js:
 * `open(dataSource, range)` with `onDataArrival` / `onComplete`), so the numbers are the adapter's own cost
 * on the request path, without the decoding and rendering that would bury it. Variants are interleaved,
 * rounds paired; nothing is asserted.
 */
import { build, type Plugin } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startMediaServer } from './guarded-fetch.js';
import type { BenchRow } from './run.js';
import { median, minus, over, paired } from './stats.js';

const CHROMIUM = '/usr/lib/chromium/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MB = 1024 * 1024;

const SMALL_BYTES = 32 * 1024;
const SMALL_REQUESTS = 300;
const SMALL_ROUNDS = 16;
const LARGE_BYTES = 32 * MB;
const LARGE_ROUNDS = 10;
const LIVE_BYTES = 64 * MB;
const LIVE_ROUNDS = 10;

/** Everything under core/ left out: what an adapter adds to a portal that has `xtream-error-ux/core`. */
const coreExternal: Plugin = {
  name: 'core-external',
  setup(plugin) {
    plugin.onResolve({ filter: /\/core\// }, (args) => ({ path: args.path, external: true }));
  },
};

async function gzipSize(entry: string, withCore: boolean): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2021',
    write: false,
    plugins: withCore ? [] : [coreExternal],
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}

async function benchSizes(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [name, file] of [
    ['xtream-error-ux/hls', 'players/hls.ts'],
    ['xtream-error-ux/mpegts', 'players/mpegts.ts'],
    ['xtream-error-ux/videojs', 'players/videojs.ts'],
  ] as const) {
    const entry = `${ROOT}${file}`;
    rows.push({ name: `${name}: minified + gzip, on top of xtream-error-ux/core`, value: await gzipSize(entry, false), unit: 'B', target: '≤ 2048 B' });
    rows.push({ name: `${name}: the same with the part of core it uses (a portal without core)`, value: await gzipSize(entry, true), unit: 'B' });
  }
  return rows;
}

/** The page's side: the real players' loaders, plain and adapted, and the guard. */
async function pageBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: [
        "export { default as Hls } from 'hls.js';",
        "export { default as mpegts } from 'mpegts.js';",
        "export { default as FetchStreamLoader } from 'mpegts.js/src/io/fetch-stream-loader.js';",
        "export { default as RangeSeekHandler } from 'mpegts.js/src/io/range-seek-handler.js';",
        "export { createHlsLoader } from './players/hls.ts';",
        "export { createMpegtsLoader } from './players/mpegts.ts';",
        "export { createFloodGuard } from './core/flood-guard.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'BenchPlayers',
    target: 'es2021',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

interface PageRuns {
  hlsSmall: { plain: number[]; guarded: number[] };
  hlsLarge: { plain: number[]; guarded: number[] };
  live: { plain: number[]; guarded: number[] };
}

/** Runs in the page (a string: tsx's helpers do not exist there). Times in ms, sizes in bytes. */
const PAGE_RUN = (media: string) => `(async () => {
  const { Hls, mpegts, FetchStreamLoader, RangeSeekHandler, createHlsLoader, createMpegtsLoader, createFloodGuard } = BenchPlayers;
  mpegts.LoggingControl.enableAll = false;
  const guard = createFloodGuard();
  const hls = { plain: Hls.DefaultConfig.loader, guarded: createHlsLoader(Hls, { guard }) };
  const ts = { plain: FetchStreamLoader, guarded: createMpegtsLoader(mpegts, { guard }) };
  const policy = { maxTimeToFirstByteMs: 30000, maxLoadTimeMs: 120000, timeoutRetry: null, errorRetry: null };
  const hlsLoad = (Loader, url) => new Promise((resolve, reject) => {
    const loader = new Loader(Hls.DefaultConfig);
    loader.load({ url, responseType: 'arraybuffer' }, { loadPolicy: policy, timeout: 120000, maxRetry: 0, retryDelay: 0, maxRetryDelay: 0 }, {
      onSuccess: (response) => { const bytes = response.data.byteLength; loader.destroy(); resolve(bytes); },
      onError: (error) => { loader.destroy(); reject(new Error('hls.js: ' + error.code + ' ' + error.text)); },
      onTimeout: () => { loader.destroy(); reject(new Error('hls.js: timeout')); },
    });
  });
  const config = { seekType: 'range', reuseRedirectedURL: false };
  const tsLoad = (Loader, url) => new Promise((resolve, reject) => {
    const loader = new Loader(new RangeSeekHandler(false), config);
    let bytes = 0;
    loader.onDataArrival = (chunk) => { bytes += chunk.byteLength; };
    loader.onComplete = () => { loader.destroy(); resolve(bytes); };
    loader.onError = (type, info) => { loader.destroy(); reject(new Error('mpegts.js: ' + type + ' ' + (info && info.msg))); };
    loader.open({ url, cors: true, withCredentials: false }, { from: 0, to: -1 });
  });
  let n = 0;
  const fragment = (size) => ${JSON.stringify(media)} + '/hls/benchtoken/1001_' + (n++) + '.ts?size=' + size;
  const live = (size) => ${JSON.stringify(media)} + '/live/bench/bench/1001.ts?size=' + size + '&n=' + (n++);
  const timed = async (work) => { const start = performance.now(); await work(); return performance.now() - start; };
  const small = (name) => timed(async () => {
    for (let i = 0; i < ${SMALL_REQUESTS}; i++) if ((await hlsLoad(hls[name], fragment(${SMALL_BYTES}))) !== ${SMALL_BYTES}) throw new Error('short fragment');
  }).then((ms) => ms / ${SMALL_REQUESTS});
  const large = (name) => timed(async () => {
    if ((await hlsLoad(hls[name], fragment(${LARGE_BYTES}))) !== ${LARGE_BYTES}) throw new Error('short fragment');
  });
  const stream = (name) => timed(async () => {
    if ((await tsLoad(ts[name], live(${LIVE_BYTES}))) !== ${LIVE_BYTES}) throw new Error('short stream');
  });
  const interleaved = async (rounds, run) => {
    const out = { plain: [], guarded: [] };
    await run('plain'); await run('guarded');
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['guarded', 'plain'] : ['plain', 'guarded'];
      for (const name of order) out[name].push(await run(name));
    }
    return out;
  };
  return {
    hlsSmall: await interleaved(${SMALL_ROUNDS}, small),
    hlsLarge: await interleaved(${LARGE_ROUNDS}, large),
    live: await interleaved(${LIVE_ROUNDS}, stream),
  };
})()`;

async function benchLoaders(): Promise<BenchRow[]> {
  const media = await startMediaServer();
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, pipe: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${media.url}/`);
    await page.addScriptTag({ content: await pageBundle() });
    const runs = (await page.evaluate(PAGE_RUN(media.url))) as PageRuns;
    const version = await browser.version();
    const throughput = (bytes: number, ms: number[]): number[] => ms.map((time) => bytes / MB / (time / 1000));
    const hlsLarge = { plain: throughput(LARGE_BYTES, runs.hlsLarge.plain), guarded: throughput(LARGE_BYTES, runs.hlsLarge.guarded) };
    const live = { plain: throughput(LIVE_BYTES, runs.live.plain), guarded: throughput(LIVE_BYTES, runs.live.guarded) };
    return [
      { name: `${version}: hls.js loader, ${SMALL_REQUESTS} fragments of ${SMALL_BYTES / 1024} KB one after another (median of ${SMALL_ROUNDS} rounds)`, value: median(runs.hlsSmall.plain), unit: 'ms/request' },
      {
        name: `${version}: the same through createHlsLoader (interleaved)`,
        value: median(runs.hlsSmall.guarded),
        unit: 'ms/request',
        ratio: paired(runs.hlsSmall.guarded, runs.hlsSmall.plain, over),
      },
      {
        name: `${version}: what createHlsLoader adds to each request (median paired difference)`,
        value: paired(runs.hlsSmall.guarded, runs.hlsSmall.plain, minus) * 1000,
        unit: 'µs/request',
        target: '≤ 20 µs',
      },
      { name: `${version}: hls.js loader, one ${LARGE_BYTES / MB} MB fragment (median of ${LARGE_ROUNDS}, throughput)`, value: median(hlsLarge.plain), unit: 'MB/s' },
      {
        name: `${version}: the same through createHlsLoader (interleaved, throughput; ratio: median of paired rounds)`,
        value: median(hlsLarge.guarded),
        unit: 'MB/s',
        ratio: paired(hlsLarge.guarded, hlsLarge.plain, over),
        target: '≥ 0.99× throughput',
      },
      { name: `${version}: mpegts.js FetchStreamLoader, a live .ts read to ${LIVE_BYTES / MB} MB (median of ${LIVE_ROUNDS}, throughput)`, value: median(live.plain), unit: 'MB/s' },
      {
        name: `${version}: the same through createMpegtsLoader (interleaved, throughput; ratio: median of paired rounds)`,
        value: median(live.guarded),
        unit: 'MB/s',
        ratio: paired(live.guarded, live.plain, over),
        target: '≥ 0.99× throughput',
      },
    ];
  } finally {
    await browser.close();
    media.child.kill();
  }
}

export async function benchPlayers(): Promise<BenchRow[]> {
  return [...(await benchSizes()), ...(await benchLoaders())];
}
