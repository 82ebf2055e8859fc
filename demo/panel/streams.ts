/**
 * Media: VOD/series files (deterministic bytes, lazily generated, Range support), endless live MPEG-TS,
 * HLS playlists with tokenised segments, timeshift, and connection accounting. What a refused line gets instead
 * (the replacement videos) is replacement.ts; the bytes themselves bytes.ts.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { MEDIA_STREAM_ID, channel, episode, movie } from './data.js';
import { TS_PACKET, contentSeed, tsBytes, vodBytes } from './bytes.js';
import { parseRange, send } from './http-util.js';
import { FIXTURE_SECONDS, fixtureLiveLap, fixtureLivePlaylist, fixtureLiveSegment } from './live-media.js';
import { mediaFile, mediaSegments, type MediaFile } from './media.js';
import { sendReplacementVideo } from './replacement.js';
import type { Conn, ConnKind, Ctx, Runtime } from './runtime.js';
import type { StoredUser } from './users.js';
import { inBouquet } from './users.js';
import { login } from './xtream.js';

export const MAX_VOD_SIZE = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;
/** HLS segment length in seconds and bytes. */
export const HLS_SEGMENT_SECONDS = 4;
export const HLS_SEGMENT_BYTES = TS_PACKET * 200;

/** Streams bytes [start, end] (inclusive) from `gen` with backpressure; never buffers the whole file. */
function pipeBytes(res: ServerResponse, gen: (s: number, e: number) => Buffer, start: number, end: number): void {
  let pos = start;
  const pump = (): void => {
    while (pos <= end) {
      if (res.destroyed) return;
      const n = Math.min(CHUNK, end - pos + 1);
      const ok = res.write(gen(pos, pos + n));
      pos += n;
      if (!ok) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/** A finite file with Range support: 200, 206 + Content-Range, or 416 + `Content-Range: bytes *\/size`. */
function serveFile(rt: Runtime, ctx: Ctx, size: number, contentType: string, gen: (s: number, e: number) => Buffer, user: string): number {
  const { req, res } = ctx;
  const range = parseRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    rt.log(ctx, '416', { status: 416, user });
    send(res, 416, '', undefined, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' });
    return 416;
  }
  const start = range.kind === 'range' ? range.start : 0;
  const end = range.kind === 'range' ? range.end : size - 1;
  const headers: Record<string, string | number> = {
    'Content-Type': contentType,
    'Content-Length': end - start + 1,
    'Accept-Ranges': 'bytes',
  };
  if (range.kind === 'range') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const status = range.kind === 'range' ? 206 : 200;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return status;
  }
  pipeBytes(res, gen, start, end);
  return status;
}

/** Registers an open stream as a connection, released when the response closes. */
function track(rt: Runtime, ctx: Ctx, u: StoredUser, streamId: number, kind: ConnKind): Conn {
  const conn = rt.conns.open({ user: u.username, ip: ctx.client.ip, streamId, kind, end: () => ctx.res.destroy() });
  const release = (): void => rt.conns.release(conn);
  ctx.res.once('finish', release);
  ctx.res.once('close', release);
  return conn;
}

/**
 * Enforces max_connections (refuse → USER_ALREADY_CONNECTED, kick-oldest → the oldest stream ends). xcvm style:
 * the refusal is XC_VM's show_connected_video — a playlist of `/auth/connected.ts` for `.m3u8`, else a 302 to it.
 */
export function admit(rt: Runtime, ctx: Ctx, u: StoredUser, ext = 'ts'): boolean {
  if (rt.conns.admit(u, rt.opts.connectionPolicy)) return true;
  if (rt.opts.style === 'xcvm') {
    const mode = ext === 'm3u8' ? 'hls' : 'redirect';
    rt.fail(ctx, 'USER_ALREADY_CONNECTED', mode === 'hls' ? 200 : 302, u.username, 'replacement video: connected');
    sendReplacementVideo(rt, ctx, 'connected', mode);
    return false;
  }
  rt.reject(ctx, 'USER_ALREADY_CONNECTED', { user: u.username });
  return false;
}

const liveCache = new Map<number, Buffer>();
/** One chunk of live TS for a channel (352 packets, so the continuity counter wraps cleanly). */
function liveChunk(id: number): Buffer {
  let b = liveCache.get(id);
  if (!b) {
    b = tsBytes(contentSeed('live', id), 0, TS_PACKET * 352);
    liveCache.set(id, b);
  }
  return b;
}

/** An endless live TS stream: ends only when the client disconnects (or is kicked). */
function serveLive(rt: Runtime, ctx: Ctx, id: number): void {
  const { res } = ctx;
  res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'no-store', Connection: 'close' });
  if (ctx.req.method === 'HEAD') return void res.end();
  if (rt.opts.liveMedia === 'fixture') return serveFixtureLive(ctx);
  const chunk = liveChunk(id);
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    timer = undefined;
    if (res.destroyed || res.writableEnded) return;
    if (res.write(chunk)) timer = setTimeout(tick, rt.opts.liveChunkIntervalMs);
    else res.once('drain', tick);
  };
  res.once('close', () => {
    if (timer) clearTimeout(timer);
  });
  tick();
}

