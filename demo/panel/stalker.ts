/**
 * MAG / Stalker (Ministra-style) portal: /portal.php, /server/load.php, /stalker_portal/server/load.php,
 * the /c/ and /stalker_portal/c/ UI page, and /play/KEY/ID.ts for the links create_link hands out.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CHANNELS, LIVE_CATEGORIES, channel } from './data.js';
import { header, send, sendEmpty, sendJson } from './http-util.js';
import type { Ctx, Runtime } from './runtime.js';
import { replacementFor, sendReplacementVideo } from './replacement.js';
import { serveStalkerLive } from './streams.js';
import { MAG_PREFIXES, inBouquet } from './users.js';
import type { MagDevice } from './types.js';

interface Session {
  token: string;
  mac: string;
  ip: string;
  issuedAt: number;
  serial?: string;
  /** Another device (other serial) took the MAC: answers `Authorization failed.` */
  revoked: boolean;
}

interface StalkerState {
  sessions: Map<string, Session>;
  /** MAC → serial of the device currently holding it. */
  holder: Map<string, string>;
  secret: Buffer;
}

const MAC_RE = /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/;

function st(rt: Runtime): StalkerState {
  return rt.state<StalkerState>('stalker', () => ({ sessions: new Map(), holder: new Map(), secret: randomBytes(32) }));
}

function macOf(ctx: Ctx): string | null {
  const fromQuery = ctx.url.searchParams.get('mac');
  let raw = fromQuery;
  if (!raw) {
    const cookie = header(ctx.req, 'cookie');
    const m = /(?:^|;\s*)mac=([^;]*)/i.exec(cookie);
    if (m) {
      try {
        raw = decodeURIComponent(m[1]!);
      } catch {
        raw = m[1]!;
      }
    }
  }
  return raw ? raw.trim().toUpperCase() : null;
}

const UI_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>Stalker portal</title></head>' +
  '<body><p>MAG portal. Load <code>server/load.php</code> from your set-top box.</p></body></html>\n';

export function handleStalkerUi(ctx: Ctx): void {
  send(ctx.res, 200, UI_PAGE, 'text/html; charset=utf-8');
}

function accessDenied(rt: Runtime, ctx: Ctx, why: string): void {
  if (rt.fail(ctx, 'STALKER_ACCESS_DENIED', 200, undefined, why)) return rt.blocked(ctx);
  send(ctx.res, 200, 'Access denied.', 'text/html; charset=utf-8');
}

function authorizationFailed(rt: Runtime, ctx: Ctx, detail: string): void {
  rt.log(ctx, 'MAG_TOKEN_INVALID', { status: 200, detail });
  send(ctx.res, 200, 'Authorization failed.', 'text/html; charset=utf-8');
}

function tokenInvalid(rt: Runtime, ctx: Ctx, detail: string): void {
  if (rt.opts.style === 'masked') return authorizationFailed(rt, ctx, detail);
  rt.log(ctx, 'MAG_TOKEN_INVALID', { status: 401, detail });
  sendJson(ctx.res, 401, { js: null, error: 'MAG_TOKEN_INVALID', message: 'Invalid or expired MAG token' });
}

/**
 * xcvm style: a request whose token verifies no device. XC_VM's portal.php exits with an empty 200; only an
 * unverified `stb/get_profile` is fed to checkBruteforce(ip, mac) and checkFlood.
 */
function xcvmUnverified(rt: Runtime, ctx: Ctx, mac: string, isGetProfile: boolean, detail: string): void {
  rt.fail(ctx, 'MAG_TOKEN_INVALID', 200, undefined, detail, isGetProfile);
  if (isGetProfile) rt.bruteforceAttempt(ctx, 'mac', mac);
  send(ctx.res, 200, '');
}

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

/** A play key: the channel, client IP and issue time, signed with the portal's secret. */
export function makePlayKey(rt: Runtime, payload: { c: number; i: string; t: number; u: string }): string {
  const body = b64url(Buffer.from(JSON.stringify({ ...payload, n: randomBytes(4).toString('hex') })));
  const sig = b64url(createHmac('sha256', st(rt).secret).update(body).digest().subarray(0, 16));
  return `${body}.${sig}`;
}

function openPlayKey(rt: Runtime, key: string): { c: number; i: string; t: number; u: string } | null {
  const [body, sig, extra] = key.split('.');
  if (!body || !sig || extra !== undefined) return null;
  const want = createHmac('sha256', st(rt).secret).update(body).digest().subarray(0, 16);
  let got: Buffer;
  try {
    got = Buffer.from(sig, 'base64url');
  } catch {
    return null;
  }
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof p.c !== 'number' || typeof p.i !== 'string' || typeof p.t !== 'number' || typeof p.u !== 'string') return null;
    return { c: p.c, i: p.i, t: p.t, u: p.u };
  } catch {
    return null;
  }
}

