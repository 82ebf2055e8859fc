/**
 * Shared types of the local IPTV test panel (Xtream Codes API, MAG/Stalker portal, Stream API).
 * Nothing here is product code: it is a fake server to test the product against.
 */

/**
 * `classic`: the seed's documented answers. `masked`: what current panels do (fake 404s, empty 403s, expired video).
 * `xcvm`: what a production XC_VM panel answers with its default settings (see README: fake nginx 404 for every
 * refusal, per-reason replacement videos under `/auth/…`, bruteforce/MAGSCAN bans, empty 403 then a firewall drop).
 */
export type AnswerStyle = 'classic' | 'masked' | 'xcvm';
/** `seed`: 5 warn / 10 → 5 min / 20 → 1 h. `strict`: chained denials < 2 s apart, 40 → permanent ban. `off`: none. */
export type FloodMode = 'seed' | 'strict' | 'off';
/** What happens when a user at max_connections opens one more stream. */
export type ConnectionPolicy = 'refuse' | 'kick-oldest';
export type OutputFormat = 'ts' | 'm3u8' | 'rtmp';
export type AccountStatus = 'Active' | 'Banned' | 'Disabled';

export interface PanelUser {
  username: string;
  password: string;
  /** Admin-set status; `Expired` is derived from the expiry date. Default `Active`. */
  status?: AccountStatus;
  /** Expiry as unix seconds; `null` = never expires. Takes precedence over `expiresInDays`. */
  expDate?: number | null;
  /** Expiry relative to the panel clock when the user is added (negative = already expired). */
  expiresInDays?: number;
  /** Creation time as unix seconds (default: 400 days before the panel clock). */
  createdAt?: number;
  isTrial?: boolean;
  /** Default 2. */
  maxConnections?: number;
  /** Default ['m3u8', 'ts', 'rtmp']. */
  allowedOutputFormats?: OutputFormat[];
  /** Stream ids (live, movie, series) the user's bouquet holds; absent = everything. */
  bouquet?: number[];
  /** Client IPs allowed to use the account; absent = any (else 403 IP_BAN). */
  allowedIps?: string[];
  /** ISO country codes allowed (from `X-Test-Country`); absent = any (else 403 COUNTRY_DISALLOW). */
  allowedCountries?: string[];
  /** The ISP the account is locked to (from `X-Test-ISP`); absent = none (else 403 ISP_LOCK_FAILED). */
  ispLock?: string;
  /** User-agent substrings refused (403 USER_AGENT_BAN), case-insensitive. */
  bannedUserAgents?: string[];
  /** Refuse requests without a User-Agent (403 EMPTY_UA). */
  blockEmptyUserAgent?: boolean;
  /** `user_info.message` for an active account. */
  message?: string;
  /** What state this user demonstrates (documentation only). */
  note?: string;
}

/** A MAG set-top box known to the Stalker portal. */
export interface MagDevice {
  /** `00:1A:79:xx:xx:xx`, upper case. */
  mac: string;
  /** The Xtream account whose bouquet and connections the box uses. */
  user: string;
  /** get_profile status: 0 ok, 1 blocked, 2 login required. */
  status: 0 | 1 | 2;
  /** The portal refuses this MAC outright (`Access denied.`). */
  denied?: boolean;
  /**
   * The serial number the panel has stored for this box (xcvm style: a get_profile with another `sn` is a MAGSCAN
   * ban). Absent: the first verified get_profile stores the one it sends, as XC_VM does.
   */
  sn?: string;
  note?: string;
}

export interface LogEntry {
  /** Panel clock, ms. */
  time: number;
  ip: string;
  /** A seed client log code (AUTH_FAILED, USER_EXPIRED …), FLOOD_WARNING / FLOOD_BLOCK, or an HTTP status as digits. */
  code: string;
  /** HTTP status answered (absent for FLOOD_* entries). */
  status?: number;
  /** Username (never the password). */
  user?: string;
  /** Request path with credentials, tokens and MACs replaced by `***`. */
  path: string;
  detail?: string;
}

