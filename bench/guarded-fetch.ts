/**
 * guardedFetch versus fetch against the local panel, side by side in one run:
 * 2,000 small API requests (time per request), and a 256 MB stream read through each
 * (throughput, and memory growth while reading — a bulk body must never be buffered).
 */
import { createFloodGuard } from '../core/flood-guard.js';
import { guardedFetch } from '../core/guarded-fetch.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.js';

const SMALL_REQUESTS = 2_000;
const ROUNDS = 10;
const STREAM_BYTES = 256 * 1024 * 1024;

type Fetcher = (url: string) => Promise<Response>;

async function smallRequests(fetcher: Fetcher, url: string, count: number): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < count; index++) {
    const response = await fetcher(url);
    await response.text();
  }
  return performance.now() - start;
}

/** Reads a whole stream, sampling memory as it goes; returns ms, bytes and the largest growth seen. */
async function readStream(fetcher: Fetcher, url: string): Promise<{ ms: number; bytes: number; growth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage();
  const before = baseline.rss;
  let growth = 0;
  const start = performance.now();
  const response = await fetcher(url);
  const reader = response.body!.getReader();
  let bytes = 0;
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (++chunks % 256 === 0) growth = Math.max(growth, process.memoryUsage().rss - before);
  }
  const ms = performance.now() - start;
  growth = Math.max(growth, process.memoryUsage().rss - before);
  return { ms, bytes, growth };
}

/**
 * The panel runs in its own process, as a real panel would: in this one it would share the event loop
 * and the CPU with the client, and its byte generation would be timed as the client's reading.
 */
async function startPanelProcess(): Promise<{ url: string; child: ChildProcess }> {
  const cli = fileURLToPath(new URL('../demo/panel/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--flood', 'off'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the panel exited (${code}) before listening`)));
  });
  child.stdout!.resume();
  return { url, child };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchGuardedFetch(): Promise<BenchRow[]> {
  const panel = await startPanelProcess();
  try {
    const guard = createFloodGuard();
    const plain: Fetcher = (url) => fetch(url);
    const guarded: Fetcher = (url) => guardedFetch(url, undefined, { guard });
    const api = `${panel.url}/player_api.php?username=demo&password=test123&action=get_live_categories`;
    const movie = `${panel.url}/movie/demo/test123/2001.mp4?size=${STREAM_BYTES}`;

    // Warm both paths (connections, JIT), then alternate rounds so that drift hits both alike.
    await smallRequests(plain, api, 200);
    await smallRequests(guarded, api, 200);
    const perRound = SMALL_REQUESTS / ROUNDS;
    const plainMs: number[] = [];
    const guardedMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plainMs.push(await smallRequests(plain, api, perRound));
      guardedMs.push(await smallRequests(guarded, api, perRound));
    }
    const plainTotal = plainMs.reduce((sum, ms) => sum + ms, 0);
    const guardedTotal = guardedMs.reduce((sum, ms) => sum + ms, 0);
    const plainPer = median(plainMs) / perRound;
    const guardedPer = median(guardedMs) / perRound;

    // The stream: fetch and guarded alternately, three times each — the best of each.
    const plainStream: Array<{ ms: number; bytes: number; growth: number }> = [];
    const guardedStream: typeof plainStream = [];
    for (let round = 0; round < 3; round++) {
      plainStream.push(await readStream(plain, movie));
      guardedStream.push(await readStream(guarded, movie));
    }
    const throughput = (run: { ms: number; bytes: number }) => run.bytes / 1e6 / (run.ms / 1000);
    const plainMBps = Math.max(...plainStream.map(throughput));
    const guardedMBps = Math.max(...guardedStream.map(throughput));
    const plainGrowth = Math.min(...plainStream.map((run) => run.growth));
    const guardedGrowth = Math.min(...guardedStream.map((run) => run.growth));
    const MB = 1024 * 1024;

    return [
      { name: `fetch: ${SMALL_REQUESTS} small API requests (median ms per request)`, value: plainPer, unit: 'ms/request' },
      {
        name: `guardedFetch: ${SMALL_REQUESTS} small API requests (median ms per request)`,
        value: guardedPer,
        unit: 'ms/request',
        ratio: guardedPer / plainPer,
        target: '≤ 1.03× fetch',
      },
      { name: `guardedFetch ÷ fetch, total time of all ${SMALL_REQUESTS} requests`, value: guardedTotal / plainTotal, unit: '×', ratio: guardedTotal / plainTotal, target: '≤ 1.03×' },
      { name: 'guardedFetch overhead per small API request (clone, classify, guard)', value: ((guardedTotal - plainTotal) / SMALL_REQUESTS) * 1000, unit: 'µs/request' },
      { name: `fetch: ${STREAM_BYTES / MB} MB stream read`, value: plainMBps, unit: 'MB/s' },
      {
        name: `guardedFetch: ${STREAM_BYTES / MB} MB stream read`,
        value: guardedMBps,
        unit: 'MB/s',
        ratio: guardedMBps / plainMBps,
        target: '≥ 0.99× fetch throughput',
      },
      { name: 'fetch: memory growth while reading the stream (RSS)', value: plainGrowth / MB, unit: 'MB' },
      {
        name: 'guardedFetch: memory growth while reading the stream (RSS)',
        value: guardedGrowth / MB,
        unit: 'MB',
        target: 'no growth beyond fetch’s (the body is never buffered)',
      },
    ];
  } finally {
    panel.child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchGuardedFetch()) console.log(row);
}