function channelIdFromCmd(cmd: string): number | null {
  const m = /\/ch\/(\d{1,9})/.exec(cmd) ?? /^\s*(\d{1,9})\s*$/.exec(cmd) ?? /(\d{1,9})(?:_|\.ts)?\s*$/.exec(cmd);
  return m ? Number(m[1]) : null;
}

/** /portal.php, /server/load.php, /stalker_portal/server/load.php */
export function handleStalker(rt: Runtime, ctx: Ctx): void {
  const q = ctx.url.searchParams;
  const type = q.get('type');
  const action = q.get('action');
  if (!type || !action) return rt.badRequest(ctx, 'type and action are required');
  const mac = macOf(ctx);
  if (!mac || !MAC_RE.test(mac)) return accessDenied(rt, ctx, 'missing or malformed MAC');
  const device: MagDevice | undefined = rt.magDevices.get(mac);
  if (!MAG_PREFIXES.some((p) => mac.startsWith(p)) || device?.denied) return accessDenied(rt, ctx, 'MAC not allowed');
  const s = st(rt);

  if (type === 'stb' && action === 'handshake') {
    if (!device) {
      if (rt.fail(ctx, 'STALKER_HANDSHAKE_REFUSED', 200)) return rt.blocked(ctx);
      return sendJson(ctx.res, 200, { js: { token: null } });
    }
    const token = randomBytes(16).toString('hex').toUpperCase();
    s.sessions.set(token, { token, mac, ip: ctx.client.ip, issuedAt: rt.now(), revoked: false });
    return sendJson(ctx.res, 200, { js: { token, random: randomBytes(20).toString('hex') } });
  }

  // Everything else needs the session token.
  const auth = /^Bearer\s+(\S+)$/i.exec(header(ctx.req, 'authorization'));
  const session = auth ? s.sessions.get(auth[1]!) : undefined;
  if (rt.opts.style === 'xcvm') {
    const isGetProfile = type === 'stb' && action === 'get_profile';
    if (!session || session.mac !== mac) return xcvmUnverified(rt, ctx, mac, isGetProfile, auth ? 'unknown token' : 'no Authorization header');
    if (rt.now() - session.issuedAt > rt.opts.stalkerTokenTtlMs) {
      s.sessions.delete(session.token);
      return xcvmUnverified(rt, ctx, mac, isGetProfile, 'token expired');
    }
    if (!device) return xcvmUnverified(rt, ctx, mac, isGetProfile, 'device removed');
    if (isGetProfile) {
      // MAGSCAN (portal.php): no serial, or another serial than the one stored for this MAC → IP banned at once,
      // answered 404 with an empty body.
      const sn = q.get('sn');
      if (!sn) {
        rt.banNow(ctx, 'MAGSCAN', '[MS] No Serial Number', device.user);
        return sendEmpty(ctx.res, 404);
      }
      if (device.sn && device.sn !== sn) {
        rt.banNow(ctx, 'MAGSCAN', '[MS] Invalid Serial Number', device.user);
        return sendEmpty(ctx.res, 404);
      }
      device.sn = sn;
    }
  }
  if (!session || session.mac !== mac) return tokenInvalid(rt, ctx, auth ? 'unknown token' : 'no Authorization header');
  if (session.revoked) return authorizationFailed(rt, ctx, 'token invalidated: another device took this MAC');
  if (rt.now() - session.issuedAt > rt.opts.stalkerTokenTtlMs) {
    s.sessions.delete(session.token);
    return tokenInvalid(rt, ctx, 'token expired');
  }
  if (!device) return tokenInvalid(rt, ctx, 'device removed');
  const account = rt.users.get(device.user);

  if (type === 'stb' && action === 'get_profile') {
    const sn = q.get('sn');
    if (!sn) return accessDenied(rt, ctx, 'get_profile without sn (scan)');
    const holder = s.holder.get(mac);
    if (holder !== undefined && holder !== sn) {
      // Another box (other serial) takes the MAC: every other session on it stops working.
      for (const other of s.sessions.values()) if (other.mac === mac && other.token !== session.token) other.revoked = true;
    }
    s.holder.set(mac, sn);
    session.serial = sn;
    const base = { id: Number.parseInt(mac.slice(-5).replace(':', ''), 16), name: `MAG ${mac.slice(-5)}`, stb_type: q.get('stb_type') ?? 'MAG250', token_expires: Math.floor((session.issuedAt + rt.opts.stalkerTokenTtlMs) / 1000) };
    let status = device.status;
    let blockMsg = '';
    if (status === 0 && account) {
      const { code } = rt.users.authenticate(account.username, account.password);
      if (code) {
        status = 1;
        blockMsg = code === 'USER_EXPIRED' ? 'Your subscription has expired' : 'Your account has been suspended';
        if (rt.fail(ctx, code, 200, account.username)) return rt.blocked(ctx);
      }
    } else if (status === 1) {
      if (rt.fail(ctx, 'STALKER_ACCOUNT_BLOCKED', 200, device.user)) return rt.blocked(ctx);
      blockMsg = 'Your device is blocked';
    } else if (status === 2) {
      rt.log(ctx, 'STALKER_LOGIN_REQUIRED', { status: 200, user: device.user });
    }
    if (status === 0) rt.succeeded(ctx);
    return sendJson(ctx.res, 200, { js: { ...base, status, blocked: status === 1 ? '1' : '0', block_msg: blockMsg } });
  }

  if (device.status !== 0 || !account) return accessDenied(rt, ctx, 'device not active');

  if (type === 'itv' && action === 'get_genres') {
    return sendJson(ctx.res, 200, { js: LIVE_CATEGORIES.map((c) => ({ id: c.category_id, title: c.category_name, alias: c.category_name.toLowerCase() })) });
  }
  if (type === 'itv' && (action === 'get_all_channels' || action === 'get_ordered_list')) {
    const data = CHANNELS.filter((c) => inBouquet(account, c.id)).map((c, i) => ({
      id: String(c.id),
      name: c.name,
      number: String(i + 1),
      tv_genre_id: c.categoryId,
      cmd: `ffrt http://localhost/ch/${c.id}_`,
      archive: c.archive ? 1 : 0,
    }));
    return sendJson(ctx.res, 200, { js: { total_items: data.length, max_page_items: 14, data } });
  }
  if (type === 'itv' && action === 'create_link') {
    const cmd = q.get('cmd');
    if (!cmd) return rt.badRequest(ctx, 'cmd');
    const id = channelIdFromCmd(cmd);
    const ch = id === null ? undefined : channel(id);
    if (!ch) return sendJson(ctx.res, 200, { js: { id: null, cmd: '', error: 'nothing_to_play' } });
    if (!inBouquet(account, ch.id)) return rt.reject(ctx, 'NOT_IN_BOUQUET', { user: account.username });
    const key = makePlayKey(rt, { c: ch.id, i: ctx.client.ip, t: rt.now(), u: account.username });
    return sendJson(ctx.res, 200, { js: { id: String(ch.id), cmd: `${rt.baseUrl}/play/${key}/${ch.id}.ts`, streamer_id: 0, load: 0, error: '' } });
  }
  if (type === 'stb' && (action === 'get_localization' || action === 'get_modules')) {
    return sendJson(ctx.res, 200, { js: {} });
  }
  if (type === 'watchdog' && action === 'get_events') {
    return sendJson(ctx.res, 200, { js: { data: { msgs: 0, additional_services_on: '1' } } });
  }
  return rt.badRequest(ctx, 'unknown type/action');
}