export interface BanEntry {
  ip: string;
  reason: string;
  since: number;
  /** Panel clock ms when the ban lifts; `null` = permanent. */
  until: number | null;
}

export interface PanelCounters {
  requests: number;
  /** Failures counted by flood protection. */
  failures: number;
  /** Requests refused because the client IP was blocked (not counted as failures). */
  blockedRequests: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  activeConnections: number;
  connectionsOpened: number;
  connectionsKicked: number;
}

export interface PanelOptions {
  /** 0 or absent = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  style?: AnswerStyle;
  /**
   * Flood protection: one mode, or several combined (`['seed', 'strict']`: each keeps its own count, and a ban
   * follows when either says so). Default `seed`, `strict` with style `xcvm`. `'off'` (or `[]`) = none.
   */
  flood?: FloodMode | readonly FloodMode[];
  /**
   * xcvm style: how long (panel clock, ms) a banned IP still gets the empty 403 before it is dropped at the
   * "firewall" (connection accepted, never answered). Default 60 000.
   */
  firewallDelayMs?: number;
  /** xcvm style: simultaneous get.php (and, counted apart, xmltv.php) downloads per line (XC_VM default 2). */
  maxSimultaneousDownloads?: number;
  /** Real ms a get.php / xmltv.php answer is held before it is written (to make downloads overlap). Default 0. */
  downloadDelayMs?: number;
  /** xcvm style: distinct failed usernames from one IP within `bruteforceFrequencyMs` → ban (XC_VM default 10). */
  bruteforceUsernameAttempts?: number;
  /** xcvm style: distinct unverified MACs from one IP within `bruteforceFrequencyMs` → ban (XC_VM default 5). */
  bruteforceMacAttempts?: number;
  /** xcvm style: the bruteforce window, ms (XC_VM default 300 s). */
  bruteforceFrequencyMs?: number;
  connectionPolicy?: ConnectionPolicy;
  /** The clock (ms since epoch) every time decision uses. Default Date.now. */
  now?: () => number;
  /** Extra users (same name replaces a demo user). */
  users?: PanelUser[];
  /** Seed DEMO_USERS (default true). */
  demoUsers?: boolean;
  /** Take the client IP from X-Forwarded-For (tests/demo only). */
  trustForwardedFor?: boolean;
  /** Known cracked IPs (403 CRACKED). Default ['198.51.100.66']. */
  crackedIps?: string[];
  /** Default country / ISP when no X-Test-Country / X-Test-ISP header is sent. */
  defaultCountry?: string;
  defaultIsp?: string;
  /** MAG devices (default DEMO_MAG_DEVICES). */
  magDevices?: MagDevice[];
  /** Masked style: get.php / xmltv.php downloads per user per minute before 429. Default 3. */
  playlistLimitPerMinute?: number;
  /** Default VOD size in bytes (default 8 MiB; `?size=` may ask up to 256 MiB). */
  vodSize?: number;
  /** Stalker session token lifetime (default 1 h). */
  stalkerTokenTtlMs?: number;
  /** Stalker play key lifetime (default 5 min). */
  playKeyTtlMs?: number;
  /** An HLS session without a request for this long stops counting as a connection (default 30 s). */
  hlsIdleMs?: number;
  /** Pause between live TS chunks, real ms (default 10). */
  liveChunkIntervalMs?: number;
  /**
   * What live channels carry: `synthetic` (default) deterministic TS-like bytes (`tsBytes`, checked byte for byte
   * by tests), or `fixture` — the real test pattern of demo/media/ as an endless live stream on every channel, HLS
   * and MPEG-TS, so a real player shows a picture (`npm start` uses this; see live-media.ts).
   */
  liveMedia?: 'synthetic' | 'fixture';
}

export interface ClientInfo {
  ip: string;
  country: string;
  isp: string;
  vpn: boolean;
  /** '' when absent. */
  userAgent: string;
}
