/**
 * The knowledge base: every code a viewer can meet and the facts about it.
 * Facts only — the words for each entry live in locales/<lng>/errors-*.json under the same code (one file per family: `errorFileOf`).
 */

export type Source = 'xtream' | 'stalker' | 'stream-api' | 'http' | 'network';
/** `success` marks entries that are not errors (200, 206, Active). */
export type Severity = 'success' | 'info' | 'warning' | 'error';
export type Fixer = 'viewer' | 'provider' | 'app';
/**
 * - `not-an-error`: nothing to retry.
 * - `after-action`: retrying changes nothing until someone acts (renew, close a session, change a setting).
 * - `handshake`: retry only after a new handshake / fresh stream URL.
 * - `backoff`: transient; retry later with backoff.
 */
export type RetryPolicy = 'not-an-error' | 'after-action' | 'handshake' | 'backoff';
/**
 * How the panel's flood protection counts it:
 * `auth` a failed authentication, `denied` a denied request, `none` not counted.
 */
export type FloodCount = 'auth' | 'denied' | 'none';
export type Category =
  | 'ok'
  | 'request'
  | 'authentication'
  | 'connection'
  | 'stream'
  | 'security'
  | 'stalker'
  | 'account'
  | 'billing'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'unknown';
export type EntryKind =
  | 'http-status'
  | 'log-code'
  | 'account-status'
  | 'stream-api-code'
  | 'exception-class'
  | 'panel-behaviour'
  | 'network'
  | 'fallback';

export interface CatalogEntry {
  readonly code: string;
  readonly kind: EntryKind;
  readonly source: Source;
  readonly category: Category;
  readonly severity: Severity;
  /** HTTP statuses this code arrives with (first is the usual one). */
  readonly httpStatus: readonly number[];
  readonly fixer: readonly Fixer[];
  readonly retry: RetryPolicy;
  readonly flood: FloodCount;
  /** A hard stop: no amount of waiting lifts it, only someone acting (renew, unban, change network). */
  readonly definitive: boolean;
  /** Where the seed documents define it; `false` for what real panels send beyond the seed. */
  readonly documented: boolean;
  /** The reason phrase of an HTTP status (protocol fact, not UI text). */
  readonly statusText?: string;
  /** The Stream API's canonical user-facing message for this code (the server's contract, English). */
  readonly canonicalMessage?: string;
  /** The seed's one-line definition and solution, in English, for support reports. */
  readonly reference?: { readonly description: string; readonly solution?: string };
  /** An account status or alias whose meaning is another entry's (its texts are that entry's). */
  readonly sameAs?: string;
  /** `guard`: only the flood guard gives this diagnosis (a request it would not send); classify never does. */
  readonly origin?: 'guard';
}

type Draft = Omit<CatalogEntry, 'code' | 'documented' | 'definitive' | 'flood'> &
  Partial<Pick<CatalogEntry, 'documented' | 'definitive' | 'flood'>>;