/** liveMedia 'fixture': the real test pattern in laps, in real time (two laps ahead, then one per lap). */
function serveFixtureLive(ctx: Ctx): void {
  const { res } = ctx;
  let lap = 0;
  let timer: NodeJS.Timeout | undefined;
  const write = (): void => {
    timer = undefined;
    if (res.destroyed || res.writableEnded) return;
    res.write(fixtureLiveLap(lap++));
    timer = setTimeout(write, lap < 2 ? 0 : FIXTURE_SECONDS * 1000);
  };
  res.once('close', () => {
    if (timer) clearTimeout(timer);
  });
  write();
}

const STREAM_FILE = /^(\d{1,9})\.([A-Za-z0-9]{1,5})$/;

/**
 * /live/U/P/ID.ts|.m3u8, /movie/U/P/ID.ext, /series/U/P/ID.ext
 */
export function handleStream(rt: Runtime, ctx: Ctx, kind: 'live' | 'movie' | 'series'): void {
  const [, username, password, file, ...rest] = ctx.segments;
  const m = file && rest.length === 0 ? STREAM_FILE.exec(file) : null;
  if (!username || !password || !m) return rt.badRequest(ctx, `/${kind}/USERNAME/PASSWORD/ID.EXT`);
  const id = Number(m[1]);
  const ext = m[2]!.toLowerCase();
  if (kind === 'live' && !['ts', 'm3u8'].includes(ext)) return rt.notFound(ctx, 'live streams are .ts or .m3u8');
  if (kind !== 'live' && !['mp4', 'mkv', 'avi', 'ts', 'm4v', 'webm'].includes(ext)) return rt.notFound(ctx, 'unknown container');
  const u = login(rt, ctx, username, password, ext === 'm3u8' ? 'stream-m3u8' : 'stream-ts');
  if (!u) return;

  let bouquetId = id;
  let size = rt.opts.vodSize;
  if (kind === 'live') {
    if (!channel(id)) return rt.notFound(ctx, 'no such channel');
  } else if (kind === 'movie') {
    const mv = movie(id);
    if (!mv) return rt.notFound(ctx, 'no such movie');
    size = mv.size ?? size;
  } else {
    const ep = episode(id);
    if (!ep) return rt.notFound(ctx, 'no such episode');
    bouquetId = ep.series.id;
  }
  if (!inBouquet(u, bouquetId)) return rt.reject(ctx, 'NOT_IN_BOUQUET', { user: u.username });
  if (kind === 'live' && !u.allowedOutputFormats.includes(ext as 'ts' | 'm3u8')) {
    return rt.reject(ctx, 'USER_DISALLOW_EXT', { user: u.username });
  }
  if (kind !== 'live') {
    const q = ctx.url.searchParams.get('size');
    if (q !== null) {
      if (!/^\d{1,10}$/.test(q) || Number(q) > MAX_VOD_SIZE) return rt.badRequest(ctx, `size must be 0..${MAX_VOD_SIZE}`);
      size = Number(q);
    }
  }
  if (kind === 'live' && ext === 'm3u8') return serveHlsPlaylist(rt, ctx, u, id);
  if (id === MEDIA_STREAM_ID && kind === 'movie' && ext !== 'mp4') return rt.notFound(ctx, 'stream 9001 is served as .mp4');
  const counts = ctx.req.method !== 'HEAD';
  if (counts && !admit(rt, ctx, u, ext)) return;
  if (counts) track(rt, ctx, u, id, kind);
  if (id === MEDIA_STREAM_ID && kind !== 'series') {
    // The real fixture: live 9001.ts once (finite, Content-Length), movie 9001.mp4 with Range.
    const buf = mediaFile(kind === 'live' ? '9001.ts' : '9001.mp4');
    const status = serveFile(rt, ctx, buf.length, kind === 'live' ? 'video/mp2t' : 'video/mp4', (s, e) => buf.subarray(s, e), u.username);
    if (status !== 416) rt.succeeded(ctx);
    return;
  }
  if (kind === 'live') {
    rt.succeeded(ctx);
    return serveLive(rt, ctx, id);
  }
  const seed = contentSeed(kind, id);
  const type = ext === 'mkv' ? 'video/x-matroska' : ext === 'ts' ? 'video/mp2t' : 'video/mp4';
  if (serveFile(rt, ctx, size, type, (s, e) => vodBytes(seed, s, e), u.username) !== 416) rt.succeeded(ctx);
}

