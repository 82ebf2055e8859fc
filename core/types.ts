import type { Category, EntryKind, Fixer, FloodCount, RetryPolicy, Severity, Source } from './catalog.js';

/** What a request was, read from its URL (credentials never kept). */
export type EndpointKind =
  | 'player-api'
  | 'panel-api'
  | 'playlist'
  | 'epg'
  | 'stream'
  | 'stream-token'
  | 'stalker'
  | 'stream-api'
  | 'other';

export interface Endpoint {
  readonly kind: EndpointKind;
  /** Xtream `action`, Stalker `type.action`. */
  readonly action?: string;
  /** live | movie | series | timeshift for streams; auth | play | hls for token paths (`auth`: a replacement clip). */
  readonly streamType?: string;
  readonly streamId?: string;
  /** Container/extension of a stream (ts, m3u8, mp4, mkv …). */
  readonly extension?: string;
  readonly host?: string;
  /** The URL with every credential removed. */
  readonly url?: string;
  /** Media, playlists and EPG: bodies that must never be read, teed or buffered. */
  readonly bulk: boolean;
}

/** The facts viewers ask about, from an Xtream `user_info`. */
export interface AccountFacts {
  readonly status?: string;
  /** Expiry instant in ms since epoch, or null for "never expires". */
  readonly expiresAt?: number | null;
  /** Whether the account has expired, judged against the response's Date header when there was one. */
  readonly expired?: boolean;
  /** Milliseconds left until expiry (negative once expired), measured from the server's clock when known. */
  readonly msLeft?: number;
  readonly activeConnections?: number;
  readonly maxConnections?: number;
  readonly trial?: boolean;
  readonly createdAt?: number;
}

/** An observation: what a client saw. */
export interface Observation {
  status?: number | string;
  url?: string | URL;
  headers?: Headers | Record<string, string | string[] | undefined> | Iterable<[string, string]>;
  body?: unknown;
  /** A network failure or timeout, as an Error or its name. */
  error?: unknown;
}

export interface Diagnosis {
  readonly source: Source;
  /** The catalog code it resolved to; a code the catalog lacks is kept exactly as the server gave it. */
  readonly code: string;
  /** False for a code the catalog lacks. */
  readonly known: boolean;
  /** The catalog entry whose facts and words apply (a fallback entry for unknown codes). */
  readonly key: string;
  readonly kind: EntryKind;
  readonly category: Category;
  readonly severity: Severity;
  readonly fixer: readonly Fixer[];
  readonly retry: RetryPolicy;
  readonly flood: FloodCount;
  readonly definitive: boolean;
  readonly httpStatus?: number;
  /** The code string the server sent, verbatim (untrusted). */
  readonly serverCode?: string;
  /** The server's own message (untrusted text). */
  readonly serverMessage?: string;
  /** The server's additional_info / extra detail (untrusted text). */
  readonly details?: string;
  /** The panel hid the real error (fake 404 page, empty 403, expired-video playlist …). */
  readonly masked?: boolean;
  readonly endpoint?: Endpoint;
  readonly account?: AccountFacts;
  /** Retry-After, as ms from the response time (capped at one hour). */
  readonly retryAfterMs?: number;
  /** The response's Date header, in ms, when it had one. */
  readonly serverTime?: number;
  /** For input classify could not read: a short, redacted summary of what was seen. */
  readonly seen?: string;
}
