/**
 * guardedFetch versus fetch, side by side in one run:
 *
 * - 2,000 small API requests to the local panel (its own process, flood protection off), each side
 *   warmed up first, then interleaved rounds with the order alternating (A B, B A, A B, …) so that
 *   drift hits both alike; both go through the same global fetch dispatcher, so both reuse the
 *   same kept-alive connection. Reported: the median round of each, the median of the per-round
 *   ratios, and the absolute overhead per request in µs.
 * - guardedFetch's own cost, without the network: the same answer from an in-memory fetch, so
 *   the µs it adds per request are measured apart from the network's noise.
 * - A 256 MB media body read through each, interleaved: throughput and the peak growth of RSS and
 *   of the JS heap while reading (the body must never be read, teed or buffered). The bytes come
 *   from a tiny server in its own process that writes one pre-made buffer over and over: the
 *   panel makes its bytes one by one (~300 MB/s), which would hide the client's cost.
 */
import { createFloodGuard } from '../core/flood-guard.js';
import { guardedFetch } from '../core/guarded-fetch.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchRow } from './run.js';

const SMALL_REQUESTS = 2_000;
const ROUNDS = 20;
const WARMUP_REQUESTS = 1_000;
const STUB_REQUESTS = 20_000;
const STUB_ROUNDS = 10;
const STREAM_BYTES = 256 * 1024 * 1024;
const STREAM_ROUNDS = 9;
const MB = 1024 * 1024;

type Fetcher = (url: string) => Promise<Response>;

/** A real `gc()` for the memory samples, also when node ran without --expose-gc. */
const gc: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
})();

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** `count` requests one after the other, each body read as a caller would; ms in all. */
async function requests(fetcher: Fetcher, url: string, count: number): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < count; index++) {
    const response = await fetcher(url);
    await response.text();
  }
  return performance.now() - start;
}

/** Runs A and B `rounds` times each, interleaved, alternating which goes first. */
async function interleaved<T>(rounds: number, a: () => Promise<T>, b: () => Promise<T>): Promise<{ a: T[]; b: T[] }> {
  const results = { a: [] as T[], b: [] as T[] };
  for (let round = 0; round < rounds; round++) {
    gc();
    if (round % 2 === 0) {
      results.a.push(await a());
      results.b.push(await b());
    } else {
      results.b.push(await b());
      results.a.push(await a());
    }
  }
  return results;
}

interface StreamRun {
  ms: number;
  /** This process's CPU time (user + system) while reading. */
  cpuMs: number;
  bytes: number;
  /** Peak growth over the start, in bytes. */
  rss: number;
  heap: number;
}

/** Reads a whole media body, sampling memory every 4 MB or so. */
async function readStream(fetcher: Fetcher, url: string): Promise<StreamRun> {
  gc();
  const baseRss = process.memoryUsage.rss();
  const baseHeap = process.memoryUsage().heapUsed;
  let rss = 0;
  let heap = 0;
  const sample = (): void => {
    rss = Math.max(rss, process.memoryUsage.rss() - baseRss);
    heap = Math.max(heap, process.memoryUsage().heapUsed - baseHeap);
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  const response = await fetcher(url);
  const reader = response.body!.getReader();
  let bytes = 0;
  let sampledAt = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes - sampledAt >= 4 * MB) {
      sampledAt = bytes;
      sample();
    }
  }
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  sample();
  if (bytes !== STREAM_BYTES) throw new Error(`read ${bytes} bytes of ${STREAM_BYTES}`);
  return { ms, cpuMs, bytes, rss, heap };
}

