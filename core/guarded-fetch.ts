/**
 * guardedFetch: a drop-in `fetch` that asks the flood guard first, classifies what comes back and
 * records it. It reads only what core/panel-rules.ts `mayReadBody` allows, through a clone: small API
 * answers, small error bodies on any endpoint, HLS playlists; 2xx media, get.php playlists and EPG are
 * never read, teed or buffered. The Response it returns is the original, untouched.
 */
import { classify } from './classify.js';
import { describeEndpoint } from './endpoints.js';
import { BODY_READ_LIMIT, mayReadBody, provesLogin, readSmallBody, risksMagscan } from './panel-rules.js';
import { createFloodGuard, FloodBlockedError, isExemptRequest, type FloodGuard, type FloodOutcome, type FloodRequest } from './flood-guard.js';
import type { Diagnosis, Endpoint } from './types.js';

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

/** What a URL is, and the request the guard is asked about. */
interface Described {
  readonly endpoint: Endpoint;
  readonly request: FloodRequest;
}

/** What each URL is, remembered: a portal asks the same few API URLs over and over. */
const endpoints = new Map<string, Described>();
const ENDPOINT_CACHE_SIZE = 256;

function describe(url: string): Described {
  let described = endpoints.get(url);
  if (!described) {
    const endpoint = describeEndpoint(url);
    const account = accountOf(url, endpoint);
    described = {
      endpoint,
      request: Object.freeze({ kind: endpoint.kind, ...(account ? { account } : {}), ...(risksMagscan(endpoint, url) ? { magscan: true } : {}) }),
    };
    if (endpoints.size >= ENDPOINT_CACHE_SIZE) endpoints.delete(endpoints.keys().next().value!);
    endpoints.set(url, described);
  }
  return described;
}

/**
 * A 2xx/3xx answer whose body is a JSON list (categories, streams, VOD, series, EPG entries) is
 * neither a failure nor a proof of authentication: classify finds nothing in a list (it answers
 * `null` for it below 400) and a list holds no `user_info` or Stalker profile. The most common
 * API answer, so it skips classify (test/unit/guarded-fetch.test.ts holds classify to this).
 */
