import type { Endpoint, EndpointKind } from './types.js';
import { redactUrl } from './redact.js';

/** A base for relative URLs; never shown (redactUrl keeps relative URLs relative). */
const RELATIVE_BASE = 'http://relative.invalid';

const STREAM_PATH = /^\/(live|movie|series)\/[^/]+\/[^/]+\/([^/?#]+?)(?:\.([a-z0-9]{1,5}))?$/i;
const TIMESHIFT_PATH = /^\/timeshift\/[^/]+\/[^/]+\/[^/]+\/[^/]+\/([^/?#]+?)(?:\.([a-z0-9]{1,5}))?$/i;
const PLAYER_API_PATH = /^\/player_api\/[^/]+\/[^/]+(?:\/([^/?#]+))?\/?$/i;
const TOKEN_PATH = /^\/(auth|play|hls)\/[^/]+(?:\/.*)?$/i;
/** The short live form `/USER/PASS/ID` many players use. */
const SHORT_STREAM_PATH = /^\/[^/]+\/[^/]+\/(\d+)(?:\.([a-z0-9]{1,5}))?$/i;
const STALKER_PATH = /^\/(?:portal\.php|c\/?|c\/.*|stalker_portal\/.*|server\/load\.php|.*\/load\.php)$/i;
/** Billing (Stream API) routes: never blocked, never treated as panel traffic. */
const STREAM_API_PATH = /\/(?:stream-api|invoices?|payments?|consumers?|coupons?|products?|billing|subscriptions?|checkout)(?:\/|$)/i;
const MEDIA_EXTENSION = /\.(?:ts|m3u8|m3u|mp4|mkv|avi|m4s|m4v|mov|aac|mp3|webm|flv|xml|gz)$/i;

/**
 * `url`, redacted when first read: redacting costs more than the rest of describing a URL, and most
 * endpoints (every media request a player makes) are never shown. An own enumerable property, so spreads,
 * JSON and structured clones see the redacted string; the raw URL never leaves the closure.
 */
function withRedactedUrl<T extends object>(endpoint: T, raw: string): T {
  let redacted: string | undefined;
  return Object.defineProperty(endpoint, 'url', { enumerable: true, configurable: true, get: () => (redacted ??= redactUrl(raw)) });
}

function parse(url: string | URL): URL | undefined {
  try {
    return new URL(String(url), RELATIVE_BASE);
  } catch {
    return undefined;
  }
}

/** What a request is, from its URL alone. Credentials never leave: `url` is redacted. */
export function describeEndpoint(url: string | URL | undefined | null): Endpoint {
  const parsed = url == null ? undefined : parse(url);
  if (!parsed) return { kind: 'other', bulk: false };
  const path = parsed.pathname;
  const host = parsed.origin === RELATIVE_BASE ? undefined : parsed.host;
  const raw = String(url);
  const lowerPath = path.toLowerCase();
  const make = (kind: EndpointKind, bulk: boolean, extra: Partial<Endpoint> = {}): Endpoint => Object.assign(withRedactedUrl({ kind, bulk, host }, raw), extra);

  if (lowerPath.endsWith('/player_api.php')) {
    return make('player-api', false, { action: parsed.searchParams.get('action') ?? undefined });
  }
  const playerApi = PLAYER_API_PATH.exec(path);
  if (playerApi) return make('player-api', false, { action: playerApi[1] });
  if (lowerPath.endsWith('/panel_api.php')) return make('panel-api', false);
  if (lowerPath.endsWith('/get.php')) return make('playlist', true);
  if (lowerPath.endsWith('/xmltv.php')) return make('epg', true);

  const stream = STREAM_PATH.exec(path);
  if (stream) {
    return make('stream', true, { streamType: stream[1]!.toLowerCase(), streamId: stream[2], extension: stream[3]?.toLowerCase() });
  }
  const timeshift = TIMESHIFT_PATH.exec(path);
  if (timeshift) return make('stream', true, { streamType: 'timeshift', streamId: timeshift[1], extension: timeshift[2]?.toLowerCase() });
  const token = TOKEN_PATH.exec(path);
  if (token) {
    const extension = /\.([a-z0-9]{1,5})$/i.exec(path)?.[1]?.toLowerCase();
    return make('stream-token', true, { streamType: token[1]!.toLowerCase(), extension });
  }
  if (STALKER_PATH.test(path)) {
    const type = parsed.searchParams.get('type');
    const action = parsed.searchParams.get('action');
    return make('stalker', false, { action: type && action ? `${type}.${action}` : (action ?? undefined) });
  }
  if (STREAM_API_PATH.test(path)) return make('stream-api', false);
  const short = SHORT_STREAM_PATH.exec(path);
  if (short) return make('stream', true, { streamType: 'live', streamId: short[1], extension: short[2]?.toLowerCase() });
  return make('other', MEDIA_EXTENSION.test(path));
}

/** The kinds whose answers are the panel's API (small JSON/text bodies worth reading). */
export function isApiEndpoint(endpoint: Endpoint): boolean {
  return endpoint.kind === 'player-api' || endpoint.kind === 'panel-api' || endpoint.kind === 'stalker' || endpoint.kind === 'stream-api';
}

/** Kinds served by the IPTV panel itself (what its flood protection counts). */
export function isPanelEndpoint(endpoint: Endpoint): boolean {
  return endpoint.kind !== 'stream-api' && endpoint.kind !== 'other';
}