/** /timeshift/U/P/DURATION/START/ID.ts — START is YYYY-MM-DD:HH-MM, DURATION minutes. */
export function handleTimeshift(rt: Runtime, ctx: Ctx): void {
  const [, username, password, duration, start, file, ...rest] = ctx.segments;
  const m = file && rest.length === 0 ? STREAM_FILE.exec(file) : null;
  if (!username || !password || !m || !/^\d{1,4}$/.test(duration ?? '') || !/^\d{4}-\d{2}-\d{2}:\d{2}-\d{2}$/.test(start ?? '')) {
    return rt.badRequest(ctx, '/timeshift/USERNAME/PASSWORD/MINUTES/YYYY-MM-DD:HH-MM/ID.ts');
  }
  const minutes = Number(duration);
  const startMs = Date.parse(`${start!.slice(0, 10)}T${start!.slice(11, 13)}:${start!.slice(14, 16)}:00Z`);
  if (minutes < 1 || minutes > 24 * 60 || Number.isNaN(startMs)) return rt.badRequest(ctx, 'duration 1..1440, a valid start');
  const u = login(rt, ctx, username, password, 'stream-ts');
  if (!u) return;
  const id = Number(m[1]);
  const ch = channel(id);
  if (!ch || !ch.archive) return rt.notFound(ctx, 'no archive for this channel');
  if (!inBouquet(u, id)) return rt.reject(ctx, 'NOT_IN_BOUQUET', { user: u.username });
  if (startMs > rt.now()) return rt.notFound(ctx, 'archive starts in the future');
  const counts = ctx.req.method !== 'HEAD';
  if (counts && !admit(rt, ctx, u, 'ts')) return;
  if (counts) track(rt, ctx, u, id, 'timeshift');
  const seed = contentSeed(`timeshift:${startMs}`, id);
  if (serveFile(rt, ctx, minutes * 60 * TS_PACKET * 10, 'video/mp2t', (s, e) => tsBytes(seed, s, e), u.username) !== 416) rt.succeeded(ctx);
}

