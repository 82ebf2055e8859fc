/**
 * Xtream Codes API: /player_api.php (and /player_api/U/P[/action]), /panel_api.php, /get.php, /xmltv.php,
 * plus the login step every Xtream surface shares.
 */
import { catalog } from '../../core/catalog.js';
import {
  CHANNELS,
  LIVE_CATEGORIES,
  MOVIES,
  SERIES,
  SERIES_CATEGORIES,
  VOD_CATEGORIES,
  channel,
  movie,
  programmes,
  series,
} from './data.js';
import { formatDateTime, send, sendEmpty, sendJson, sendNginx404, sendXcvm404 } from './http-util.js';
import type { Ctx, Runtime } from './runtime.js';
import { replacementFor, sendExpiredPlaylist, sendExpiredVideo, sendReplacementVideo } from './replacement.js';
import { checkAccess, inBouquet, type AccountCode, type StoredUser } from './users.js';

export type Surface = 'api' | 'playlist' | 'epg' | 'stream-ts' | 'stream-m3u8';

const FAILED_MESSAGES: Record<Exclude<AccountCode, 'AUTH_FAILED'>, { status: string; message: string }> = {
  USER_EXPIRED: { status: 'Expired', message: 'Your subscription has expired' },
  USER_BAN: { status: 'Banned', message: 'Your account has been suspended' },
  USER_DISABLED: { status: 'Disabled', message: 'Your account has been disabled' },
};

/** The seed's failed-login `user_info` shapes. */
export function failedUserInfo(code: AccountCode, u?: StoredUser): { user_info: Record<string, unknown> } {
  if (code === 'AUTH_FAILED' || !u) return { user_info: { auth: 0 } };
  const f = FAILED_MESSAGES[code];
  const info: Record<string, unknown> = { username: u.username, auth: 0, status: f.status };
  if (code === 'USER_EXPIRED') info.exp_date = u.expDate === null ? null : String(u.expDate);
  info.message = f.message;
  return { user_info: info };
}

/**
 * Credentials, account state and client checks for an Xtream surface. Answers the failure itself
 * (in the instance's style) and returns null; returns the user when the request may proceed. The caller calls
 * `rt.succeeded(ctx)` once the request is served, which resets the IP's flood count.
 */
export function login(rt: Runtime, ctx: Ctx, username: string | null, password: string | null, surface: Surface): StoredUser | null {
  if (rt.opts.style === 'xcvm') return loginXcvm(rt, ctx, username, password, surface);
  if (!username || password === null || password === '') {
    rt.badRequest(ctx, 'username and password are required');
    return null;
  }
  const { user, code } = rt.users.authenticate(username, password);
  if (code) {
    const logUser = user?.username ?? username;
    const masked = rt.opts.style === 'masked';
    if (surface === 'api' && (!masked || code === 'USER_EXPIRED')) {
      if (rt.fail(ctx, code, 200, logUser)) rt.blocked(ctx);
      else sendJson(ctx.res, 200, failedUserInfo(code, user));
      return null;
    }
    if (!masked) {
      rt.reject(ctx, code, { user: logUser });
      return null;
    }
    // masked
    if (code === 'USER_EXPIRED') {
      if (rt.fail(ctx, code, 200, logUser)) {
        rt.blocked(ctx);
        return null;
      }
      if (surface === 'playlist') sendExpiredPlaylist(rt, ctx, 'm3u');
      else if (surface === 'stream-m3u8') sendExpiredPlaylist(rt, ctx, 'hls');
      else if (surface === 'stream-ts') sendExpiredVideo(ctx);
      else send(ctx.res, 200, '<?xml version="1.0" encoding="UTF-8"?>\n<tv generator-info-name="panel"></tv>\n', 'application/xml');
      return null;
    }
    if (surface === 'stream-ts' || surface === 'stream-m3u8') {
      rt.reject(ctx, code, { user: logUser });
      return null;
    }
    if (rt.fail(ctx, code, 404, logUser)) rt.blocked(ctx);
    else sendNginx404(ctx.res);
    return null;
  }
  const u = user!;
  const access = checkAccess(u, ctx.client, rt.crackedIps);
  if (access) {
    rt.reject(ctx, access, { user: u.username });
    return null;
  }
  return u;
}

