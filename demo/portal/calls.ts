/**
 * The portal's requests to the panels: one flood guard for the portal (its count shared by every tab through Web
 * Storage), the guard key of a panel or of a simulated client, and `call()` — one request through guardedFetch
 * that never throws for an HTTP or network failure.
 *
 * The demo server routes the panel's own paths by the `X-Demo-Panel` header (demo/vite.config.ts) and the panels
 * trust `X-Forwarded-For`, so `requestHeaders(panel, ip)` is what every request of the portal, a player's
 * included, carries.
 */
import {
  classify,
  createFloodGuard,
  createWebStorageStore,
  FloodBlockedError,
  guardedFetch,
  redactUrl,
  responseDiagnosis,
  type Diagnosis,
  type FloodGuard,
} from '../../components/index.js';

export type Panel = 'classic' | 'masked' | 'xcvm';
export const PANELS: readonly Panel[] = ['classic', 'masked', 'xcvm'];

export const guard: FloodGuard = createFloodGuard({
  store: createWebStorageStore({ storage: localStorage, events: window }),
});

/** The guard key of a panel (the portal reaches every panel through its own host), optionally as a simulated client. */
export function panelKey(panel: Panel, clientIp?: string): string {
  return `${location.host}/${panel}${clientIp ? ` as ${clientIp}` : ''}`;
}

/** The headers that pick the panel and, for a simulated viewer, the client address it sees. */
export function requestHeaders(panel: Panel, clientIp?: string): Record<string, string> {
  return { 'X-Demo-Panel': panel, ...(clientIp ? { 'X-Forwarded-For': clientIp } : {}) };
}

export function credentialsQuery(username: string, password: string, action?: string): string {
  const query = new URLSearchParams({ username, password });
  if (action) query.set('action', action);
  return query.toString();
}

/** The path of a live channel (credentials in the path, as Xtream players use it). */
export function livePath(username: string, password: string, streamId: string | number, extension: 'ts' | 'm3u8'): string {
  return `/live/${encodeURIComponent(username)}/${encodeURIComponent(password)}/${streamId}.${extension}`;
}

export interface CallOptions {
  panel: Panel;
  /** Guard key; absent → the guard's own (the host) — used for Stream API calls and foreign hosts. */
  key?: string;
  headers?: Record<string, string>;
  method?: string;
  /** Plain fetch, no guard (the naive loop). */
  plain?: boolean;
  /** Keep a successful stream open (the caller closes it). */
  hold?: boolean;
  /** For flood guards other than the portal's (the guarded loop). */
  guard?: FloodGuard;
}

export interface Outcome {
  response?: Response;
  /** What went wrong; null for success. */
  diagnosis: Diagnosis | null;
  /** The guard held the request back: nothing was sent. */
  held?: FloodBlockedError;
  /** The parsed JSON or text of an API answer. */
  data?: unknown;
  /** Media: bytes received before the stream was closed. */
  bytes?: number;
  /** Closes a held stream. */
  close?: () => void;
}

export function failed(outcome: Outcome): boolean {
  return Boolean(outcome.diagnosis || outcome.held);
}

const READABLE = /\b(?:json|text\/|javascript)/i;
const MEDIA_PATH = /^\/(?:live|movie|series|timeshift|hls|play|auth)\/|\/get\.php|\/xmltv\.php/;

function absolute(path: string): string {
  return new URL(path, location.href).href;
}

/** One request to a panel. Never throws for HTTP or network failures: they come back as a diagnosis. */
export async function call(path: string, options: CallOptions): Promise<Outcome> {
  const controller = new AbortController();
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers: { 'X-Demo-Panel': options.panel, ...options.headers },
    cache: 'no-store',
    signal: controller.signal,
  };
  const url = absolute(path);
  const shown = redactUrl(url);
  let response: Response;
  try {
    response = options.plain ? await fetch(url, init) : await guardedFetch(url, init, { guard: options.guard ?? guard, key: options.key });
  } catch (error) {
    if (error instanceof FloodBlockedError) return { diagnosis: error.diagnosis ?? null, held: error };
    return { diagnosis: classify({ error, url: shown }) };
  }
  const isMedia = MEDIA_PATH.test(new URL(url).pathname);
  const observation = { status: response.status, url: redactUrl(response.url || url), headers: response.headers };
  // What guardedFetch found (it already read what may be read); only the unguarded loops classify here.
  const found = options.plain ? undefined : responseDiagnosis(response);
  if (isMedia && response.ok) {
    // Media: read the first chunk only (proof the stream flows), never the whole body.
    let bytes = 0;
    try {
      const reader = response.body?.getReader();
      const first = await reader?.read();
      bytes = first?.value?.byteLength ?? 0;
      if (!options.hold) await reader?.cancel();
    } catch {
      /* the stream ended early: what arrived is what counts */
    }
    const close = () => controller.abort();
    if (!options.hold) close();
    return { response, diagnosis: found !== undefined ? found : classify(observation), bytes, close };
  }
  let data: unknown;
  const type = response.headers.get('content-type') ?? '';
  if (READABLE.test(type) || !type) {
    const text = await response.text().catch(() => '');
    try {
      data = type.includes('json') ? JSON.parse(text) : text;
    } catch {
      data = text;
    }
  } else {
    await response.body?.cancel().catch(() => undefined);
  }
  return { response, data, diagnosis: found !== undefined ? found : classify({ ...observation, body: data }) };
}

export function statusText(outcome: Outcome): string {
  if (outcome.held) return `not sent — the flood guard holds requests (${outcome.held.reason})`;
  const status = outcome.response ? `${outcome.response.status}` : 'no answer';
  return outcome.diagnosis ? `${status} → ${outcome.diagnosis.code}` : `${status} OK`;
}

/** A client address no other button or run uses (the naive loop, the player's failures). */
export function randomClient(prefix: string): string {
  const octet = () => 2 + Math.floor(Math.random() * 250);
  return `${prefix}.${octet()}.${octet()}`;
}
