/**
 * A real local IPTV panel to test against: Xtream Codes API, MAG/Stalker portal and Stream API on Node's `http`.
 *
 *   const panel = await startPanel({ style: 'classic', flood: 'seed', now: () => fakeNow, trustForwardedFor: true });
 *   await fetch(`${panel.url}/player_api.php?username=demo&password=test123`);
 *   await panel.stop();
 *
 * Test hooks (only meaningful for tests and the demo): `X-Forwarded-For` (client IP, when trustForwardedFor),
 * `X-Test-Country`, `X-Test-ISP`, `X-Test-VPN: 1`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { header, redactPath, send, sendEmpty } from './http-util.js';
import { Runtime, type Conn, type Ctx, type ResolvedOptions } from './runtime.js';
import { handlePlay, handleStalker, handleStalkerUi } from './stalker.js';
import { handleStreamApi, handleStreamApiError } from './stream-api.js';
import { handleAuthVideo } from './replacement.js';
import { handleHlsSegment, handleStream, handleTimeshift } from './streams.js';
import { floodLabel, normalizeFloodModes } from './flood.js';
import type { AnswerStyle, BanEntry, ClientInfo, FloodMode, LogEntry, MagDevice, PanelCounters, PanelOptions, PanelUser } from './types.js';
import { DEMO_MAG_DEVICES, DEMO_USERS, type StoredUser } from './users.js';
import { handleGetPhp, handlePanelApi, handlePlayerApi, handleXmltv } from './xtream.js';

export type * from './types.js';
export { DEMO_MAG_DEVICES, DEMO_USERS, MAG_PREFIXES } from './users.js';
export { contentSeed, vodByteAt, vodBytes, tsBytes, TS_PACKET } from './bytes.js';
export { MAX_VOD_SIZE } from './streams.js';
export { STREAM_API_CODES, STREAM_API_ADMIN_TOKEN, envelope } from './stream-api.js';
export { NGINX_404, XCVM_404, redactPath } from './http-util.js';
export { CHANNELS, MOVIES, SERIES, MEDIA_STREAM_ID } from './data.js';
export { mediaFile } from './media.js';

export const DEFAULT_CRACKED_IPS: readonly string[] = ['198.51.100.66'];

export interface Panel {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly style: AnswerStyle;
  /** The flood mode (`'seed'`, `'strict'`, `'off'`), or the list when several are combined. */
  readonly flood: FloodMode | FloodMode[];
  /** The active flood modes (`[]` = off). */
  readonly floodModes: ReadonlyArray<'seed' | 'strict'>;
  /** Ends every stream and closes the server. */
  stop(): Promise<void>;
  addUser(user: PanelUser): void;
  /** Changes a user (e.g. `{ status: 'Banned' }`, `{ expiresInDays: -1 }`, `{ maxConnections: 1 }`). */
  setUser(name: string, patch: Partial<PanelUser>): void;
  /** A copy of a user as the panel holds it (expDate resolved), or undefined. */
  getUser(name: string): (StoredUser & { expired: boolean }) | undefined;
  addMagDevice(device: MagDevice): void;
  /** Active IP bans: `until` null = permanent. */
  banList(): BanEntry[];
  ban(ip: string, untilMs: number | null, reason?: string): void;
  unban(ip: string): void;
  /** Failures flood protection currently counts for `ip` (the seed count when seed is on, else the strict chain). */
  failures(ip: string): number;
  /** The strict chain (`flood` includes `strict`) for `ip`: denials less than 2 s apart, 40 → ban. */
  chain(ip: string): number;
  /** xcvm style: distinct failed usernames / unverified MACs counted for `ip` in the bruteforce window. */
  bruteforceCount(ip: string, kind: 'user' | 'mac'): number;
  /** xcvm style: whether `ip` is past the firewall delay (its requests are accepted and never answered). */
  firewalled(ip: string): boolean;
  /** xcvm style: how many silent (firewalled) sockets the panel holds, for `ip` or in all. */
  droppedSockets(ip?: string): number;
  counters(): PanelCounters;
  /** The panel's log (copies): denials with their client log code, FLOOD_WARNING / FLOOD_BLOCK. */
  log(): LogEntry[];
  /** Open streams / HLS sessions (no credentials). */
  connections(): Array<Pick<Conn, 'id' | 'user' | 'ip' | 'streamId' | 'kind' | 'startedAt'>>;
  /** Back to the initial state: users, devices, bans, counters, log, streams, Stream API data. */
  reset(): void;
  /** Replaces the clock every time decision uses. */
  setClock(now: () => number): void;
  now(): number;
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function clientOf(rt: Runtime, req: IncomingMessage): ClientInfo {
  let ip = normalizeIp(req.socket.remoteAddress ?? '0.0.0.0');
  if (rt.opts.trustForwardedFor) {
    const xff = header(req, 'x-forwarded-for').split(',')[0]?.trim();
    if (xff) ip = xff;
  }
  return {
    ip,
    country: header(req, 'x-test-country').trim().toUpperCase() || rt.opts.defaultCountry,
    isp: header(req, 'x-test-isp').trim() || rt.opts.defaultIsp,
    vpn: header(req, 'x-test-vpn').trim() === '1',
    userAgent: header(req, 'user-agent'),
  };
}