/**
 * xcvm style (XC_VM player_api.php, playlist.php, epg.php, stream/auth.php with debug_show_errors off):
 * - no or empty credentials → NO_CREDENTIALS, fake 404, counted by checkFlood;
 * - credentials that name no line → checkBruteforce(username) + AUTH_FAILED, fake 404, counted by checkFlood;
 * - expired / banned / disabled: on a stream the replacement video (show_expired_video / show_banned_video —
 *   a disabled line gets the banned video too); anywhere else generateError(EXPIRED|BANNED|DISABLED) = fake 404.
 *   Not counted ($rDeny is false once the line is found);
 * - the line's restrictions (IP, country, UA, ISP, …) → generateError → fake 404, not counted.
 */
function loginXcvm(rt: Runtime, ctx: Ctx, username: string | null, password: string | null, surface: Surface): StoredUser | null {
  if (!username || !password) {
    rt.fail(ctx, 'NO_CREDENTIALS', 404, username ?? undefined);
    sendXcvm404(ctx.res);
    return null;
  }
  const { user, code } = rt.users.authenticate(username, password);
  if (code === 'AUTH_FAILED') {
    rt.fail(ctx, 'AUTH_FAILED', 404, username);
    rt.bruteforceAttempt(ctx, 'user', username);
    sendXcvm404(ctx.res);
    return null;
  }
  if (code) {
    const u = user!;
    if (surface === 'stream-ts' || surface === 'stream-m3u8') {
      const mode = surface === 'stream-m3u8' ? 'hls' : 'redirect';
      rt.fail(ctx, code, mode === 'hls' ? 200 : 302, u.username, `replacement video: ${replacementFor(code)}`);
      sendReplacementVideo(rt, ctx, replacementFor(code), mode);
      return null;
    }
    rt.fail(ctx, code, 404, u.username);
    sendXcvm404(ctx.res);
    return null;
  }
  const u = user!;
  const access = checkAccess(u, ctx.client, rt.crackedIps);
  if (access) {
    rt.reject(ctx, access, { user: u.username });
    return null;
  }
  return u;
}

/**
 * xcvm style: XC_VM's startDownload — at most `max_simultaneous_downloads` get.php (and, apart, xmltv.php)
 * downloads per line at once; one more → 429 with an empty body (not counted by checkFlood). The slot is
 * released when the response closes. Other styles: always allowed.
 */
function startDownload(rt: Runtime, ctx: Ctx, u: StoredUser, type: 'playlist' | 'epg'): boolean {
  if (rt.opts.style !== 'xcvm' || rt.opts.maxSimultaneousDownloads <= 0) return true;
  const key = `${u.username}\u0000${type}`;
  const n = rt.activeDownloads.get(key) ?? 0;
  if (n >= rt.opts.maxSimultaneousDownloads) {
    rt.fail(ctx, 'DOWNLOAD_LIMIT_REACHED', 429, u.username, `${n} ${type} downloads in progress`);
    sendEmpty(ctx.res, 429);
    return false;
  }
  rt.activeDownloads.set(key, n + 1);
  ctx.res.once('close', () => {
    const m = (rt.activeDownloads.get(key) ?? 1) - 1;
    if (m <= 0) rt.activeDownloads.delete(key);
    else rt.activeDownloads.set(key, m);
  });
  return true;
}

/** Writes a download, after `downloadDelayMs` (real ms) when set. */
function deliver(rt: Runtime, ctx: Ctx, write: () => void): void {
  if (rt.opts.downloadDelayMs <= 0) return write();
  const t = setTimeout(write, rt.opts.downloadDelayMs);
  ctx.res.once('close', () => clearTimeout(t));
}

export function userInfo(rt: Runtime, u: StoredUser): Record<string, unknown> {
  return {
    username: u.username,
    password: u.password,
    message: u.message,
    auth: 1,
    status: 'Active',
    exp_date: u.expDate === null ? null : String(u.expDate),
    is_trial: u.isTrial ? '1' : '0',
    active_cons: String(rt.conns.active(u.username).length),
    created_at: String(u.createdAt),
    max_connections: String(u.maxConnections),
    allowed_output_formats: [...u.allowedOutputFormats],
  };
}

