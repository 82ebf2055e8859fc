/**
 * guardedFetch: a drop-in `fetch` that asks the flood guard first, classifies what comes back and
 * records it. It reads only what core/panel-rules.ts `mayReadBody` allows, through a clone: small API
 * answers, small error bodies on any endpoint, HLS playlists; 2xx media, get.php playlists and EPG are
 * never read, teed or buffered. The Response it returns is the original, untouched.
 */
import { BODY_READ_LIMIT, readSmallBody } from './panel-rules.js';
import { createFloodGuard, type FloodGuard } from './flood-guard.js';
import { guardedRequestOf, openGuardedRequest, type GuardedRequest } from './guarded-request.js';
import type { Diagnosis } from './types.js';

export interface GuardedFetchOptions {
  /** The guard to ask and record into (default: one shared in-memory guard). */
  guard?: FloodGuard;
  /** The fetch to wrap (default: `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** The guard key (default: `guard.keyFor(url)` — the host name, or its configured group). */
  key?: string;
  /**
   * Automatic retries after transient failures (network, timeout, 5xx, 429, a panel block) for
   * idempotent requests only, each after the guard's wait. Default 0: no retry.
   */
  retries?: number;
  /** The longest an automatic retry waits for the guard; a longer wait returns the last answer. Default 60 s. */
  maxRetryWaitMs?: number;
  /** How to wait (tests pass one that advances a fake clock). */
  sleep?: (ms: number, signal?: AbortSignal | null) => Promise<void>;
}

/** Bodies read for classification are at most this long (core/panel-rules.ts `BODY_READ_LIMIT`). */
export const READ_LIMIT_BYTES = BODY_READ_LIMIT;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

let sharedGuard: FloodGuard | undefined;

/** What guardedFetch found in each Response it handed back (the Response is the key: nothing outlives it). */
const found = new WeakMap<Response, Diagnosis | null>();

/**
 * What guardedFetch found in a Response it returned: the Diagnosis of a failure, `null` for an answer that is
 * not one, `undefined` for a Response guardedFetch did not return. A portal never reads and classifies a body
 * again: `const diagnosis = responseDiagnosis(await guardedFetch(url))`.
 */
export function responseDiagnosis(response: Response): Diagnosis | null | undefined {
  return found.get(response);
}

/** The guard guardedFetch uses when none is given: in memory, one per context. */
export function defaultGuard(): FloodGuard {
  return (sharedGuard ??= createFloodGuard());
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

function methodOf(input: RequestInfo | URL, init: RequestInit | undefined): string {
  const method = init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : undefined) ?? 'GET';
  return method.toUpperCase();
}

function headersOf(input: RequestInfo | URL, init: RequestInit | undefined): Headers {
  try {
    if (init?.headers) return new Headers(init.headers);
    if (typeof input === 'object' && 'headers' in input) return input.headers;
  } catch {
    /* malformed headers: fetch itself will say so */
  }
  return new Headers();
}

/** Whether a response's body may be read for classification (core/panel-rules.ts decides which). */
function isReadable(response: Response, request: GuardedRequest, method: string, contentType: string, length: string | null): boolean {
  if (method === 'HEAD' || response.body === null || response.bodyUsed) return false;
  return request.readsBody(response.status, contentType, length === null ? null : Number(length));
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function isAbort(error: unknown, signal: AbortSignal | null | undefined): boolean {
  if (signal?.aborted && !(field(error, 'name') === 'TimeoutError')) return true;
  return field(error, 'name') === 'AbortError';
}

function canRepeat(input: RequestInfo | URL, init: RequestInit | undefined, method: string): boolean {
  if (!IDEMPOTENT.has(method)) return false;
  if (typeof input === 'object' && 'body' in input && input.body !== null && init?.body === undefined) return false;
  const body = init?.body;
  return !(typeof ReadableStream === 'function' && body instanceof ReadableStream);
}

function defaultSleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `fetch`, guarded. Rejects with FloodBlockedError — without touching the network — while the
 * guard holds requests to this panel back; otherwise sends, classifies, records and returns the
 * original Response.
 */
export async function guardedFetch(input: RequestInfo | URL, init?: RequestInit, options: GuardedFetchOptions = {}): Promise<Response> {
  const guard = options.guard ?? defaultGuard();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const url = urlOf(input);
  const key = options.key ?? guard.keyFor(url);
  const method = methodOf(input, init);
  const repeatable = canRepeat(input, init, method);
  const maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const sleep = options.sleep ?? defaultSleep;
  let retriesLeft = Math.max(0, Math.floor(options.retries ?? 0));

  /** How long an automatic retry must wait for the guard; undefined when too long or unknown. */
  const retryWait = async (): Promise<number | undefined> => {
    const status = await guard.check(key, guardedRequestOf(url));
    if (status.allowed) return 0;
    if (status.retryAt === undefined) return undefined;
    const wait = Math.max(0, status.retryAt - guard.now());
    return wait > maxRetryWaitMs ? undefined : wait;
  };

  for (;;) {
    const request = await openGuardedRequest(guard, url, { key, headers: () => headersOf(input, init) });

    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      if (isAbort(error, init?.signal)) {
        await request.abort();
        throw error;
      }
      const diagnosis = await request.fail(error);
      const wait = retriesLeft > 0 && repeatable && diagnosis?.retry === 'backoff' ? await retryWait() : undefined;
      if (wait !== undefined) {
        retriesLeft--;
        await sleep(wait, init?.signal);
        continue;
      }
      throw error;
    }

    let text: string | undefined;
    try {
      const contentType = response.headers.get('content-type')?.toLowerCase() ?? '';
      if (isReadable(response, request, method, contentType, response.headers.get('content-length'))) text = await readSmallBody(response);
    } catch {
      text = undefined;
    }
    const diagnosis = await request.answer({ status: response.status, headers: response.headers, text, url: response.redirected ? response.url : undefined });

    const transient = diagnosis !== null && diagnosis.retry === 'backoff' && !diagnosis.definitive;
    const wait = retriesLeft > 0 && repeatable && transient ? await retryWait() : undefined;
    if (wait !== undefined) {
      retriesLeft--;
      await response.body?.cancel().catch(() => undefined);
      await sleep(wait, init?.signal);
      continue;
    }
    found.set(response, diagnosis);
    return response;
  }
}