const LIST_START = /^\s*\[/;

function isPlainList(status: number, body: unknown): boolean {
  return status >= 200 && status < 400 && Array.isArray(body);
}

/** The guard guardedFetch uses when none is given: in memory, one per context. */
export function defaultGuard(): FloodGuard {
  return (sharedGuard ??= createFloodGuard());
}

/** Credential fingerprints of the requests that met a hard stop — in memory only, never stored. */
const hardStopCredentials = new WeakMap<FloodGuard, Map<string, string>>();

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

const CREDENTIAL_PARAM = /^(?:user(?:name)?|login|pass(?:word)?|mac|sn)$/i;
const CREDENTIAL_PATHS: ReadonlyArray<readonly [RegExp, readonly number[]]> = [
  [/^\/(?:live|movie|series|timeshift|player_api)\/[^/]+\/[^/]+/i, [2, 3]],
  [/^\/[^/]+\/[^/]+\/\d+(?:\.[a-z0-9]{1,5})?$/i, [1, 2]],
];

/** FNV-1a over two seeds: enough to tell credentials apart, never to recover them. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}

/** A hash of the credentials a request carries (URL forms, query, Basic auth, Stalker MAC cookie). */
function credentialFingerprint(url: string, headers: Headers): string | undefined {
  const parts: string[] = [];
  try {
    const parsed = new URL(url, 'http://relative.invalid');
    if (parsed.username || parsed.password) parts.push(`u:${parsed.username}:${parsed.password}`);
    for (const [name, value] of parsed.searchParams) if (CREDENTIAL_PARAM.test(name)) parts.push(`${name.toLowerCase()}=${value}`);
    for (const [form, indexes] of CREDENTIAL_PATHS) {
      if (!form.test(parsed.pathname)) continue;
      const segments = parsed.pathname.split('/');
      for (const index of indexes) parts.push(`p${index}=${segments[index] ?? ''}`);
      break;
    }
  } catch {
    /* not a URL */
  }
  const authorization = headers.get('authorization');
  if (authorization && /^basic\s/i.test(authorization)) parts.push(`a:${authorization}`);
  const mac = /(?:^|;\s*)mac=([^;]*)/i.exec(headers.get('cookie') ?? '')?.[1];
  if (mac) parts.push(`mac=${mac}`);
  return parts.length ? hash(parts.join('\n')) : undefined;
}

/**
 * The account a panel sign-in names, as a hash (bruteforce protection counts distinct usernames and MACs):
 * the username of an API/playlist URL or stream path, or a Stalker MAC from the query.
 */
function accountOf(url: string, endpoint: Endpoint): FloodRequest['account'] {
  if (endpoint.kind === 'stream-api' || endpoint.kind === 'other') return undefined;
  try {
    const parsed = new URL(url, 'http://relative.invalid');
    if (endpoint.kind === 'stalker') {
      const mac = parsed.searchParams.get('mac');
      return mac ? { kind: 'mac', id: hash(mac.toUpperCase()) } : undefined;
    }
    const user = parsed.searchParams.get('username') ?? parsed.searchParams.get('user');
    if (user) return { kind: 'user', id: hash(user) };
    for (const [form, indexes] of CREDENTIAL_PATHS) {
      if (form.test(parsed.pathname)) return { kind: 'user', id: hash(parsed.pathname.split('/')[indexes[0]!] ?? '') };
    }
  } catch {
    /* not a URL */
  }
  return undefined;
}

/** Whether a response's body may be read for classification (core/panel-rules.ts decides which). */
function isReadable(response: Response, endpoint: Endpoint, method: string, contentType: string, length: string | null): boolean {
  if (method === 'HEAD' || response.body === null || response.bodyUsed) return false;
  return mayReadBody(endpoint, response.status, contentType, length === null ? null : Number(length));
}

const JSON_START = /^\s*[[{]/;

function parseBody(text: string | undefined, contentType: string): unknown {
  if (text === undefined) return undefined;
  if (contentType.includes('json') || JSON_START.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
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
  const { endpoint, request } = describe(url);
  const key = options.key ?? guard.keyFor(url);
  const method = methodOf(input, init);
  const repeatable = canRepeat(input, init, method);
  const maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const sleep = options.sleep ?? defaultSleep;
  let fingerprint: string | null | undefined = null;
  const credentials = (): string | undefined => (fingerprint === null ? (fingerprint = credentialFingerprint(url, headersOf(input, init))) : fingerprint);
  let retriesLeft = Math.max(0, Math.floor(options.retries ?? 0));

  /** How long an automatic retry must wait for the guard; undefined when too long or unknown. */
  const retryWait = async (): Promise<number | undefined> => {
    const status = await guard.check(key, request);
    if (status.allowed) return 0;
    if (status.retryAt === undefined) return undefined;
    const wait = Math.max(0, status.retryAt - guard.now());
    return wait > maxRetryWaitMs ? undefined : wait;
  };

  for (;;) {
    let ticket = await guard.begin(key, request);
    if (!ticket.allowed && ticket.reason === 'hard-stop') {
      const remembered = hardStopCredentials.get(guard)?.get(key);
      const current = credentials();
      if (remembered !== undefined && current !== undefined && remembered !== current) {
        hardStopCredentials.get(guard)?.delete(key);
        await guard.reset(key, { hardStopOnly: true });
        ticket = await guard.begin(key, request);
      }
    }
    if (!ticket.allowed) throw new FloodBlockedError(ticket);

    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      if (isAbort(error, init?.signal)) {
        await guard.record(key, 'neutral', ticket.slot);
        throw error;
      }
      const diagnosis = classify({ url, error }, { now: guard.now });
      await guard.record(key, diagnosis ?? 'neutral', ticket.slot);
      const wait = retriesLeft > 0 && repeatable && diagnosis?.retry === 'backoff' ? await retryWait() : undefined;
      if (wait !== undefined) {
        retriesLeft--;
        await sleep(wait, init?.signal);
        continue;
      }
      throw error;
    }

    let diagnosis: Diagnosis | null = null;
    let outcome: FloodOutcome = 'neutral';
    try {
      const { headers, status } = response;
      const contentType = headers.get('content-type')?.toLowerCase() ?? '';
      const length = headers.get('content-length');
      const text = isReadable(response, endpoint, method, contentType, length) ? await readSmallBody(response) : undefined;
      // A 2xx/3xx list (categories, streams — up to the read limit) is never an error: not even parsed.
      const list = status >= 200 && status < 400 && text !== undefined && LIST_START.test(text);
      const body = list ? undefined : parseBody(text, contentType);
      if (!list && !isPlainList(status, body)) {
        diagnosis = classify({ status, url, headers, body }, { now: guard.now });
        outcome = diagnosis ?? (provesLogin(endpoint, status, body) ? 'success' : 'neutral');
      }
    } catch {
      outcome = 'neutral';
    }
    if (isExemptRequest(request) && diagnosis === null) outcome = 'neutral';
    if (diagnosis?.definitive) {
      const current = credentials();
      if (current !== undefined) {
        let remembered = hardStopCredentials.get(guard);
        if (!remembered) hardStopCredentials.set(guard, (remembered = new Map()));
        remembered.set(key, current);
      }
    } else if (outcome === 'success') {
      hardStopCredentials.get(guard)?.delete(key);
    }
    await guard.record(key, outcome, ticket.slot);

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