/** The request target on the panel's own origin (origin-form, absolute-form, or `//`-leading paths alike). */
function parseTarget(rawUrl: string, base: string): URL {
  if (/^https?:\/\//i.test(rawUrl)) {
    const abs = new URL(rawUrl);
    return new URL(base + abs.pathname + abs.search);
  }
  return new URL(base + (rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`));
}

const UI_INDEX =
  '<!doctype html><html><head><meta charset="utf-8"><title>Panel</title></head><body><h1>Login</h1>' +
  '<form action="/player_api.php"><input name="username"><input name="password" type="password"><button>Login</button></form></body></html>\n';

async function route(rt: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  rt.counters.requests++;
  res.sendDate = false;
  res.setHeader('Date', new Date(rt.now()).toUTCString());
  res.setHeader('Server', 'nginx');
  const client = clientOf(rt, req);
  // xcvm style: a ban older than firewallDelayMs is an iptables DROP — the request is never answered.
  if (rt.firewalled(client.ip)) {
    rt.counters.blockedRequests++;
    rt.log({ client, logPath: redactPath(req.url ?? '/') }, 'FIREWALL_DROP', { detail: 'dropped at the firewall: no answer' });
    rt.drop(client.ip, req.socket);
    req.resume();
    return;
  }
  res.once('close', () => {
    const k = String(res.statusCode);
    rt.counters.byStatus[k] = (rt.counters.byStatus[k] ?? 0) + 1;
  });
  // Player pages on another origin fetch playlists, segments and files (XC_VM: Access-Control-Allow-Origin: *).
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, Location');
  const rawUrl = req.url ?? '/';
  let url: URL;
  let segments: string[];
  try {
    url = parseTarget(rawUrl, rt.baseUrl);
    segments = url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    rt.log({ client, logPath: '/***' }, '400', { status: 400, detail: 'malformed URL' });
    return send(res, 400, 'Bad Request', 'text/plain');
  }
  const ctx: Ctx = { req, res, url, segments, client, logPath: redactPath(rawUrl) };
  const path = url.pathname;
  const first = segments[0] ?? '';

  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, OPTIONS',
      'Access-Control-Allow-Headers': 'Range, Authorization, Content-Type, X-Forwarded-For, X-Test-Country, X-Test-ISP, X-Test-VPN',
      'Access-Control-Max-Age': '600',
      'Content-Length': 0,
    });
    return void res.end();
  }

  // The Stream API is a separate service: no Xtream flood protection there.
  if (first === 'stream-api') {
    if (path === '/stream-api/error') return handleStreamApiError(rt, ctx);
    return rt.notFound(ctx, 'no such Stream API route');
  }
  if (first === 'api' && segments[1] === 'v1') return handleStreamApi(rt, ctx);

  if (rt.flood.blockOf(client.ip)) {
    rt.counters.blockedRequests++;
    return sendEmpty(res, 403);
  }

  const q = url.searchParams;
  switch (path) {
    case '/':
      return send(res, 200, UI_INDEX, 'text/html; charset=utf-8');
    case '/player_api.php':
      return handlePlayerApi(rt, ctx, q.get('username'), q.get('password'), q.get('action'));
    case '/panel_api.php':
      return handlePanelApi(rt, ctx);
    case '/get.php':
      return handleGetPhp(rt, ctx);
    case '/xmltv.php':
      return handleXmltv(rt, ctx);
    case '/portal.php':
    case '/server/load.php':
    case '/c/server/load.php':
    case '/stalker_portal/server/load.php':
      return handleStalker(rt, ctx);
    case '/c':
    case '/c/':
    case '/c/index.html':
    case '/stalker_portal/c':
    case '/stalker_portal/c/':
    case '/stalker_portal/c/index.html':
      return handleStalkerUi(ctx);
  }
  switch (first) {
    case 'player_api': {
      const [, u, p, action, ...rest] = segments;
      if (rest.length) return rt.notFound(ctx);
      return handlePlayerApi(rt, ctx, u ?? null, p ?? null, action || q.get('action'));
    }
    case 'live':
    case 'movie':
    case 'series':
      return handleStream(rt, ctx, first);
    case 'timeshift':
      return handleTimeshift(rt, ctx);
    case 'hls':
      return handleHlsSegment(rt, ctx);
    case 'play':
      return handlePlay(rt, ctx);
    case 'auth':
      return handleAuthVideo(rt, ctx);
  }
  return rt.notFound(ctx);
}

/** Starts a panel on 127.0.0.1 (port 0 / absent = a free port). */
export async function startPanel(options: PanelOptions = {}): Promise<Panel> {
  const style = options.style ?? 'classic';
  const nonNegative = (name: string, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new TypeError(`${name} must be a number >= 0`);
    return v;
  };
  const opts: ResolvedOptions = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    style,
    // XC_VM's checkFlood is the strict chain (flood_limit 40, flood_seconds 2).
    flood: options.flood ?? (style === 'xcvm' ? 'strict' : 'seed'),
    connectionPolicy: options.connectionPolicy ?? 'refuse',
    firewallDelayMs: nonNegative('firewallDelayMs', options.firewallDelayMs, 60_000),
    maxSimultaneousDownloads: nonNegative('maxSimultaneousDownloads', options.maxSimultaneousDownloads, 2),
    downloadDelayMs: nonNegative('downloadDelayMs', options.downloadDelayMs, 0),
    bruteforceUsernameAttempts: nonNegative('bruteforceUsernameAttempts', options.bruteforceUsernameAttempts, 10),
    bruteforceMacAttempts: nonNegative('bruteforceMacAttempts', options.bruteforceMacAttempts, 5),
    bruteforceFrequencyMs: nonNegative('bruteforceFrequencyMs', options.bruteforceFrequencyMs, 300_000),
    trustForwardedFor: options.trustForwardedFor ?? false,
    defaultCountry: (options.defaultCountry ?? 'US').toUpperCase(),
    defaultIsp: options.defaultIsp ?? 'HomeFiber',
    playlistLimitPerMinute: options.playlistLimitPerMinute ?? 3,
    vodSize: options.vodSize ?? 8 * 1024 * 1024,
    stalkerTokenTtlMs: options.stalkerTokenTtlMs ?? 60 * 60_000,
    playKeyTtlMs: options.playKeyTtlMs ?? 5 * 60_000,
    hlsIdleMs: options.hlsIdleMs ?? 30_000,
    liveChunkIntervalMs: options.liveChunkIntervalMs ?? 10,
    liveMedia: options.liveMedia ?? 'synthetic',
  };
  if (!['classic', 'masked', 'xcvm'].includes(opts.style)) throw new TypeError(`style must be classic, masked or xcvm, not ${opts.style}`);
  if (typeof opts.flood !== 'string' && !Array.isArray(opts.flood)) throw new TypeError('flood must be seed, strict, off or a list of them');
  const floodModes = normalizeFloodModes(opts.flood);
  if (!['synthetic', 'fixture'].includes(opts.liveMedia)) throw new TypeError(`liveMedia must be synthetic or fixture, not ${opts.liveMedia}`);
  if (!['refuse', 'kick-oldest'].includes(opts.connectionPolicy)) throw new TypeError('connectionPolicy must be refuse or kick-oldest');

  const rt = new Runtime(opts, options.now ?? Date.now, [...(options.crackedIps ?? DEFAULT_CRACKED_IPS)]);
  const seed = (): void => {
    rt.users.clear();
    if (options.demoUsers !== false) for (const u of DEMO_USERS) rt.users.add(u);
    for (const u of options.users ?? []) rt.users.add(u);
    rt.magDevices.clear();
    for (const d of options.magDevices ?? DEMO_MAG_DEVICES) rt.magDevices.set(d.mac.toUpperCase(), { ...d, mac: d.mac.toUpperCase() });
  };
  seed();

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(rt, req, res).catch((err: unknown) => {
      rt.log({ client: { ip: normalizeIp(req.socket.remoteAddress ?? '') }, logPath: redactPath(req.url ?? '/') }, '500', {
        status: 500,
        detail: err instanceof Error ? err.message : String(err),
      });
      if (!res.headersSent) send(res, 500, 'Internal Server Error', 'text/plain');
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  rt.baseUrl = `http://${opts.host}:${port}`;

  let stopped: Promise<void> | undefined;
  const panel: Panel = {
    url: rt.baseUrl,
    port,
    style: opts.style,
    flood: floodLabel(floodModes),
    floodModes,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        rt.conns.endAll();
        rt.releaseDropped();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      return stopped;
    },
    addUser: (u) => void rt.users.add(u),
    setUser: (name, patch) => void rt.users.patch(name, patch),
    getUser(name) {
      const u = rt.users.get(name);
      return u ? { ...u, expired: rt.users.isExpired(u) } : undefined;
    },
    addMagDevice: (d) => void rt.magDevices.set(d.mac.toUpperCase(), { ...d, mac: d.mac.toUpperCase() }),
    banList: () => rt.flood.banList(),
    ban: (ip, until, reason = 'manual ban') => void rt.flood.ban(ip, until, reason),
    unban(ip) {
      rt.flood.unban(ip);
      rt.bruteforce.forget(ip);
      rt.releaseDropped(ip);
    },
    failures: (ip) => rt.flood.failures(ip),
    chain: (ip) => rt.flood.chain(ip),
    bruteforceCount: (ip, kind) => rt.bruteforce.count(ip, kind, opts.bruteforceFrequencyMs),
    firewalled: (ip) => rt.firewalled(ip),
    droppedSockets: (ip) => (ip === undefined ? [...rt.dropped.values()].reduce((n, s) => n + s.size, 0) : (rt.dropped.get(ip)?.size ?? 0)),
    counters: () => rt.snapshotCounters(),
    log: () => rt.logEntries.map((e) => ({ ...e })),
    connections: () => rt.conns.active().map(({ id, user, ip, streamId, kind, startedAt }) => ({ id, user, ip, streamId, kind, startedAt })),
    reset() {
      rt.conns.endAll();
      rt.releaseDropped();
      rt.flood.reset();
      rt.bruteforce.reset();
      rt.activeDownloads.clear();
      rt.logEntries = [];
      rt.counters = { requests: 0, failures: 0, blockedRequests: 0, byStatus: {}, byCode: {} };
      rt.downloads.clear();
      rt.moduleState.clear();
      seed();
    },
    setClock(fn) {
      rt.clock = fn;
    },
    now: () => rt.now(),
  };
  return panel;
}
