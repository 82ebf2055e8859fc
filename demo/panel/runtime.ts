/** The state one panel instance shares across its route modules, and the deny/log helpers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { catalog } from '../../core/catalog.js';
import { FloodProtection } from './flood.js';
import { redactPath, send, sendEmpty, sendJson, sendNginx404 } from './http-util.js';
import { UserStore, type StoredUser } from './users.js';
import type {
  AnswerStyle,
  ClientInfo,
  ConnectionPolicy,
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
  flood: PanelOptions['flood'] & string;
  connectionPolicy: ConnectionPolicy;
  trustForwardedFor: boolean;
  defaultCountry: string;
  defaultIsp: string;
  playlistLimitPerMinute: number;
  vodSize: number;
  stalkerTokenTtlMs: number;
  playKeyTtlMs: number;
  hlsIdleMs: number;
  liveChunkIntervalMs: number;
}

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
  readonly conns: Connections;
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
    this.flood = new FloodProtection(opts.flood as 'seed' | 'strict' | 'off', this.now);
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
  fail(ctx: Ctx, code: string, status: number, user?: string, detail?: string): boolean {
    const counts = (catalog[code]?.flood ?? 'denied') !== 'none';
    let blocked = false;
    const events: { code: string; detail: string }[] = [];
    if (counts) {
      this.counters.failures++;
      const r = this.flood.failure(ctx.client.ip);
      blocked = r.blocked;
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
    const status = opts.status ?? catalog[code]?.httpStatus[0] ?? 403;
    if (this.fail(ctx, code, status, opts.user)) return this.blocked(ctx);
    if (this.opts.style === 'masked') return sendEmpty(ctx.res, status);
    sendJson(ctx.res, status, classicBody(code));
  }

  /** 400 for missing/invalid parameters. */
  badRequest(ctx: Ctx, what: string): void {
    if (this.fail(ctx, '400', 400)) return this.blocked(ctx);
    if (this.opts.style === 'masked') return send(ctx.res, 400, 'Bad Request', 'text/plain');
    sendJson(ctx.res, 400, { error: 'BAD_REQUEST', message: `Missing or invalid parameters: ${what}` });
  }

  notFound(ctx: Ctx, what = 'not found'): void {
    this.log(ctx, '404', { status: 404, detail: what });
    if (this.opts.style === 'masked') return sendNginx404(ctx.res);
    sendJson(ctx.res, 404, { error: 'NOT_FOUND', message: what });
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
