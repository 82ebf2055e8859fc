/** The state one panel instance shares across its route modules, and the deny/log helpers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { catalog } from '../../core/catalog.js';
import type { Socket } from 'node:net';
import { Bruteforce, FloodProtection } from './flood.js';
import { redactPath, send, sendEmpty, sendJson, sendNginx404, sendXcvm404 } from './http-util.js';
import { UserStore, type StoredUser } from './users.js';
import type {
  AnswerStyle,
  ClientInfo,
  ConnectionPolicy,
  FloodMode,
  LogEntry,
  MagDevice,
  PanelCounters,
  PanelOptions,
} from './types.js';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path segments, percent-decoded, without the leading empty one. */
  segments: string[];
  client: ClientInfo;
  /** Redacted path for the log. */
  logPath: string;
}

export type ConnKind = 'live' | 'movie' | 'series' | 'timeshift' | 'hls' | 'stalker';

export interface Conn {
  id: number;
  user: string;
  ip: string;
  streamId: number;
  kind: ConnKind;
  startedAt: number;
  lastSeen: number;
  hlsToken?: string;
  closed: boolean;
  /** Ends the stream (kick). */
  end: () => void;
}

export class Connections {
  private seq = 0;
  private conns = new Map<number, Conn>();
  opened = 0;
  kicked = 0;

  constructor(
    private readonly now: () => number,
    private readonly hlsIdleMs: number,
  ) {}

  active(user?: string): Conn[] {
    const now = this.now();
    for (const c of [...this.conns.values()]) {
      if (c.kind === 'hls' && now - c.lastSeen > this.hlsIdleMs) this.release(c);
    }
    const all = [...this.conns.values()];
    return user === undefined ? all : all.filter((c) => c.user === user);
  }

  /** Whether `user` may open one more stream; under `kick-oldest` the oldest streams are ended to make room. */
  admit(user: StoredUser, policy: ConnectionPolicy): boolean {
    let mine = this.active(user.username).sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
    if (mine.length < user.maxConnections) return true;
    if (policy === 'refuse') return false;
    while (mine.length >= user.maxConnections && mine.length > 0) {
      const oldest = mine.shift()!;
      this.kicked++;
      this.release(oldest);
      try {
        oldest.end();
      } catch {
        /* already gone */
      }
    }
    mine = this.active(user.username);
    return mine.length < user.maxConnections;
  }

  open(c: Omit<Conn, 'id' | 'startedAt' | 'lastSeen' | 'closed'>): Conn {
    const now = this.now();
    const conn: Conn = { ...c, id: ++this.seq, startedAt: now, lastSeen: now, closed: false };
    this.conns.set(conn.id, conn);
    this.opened++;
    return conn;
  }

  release(c: Conn): void {
    c.closed = true;
    this.conns.delete(c.id);
  }

  byHlsToken(token: string): Conn | undefined {
    this.active();
    return [...this.conns.values()].find((c) => c.hlsToken === token);
  }

  endAll(): void {
    for (const c of [...this.conns.values()]) {
      this.release(c);
      try {
        c.end();
      } catch {
        /* ignore */
      }
    }
  }
}

export interface ResolvedOptions {
  host: string;
  port: number;
  style: AnswerStyle;
  flood: FloodMode | readonly FloodMode[];
  connectionPolicy: ConnectionPolicy;
  firewallDelayMs: number;
  maxSimultaneousDownloads: number;
  downloadDelayMs: number;
  bruteforceUsernameAttempts: number;
  bruteforceMacAttempts: number;
  bruteforceFrequencyMs: number;
  trustForwardedFor: boolean;
  defaultCountry: string;
  defaultIsp: string;
  playlistLimitPerMinute: number;
  vodSize: number;
  stalkerTokenTtlMs: number;
  playKeyTtlMs: number;
  hlsIdleMs: number;
  liveChunkIntervalMs: number;
  liveMedia: 'synthetic' | 'fixture';
}

/**
 * xcvm style: the only refusals XC_VM's checkFlood counts — requests whose credentials or token name no line
 * (`$rDeny` stays true: INVALID_CREDENTIALS, NO_CREDENTIALS, an unverified Stalker get_profile).
 */
export const XCVM_FLOOD_CODES: ReadonlySet<string> = new Set(['AUTH_FAILED', 'NO_CREDENTIALS', 'MAG_TOKEN_INVALID']);