/** /play/KEY/ID.ts — a link from create_link. */
export function handlePlay(rt: Runtime, ctx: Ctx): void {
  const [, key, file, ...rest] = ctx.segments;
  const m = file && rest.length === 0 ? /^(\d{1,9})\.ts$/.exec(file) : null;
  if (!key || !m) return rt.badRequest(ctx, '/play/KEY/ID.ts');
  const p = openPlayKey(rt, key);
  if (!p) return rt.reject(ctx, 'STALKER_DECRYPT_FAILED');
  if (rt.now() - p.t > rt.opts.playKeyTtlMs) return rt.reject(ctx, 'STALKER_KEY_EXPIRED', { user: p.u });
  if (p.i !== ctx.client.ip) return rt.reject(ctx, 'STALKER_IP_MISMATCH', { user: p.u });
  if (p.c !== Number(m[1])) return rt.reject(ctx, 'STALKER_CHANNEL_MISMATCH', { user: p.u });
  const u = rt.users.get(p.u);
  if (!u) return rt.reject(ctx, 'STALKER_DECRYPT_FAILED');
  const { code } = rt.users.authenticate(u.username, u.password);
  if (code && rt.opts.style === 'xcvm') {
    rt.fail(ctx, code, 302, u.username, `replacement video: ${replacementFor(code)}`);
    return sendReplacementVideo(rt, ctx, replacementFor(code), 'redirect');
  }
  if (code) return rt.reject(ctx, code, { user: u.username });
  serveStalkerLive(rt, ctx, u, p.c);
}