export function serverInfo(rt: Runtime, ctx: Ctx): Record<string, unknown> {
  const now = rt.now();
  return {
    url: ctx.url.hostname,
    port: ctx.url.port || '80',
    https_port: '443',
    server_protocol: 'http',
    rtmp_port: '8880',
    timezone: 'UTC',
    timestamp_now: Math.floor(now / 1000),
    time_now: formatDateTime(now),
    process: true,
  };
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function liveStream(ch: (typeof CHANNELS)[number], i: number) {
  return {
    num: i + 1,
    name: ch.name,
    stream_type: 'live',
    stream_id: ch.id,
    stream_icon: `https://picsum.photos/seed/${ch.id}/200/200`,
    epg_channel_id: ch.epgId,
    added: '1609459200',
    category_id: ch.categoryId,
    custom_sid: '',
    tv_archive: ch.archive ? 1 : 0,
    direct_source: '',
    tv_archive_duration: ch.archive ? 3 : 0,
  };
}

function vodStream(m: (typeof MOVIES)[number], i: number) {
  return {
    num: i + 1,
    name: m.name,
    stream_type: 'movie',
    stream_id: m.id,
    stream_icon: `https://picsum.photos/seed/${m.id}/300/450`,
    rating: m.rating,
    rating_5based: Math.round(Number(m.rating) * 5) / 10,
    added: '1609459200',
    category_id: m.categoryId,
    container_extension: m.ext,
    custom_sid: '',
    direct_source: '',
  };
}

function seriesItem(s: (typeof SERIES)[number], i: number) {
  return {
    num: i + 1,
    name: s.name,
    series_id: s.id,
    cover: `https://picsum.photos/seed/${s.id}/300/450`,
    plot: s.plot,
    cast: '',
    director: '',
    genre: 'Drama',
    releaseDate: '2024-01-01',
    last_modified: '1704067200',
    rating: '7',
    category_id: s.categoryId,
  };
}

function intParam(ctx: Ctx, name: string): number | null {
  const v = ctx.url.searchParams.get(name);
  if (v === null || !/^\d{1,9}$/.test(v)) return null;
  return Number(v);
}

/** /player_api.php?username&password[&action] and /player_api/U/P[/action]. */
export function handlePlayerApi(rt: Runtime, ctx: Ctx, username: string | null, password: string | null, action: string | null): void {
  const u = login(rt, ctx, username, password, 'api');
  if (!u) return;
  const q = ctx.url.searchParams;
  const cat = q.get('category_id');
  const byCat = <T extends { category_id: string }>(list: T[]): T[] => (cat ? list.filter((x) => x.category_id === cat) : list);
  const now = rt.now();
  /** A fully successful request resets the IP's flood count (a later denial would count again). */
  const reply = (data: unknown): void => {
    rt.succeeded(ctx);
    sendJson(ctx.res, 200, data);
  };
  switch (action ?? '') {
    case '':
      return reply({ user_info: userInfo(rt, u), server_info: serverInfo(rt, ctx) });
    case 'get_live_categories':
      return reply(LIVE_CATEGORIES);
    case 'get_vod_categories':
      return reply(VOD_CATEGORIES);
    case 'get_series_categories':
      return reply(SERIES_CATEGORIES);
    case 'get_live_streams':
      return reply(byCat(CHANNELS.filter((c) => inBouquet(u, c.id)).map(liveStream)));
    case 'get_vod_streams':
      return reply(byCat(MOVIES.filter((m) => inBouquet(u, m.id)).map(vodStream)));
    case 'get_series':
      return reply(byCat(SERIES.filter((s) => inBouquet(u, s.id)).map(seriesItem)));
    case 'get_vod_info': {
      const id = intParam(ctx, 'vod_id');
      if (id === null) return rt.badRequest(ctx, 'vod_id');
      const m = movie(id);
      if (!m || !inBouquet(u, m.id)) return rt.notFound(ctx, 'no such movie');
      return reply({
        info: {
          name: m.name,
          o_name: m.name,
          cover_big: `https://picsum.photos/seed/${m.id}/300/450`,
          movie_image: `https://picsum.photos/seed/${m.id}/300/450`,
          releasedate: `${m.year}-01-01`,
          year: String(m.year),
          plot: m.plot,
          rating: m.rating,
          duration_secs: 600,
          duration: '00:10:00',
          genre: 'Animation',
        },
        movie_data: { stream_id: m.id, name: m.name, added: '1609459200', category_id: m.categoryId, container_extension: m.ext, custom_sid: '', direct_source: '' },
      });
    }
    case 'get_series_info': {
      const id = intParam(ctx, 'series_id');
      if (id === null) return rt.badRequest(ctx, 'series_id');
      const s = series(id);
      if (!s || !inBouquet(u, s.id)) return rt.notFound(ctx, 'no such series');
      const seasons = [...new Set(s.episodes.map((e) => e.season))];
      const episodes: Record<string, unknown[]> = {};
      for (const e of s.episodes) {
        (episodes[String(e.season)] ??= []).push({
          id: String(e.id),
          episode_num: e.num,
          title: `${s.name} - S${String(e.season).padStart(2, '0')}E${String(e.num).padStart(2, '0')} - ${e.title}`,
          container_extension: e.ext,
          info: { duration_secs: 1500, duration: '00:25:00', plot: e.title },
          custom_sid: '',
          added: '1704067200',
          season: e.season,
          direct_source: '',
        });
      }
      return reply({
        seasons: seasons.map((n) => ({ season_number: n, name: `Season ${n}`, episode_count: String(s.episodes.filter((e) => e.season === n).length) })),
        info: seriesItem(s, 0),
        episodes,
      });
    }
    case 'get_short_epg':
    case 'get_simple_data_table': {
      const id = intParam(ctx, 'stream_id');
      if (id === null) return rt.badRequest(ctx, 'stream_id');
      const ch = channel(id);
      if (!ch || !inBouquet(u, ch.id)) return rt.notFound(ctx, 'no such channel');
      const limit = action === 'get_short_epg' ? Math.min(Math.max(intParam(ctx, 'limit') ?? 4, 1), 48) : 24;
      return reply({
        epg_listings: programmes(ch, now, limit).map((p, i) => ({
          id: String(ch.id * 1000 + i),
          epg_id: String(ch.id),
          title: b64(p.title),
          lang: 'en',
          start: formatDateTime(p.start),
          end: formatDateTime(p.stop),
          description: b64(p.description),
          channel_id: ch.epgId,
          start_timestamp: String(Math.floor(p.start / 1000)),
          stop_timestamp: String(Math.floor(p.stop / 1000)),
          now_playing: p.start <= now && now < p.stop ? 1 : 0,
          has_archive: ch.archive ? 1 : 0,
        })),
      });
    }
    default:
      return rt.badRequest(ctx, 'unknown action');
  }
}

/** /panel_api.php: user_info, server_info, categories and available_channels in one document. */
export function handlePanelApi(rt: Runtime, ctx: Ctx): void {
  const q = ctx.url.searchParams;
  const u = login(rt, ctx, q.get('username'), q.get('password'), 'api');
  if (!u) return;
  const available: Record<string, unknown> = {};
  CHANNELS.filter((c) => inBouquet(u, c.id)).forEach((c, i) => (available[String(c.id)] = liveStream(c, i)));
  MOVIES.filter((m) => inBouquet(u, m.id)).forEach((m, i) => (available[String(m.id)] = vodStream(m, i)));
  rt.succeeded(ctx);
  sendJson(ctx.res, 200, {
    user_info: userInfo(rt, u),
    server_info: serverInfo(rt, ctx),
    categories: { live: LIVE_CATEGORIES, movie: VOD_CATEGORIES, series: SERIES_CATEGORIES },
    available_channels: available,
  });
}

/** Masked style: more than N playlist/EPG downloads a minute per user → 429 without Retry-After. */
function overDownloadLimit(rt: Runtime, ctx: Ctx, u: StoredUser): boolean {
  if (rt.opts.style !== 'masked') return false;
  const now = rt.now();
  const times = (rt.downloads.get(u.username) ?? []).filter((t) => now - t < 60_000);
  times.push(now);
  rt.downloads.set(u.username, times);
  if (times.length <= rt.opts.playlistLimitPerMinute) return false;
  if (rt.fail(ctx, '429', 429, u.username)) rt.blocked(ctx);
  else sendEmpty(ctx.res, 429);
  return true;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** /get.php?username&password&type=m3u_plus&output=ts|m3u8 */
export function handleGetPhp(rt: Runtime, ctx: Ctx): void {
  const q = ctx.url.searchParams;
  const type = q.get('type') ?? 'm3u_plus';
  const output = (q.get('output') ?? 'ts').toLowerCase();
  if (!['m3u', 'm3u_plus'].includes(type) || !['ts', 'm3u8', 'hls', 'mpegts'].includes(output)) {
    return rt.badRequest(ctx, 'type must be m3u or m3u_plus, output ts or m3u8');
  }
  const u = login(rt, ctx, q.get('username'), q.get('password'), 'playlist');
  if (!u) return;
  const ext = output === 'm3u8' || output === 'hls' ? 'm3u8' : 'ts';
  if (!u.allowedOutputFormats.includes(ext)) return rt.reject(ctx, 'USER_DISALLOW_EXT', { user: u.username });
  if (overDownloadLimit(rt, ctx, u)) return;
  if (!startDownload(rt, ctx, u, 'playlist')) return;
  const base = rt.baseUrl;
  const U = encodeURIComponent(u.username);
  const P = encodeURIComponent(u.password);
  const lines = ['#EXTM3U'];
  const plus = type === 'm3u_plus';
  for (const c of CHANNELS.filter((x) => inBouquet(u, x.id))) {
    const group = LIVE_CATEGORIES.find((g) => g.category_id === c.categoryId)?.category_name ?? '';
    lines.push(
      plus
        ? `#EXTINF:-1 tvg-id="${c.epgId}" tvg-name="${c.name}" tvg-logo="https://picsum.photos/seed/${c.id}/200/200" group-title="${group}",${c.name}`
        : `#EXTINF:-1,${c.name}`,
    );
    lines.push(`${base}/live/${U}/${P}/${c.id}.${ext}`);
  }
  for (const m of MOVIES.filter((x) => inBouquet(u, x.id))) {
    lines.push(plus ? `#EXTINF:-1 tvg-id="" tvg-name="${m.name}" group-title="VOD",${m.name}` : `#EXTINF:-1,${m.name}`);
    lines.push(`${base}/movie/${U}/${P}/${m.id}.${m.ext}`);
  }
  rt.succeeded(ctx);
  deliver(rt, ctx, () => send(ctx.res, 200, lines.join('\n') + '\n', 'audio/x-mpegurl', { 'Content-Disposition': 'attachment; filename="playlist.m3u"' }));
}

/** /xmltv.php?username&password */
export function handleXmltv(rt: Runtime, ctx: Ctx): void {
  const q = ctx.url.searchParams;
  const u = login(rt, ctx, q.get('username'), q.get('password'), 'epg');
  if (!u) return;
  if (overDownloadLimit(rt, ctx, u)) return;
  if (!startDownload(rt, ctx, u, 'epg')) return;
  const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + ' +0000';
  const chans = CHANNELS.filter((c) => inBouquet(u, c.id));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE tv SYSTEM "xmltv.dtd">', '<tv generator-info-name="xtream-error-ux demo panel">'];
  for (const c of chans) out.push(`  <channel id="${esc(c.epgId)}"><display-name>${esc(c.name)}</display-name></channel>`);
  for (const c of chans) {
    for (const p of programmes(c, rt.now(), 6)) {
      out.push(
        `  <programme start="${fmt(p.start)}" stop="${fmt(p.stop)}" channel="${esc(c.epgId)}"><title lang="en">${esc(p.title)}</title><desc lang="en">${esc(p.description)}</desc></programme>`,
      );
    }
  }
  out.push('</tv>');
  rt.succeeded(ctx);
  deliver(rt, ctx, () => send(ctx.res, 200, out.join('\n') + '\n', 'application/xml; charset=utf-8'));
}

/** For documentation/tests: the HTTP status a code is answered with on stream requests. */
export function streamStatusOf(code: string): number {
  return catalog[code]?.httpStatus[0] ?? 403;
}
