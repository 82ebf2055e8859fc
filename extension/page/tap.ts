/**
 * The main-world tap: watches the page's own fetch and XMLHttpRequest (hls.js and video.js use XHR,
 * mpegts.js streams endless fetch bodies).
 *
 * - Fails open: any error of its own leaves the page's request exactly as it was.
 * - Reads only the bodies core/panel-rules.ts `mayReadBody` allows — small API answers, small error bodies on
 *   any endpoint, HLS playlists — through a clone it reads to the end (at most BODY_LIMIT bytes, else it
 *   cancels its clone). 2xx media, get.php playlists and EPG are never read, teed or buffered; their Response
 *   objects reach the page untouched. A playlist is reported only when it is the replacement video.
 * - Reports carry a redacted URL, the status and a redacted summary of the body: never a credential.
 * - Waits, before a panel request, while a failure it saw is not yet accounted for by the background:
 *   the guard sees failures only after they happen, so without this a tight retry loop could outrun it.
 *   The wait is bounded (GATE_TIMEOUT_MS) and then fails open.
 * This is the page's own world: nothing here is trusted by the background beyond adding failures.
 */
import { describeEndpoint, isApiEndpoint, isPanelEndpoint } from '../../core/endpoints.js';
import { isStreamPlaylist, mayReadBody, provesLogin, readSmallBody, replacementPlaylistFacts, replacementPlaylistUri } from '../../core/panel-rules.js';
import { redactText, redactUrl } from '../../core/redact.js';
import type { Endpoint } from '../../core/types.js';
import { PAGE_REPORT_EVENT, PAGE_STATE_EVENT, type HostGate, type PageStateMessage, type TapReport } from '../shared/messages.js';

const BODY_LIMIT = 16 * 1024;
const SUMMARY_LIMIT = 4 * 1024;
const GATE_TIMEOUT_MS = 2_000;
const ACK_TIMEOUT_MS = 2_000;
/** Before the background has told anything about a host: at most this many API requests in flight. */
const DEFAULT_IN_FLIGHT = 4;
const MARK = Symbol.for('xtream-error-ux.tap');
const ABSOLUTE = /^https?:\/\//i;

interface Tracked {
  readonly url: string;
  readonly host: string;
  readonly endpoint: Endpoint;
  readonly api: boolean;
}