const entries: Record<string, Draft> = {
  // ── Xtream HTTP statuses (seed) ─────────────────────────────────────────────
  '200': { kind: 'http-status', source: 'xtream', category: 'ok', severity: 'success', httpStatus: [200], fixer: [], retry: 'not-an-error', statusText: 'OK', reference: { description: 'Request completed successfully' } },
  '206': { kind: 'http-status', source: 'xtream', category: 'ok', severity: 'success', httpStatus: [206], fixer: [], retry: 'not-an-error', statusText: 'Partial Content', reference: { description: 'Range request for VOD streaming' } },
  '400': { kind: 'http-status', source: 'xtream', category: 'request', severity: 'error', httpStatus: [400], fixer: ['app'], retry: 'after-action', flood: 'denied', statusText: 'Bad Request', reference: { description: 'Missing or invalid parameters' } },
  '401': { kind: 'http-status', source: 'xtream', category: 'authentication', severity: 'error', httpStatus: [401], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'auth', statusText: 'Unauthorized', reference: { description: 'Authentication failed, user expired or banned' } },
  '403': { kind: 'http-status', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'denied', statusText: 'Forbidden', reference: { description: 'Access denied (IP/token mismatch)' } },
  '404': { kind: 'http-status', source: 'xtream', category: 'request', severity: 'error', httpStatus: [404], fixer: ['provider', 'app'], retry: 'after-action', statusText: 'Not Found', reference: { description: 'Resource or file not found' } },
  '405': { kind: 'http-status', source: 'xtream', category: 'stream', severity: 'error', httpStatus: [405], fixer: ['viewer', 'app', 'provider'], retry: 'after-action', flood: 'denied', statusText: 'Method Not Allowed', reference: { description: 'Output format not allowed for user' } },
  '406': { kind: 'http-status', source: 'xtream', category: 'stream', severity: 'error', httpStatus: [406], fixer: ['provider', 'viewer'], retry: 'after-action', flood: 'denied', statusText: 'Not Acceptable', reference: { description: "Stream not in user's bouquet" } },
  '416': { kind: 'http-status', source: 'xtream', category: 'stream', severity: 'warning', httpStatus: [416], fixer: ['app'], retry: 'after-action', statusText: 'Range Not Satisfiable', reference: { description: 'Invalid range request for VOD' } },
  // ── Statuses real panels and the Stream API send beyond the Xtream table ─────
  '410': { kind: 'http-status', source: 'stream-api', category: 'request', severity: 'error', httpStatus: [410], fixer: ['provider'], retry: 'after-action', statusText: 'Gone', documented: true },
  '422': { kind: 'http-status', source: 'stream-api', category: 'request', severity: 'error', httpStatus: [422], fixer: ['viewer', 'provider'], retry: 'after-action', statusText: 'Unprocessable Entity', documented: true },
  '429': { kind: 'http-status', source: 'xtream', category: 'rate-limit', severity: 'warning', httpStatus: [429], fixer: ['viewer', 'app'], retry: 'backoff', flood: 'denied', statusText: 'Too Many Requests', documented: false },
  '500': { kind: 'http-status', source: 'http', category: 'server', severity: 'error', httpStatus: [500], fixer: ['provider'], retry: 'backoff', statusText: 'Internal Server Error', documented: false },
  '502': { kind: 'http-status', source: 'http', category: 'server', severity: 'error', httpStatus: [502], fixer: ['provider'], retry: 'backoff', statusText: 'Bad Gateway', documented: false },
  '503': { kind: 'http-status', source: 'http', category: 'server', severity: 'error', httpStatus: [503], fixer: ['provider'], retry: 'backoff', statusText: 'Service Unavailable', documented: false },
  '504': { kind: 'http-status', source: 'http', category: 'server', severity: 'error', httpStatus: [504], fixer: ['provider'], retry: 'backoff', statusText: 'Gateway Timeout', documented: false },

  // ── Client log codes: authentication (seed) ────────────────────────────────
  AUTH_FAILED: { kind: 'log-code', source: 'xtream', category: 'authentication', severity: 'error', httpStatus: [401, 200], fixer: ['viewer'], retry: 'after-action', flood: 'auth', reference: { description: 'Invalid username or password', solution: 'Verify credentials' } },
  USER_EXPIRED: { kind: 'log-code', source: 'xtream', category: 'authentication', severity: 'error', httpStatus: [401, 200], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'auth', definitive: true, reference: { description: 'User subscription has expired', solution: 'Renew subscription' } },
  USER_BAN: { kind: 'log-code', source: 'xtream', category: 'authentication', severity: 'error', httpStatus: [401, 200], fixer: ['provider'], retry: 'after-action', flood: 'auth', definitive: true, reference: { description: 'User account banned by admin', solution: 'Contact provider' } },
  USER_DISABLED: { kind: 'log-code', source: 'xtream', category: 'authentication', severity: 'error', httpStatus: [401, 200], fixer: ['provider'], retry: 'after-action', flood: 'auth', definitive: true, reference: { description: 'User account disabled', solution: 'Contact provider' } },
  // ── connection (seed) ──
  USER_ALREADY_CONNECTED: { kind: 'log-code', source: 'xtream', category: 'connection', severity: 'warning', httpStatus: [403, 401], fixer: ['viewer'], retry: 'after-action', flood: 'denied', reference: { description: 'Maximum connections reached', solution: 'Close other sessions' } },
  IP_BAN: { kind: 'log-code', source: 'xtream', category: 'connection', severity: 'error', httpStatus: [403], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'denied', definitive: true, reference: { description: 'IP not in allowed list', solution: 'Use whitelisted IP' } },
  COUNTRY_DISALLOW: { kind: 'log-code', source: 'xtream', category: 'connection', severity: 'error', httpStatus: [403], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'denied', definitive: true, reference: { description: 'Country not allowed', solution: 'Use allowed country/VPN' } },
  USER_AGENT_BAN: { kind: 'log-code', source: 'xtream', category: 'connection', severity: 'error', httpStatus: [403], fixer: ['app', 'viewer'], retry: 'after-action', flood: 'denied', reference: { description: 'User agent blocked', solution: 'Use allowed player' } },
  EMPTY_UA: { kind: 'log-code', source: 'xtream', category: 'connection', severity: 'error', httpStatus: [403], fixer: ['app'], retry: 'after-action', flood: 'denied', reference: { description: 'Empty user agent blocked', solution: 'Set user agent header' } },
  // ── stream (seed) ──
  NOT_IN_BOUQUET: { kind: 'log-code', source: 'xtream', category: 'stream', severity: 'error', httpStatus: [406], fixer: ['provider', 'viewer'], retry: 'after-action', flood: 'denied', reference: { description: "Stream not in user's package", solution: 'Upgrade subscription' } },
  USER_DISALLOW_EXT: { kind: 'log-code', source: 'xtream', category: 'stream', severity: 'error', httpStatus: [405], fixer: ['app', 'viewer'], retry: 'after-action', flood: 'denied', reference: { description: 'Output format not allowed', solution: 'Use allowed format (ts/m3u8)' } },
  // ── security (seed) ──
  ISP_LOCK_FAILED: { kind: 'log-code', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'denied', definitive: true, reference: { description: 'ISP changed from registered', solution: 'Use original ISP' } },
  CON_SVP: { kind: 'log-code', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['viewer'], retry: 'after-action', flood: 'denied', definitive: true, reference: { description: 'Connection from VPN/server detected', solution: 'Disable VPN' } },
  CRACKED: { kind: 'log-code', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['provider'], retry: 'after-action', flood: 'denied', definitive: true, reference: { description: 'Known cracked IP detected', solution: 'Contact provider' } },
  // ── MAG/Stalker (seed) ──
  MAG_TOKEN_INVALID: { kind: 'log-code', source: 'stalker', category: 'stalker', severity: 'warning', httpStatus: [401, 200], fixer: ['app'], retry: 'handshake', reference: { description: 'Invalid or expired MAG token', solution: 'Perform new handshake' } },
  STALKER_KEY_EXPIRED: { kind: 'log-code', source: 'stalker', category: 'stalker', severity: 'warning', httpStatus: [403, 200], fixer: ['app'], retry: 'handshake', reference: { description: 'Stalker key has expired', solution: 'Refresh session' } },
  STALKER_IP_MISMATCH: { kind: 'log-code', source: 'stalker', category: 'stalker', severity: 'warning', httpStatus: [403, 200], fixer: ['viewer'], retry: 'handshake', flood: 'denied', reference: { description: 'IP changed during session', solution: 'Reconnect from same IP' } },
  STALKER_CHANNEL_MISMATCH: { kind: 'log-code', source: 'stalker', category: 'stalker', severity: 'warning', httpStatus: [403, 200], fixer: ['app'], retry: 'handshake', reference: { description: 'Channel ID mismatch', solution: 'Request new stream URL' } },
  STALKER_DECRYPT_FAILED: { kind: 'log-code', source: 'stalker', category: 'stalker', severity: 'error', httpStatus: [403, 200], fixer: ['provider'], retry: 'after-action', flood: 'denied', reference: { description: 'Failed to decrypt stalker key', solution: 'Contact provider' } },
  // ── log codes panels record beside the seed's ──
  RESTREAM_DETECT: { kind: 'log-code', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'denied', definitive: true, documented: false },
  PROXY_DETECT: { kind: 'log-code', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['viewer'], retry: 'after-action', flood: 'denied', definitive: true, documented: false },
  HOSTING_DETECT: { kind: 'log-code', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['viewer'], retry: 'after-action', flood: 'denied', definitive: true, documented: false },
  TOKEN_EXPIRED: { kind: 'log-code', source: 'xtream', category: 'stream', severity: 'warning', httpStatus: [403, 401], fixer: ['app'], retry: 'handshake', documented: false },
  IP_MISMATCH: { kind: 'log-code', source: 'xtream', category: 'security', severity: 'warning', httpStatus: [403], fixer: ['viewer', 'app'], retry: 'handshake', flood: 'denied', documented: false },
  LB_TOKEN_INVALID: { kind: 'log-code', source: 'xtream', category: 'stream', severity: 'warning', httpStatus: [403, 401], fixer: ['app', 'provider'], retry: 'handshake', documented: false },

  // ── What panels do instead of a clear error ────────────────────────────────
  /** An empty-body 403: the panel already refuses this IP (flood block or ban of unknown length). */
  PANEL_BLOCK: { kind: 'panel-behaviour', source: 'xtream', category: 'security', severity: 'error', httpStatus: [403], fixer: ['viewer'], retry: 'backoff', flood: 'denied', documented: false },
  /** Stalker/Ministra 200 text `Access denied.`. */
  STALKER_ACCESS_DENIED: { kind: 'panel-behaviour', source: 'stalker', category: 'stalker', severity: 'error', httpStatus: [200, 403], fixer: ['provider'], retry: 'after-action', flood: 'denied', documented: false },
  /** A handshake answered with `"token": null` / empty token: the portal refuses this device. */
  STALKER_HANDSHAKE_REFUSED: { kind: 'panel-behaviour', source: 'stalker', category: 'stalker', severity: 'error', httpStatus: [200], fixer: ['provider', 'viewer'], retry: 'after-action', flood: 'auth', documented: false },
  /** get_profile `status: 1`: the device/account is blocked on the portal. */
  STALKER_ACCOUNT_BLOCKED: { kind: 'panel-behaviour', source: 'stalker', category: 'stalker', severity: 'error', httpStatus: [200], fixer: ['provider'], retry: 'after-action', flood: 'auth', definitive: true, documented: false },
  /**
   * A Stalker `get_profile` the guard would not send: it has no serial number (`sn`), and XC_VM bans an IP at
   * once for that (its MAGSCAN log code). The player must send the device's serial.
   */
  MAGSCAN: { kind: 'panel-behaviour', source: 'stalker', category: 'stalker', severity: 'error', httpStatus: [], fixer: ['app'], retry: 'after-action', definitive: true, documented: false, origin: 'guard' },
  /** get_profile `status: 2`: the portal wants a login and password for this device. */
  STALKER_LOGIN_REQUIRED: { kind: 'panel-behaviour', source: 'stalker', category: 'stalker', severity: 'warning', httpStatus: [200], fixer: ['viewer'], retry: 'after-action', documented: false },

  // ── user_info account statuses (seed) ──────────────────────────────────────
  Active: { kind: 'account-status', source: 'xtream', category: 'ok', severity: 'success', httpStatus: [200], fixer: [], retry: 'not-an-error' },
  Expired: { kind: 'account-status', source: 'xtream', category: 'account', severity: 'error', httpStatus: [200, 401], fixer: ['viewer', 'provider'], retry: 'after-action', flood: 'auth', definitive: true, sameAs: 'USER_EXPIRED' },
  Banned: { kind: 'account-status', source: 'xtream', category: 'account', severity: 'error', httpStatus: [200, 401], fixer: ['provider'], retry: 'after-action', flood: 'auth', definitive: true, sameAs: 'USER_BAN' },
  Disabled: { kind: 'account-status', source: 'xtream', category: 'account', severity: 'error', httpStatus: [200, 401], fixer: ['provider'], retry: 'after-action', flood: 'auth', definitive: true, sameAs: 'USER_DISABLED' },

  // ── Stream API codes (seed): canonical messages verbatim ───────────────────
  STREAM_ERROR: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'error', httpStatus: [500, 400], fixer: ['provider'], retry: 'backoff', canonicalMessage: 'Something wrong happened, please contact support.' },
  STREAM_UNKNOWN_ERROR: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'error', httpStatus: [500], fixer: ['provider'], retry: 'backoff', canonicalMessage: 'Unknown exception happened; this exception will be handled as soon as possible.' },
  PHONE_ALREADY_REGISTERED: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'warning', httpStatus: [422], fixer: ['viewer'], retry: 'after-action', canonicalMessage: 'Phone is already registered.' },
  INVALID_PARAMETERS: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'warning', httpStatus: [400, 422], fixer: ['viewer', 'app'], retry: 'after-action', canonicalMessage: 'Request input is not valid.' },
  INVOICE_FINALISED: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'warning', httpStatus: [422, 400], fixer: ['provider'], retry: 'after-action', canonicalMessage: 'Invoice is finalised and cannot undergo this action.' },
  PAYMENT_REFUNDED_ALREADY: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'info', httpStatus: [422], fixer: [], retry: 'not-an-error', canonicalMessage: 'Duplicate action; payment has already been refunded.' },
  PAYMENT_REFUNDED_FAILED: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'error', httpStatus: [400, 500], fixer: ['provider'], retry: 'backoff', canonicalMessage: 'Could not refund payment; processor failed.' },
  DUPLICATE_CONSUMER: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'warning', httpStatus: [422], fixer: ['viewer'], retry: 'after-action', canonicalMessage: 'Consumer already exists.' },
  DUPLICATE_PAYMENT: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'warning', httpStatus: [422], fixer: ['viewer', 'provider'], retry: 'after-action', canonicalMessage: 'A payment with the given information already exists.' },
  PERMISSION_FORBIDDEN: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'error', httpStatus: [403], fixer: ['provider'], retry: 'after-action', canonicalMessage: 'Permission forbidden.' },
  PRODUCT_USED_IN_FINALIZED_INVOICE: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'warning', httpStatus: [422], fixer: ['provider'], retry: 'after-action', canonicalMessage: 'Product cannot be updated; it is used by a finalized invoice.' },
  COUPON_USED_IN_FINALIZED_INVOICE: { kind: 'stream-api-code', source: 'stream-api', category: 'billing', severity: 'warning', httpStatus: [422], fixer: ['provider'], retry: 'after-action', canonicalMessage: 'Coupon cannot be updated; it is used by a finalized invoice.' },
  // ── Stream API exception classes (seed) ──
  BadRequestError: { kind: 'exception-class', source: 'stream-api', category: 'request', severity: 'error', httpStatus: [400], fixer: ['app', 'viewer'], retry: 'after-action' },
  UnauthorizedError: { kind: 'exception-class', source: 'stream-api', category: 'authentication', severity: 'error', httpStatus: [401], fixer: ['viewer'], retry: 'after-action' },
  ForbiddenError: { kind: 'exception-class', source: 'stream-api', category: 'security', severity: 'error', httpStatus: [403], fixer: ['provider'], retry: 'after-action' },
  PermissionForbiddenError: { kind: 'exception-class', source: 'stream-api', category: 'security', severity: 'error', httpStatus: [403], fixer: ['provider'], retry: 'after-action' },
  NotFoundError: { kind: 'exception-class', source: 'stream-api', category: 'request', severity: 'error', httpStatus: [404], fixer: ['provider', 'app'], retry: 'after-action' },
  GoneError: { kind: 'exception-class', source: 'stream-api', category: 'request', severity: 'error', httpStatus: [410], fixer: ['provider'], retry: 'after-action' },
  UnprocessableEntityError: { kind: 'exception-class', source: 'stream-api', category: 'request', severity: 'warning', httpStatus: [422], fixer: ['viewer', 'app'], retry: 'after-action' },
  DuplicateValueError: { kind: 'exception-class', source: 'stream-api', category: 'request', severity: 'warning', httpStatus: [422], fixer: ['viewer'], retry: 'after-action' },

  // ── Network (beyond the seed) ──────────────────────────────────────────────
  NETWORK_ERROR: { kind: 'network', source: 'network', category: 'network', severity: 'error', httpStatus: [], fixer: ['viewer', 'provider'], retry: 'backoff', documented: false },
  TIMEOUT: { kind: 'network', source: 'network', category: 'network', severity: 'warning', httpStatus: [], fixer: ['viewer', 'provider'], retry: 'backoff', documented: false },

  // ── Fallbacks: the facts and words used for what the catalog does not know ──
  /** A 4xx status the catalog lacks. */
  HTTP_CLIENT_ERROR: { kind: 'fallback', source: 'http', category: 'request', severity: 'error', httpStatus: [], fixer: ['app', 'provider'], retry: 'after-action', documented: false },
  /** A 5xx status the catalog lacks. */
  HTTP_SERVER_ERROR: { kind: 'fallback', source: 'http', category: 'server', severity: 'error', httpStatus: [], fixer: ['provider'], retry: 'backoff', documented: false },
  /** Any other code the catalog lacks: still shown, with its raw code. */
  UNKNOWN: { kind: 'fallback', source: 'http', category: 'unknown', severity: 'error', httpStatus: [], fixer: ['provider'], retry: 'backoff', documented: false },
  /** Input that could not be read at all (the banner's fallback for bad input). */
  UNREADABLE: { kind: 'fallback', source: 'http', category: 'unknown', severity: 'warning', httpStatus: [], fixer: ['app'], retry: 'after-action', documented: false },
};