/** What a denial looks like in classic style: `{"error":"CODE","message":"…"}`. */
export function classicBody(code: string): { error: string; message?: string } {
  const desc = catalog[code]?.reference?.description;
  return desc ? { error: code, message: desc } : { error: code };
}

export class Runtime {
  clock: () => number;
  readonly now = (): number => this.clock();
  readonly users: UserStore;
  readonly flood: FloodProtection;
  readonly bruteforce: Bruteforce;
  readonly conns: Connections;
  /** xcvm style: sockets of firewalled IPs, accepted and never answered (destroyed on stop/reset/unban). */
  readonly dropped = new Map<string, Set<Socket>>();
  /** xcvm style: downloads in progress, `user\0playlist|epg` → count. */
  readonly activeDownloads = new Map<string, number>();
  readonly crackedIps: Set<string>;
  readonly magDevices = new Map<string, MagDevice>();
  logEntries: LogEntry[] = [];
  counters = { requests: 0, failures: 0, blockedRequests: 0, byStatus: {} as Record<string, number>, byCode: {} as Record<string, number> };
  /** Masked style playlist/EPG downloads: user → request times. */
  downloads = new Map<string, number[]>();
  baseUrl = '';
  /** Per-module state, reset by reset(). */
  moduleState = new Map<string, unknown>();

  constructor(
    readonly opts: ResolvedOptions,
    clock: () => number,
    crackedIps: string[],
  ) {
    this.clock = clock;
    this.users = new UserStore(this.now);
    this.flood = new FloodProtection(opts.flood, this.now, opts.style === 'xcvm');
    this.bruteforce = new Bruteforce(this.now);
    this.conns = new Connections(this.now, opts.hlsIdleMs);
    this.crackedIps = new Set(crackedIps);
  }

  state<T>(key: string, init: () => T): T {
    if (!this.moduleState.has(key)) this.moduleState.set(key, init());
    return this.moduleState.get(key) as T;
  }

  log(ctx: Ctx | { client: { ip: string }; logPath: string }, code: string, extra: { status?: number; user?: string; detail?: string } = {}): void {
    const entry: LogEntry = { time: this.now(), ip: ctx.client.ip, code, path: ctx.logPath };
    if (extra.status !== undefined) entry.status = extra.status;
    if (extra.user) entry.user = extra.user;
    if (extra.detail) entry.detail = extra.detail;
    this.logEntries.push(entry);
    if (this.logEntries.length > 5000) this.logEntries.splice(0, this.logEntries.length - 5000);
    this.counters.byCode[code] = (this.counters.byCode[code] ?? 0) + 1;
  }

  /**
   * Logs `code` and, when the catalog says the panel counts it, feeds flood protection.
   * Returns true when this failure started a block (the caller must answer with `blocked()`).
   */
  fail(ctx: Ctx, code: string, status: number, user?: string, detail?: string, count?: boolean): boolean {
    const xcvm = this.opts.style === 'xcvm';
    const counts = count ?? (xcvm ? XCVM_FLOOD_CODES.has(code) : (catalog[code]?.flood ?? 'denied') !== 'none');
    let blocked = false;
    const events: { code: string; detail: string }[] = [];
    if (counts) {
      this.counters.failures++;
      const r = this.flood.failure(ctx.client.ip);
      // XC_VM runs checkFlood at shutdown, after the answer: the ban starts with the next request.
      blocked = xcvm ? false : r.blocked;
      events.push(...r.events);
    }
    this.log(ctx, code, { status: blocked ? 403 : status, user, detail: blocked ? `${detail ? detail + '; ' : ''}answered with the flood block` : detail });
    for (const ev of events) this.log(ctx, ev.code, { user, detail: ev.detail });
    return blocked;
  }

  /** 403 with an empty body: the client IP is blocked (both styles). */
  blocked(ctx: Ctx): void {
    sendEmpty(ctx.res, 403);
  }

  /**
   * A denied request: logged, counted, answered with the code's status — classic with a JSON body naming the
   * code, masked with an empty body.
   */
  reject(ctx: Ctx, code: string, opts: { user?: string; status?: number } = {}): void {
    if (this.opts.style === 'xcvm') {
      // generateError() with debug_show_errors off: the fake nginx 404, whatever the reason.
      this.fail(ctx, code, 404, opts.user);
      return sendXcvm404(ctx.res);
    }
    const status = opts.status ?? catalog[code]?.httpStatus[0] ?? 403;
    if (this.fail(ctx, code, status, opts.user)) return this.blocked(ctx);
    if (this.opts.style === 'masked') return sendEmpty(ctx.res, status);
    sendJson(ctx.res, status, classicBody(code));
  }

