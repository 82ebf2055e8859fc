/**
 * What IPTV panels really answer, and what each answer means — the one home of each panel rule. classify,
 * the flood guard, guardedFetch, the extension's tap and its background import these; nothing else decides.
 *
 * Production panels (XC_VM and the Xtream Codes forks) mask their errors: a fake nginx 404 page for a wrong
 * password on every API script, a replacement "expired" video (a 200 playlist of one `/auth/…` segment, or
 * a 302 to that clip) for expired, banned, disabled and already-connected lines — never counted by their flood
 * protection — an empty 403 once the IP is banned, and then a firewall drop (requests time out).
 */
import type { FloodCount } from './catalog.js';
import { isApiEndpoint } from './endpoints.js';
import type { Diagnosis, Endpoint } from './types.js';

// ── which bodies may be read ─────────────────────────────────────────────────

/** The most any context reads of a body to classify it (guardedFetch; the tap reads less). */
export const BODY_READ_LIMIT = 256 * 1024;
/** Content types worth reading: JSON, text, HTML (the fake 404 page), playlists; `''` when none was sent. */
const READABLE_TYPE = /json|text\/|javascript|html|mpegurl|^\s*$/i;

/** Whether this endpoint's 2xx body is an HLS playlist (small, and where the replacement video shows). */
export function isStreamPlaylist(endpoint: Endpoint, contentType = ''): boolean {
  return (endpoint.kind === 'stream' || endpoint.kind === 'stream-token') && (endpoint.extension === 'm3u8' || /mpegurl/i.test(contentType));
}

/**
 * Whether a body may be read for classification: never a 2xx media body (streams, segments, VOD, get.php
 * playlists, EPG); always a small 4xx/5xx body, on any endpoint (a stream's `{"error":"USER_ALREADY_CONNECTED"}`
 * decides between "close another player" and "blocked"); a 2xx only from the API, or an HLS playlist. `length`
 * is the Content-Length (null/undefined when not sent: the reader then stops at the limit).
 */
export function mayReadBody(endpoint: Endpoint, status: number, contentType: string, length?: number | null, limit = BODY_READ_LIMIT): boolean {
  if (length !== null && length !== undefined && !(length >= 0 && length <= limit)) return false;
  if (!READABLE_TYPE.test(contentType)) return false;
  if (status >= 400) return true;
  if (status < 200 || status >= 300) return false;
  return (isApiEndpoint(endpoint) && !endpoint.bulk) || isStreamPlaylist(endpoint, contentType);
}

/**
 * Reads at most `limit` bytes of a response's clone, to its end; a longer body is abandoned unread (undefined).
 * The caller's Response is never touched.
 */
