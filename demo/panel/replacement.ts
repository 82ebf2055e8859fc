/**
 * What a panel sends instead of an error: the masked style's "expired video" and XC_VM's per-reason replacement
 * videos (show_expired_video, show_banned_video, show_connected_video), and the /auth/ clips themselves.
 */
import { TS_PACKET, tsBytes } from './bytes.js';
import { send, sendEmpty, sendRedirect } from './http-util.js';
import { mediaFile } from './media.js';
import type { Ctx, Runtime } from './runtime.js';

/** xcvm style: the per-reason replacement videos (XC_VM settings show_expired_video, show_banned_video, show_connected_video). */
export type ReplacementReason = 'expired' | 'banned' | 'connected';

/** XC_VM shows the banned video for a disabled line too (stream/auth.php). */
export function replacementFor(code: string): ReplacementReason {
  return code === 'USER_EXPIRED' ? 'expired' : code === 'USER_ALREADY_CONNECTED' ? 'connected' : 'banned';
}

/**
 * XC_VM's showVideoServer: for `.m3u8` a 200 playlist whose one segment is the clip under `/auth/…`, for anything
 * else (`.ts`, movies, series, timeshift) a 302 to the clip.
 */
export function sendReplacementVideo(rt: Runtime, ctx: Ctx, reason: ReplacementReason, mode: 'hls' | 'redirect'): void {
  const url = `${rt.baseUrl}/auth/${reason}.ts`;
  if (mode === 'redirect') return sendRedirect(ctx.res, url);
  const m3u8 = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-ALLOW-CACHE:YES\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n${url}\n#EXT-X-ENDLIST`;
  send(ctx.res, 200, m3u8, 'application/x-mpegurl');
}

/** Masked style: the short video an expired account gets instead of an error. */
export function sendExpiredVideo(ctx: Ctx): void {
  send(ctx.res, 200, tsBytes(0xe0e0, 0, TS_PACKET * 64), 'video/mp2t');
}

/** Masked style: a playlist whose only item is the expired video. */
export function sendExpiredPlaylist(rt: Runtime, ctx: Ctx, kind: 'm3u' | 'hls'): void {
  const url = `${rt.baseUrl}/auth/expired.ts`;
  if (kind === 'm3u') {
    send(ctx.res, 200, `#EXTM3U\n#EXTINF:-1 tvg-name="Expired" group-title="Info",Expired\n${url}\n`, 'audio/x-mpegurl');
  } else {
    send(
      ctx.res,
      200,
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\n/auth/expired.ts\n#EXT-X-ENDLIST\n`,
      'application/vnd.apple.mpegurl',
    );
  }
}

/**
 * The replacement clips. Masked style: `/auth/expired.ts` (synthetic TS). xcvm style: `/auth/expired.ts`,
 * `/auth/banned.ts`, `/auth/connected.ts` — the real 9001.ts fixture, so a player really plays it.
 */
export function handleAuthVideo(rt: Runtime, ctx: Ctx): void {
  const name = ctx.segments.length === 2 ? ctx.segments[1] : undefined;
  if (rt.opts.style === 'xcvm') {
    if (name === 'expired.ts' || name === 'banned.ts' || name === 'connected.ts') {
      return send(ctx.res, 200, mediaFile('9001.ts'), 'video/mp2t', { 'Cache-Control': 'no-store' });
    }
    return rt.notFound(ctx, 'no such clip');
  }
  if (name === 'expired.ts') return sendExpiredVideo(ctx);
  sendEmpty(ctx.res, 404);
}