  /** 400 for missing/invalid parameters. */
  badRequest(ctx: Ctx, what: string): void {
    if (this.opts.style === 'xcvm') {
      this.fail(ctx, '400', 404, undefined, what);
      return sendXcvm404(ctx.res);
    }
    if (this.fail(ctx, '400', 400)) return this.blocked(ctx);
    if (this.opts.style === 'masked') return send(ctx.res, 400, 'Bad Request', 'text/plain');
    sendJson(ctx.res, 400, { error: 'BAD_REQUEST', message: `Missing or invalid parameters: ${what}` });
  }

  notFound(ctx: Ctx, what = 'not found'): void {
    this.log(ctx, '404', { status: 404, detail: what });
    if (this.opts.style === 'xcvm') return sendXcvm404(ctx.res);
    if (this.opts.style === 'masked') return sendNginx404(ctx.res);
    sendJson(ctx.res, 404, { error: 'NOT_FOUND', message: what });
  }

  /** Bans `ip` at once (xcvm: a `blocked_ips` row; permanent until an admin or `unban` lifts it) and logs `code`. */
  banNow(ctx: Ctx, code: string, reason: string, user?: string): void {
    this.flood.ban(ctx.client.ip, null, reason);
    this.log(ctx, code, { user, detail: `banned: ${reason}` });
  }

  /**
   * xcvm style, XC_VM's checkBruteforce: one more failed username / MAC from this IP. The attempt that makes
   * `bruteforce_*_attempts` distinct ones within `bruteforce_frequency` bans the IP (after this answer).
   */
  bruteforceAttempt(ctx: Ctx, kind: 'user' | 'mac', term: string | null | undefined): void {
    if (this.opts.style !== 'xcvm' || !term) return;
    const limit = kind === 'user' ? this.opts.bruteforceUsernameAttempts : this.opts.bruteforceMacAttempts;
    if (!this.bruteforce.attempt(ctx.client.ip, kind, term, limit, this.opts.bruteforceFrequencyMs)) return;
    const note = kind === 'user' ? 'BRUTEFORCE USER ATTACK' : 'BRUTEFORCE MAC ATTACK';
    this.banNow(ctx, kind === 'user' ? 'BRUTEFORCE_USER' : 'BRUTEFORCE_MAC', note);
  }

  /** xcvm style: the ban is older than firewallDelayMs — the IP is dropped at the firewall. */
  firewalled(ip: string): boolean {
    if (this.opts.style !== 'xcvm') return false;
    const ban = this.flood.blockOf(ip);
    return !!ban && this.now() - ban.since >= this.opts.firewallDelayMs;
  }

  /** Keeps a firewalled request's socket open and silent until stop/reset/unban. */
  drop(ip: string, socket: Socket): void {
    let set = this.dropped.get(ip);
    if (!set) this.dropped.set(ip, (set = new Set()));
    set.add(socket);
    socket.once('close', () => {
      const s = this.dropped.get(ip);
      s?.delete(socket);
      if (s && s.size === 0) this.dropped.delete(ip);
    });
  }

  /** Destroys the silent sockets of `ip` (or of every IP). */
  releaseDropped(ip?: string): void {
    const ips = ip === undefined ? [...this.dropped.keys()] : [ip];
    for (const k of ips) {
      for (const s of this.dropped.get(k) ?? []) s.destroy();
      this.dropped.delete(k);
    }
  }

  /** A successful login resets the IP's failure count. */
  succeeded(ctx: Ctx): void {
    this.flood.success(ctx.client.ip);
  }

  snapshotCounters(): PanelCounters {
    return {
      requests: this.counters.requests,
      failures: this.counters.failures,
      blockedRequests: this.counters.blockedRequests,
      byStatus: { ...this.counters.byStatus },
      byCode: { ...this.counters.byCode },
      activeConnections: this.conns.active().length,
      connectionsOpened: this.conns.opened,
      connectionsKicked: this.conns.kicked,
    };
  }
}

export { redactPath };