/** /live/U/P/ID.m3u8 → a live media playlist whose segments are /hls/TOKEN/ID/N.ts. */
function serveHlsPlaylist(rt: Runtime, ctx: Ctx, u: StoredUser, id: number): void {
  let conn = rt.conns
    .active(u.username)
    .find((c) => c.kind === 'hls' && c.ip === ctx.client.ip && c.streamId === id);
  if (!conn) {
    if (!admit(rt, ctx, u, 'm3u8')) return;
    const token = randomBytes(16).toString('hex');
    const c: Conn = rt.conns.open({ user: u.username, ip: ctx.client.ip, streamId: id, kind: 'hls', hlsToken: token, end: () => undefined });
    conn = c;
  }
  conn.lastSeen = rt.now();
  rt.succeeded(ctx);
  if (id === MEDIA_STREAM_ID) {
    // The real fixture's playlist (VOD, #EXT-X-ENDLIST), its segment URIs rewritten to tokenised /hls/ URLs.
    const segs = mediaSegments();
    const out = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD'];
    segs.forEach((sg, n) => out.push(`#EXTINF:${sg.duration},`, `/hls/${conn.hlsToken}/${id}/${n}.ts`));
    out.push('#EXT-X-ENDLIST');
    return send(ctx.res, 200, out.join('\n') + '\n', 'application/vnd.apple.mpegurl', { 'Cache-Control': 'no-store' });
  }
  if (rt.opts.liveMedia === 'fixture') {
    return send(ctx.res, 200, fixtureLivePlaylist(rt.now(), conn.hlsToken!, id), 'application/vnd.apple.mpegurl', { 'Cache-Control': 'no-store' });
  }
  const seq = Math.floor(rt.now() / (HLS_SEGMENT_SECONDS * 1000));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${HLS_SEGMENT_SECONDS}`, `#EXT-X-MEDIA-SEQUENCE:${seq}`];
  for (let n = seq; n < seq + 3; n++) lines.push(`#EXTINF:${HLS_SEGMENT_SECONDS}.000,`, `/hls/${conn.hlsToken}/${id}/${n}.ts`);
  send(ctx.res, 200, lines.join('\n') + '\n', 'application/vnd.apple.mpegurl', { 'Cache-Control': 'no-store' });
}

/** /hls/TOKEN/ID/N.ts — the token is bound to the user, the client IP and the stream. */
export function handleHlsSegment(rt: Runtime, ctx: Ctx): void {
  const [, token, idSeg, file, ...rest] = ctx.segments;
  const m = file && rest.length === 0 ? /^(\d{1,12})\.ts$/.exec(file) : null;
  if (!token || !idSeg || !/^\d{1,9}$/.test(idSeg) || !m) return rt.badRequest(ctx, '/hls/TOKEN/ID/N.ts');
  const conn = rt.conns.byHlsToken(token);
  if (!conn) return rt.reject(ctx, 'TOKEN_EXPIRED', { status: 403 });
  if (conn.ip !== ctx.client.ip) return rt.reject(ctx, 'IP_MISMATCH', { user: conn.user, status: 403 });
  if (conn.streamId !== Number(idSeg)) return rt.reject(ctx, 'LB_TOKEN_INVALID', { user: conn.user, status: 403 });
  conn.lastSeen = rt.now();
  const n = Number(m[1]);
  if (conn.streamId === MEDIA_STREAM_ID) {
    const seg = mediaSegments()[n];
    if (!seg) return rt.notFound(ctx, 'no such segment');
    return send(ctx.res, 200, mediaFile(seg.file as MediaFile), 'video/mp2t');
  }
  if (rt.opts.liveMedia === 'fixture') return send(ctx.res, 200, fixtureLiveSegment(n), 'video/mp2t');
  send(ctx.res, 200, tsBytes(contentSeed('hls', conn.streamId) ^ n, 0, HLS_SEGMENT_BYTES), 'video/mp2t');
}

/** Serves an endless live stream for an already-authorised Stalker play request. */
export function serveStalkerLive(rt: Runtime, ctx: Ctx, u: StoredUser, id: number): void {
  if (ctx.req.method !== 'HEAD') {
    if (!admit(rt, ctx, u, 'ts')) return;
    track(rt, ctx, u, id, 'stalker');
  }
  rt.succeeded(ctx);
  serveLive(rt, ctx, id);
}
