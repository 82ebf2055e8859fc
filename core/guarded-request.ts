/**
 * One request to a panel under the flood guard, whatever sends it: guardedFetch, and the player adapters
 * (hls.js loader, mpegts.js loader, video.js transport). The one place that decides what a request asks the
 * guard for (its kind, the account it signs in with, the MAGSCAN risk), what its answer records (classify,
 * a proven login, a neutral answer) and when a hard stop is lifted because the credentials changed.
 *
 *   const request = await openGuardedRequest(guard, url);   // throws FloodBlockedError while held
 *   … send it …
 *   const diagnosis = await request.answer({ status, headers, text });   // or request.fail(error) / request.abort()
 *
 * Which bodies may be read is core/panel-rules.ts `mayReadBody` (`request.readsBody(…)`): a 2xx media body
 * never is, so callers pass `text` only for small error bodies, API answers and HLS playlists.
 */
import { classify } from './classify.js';
import { describeEndpoint } from './endpoints.js';
import { FloodBlockedError, isExemptRequest, type FloodGuard, type FloodOutcome, type FloodRequest } from './flood-guard.js';
import { addsNoExplanation, BODY_READ_LIMIT, mayReadBody, provesLogin, risksMagscan, streamAnswered } from './panel-rules.js';
import type { Diagnosis, Endpoint } from './types.js';

/** What a URL is, and the request the guard is asked about. */
interface Described {
  readonly endpoint: Endpoint;
  readonly request: FloodRequest;
}

/** What each URL is, remembered: a portal asks the same few API URLs, a player the same playlist, over and over. */
const described = new Map<string, Described>();
const DESCRIBED_CACHE_SIZE = 256;