/** Waits for a child's "listening on http://…" line. */
async function listening(child: ChildProcess, what: string): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before listening`)));
  });
  child.stdout!.resume();
  return url;
}

/**
 * The panel runs in its own process, as a real panel would: in this one it would share the event loop
 * and the CPU with the client, and its work would be timed as the client's.
 */
async function startPanelProcess(): Promise<{ url: string; child: ChildProcess }> {
  const cli = fileURLToPath(new URL('../demo/panel/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--flood', 'off'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { url: await listening(child, 'the panel'), child };
}

/** A media server that costs next to nothing: one pre-made 1 MB buffer, written until `size` bytes are sent. */
const MEDIA_SERVER = `
import { createServer } from 'node:http';
const chunk = Buffer.alloc(1 << 20);
for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
const server = createServer((req, res) => {
  const size = Number(new URL(req.url, 'http://x').searchParams.get('size') ?? 0);
  res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': size, 'Accept-Ranges': 'bytes' });
  let left = size;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

async function startMediaServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', MEDIA_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { url: await listening(child, 'the media server'), child };
}

async function benchSmallRequests(panelUrl: string): Promise<BenchRow[]> {
  const guard = createFloodGuard();
  const plain: Fetcher = (url) => fetch(url);
  const guarded: Fetcher = (url) => guardedFetch(url, undefined, { guard });
  const api = `${panelUrl}/player_api.php?username=demo&password=test123&action=get_live_categories`;

  // Warm both paths (the connection, the JIT), interleaved too.
  await interleaved(4, () => requests(plain, api, WARMUP_REQUESTS / 4), () => requests(guarded, api, WARMUP_REQUESTS / 4));
  const perRound = SMALL_REQUESTS / ROUNDS;
  const ms = await interleaved(ROUNDS, () => requests(plain, api, perRound), () => requests(guarded, api, perRound));
  const plainPer = median(ms.a) / perRound;
  const guardedPer = median(ms.b) / perRound;
  const pairedRatio = median(ms.b.map((b, round) => b / ms.a[round]!));
  const overheadUs = (median(ms.b.map((b, round) => b - ms.a[round]!)) / perRound) * 1000;
  const check = await guard.check(guard.keyFor(api));
  if (check.failures !== 0 || check.inFlight !== 0) throw new Error(`the guard saw failures or kept slots: ${JSON.stringify(check)}`);

  return [
    { name: `fetch: ${SMALL_REQUESTS} small API requests to the local panel (median round, ms per request)`, value: plainPer, unit: 'ms/request' },
    {
      name: `guardedFetch: the same ${SMALL_REQUESTS} requests, interleaved (median round, ms per request)`,
      value: guardedPer,
      unit: 'ms/request',
      ratio: guardedPer / plainPer,
      target: '≤ 1.03× fetch',
    },
    { name: `guardedFetch ÷ fetch, median of the ${ROUNDS} paired rounds`, value: pairedRatio, unit: '×', ratio: pairedRatio, target: '≤ 1.03×' },
    { name: 'guardedFetch overhead per small API request, over the network (median paired difference)', value: overheadUs, unit: 'µs/request' },
  ];
}

/** guardedFetch's own cost: fetch replaced by an in-memory answer, the same on both sides. */
async function benchOwnCost(): Promise<BenchRow[]> {
  const body = JSON.stringify([
    { category_id: '1', category_name: 'News', parent_id: 0 },
    { category_id: '2', category_name: 'Sports', parent_id: 0 },
    { category_id: '3', category_name: 'Movies 24/7', parent_id: 0 },
    { category_id: '4', category_name: 'Kids', parent_id: 0 },
  ]);
  const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length), Date: new Date().toUTCString() };
  const answer = async (): Promise<Response> => new Response(body, { status: 200, headers });
  const guard = createFloodGuard();
  const api = 'http://panel.bench.invalid/player_api.php?username=demo&password=test123&action=get_live_categories';
  const plain: Fetcher = () => answer();
  const guarded: Fetcher = (url) => guardedFetch(url, undefined, { guard, fetch: answer });
  const perRound = STUB_REQUESTS / STUB_ROUNDS;
  await interleaved(2, () => requests(plain, api, perRound), () => requests(guarded, api, perRound));
  const ms = await interleaved(STUB_ROUNDS, () => requests(plain, api, perRound), () => requests(guarded, api, perRound));
  const plainUs = (median(ms.a) / perRound) * 1000;
  const guardedUs = (median(ms.b) / perRound) * 1000;
  return [
    { name: 'in-memory fetch (new Response, body read): µs per request', value: plainUs, unit: 'µs/request' },
    { name: 'guardedFetch around it: µs per request', value: guardedUs, unit: 'µs/request', ratio: guardedUs / plainUs },
    {
      name: 'guardedFetch’s own cost per API request (guard begin + record, clone + read, classify)',
      value: (median(ms.b.map((b, round) => b - ms.a[round]!)) / perRound) * 1000,
      unit: 'µs/request',
    },
  ];
}

/** Checks that guardedFetch hands back fetch's own Response, its body stream the same object: not teed, not read. */
async function untouched(guard: ReturnType<typeof createFloodGuard>, url: string): Promise<void> {
  let original: Response | undefined;
  let body: ReadableStream<Uint8Array> | null = null;
  const spy: typeof fetch = async (input, init) => {
    original = await fetch(input, init);
    body = original.body;
    return original;
  };
  const response = await guardedFetch(url, undefined, { guard, fetch: spy });
  const same = response === original && response.body === body && !response.bodyUsed;
  await response.body?.cancel();
  if (!same) throw new Error('guardedFetch did not return the media Response untouched');
}