export async function readSmallBody(response: Response, limit = BODY_READ_LIMIT): Promise<string | undefined> {
  const clone = response.clone();
  const length = response.headers.get('content-length');
  // Content-Length already said it is small: the platform's own reader is the fastest.
  if (length !== null && Number(length) >= 0 && Number(length) <= limit) return clone.text().catch(() => undefined);
  const reader = clone.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        // Not awaited: a tee branch's cancel settles only once the other branch (the caller's) ends too.
        reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

// ── what proves a login ──────────────────────────────────────────────────────

function field(value: unknown, key: string): unknown {
  try {
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** An Xtream `user_info` that proves a login: `auth` 1 with an active or absent status (auth 1 + Expired does not). */
export function isAuthenticatedUserInfo(userInfo: unknown): boolean {
  const auth = field(userInfo, 'auth');
  if (!(auth === 1 || auth === '1' || auth === true)) return false;
  const status = field(userInfo, 'status');
  return status === undefined || status === null || status === '' || (typeof status === 'string' && /^\s*active\s*$/i.test(status));
}

/** A Stalker `get_profile` answer's `js` that proves a login: a profile with status 0 (1 blocked, 2 login required), no error. */
export function isStalkerProfile(js: unknown): boolean {
  if (js === null || typeof js !== 'object' || Array.isArray(js)) return false;
  if (field(js, 'error')) return false;
  const status = field(js, 'status');
  if (status === undefined) return field(js, 'id') !== undefined;
  return status === 0 || status === '0';
}

/**
 * Whether an answer proves a successful authentication — what makes a panel forget its count: a `user_info`
 * login, a Stalker profile, a stream answering 200/206 (streamAnswered). Not any 2xx. `body` is parsed JSON.
 */
export function provesLogin(endpoint: Endpoint, status: number, body?: unknown): boolean {
  switch (endpoint.kind) {
    case 'stream':
    case 'stream-token':
      return streamAnswered(endpoint, status);
    case 'player-api':
    case 'panel-api':
      return status === 200 && isAuthenticatedUserInfo(field(body, 'user_info'));
    case 'stalker':
      return status === 200 && /get_profile$/i.test(endpoint.action ?? '') && isStalkerProfile(field(body, 'js'));
    default:
      return false;
  }
}

/** The replacement-video clips production panels serve under `/auth/…` (never a login, never the channel). */
export function isReplacementEndpoint(endpoint: Endpoint): boolean {
  return endpoint.kind === 'stream-token' && endpoint.streamType === 'auth';
}

/**
 * A stream answering 200/206: an authentication that succeeded, proven without reading a body. Not an HLS
 * playlist (a masked panel serves its "expired" playlist with 200) and not the replacement clip itself.
 */
export function streamAnswered(endpoint: Endpoint, status: number): boolean {
  return (
    (endpoint.kind === 'stream' || endpoint.kind === 'stream-token') &&
    (status === 200 || status === 206) &&
    endpoint.extension !== 'm3u8' &&
    !isReplacementEndpoint(endpoint)
  );
}

// ── what a masked answer means ───────────────────────────────────────────────

/** What a masked answer stands for: the code, and how the panel counts it when that differs from the catalog. */
export interface MaskedMeaning {
  readonly code: string;
  readonly flood?: FloodCount;
}

/** nginx's own 404 page: its title and heading read `404 Not Found`, its footer `nginx`. */
const FAKE_404 = />\s*404 Not Found\s*<|<center>\s*nginx/i;
/** The API scripts every panel has: a 404 from one of them is never a missing file. */
const SCRIPT_KINDS = new Set(['player-api', 'panel-api', 'playlist', 'epg']);

/** A web server's own 404 page (or no body at all): what a masked panel sends instead of its error. */
function looksLikeFake404(body: string | undefined): boolean {
  return body === undefined || body.trim() === '' || FAKE_404.test(body.slice(0, 4096));
}

/**
 * The replacement clip a URI names: panels name their clips after the reason (`expired`, `banned`, …).
 * An unnamed clip is read as an expired line, the most common reason.
 */
export function replacementCode(uri: string): string {
  const name = uri.slice(0, 300).toLowerCase();
  if (/connect|limit/.test(name)) return 'USER_ALREADY_CONNECTED';
  if (/disabled/.test(name)) return 'USER_DISABLED';
  if (/ban/.test(name)) return 'USER_BAN';
  return 'USER_EXPIRED';
}

const REPLACEMENT_URI = /^(?:\w+:\/\/[^/]*)?\/?auth\//i;

/** The URI of a replacement-video playlist's segment (a 200 m3u8 of at most 3 URIs, all under `/auth/`), or undefined. */
export function replacementPlaylistUri(body: string): string | undefined {
  if (body.length > 2048 || !body.trimStart().startsWith('#EXTM3U')) return undefined;
  const uris = body.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  return uris.length > 0 && uris.length <= 3 && uris.every((uri) => REPLACEMENT_URI.test(uri)) ? uris[0] : undefined;
}

const CLIP_NAMES: Readonly<Record<string, string>> = { USER_ALREADY_CONNECTED: 'connected', USER_DISABLED: 'disabled', USER_BAN: 'banned', USER_EXPIRED: 'expired' };

/**
 * A replacement-video playlist reduced to its meaning — one `/auth/<reason>.ts` line — or undefined for any
 * other body: what may leave a page, where the real URIs may carry tokens (redacting them would lose the reason).
 */
export function replacementPlaylistFacts(body: string): string | undefined {
  const uri = replacementPlaylistUri(body);
  return uri === undefined ? undefined : `#EXTM3U\n/auth/${CLIP_NAMES[replacementCode(uri)]}.ts\n`;
}

/**
 * What a masked answer means, when it is one (undefined otherwise). `body` is the text read, or undefined when
 * it could not be (webRequest sees no bodies):
 * - a 404 from an API script (player_api.php, panel_api.php, get.php, xmltv.php) with the web server's page or
 *   no body: a wrong login — counted, as the panel counts it;
 * - a 404 page (or nothing) from a stream: the panel's answer to unknown credentials or tokens — counted;
 * - a 2xx replacement-video playlist, or the clip under `/auth/` (reached by the panel's 302): the line is
 *   expired, banned, disabled or already connected — never counted by the panel.
 * - an empty 403 (not from billing): PANEL_BLOCK (see mirrorsPanelBlock for what the guard makes of it). `url`, the raw URL, names
 * the clip (the endpoint's URL is redacted); it is only matched, never kept.
 */
export function maskedMeaning(endpoint: Endpoint | undefined, status: number | undefined, body: string | undefined, url?: string): MaskedMeaning | undefined {
  const kind = endpoint?.kind;
  // An empty 403 (not billing's): the panel refuses this IP — or a geo/ISP lock; see mirrorsPanelBlock.
  if (status === 403 && !body?.trim() && kind !== 'stream-api') return { code: 'PANEL_BLOCK' };
  if (status === 404 && looksLikeFake404(body)) {
    if (kind && SCRIPT_KINDS.has(kind)) return { code: 'AUTH_FAILED' };
    if (kind === 'stream' || kind === 'stream-token') return { code: '404', flood: 'denied' };
  }
  if (status === undefined ? !endpoint : status >= 200 && status < 300) {
    const uri =
      endpoint && isReplacementEndpoint(endpoint)
        ? (url ?? endpoint.url ?? '')
        : body !== undefined && !(endpoint && isApiEndpoint(endpoint))
          ? replacementPlaylistUri(body)
          : undefined;
    if (uri !== undefined) return { code: replacementCode(uri), flood: 'none' };
  }
  return undefined;
}

/**
 * Whether a failure adds nothing to the one already known: a masked bare status (a stream's fake 404 page) after a
 * named failure the panel counts (AUTH_FAILED from the API) is the same refusal seen from a player. The guard then
 * keeps the named one, so a held player explains "wrong password", not "this channel does not exist".
 */
export function addsNoExplanation(diagnosis: Diagnosis, previous: Diagnosis | undefined): boolean {
  return diagnosis.masked === true && diagnosis.kind === 'http-status' && previous !== undefined && previous.kind !== 'http-status' && previous.flood !== 'none';
}

function isPanelBlock(diagnosis: Diagnosis | undefined): boolean {
  return diagnosis !== undefined && (diagnosis.code === 'PANEL_BLOCK' || diagnosis.key === 'PANEL_BLOCK');
}

/**
 * Whether a PANEL_BLOCK is mirrored as a timed block. A panel's own block says so (a 403 naming it, a body
 * that is not empty); an empty 403 is ambiguous — a geo or ISP refusal looks the same — so it is mirrored
 * only when the client's own count makes a flood block plausible (at least the panel's warning level). Below
 * that it is a counted failure with the usual wait: a viewer who did nothing wrong is not locked out.
 */
export function mirrorsPanelBlock(diagnosis: Diagnosis, failuresBefore: number, warnAt: number): boolean {
  if (!isPanelBlock(diagnosis)) return false;
  return diagnosis.masked !== true || failuresBefore >= warnAt;
}

/**
 * Whether a network failure (a timeout, a dropped connection) right after a panel block means the panel's
 * firewall now drops this IP: no automatic retry can help (`withinMs` of the block).
 */
export function followsPanelBlock(diagnosis: Diagnosis, previous: Diagnosis | undefined, previousAt: number | undefined, at: number, withinMs: number): boolean {
  return diagnosis.source === 'network' && isPanelBlock(previous) && previousAt !== undefined && at - previousAt <= withinMs;
}

// ── requests a panel bans for ────────────────────────────────────────────────

/**
 * Distinct accounts a panel accepts failing from one IP before it bans it (XC_VM's bruteforce protection:
 * 10 usernames, or 5 MACs, within 300 s). The guard holds the request that would be the last.
 */
export const bruteforceRules = /* @__PURE__ */ Object.freeze({ usernames: 10, macs: 5, windowMs: 300_000 });

/**
 * A Stalker `get_profile` without a serial number (`sn`): XC_VM bans the IP at once (MAGSCAN). Never sent
 * automatically. `url` is the request's URL.
 */
export function risksMagscan(endpoint: Endpoint, url: string): boolean {
  if (endpoint.kind !== 'stalker' || !/get_profile$/i.test(endpoint.action ?? '')) return false;
  try {
    const sn = new URL(url, 'http://relative.invalid').searchParams.get('sn');
    return sn === null || sn.trim() === '';
  } catch {
    return true;
  }
}

/** A failed login that names no account state (what bruteforce protection counts per account): wrong credentials. */
export function isLoginFailure(diagnosis: Diagnosis): boolean {
  return diagnosis.flood === 'auth' && !diagnosis.definitive;
}