(() => {
  const root = globalThis as unknown as Record<symbol, unknown>;
  if (root[MARK]) return;
  Object.defineProperty(root, MARK, { value: true });

  const gates = new Map<string, HostGate>();
  /** Reports (and checks) not yet answered: id → host, since. */
  const unsettled = new Map<number, { host: string; at: number }>();
  const inFlight = new Map<string, number>();
  let waiters: Array<() => void> = [];
  let sequence = 0;

  const wake = () => {
    const current = waiters;
    waiters = [];
    for (const resume of current) resume();
  };

  document.addEventListener(PAGE_STATE_EVENT, (event) => {
    try {
      const detail = (event as CustomEvent<unknown>).detail;
      if (typeof detail !== 'string') return;
      const message = JSON.parse(detail) as PageStateMessage;
      for (const gate of message.hosts ?? []) {
        if (!gate || typeof gate.host !== 'string') continue;
        // Pushes and acknowledgements can cross: an older view never replaces a newer one.
        const known = gates.get(gate.host);
        if (!known || !(known.at > gate.at)) gates.set(gate.host, gate);
      }
      if (typeof message.ack === 'number') unsettled.delete(message.ack);
      wake();
    } catch {
      /* not ours */
    }
  });

  /**
   * What a request is, from its URL alone — before anything is cloned or awaited. Remembered per URL (the last
   * 256, in this page's memory, where the URLs already are): players repeat the same requests.
   */
  const tracked = new Map<string, Tracked | null>();
  function track(input: unknown): Tracked | undefined {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input instanceof Request ? input.url : undefined;
    if (!raw) return undefined;
    const key = ABSOLUTE.test(raw) ? raw : `${location.href}\n${raw}`;
    const known = tracked.get(key);
    if (known !== undefined) return known ?? undefined;
    let result: Tracked | null = null;
    const absolute = new URL(raw, location.href);
    if (absolute.protocol === 'http:' || absolute.protocol === 'https:') {
      const endpoint = describeEndpoint(absolute.href);
      if (isPanelEndpoint(endpoint)) result = { url: absolute.href, host: absolute.hostname.toLowerCase(), endpoint, api: isApiEndpoint(endpoint) && !endpoint.bulk };
    }
    if (tracked.size >= 256) tracked.delete(tracked.keys().next().value!);
    tracked.set(key, result);
    return result ?? undefined;
  }

  /**
   * Waits while a failure (or a body being checked) on this host is not yet accounted for by the background,
   * and keeps the guard's in-flight rule: no more requests on their way than failures left before the pause.
   * Streams are only limited once the host has failed.
   */
  function mustWait(request: Tracked): boolean {
    const now = Date.now();
    for (const [id, entry] of unsettled) {
      if (now - entry.at > ACK_TIMEOUT_MS) unsettled.delete(id);
      else if (entry.host === request.host) return true;
    }
    const inFlightNow = inFlight.get(request.host) ?? 0;
    const gate = gates.get(request.host);
    if (!gate) return request.api && inFlightNow >= DEFAULT_IN_FLIGHT;
    // Paused or blocked: the session rule decides.
    if (!gate.allowed) return false;
    // A "try anyway" ticket (allowed, no attempts left) is for one request: the rest wait until it is settled.
    if (gate.attemptsLeft <= 0) return inFlightNow >= 1;
    if (!request.api && gate.failures === 0) return false;
    return inFlightNow >= gate.attemptsLeft;
  }

  /**
   * Resolves when the request may go: at once when nothing holds it (no promise, no timer: the common case),
   * else when what held it settles (every settle wakes the waiters) or, failing open, after GATE_TIMEOUT_MS.
   */
  function admission(request: Tracked): Promise<void> | undefined {
    if (!mustWait(request)) return undefined;
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(finish, GATE_TIMEOUT_MS);
      const check = () => {
        if (done) return;
        if (mustWait(request)) waiters.push(check);
        else finish();
      };
      waiters.push(check);
    });
  }

  /** Counts a request as in flight until its status is known; returns the function that ends that. */
  function enter(request: Tracked): () => void {
    inFlight.set(request.host, (inFlight.get(request.host) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      inFlight.set(request.host, Math.max(0, (inFlight.get(request.host) ?? 1) - 1));
      wake();
    };
  }

  /** Marks a failure (or a body being checked) as unsettled right away, before the page sees the response. */
  function hold(request: Tracked): number {
    const id = ++sequence;
    unsettled.set(id, { host: request.host, at: Date.now() });
    return id;
  }

  function release(id: number): void {
    unsettled.delete(id);
    wake();
  }

  /** The credentials a URL carries, so that a body echoing them can be scrubbed literally too. */
  function secretsOf(url: string, redactedUrl: string): string[] {
    const secrets: string[] = [];
    try {
      const parsed = new URL(url);
      const redacted = new URL(redactedUrl);
      for (const [name, value] of parsed.searchParams) if (redacted.searchParams.get(name) !== value && value) secrets.push(value);
      const rawSegments = parsed.pathname.split('/');
      const redactedSegments = redacted.pathname.split('/');
      rawSegments.forEach((segment, index) => {
        if (segment && redactedSegments[index] !== segment) secrets.push(decodeURIComponent(segment));
      });
    } catch {
      /* nothing to add */
    }
    return secrets;
  }

  const USER_INFO_FACTS = ['auth', 'status', 'exp_date', 'is_trial', 'active_cons', 'max_connections', 'created_at', 'message'];
  const STALKER_FACTS = ['status', 'msg', 'error', 'block_msg'];

  /**
   * The named facts of an object, each value redacted on its own: text through redactText, numbers and
   * booleans as they are (the whole JSON can't go through redactText — it takes `"auth": 1` for a secret),
   * `auth` reduced to 1 or 0.
   */
  function factsOf(source: Record<string, unknown>, keys: readonly string[], secrets: string[]): Record<string, unknown> {
    const facts: Record<string, unknown> = {};
    for (const key of keys) {
      if (!(key in source)) continue;
      const value = source[key];
      if (key === 'auth') facts.auth = value === 1 || value === '1' || value === true ? 1 : 0;
      else if (typeof value === 'string') facts[key] = redactText(value.slice(0, 300), secrets);
      else if (typeof value === 'number' || typeof value === 'boolean' || value === null) facts[key] = value;
    }
    return facts;
  }

  /** A redacted summary of a body: Xtream `user_info` reduced to its facts; anything else redacted and cut. */
  function summarize(text: string, url: string, redactedUrl: string): string {
    const replacement = replacementPlaylistFacts(text);
    if (replacement !== undefined) return replacement;
    const secrets = secretsOf(url, redactedUrl);
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'user_info' in parsed) {
        const info = (parsed as { user_info: unknown }).user_info;
        return JSON.stringify({ user_info: info && typeof info === 'object' ? factsOf(info as Record<string, unknown>, USER_INFO_FACTS, secrets) : {} });
      }
      // A Stalker answer too long to pass whole (a full profile): its facts, so it still parses.
      if (text.length > SUMMARY_LIMIT && parsed && typeof parsed === 'object' && 'js' in parsed) {
        const js = (parsed as { js: unknown }).js;
        if (js && typeof js === 'object' && !Array.isArray(js)) return JSON.stringify({ js: factsOf(js as Record<string, unknown>, STALKER_FACTS, secrets) });
      }
    } catch {
      /* text */
    }
    return redactText(text.slice(0, SUMMARY_LIMIT), secrets);
  }

  /**
   * What a 2xx body is: `data` (a list, or an ordinary HLS playlist) needs no report; `login` (core's
   * provesLogin) is reported only while the host has failures (it may reset them); anything else may be an
   * error — the replacement-video playlist among them — and goes to the background.
   */
  function bodyKind(text: string, request: Tracked): 'data' | 'login' | 'other' {
    if (isStreamPlaylist(request.endpoint)) return replacementPlaylistUri(text) === undefined ? 'data' : 'other';
    const trimmed = text.trimStart();
    if (trimmed.startsWith('[')) return 'data';
    if (!trimmed.startsWith('{')) return 'other';
    try {
      return provesLogin(request.endpoint, 200, JSON.parse(trimmed)) ? 'login' : 'other';
    } catch {
      return 'other';
    }
  }

  /** Whether the background could use a success on this host: it has failures (or nothing is known yet), and no pause. */
  function wantsSuccess(host: string): boolean {
    const gate = gates.get(host);
    return !gate || (gate.level !== 'blocked' && gate.failures > 0);
  }

  function report(id: number, request: Tracked, status: number, contentType: string | undefined, text: string | undefined): void {
    const url = redactUrl(request.url);
    const message: TapReport = {
      id,
      url,
      status,
      contentType: contentType ? contentType.slice(0, 100) : undefined,
      body: text === undefined ? undefined : summarize(text, request.url, url),
    };
    document.dispatchEvent(new CustomEvent(PAGE_REPORT_EVENT, { detail: JSON.stringify(message) }));
  }

  /**
   * Settles a response: reports failures and bodies that may be errors (held until answered), and successful
   * logins on a host with failures (not held: a success can only make things freer); releases everything else.
   */
  function settle(id: number, request: Tracked, status: number, contentType: string | undefined, text: string | undefined): void {
    try {
      if (status >= 400) report(id, request, status, contentType, text);
      else if (status >= 200 && status < 300 && text !== undefined) {
        const kind = bodyKind(text, request);
        if (kind === 'other') report(id, request, status, contentType, text);
        else {
          release(id);
          if (kind === 'login' && wantsSuccess(request.host)) report(++sequence, request, status, contentType, text);
        }
      } else release(id);
    } catch {
      release(id);
    }
  }

  /** Whether the tap reads this answer's body (core's rule, with the tap's smaller limit). */
  function readsBody(request: Tracked, status: number, contentType: string | null, length: string | null): boolean {
    return mayReadBody(request.endpoint, status, contentType ?? '', length === null || length === '' ? null : Number(length), BODY_LIMIT);
  }

  // ── fetch ──────────────────────────────────────────────────────────────────
  const originalFetch = window.fetch;
  function observeResponse(request: Tracked, response: Response): void {
    const status = response.status;
    const contentType = response.headers.get('content-type') ?? undefined;
    const readable = response.type !== 'opaque' && readsBody(request, status, contentType ?? null, response.headers.get('content-length'));
    if (!readable && status < 400) return;
    const id = hold(request);
    if (!readable) {
      settle(id, request, status, contentType, undefined);
      return;
    }
    readSmallBody(response, BODY_LIMIT).then(
      (text) => settle(id, request, status, contentType, text),
      () => settle(id, request, status, contentType, undefined),
    );
  }

  function tappedFetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let request: Tracked | undefined;
    try {
      request = track(input);
    } catch {
      request = undefined;
    }
    if (!request) return originalFetch.call(this as typeof globalThis, input, init);
    const tracked = request;
    const go = (): Promise<Response> => {
      let leave: () => void = () => undefined;
      try {
        leave = enter(tracked);
      } catch {
        /* fail open */
      }
      const pending = originalFetch.call(this as typeof globalThis, input, init);
      return pending.then(
        (response) => {
          try {
            // Held (when it must be checked) before it stops counting as in flight: no request slips between.
            observeResponse(tracked, response);
          } catch {
            /* fail open */
          }
          leave();
          return response;
        },
        (error: unknown) => {
          leave();
          throw error;
        },
      );
    };
    let wait: Promise<void> | undefined;
    try {
      wait = admission(tracked);
    } catch {
      wait = undefined;
    }
    return wait ? wait.then(go) : go();
  }
  try {
    Object.defineProperty(tappedFetch, 'name', { value: 'fetch' });
    window.fetch = tappedFetch as typeof fetch;
  } catch {
    /* leave fetch alone */
  }

  // ── XMLHttpRequest ─────────────────────────────────────────────────────────
  const proto = XMLHttpRequest.prototype;
  const originalOpen = proto.open;
  const originalSend = proto.send;
  const opened = new WeakMap<XMLHttpRequest, { url: string; async: boolean }>();

  proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    try {
      opened.set(this, { url: String(url), async: rest.length === 0 || rest[0] !== false });
    } catch {
      /* fail open */
    }
    return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;

  proto.send = function send(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    let request: Tracked | undefined;
    const info = opened.get(this);
    try {
      request = info ? track(info.url) : undefined;
    } catch {
      request = undefined;
    }
    if (!request || !info) return originalSend.call(this, body);
    const tracked = request;
    const xhr = this;
    const go = () => {
      try {
        watchXhr(xhr, tracked);
      } catch {
        /* fail open */
      }
      originalSend.call(xhr, body);
    };
    let wait: Promise<void> | undefined;
    try {
      wait = info.async ? admission(tracked) : undefined;
    } catch {
      wait = undefined;
    }
    if (!wait) return go();
    void wait.then(() => {
      try {
        if (xhr.readyState === XMLHttpRequest.OPENED) go();
      } catch {
        /* the page aborted it meanwhile */
      }
    });
  };

  function watchXhr(xhr: XMLHttpRequest, request: Tracked): void {
    const leave = enter(request);
    let id: number | undefined;
    let readable = false;
    const onState = () => {
      try {
        if (xhr.readyState === XMLHttpRequest.HEADERS_RECEIVED && id === undefined) {
          const status = xhr.status;
          readable = readsBody(request, status, xhr.getResponseHeader('content-type'), xhr.getResponseHeader('content-length'));
          if (status >= 400 || readable) id = hold(request);
          leave();
        } else if (xhr.readyState === XMLHttpRequest.DONE && id !== undefined) {
          const held = id;
          id = -1;
          settle(held, request, xhr.status, xhr.getResponseHeader('content-type') ?? undefined, readable ? xhrText(xhr) : undefined);
        }
      } catch {
        if (id !== undefined && id > 0) release(id);
      }
    };
    xhr.addEventListener('readystatechange', onState);
    xhr.addEventListener('loadend', () => {
      leave();
      if (id !== undefined && id > 0) release(id);
    });
  }

  /** The text of an XHR whose body readsBody allowed (its type and length were checked at the headers). */
  function xhrText(xhr: XMLHttpRequest): string | undefined {
    let text: string | undefined;
    if (xhr.responseType === '' || xhr.responseType === 'text') text = xhr.responseText;
    else if (xhr.responseType === 'json') text = JSON.stringify(xhr.response);
    // hls.js asks for segments as arraybuffer: a small error body still explains the status.
    else if (xhr.responseType === 'arraybuffer' && xhr.response instanceof ArrayBuffer && xhr.response.byteLength <= BODY_LIMIT) {
      text = new TextDecoder().decode(xhr.response);
    }
    return text !== undefined && text.length <= BODY_LIMIT ? text : undefined;
  }
})();