export const catalog: Readonly<Record<string, CatalogEntry>> = Object.freeze(
  Object.fromEntries(
    Object.entries(entries).map(([code, draft]) => [
      code,
      Object.freeze({ documented: true, definitive: false, flood: 'none' as FloodCount, ...draft, code }),
    ]),
  ),
);

/** The codes whose words live in the locales: every entry except aliases that borrow another's. */
export const textKeys: readonly string[] = /* @__PURE__ */ Object.values(catalog)
  .filter((entry) => !entry.sameAs)
  .map((entry) => entry.code);

/** The entry whose words describe `code` (an alias resolves to its target). */
export function textKeyOf(code: string): string {
  const entry = catalog[code];
  return entry?.sameAs ?? (entry ? entry.code : 'UNKNOWN');
}

/**
 * The locale file holding an entry's words: each language's error texts come in four files (lazy chunks of a
 * few KB each), so a page loads only the family of errors it shows.
 */
export type ErrorFile = 'errors-xtream' | 'errors-stalker' | 'errors-billing' | 'errors-common';
export const ERROR_FILES: readonly ErrorFile[] = ['errors-xtream', 'errors-stalker', 'errors-billing', 'errors-common'];

/** Which of the four error files holds the words of `code` (or of its text key): by the entry's source. */
export function errorFileOf(code: string): ErrorFile {
  const source = lookup(textKeyOf(code))?.source;
  return source === 'xtream' || source === 'stalker' ? `errors-${source}` : source === 'stream-api' ? 'errors-billing' : 'errors-common';
}

/** The seed's panel flood-protection rules (Xtream Codes API, "Flood Protection"). */
export const panelFloodRules = /* @__PURE__ */ Object.freeze({
  /** failures → warning logged */
  warn: 5,
  /** failures → temporary block */
  block: 10,
  blockMs: 5 * 60_000,
  /** failures → extended block */
  extended: 20,
  extendedMs: 60 * 60_000,
});

/** What real panels also do (not in the seed): a denied request under 2 s after the last one chains; 40 → permanent ban. */
export const strictPanelFloodRules = /* @__PURE__ */ Object.freeze({
  chainGapMs: 2_000,
  permanentBan: 40,
});

export function lookup(code: string): CatalogEntry | undefined {
  return Object.prototype.hasOwnProperty.call(catalog, code) ? catalog[code] : undefined;
}