async function benchStream(mediaUrl: string): Promise<BenchRow[]> {
  const guard = createFloodGuard();
  const plain: Fetcher = (url) => fetch(url);
  const guarded: Fetcher = (url) => guardedFetch(url, undefined, { guard });
  // The path makes it a movie (a bulk body) for guardedFetch; the server ignores it.
  const movie = `${mediaUrl}/movie/bench/bench/2001.mp4?size=${STREAM_BYTES}`;
  await untouched(guard, `${mediaUrl}/movie/bench/bench/2001.mp4?size=${MB}`);
  await interleaved(1, () => readStream(plain, movie), () => readStream(guarded, movie));
  const runs = await interleaved(STREAM_ROUNDS, () => readStream(plain, movie), () => readStream(guarded, movie));
  const mbps = (run: StreamRun): number => run.bytes / MB / (run.ms / 1000);
  const plainMBps = median(runs.a.map(mbps));
  const guardedMBps = median(runs.b.map(mbps));
  const pairedRatio = median(runs.b.map((run, round) => mbps(run) / mbps(runs.a[round]!)));
  const cpuRatio = median(runs.b.map((run, round) => run.cpuMs / runs.a[round]!.cpuMs));
  const peak = (list: StreamRun[], field: 'rss' | 'heap'): number => median(list.map((run) => run[field])) / MB;
  const size = `${STREAM_BYTES / MB} MB`;
  return [
    { name: `fetch: ${size} media body read (median of ${STREAM_ROUNDS}, throughput)`, value: plainMBps, unit: 'MB/s' },
    {
      name: `guardedFetch: the same ${size} body, interleaved (median of ${STREAM_ROUNDS}, throughput)`,
      value: guardedMBps,
      unit: 'MB/s',
      ratio: guardedMBps / plainMBps,
      target: '≥ 0.99× fetch throughput',
    },
    { name: 'guardedFetch ÷ fetch throughput, median of the paired reads', value: pairedRatio, unit: '×', ratio: pairedRatio, target: '≥ 0.99×' },
    { name: `fetch: client CPU time to read ${size} (median)`, value: median(runs.a.map((run) => run.cpuMs)), unit: 'ms' },
    {
      name: `guardedFetch: client CPU time to read ${size} (median)`,
      value: median(runs.b.map((run) => run.cpuMs)),
      unit: 'ms',
      ratio: cpuRatio,
      target: 'the same as fetch (median of paired ratios)',
    },
    { name: `fetch: peak RSS growth while reading ${size} (median)`, value: peak(runs.a, 'rss'), unit: 'MB' },
    { name: `guardedFetch: peak RSS growth while reading ${size} (median)`, value: peak(runs.b, 'rss'), unit: 'MB', target: 'no growth beyond fetch’s' },
    { name: `fetch: peak JS heap growth while reading ${size} (median)`, value: peak(runs.a, 'heap'), unit: 'MB' },
    { name: `guardedFetch: peak JS heap growth while reading ${size} (median)`, value: peak(runs.b, 'heap'), unit: 'MB', target: 'no growth beyond fetch’s' },
  ];
}

type Part = 'requests' | 'own-cost' | 'stream';

export async function benchGuardedFetch(parts: readonly Part[] = ['requests', 'own-cost', 'stream']): Promise<BenchRow[]> {
  const panel = parts.includes('requests') ? await startPanelProcess() : undefined;
  const media = parts.includes('stream') ? await startMediaServer() : undefined;
  try {
    const rows: BenchRow[] = [];
    if (panel) rows.push(...(await benchSmallRequests(panel.url)));
    if (parts.includes('own-cost')) rows.push(...(await benchOwnCost()));
    if (media) rows.push(...(await benchStream(media.url)));
    return rows;
  } finally {
    panel?.child.kill();
    media?.child.kill();
  }
}

// `node --import tsx bench/guarded-fetch.ts [requests] [own-cost] [stream]`: this suite alone, nothing written.
if (import.meta.url === `file://${process.argv[1]}`) {
  const parts = process.argv.slice(2) as Part[];
  for (const row of await benchGuardedFetch(parts.length ? parts : undefined)) {
    console.log(`${row.name}: ${row.value.toFixed(3)} ${row.unit}${row.ratio === undefined ? '' : ` (${row.ratio.toFixed(3)}×)`}`);
  }
}