function describe(url: string): Described {
  let found = described.get(url);
  if (!found) {
    const endpoint = describeEndpoint(url);
    const account = accountOf(url, endpoint);
    found = {
      endpoint,
      request: Object.freeze({ kind: endpoint.kind, ...(account ? { account } : {}), ...(risksMagscan(endpoint, url) ? { magscan: true } : {}) }),
    };
    if (described.size >= DESCRIBED_CACHE_SIZE) described.delete(described.keys().next().value!);
    described.set(url, found);
  }
  return found;
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
function credentialFingerprint(url: string, headers: Headers | undefined): string | undefined {
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
  const authorization = headers?.get('authorization');
  if (authorization && /^basic\s/i.test(authorization)) parts.push(`a:${authorization}`);
  const mac = /(?:^|;\s*)mac=([^;]*)/i.exec(headers?.get('cookie') ?? '')?.[1];
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

/**
 * A 2xx/3xx answer whose body is a JSON list (categories, streams, VOD, series, EPG entries) is neither a
 * failure nor a proof of authentication: classify finds nothing in a list (it answers `null` for it below 400)
 * and a list holds no `user_info` or Stalker profile. The most common API answer, so it skips classify
 * (test/unit/guarded-fetch.test.ts holds classify to this).
 */
const LIST_START = /^\s*\[/;
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

/** Credential fingerprints of the requests that met a hard stop — in memory only, never stored. */
const hardStopCredentials = new WeakMap<FloodGuard, Map<string, string>>();

export interface GuardedRequestOptions {
  /** The guard key (default: `guard.keyFor(url)` — the host name, or its configured group). */
  key?: string;
  /** The request's headers, when they may carry credentials (Basic auth, a Stalker MAC cookie). */
  headers?: Headers | (() => Headers);
}

/** What came back: the status, its headers, and the body's text when `readsBody` allowed reading it. */
export interface GuardedAnswer {
  status: number;
  headers?: Headers | Readonly<Record<string, string>>;
  text?: string;
  /**
   * Where the answer came from when the sender followed a redirect (fetch's `response.url` when
   * `response.redirected`, an XHR's `responseURL`): a panel's 302 to its replacement clip under `/auth/` is
   * an expired line, not a stream that answered.
   */
  url?: string;
}

/**
 * One request the guard let through. Settle it exactly once — `answer`, `fail` or `abort`; later calls are
 * ignored — so that its slot is released and what it proved is recorded.
 */
export class GuardedRequest {
  readonly guard: FloodGuard;
  readonly key: string;
  readonly url: string;
  readonly endpoint: Endpoint;
  private readonly request: FloodRequest;
  private readonly slot: string | undefined;
  private readonly credentials: () => string | undefined;
  private settled = false;

  /** @internal Use `openGuardedRequest`. */
  constructor(guard: FloodGuard, key: string, url: string, found: Described, slot: string | undefined, credentials: () => string | undefined) {
    this.guard = guard;
    this.key = key;
    this.url = url;
    this.endpoint = found.endpoint;
    this.request = found.request;
    this.slot = slot;
    this.credentials = credentials;
  }

  /** Whether this answer's body may be read (core/panel-rules.ts `mayReadBody`); `length` is its Content-Length. */
  readsBody(status: number, contentType: string, length?: number | null, limit = BODY_READ_LIMIT): boolean {
    return mayReadBody(this.endpoint, status, contentType.toLowerCase(), length, limit);
  }

  /**
   * Records an answer; returns its Diagnosis (null when it is not a failure) — or, when it adds nothing to the
   * failure the guard already knows for this panel (core/panel-rules.ts `addsNoExplanation`: a stream's fake
   * 404 after a wrong login), the known one, so a player explains the wrong password, not a missing channel.
   */
  async answer(answer: GuardedAnswer): Promise<Diagnosis | null> {
    if (this.settled) return null;
    this.settled = true;
    const { status, headers, text } = answer;
    const url = answer.url && answer.url !== this.url ? answer.url : this.url;
    const endpoint = url === this.url ? this.endpoint : describe(url).endpoint;
    let diagnosis: Diagnosis | null = null;
    let outcome: FloodOutcome = 'neutral';
    try {
      const contentType = (headerOf(headers, 'content-type') ?? '').toLowerCase();
      // A 2xx/3xx list (categories, streams — up to the read limit) is never an error: not even parsed.
      const list = status >= 200 && status < 400 && text !== undefined && LIST_START.test(text);
      if (text === undefined && streamAnswered(endpoint, status)) {
        // The most common answer of all, a media body a player streams (never read): a proven login, nothing to classify.
        outcome = 'success';
      } else if (!list) {
        const body = parseBody(text, contentType);
        if (!(status >= 200 && status < 400 && Array.isArray(body))) {
          diagnosis = classify({ status, url, headers, body }, { now: this.guard.now });
          outcome = diagnosis ?? (provesLogin(endpoint, status, body) ? 'success' : 'neutral');
        }
      }
    } catch {
      outcome = 'neutral';
    }
    if (isExemptRequest(this.request) && diagnosis === null) outcome = 'neutral';
    if (diagnosis?.definitive) {
      const current = this.credentials();
      if (current !== undefined) {
        let remembered = hardStopCredentials.get(this.guard);
        if (!remembered) hardStopCredentials.set(this.guard, (remembered = new Map()));
        remembered.set(this.key, current);
      }
    } else if (outcome === 'success') {
      hardStopCredentials.get(this.guard)?.delete(this.key);
    }
    const known = (await this.guard.record(this.key, outcome, this.slot)).diagnosis;
    return diagnosis && addsNoExplanation(diagnosis, known) ? known! : diagnosis;
  }

  /** Records a request that got no answer (a network failure or a timeout); returns its Diagnosis. */
  async fail(error: unknown): Promise<Diagnosis | null> {
    if (this.settled) return null;
    this.settled = true;
    const diagnosis = classify({ url: this.url, error }, { now: this.guard.now });
    await this.guard.record(this.key, diagnosis ?? 'neutral', this.slot);
    return diagnosis;
  }

  /** The caller gave the request up (an abort): it proves nothing, its slot is released. */
  async abort(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.guard.record(this.key, 'neutral', this.slot);
  }
}

function headerOf(headers: GuardedAnswer['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string>>;
  return record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
}

/**
 * Asks the guard to send one request to `url`. Rejects with FloodBlockedError — the request must then never
 * be sent — while the guard holds this panel back; a hard stop met with other credentials than the ones that
 * caused it is lifted first (the viewer typed a new password).
 */
export async function openGuardedRequest(guard: FloodGuard, url: string, options: GuardedRequestOptions = {}): Promise<GuardedRequest> {
  const found = describe(url);
  const key = options.key ?? guard.keyFor(url);
  let fingerprint: string | null | undefined = null;
  const credentials = (): string | undefined => {
    if (fingerprint === null) {
      let headers: Headers | undefined;
      try {
        headers = typeof options.headers === 'function' ? options.headers() : options.headers;
      } catch {
        headers = undefined;
      }
      fingerprint = credentialFingerprint(url, headers);
    }
    return fingerprint;
  };
  let ticket = await guard.begin(key, found.request);
  if (!ticket.allowed && ticket.reason === 'hard-stop') {
    const remembered = hardStopCredentials.get(guard)?.get(key);
    const current = credentials();
    if (remembered !== undefined && current !== undefined && remembered !== current) {
      hardStopCredentials.get(guard)?.delete(key);
      await guard.reset(key, { hardStopOnly: true });
      ticket = await guard.begin(key, found.request);
    }
  }
  if (!ticket.allowed) throw new FloodBlockedError(ticket);
  return new GuardedRequest(guard, key, url, found, ticket.slot, credentials);
}

/** The request `url` asks the guard about (for `guard.check`). */
export function guardedRequestOf(url: string): FloodRequest {
  return describe(url).request;
}
