/**
 * The real players behind one small interface: hls.js for `.m3u8`, mpegts.js for `.ts`. With a guard, every
 * request of the player goes through the project's adapters (./adapters.ts) and each failed or held request
 * comes back as a Diagnosis; without one (the naive loop) the player runs as shipped and what the portal
 * learns is only the HTTP status of its error events.
 */
import Hls, { type HlsConfig } from 'hls.js';
import mpegts from 'mpegts.js';
import { classify, type Diagnosis, type FloodGuard } from '../../components/index.js';
import { createHlsLoader, createMpegtsLoader } from './adapters.js';

export type Engine = 'hls' | 'mpegts';
export const ENGINES: Record<Engine, { label: string; extension: 'm3u8' | 'ts' }> = {
  hls: { label: 'hls.js (HLS, .m3u8)', extension: 'm3u8' },
  mpegts: { label: 'mpegts.js (MPEG-TS, .ts)', extension: 'ts' },
};

export interface EngineOptions {
  /** The flood guard the adapter asks before every request; absent: the player's own loader, unguarded. */
  guard?: FloodGuard;
  key?: string;
  /** Sent with every request (the demo panel's routing and the simulated client's address). */
  headers: Record<string, string>;
  /** Each failed or held request (null: an answer was fine again). */
  onDiagnosis(diagnosis: Diagnosis | null, info: { key: string; held: boolean }): void;
  /** The player gave up (its own retries are over). */
  onFatal(detail: string): void;
  /** Unguarded: each request that came back with an error status (one per request that reached the panel). */
  onHttpError?(status: number): void;
}

export interface Playback {
  readonly engine: Engine;
  stop(): void;
}

mpegts.LoggingControl.enableAll = false;

type MpegtsConfig = NonNullable<Parameters<typeof mpegts.createPlayer>[1]>;

/*
 * The adapters type the players structurally (they never import them: optional peer dependencies), and those
 * shapes are narrower than hls.js's and mpegts.js's own declarations, so the classes are cast here, once.
 */
function guardedHlsLoader(options: EngineOptions & { guard: FloodGuard }): HlsConfig['loader'] {
  const loader = createHlsLoader(Hls as unknown as Parameters<typeof createHlsLoader>[0], { guard: options.guard, key: options.key, onDiagnosis: options.onDiagnosis });
  return loader as unknown as HlsConfig['loader'];
}

function guardedMpegtsLoader(options: EngineOptions & { guard: FloodGuard }): MpegtsConfig['customLoader'] {
  const loader = createMpegtsLoader(mpegts as unknown as Parameters<typeof createMpegtsLoader>[0], { guard: options.guard, key: options.key, onDiagnosis: options.onDiagnosis });
  return loader as unknown as MpegtsConfig['customLoader'];
}

export function canPlay(engine: Engine): boolean {
  return engine === 'hls' ? Hls.isSupported() : mpegts.getFeatureList().mseLivePlayback;
}

function playHls(video: HTMLVideoElement, url: string, options: EngineOptions): Playback {
  const { headers } = options;
  const hls = new Hls({
    ...(options.guard ? { loader: guardedHlsLoader({ ...options, guard: options.guard }) } : {}),
    xhrSetup: (xhr) => {
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    },
    liveSyncDurationCount: 2,
  });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    const status = data.response?.code;
    if (!options.guard && typeof status === 'number' && status >= 400) {
      options.onHttpError?.(status);
      options.onDiagnosis(classify({ status, url: '' }), { key: options.key ?? '', held: false });
    }
    if (data.fatal) {
      hls.destroy();
      options.onFatal(`${data.type}: ${data.details}${status ? ` ${status}` : ''}`);
    }
  });
  hls.attachMedia(video);
  hls.loadSource(url);
  void video.play().catch(() => undefined);
  return { engine: 'hls', stop: () => hls.destroy() };
}

function playMpegts(video: HTMLVideoElement, url: string, options: EngineOptions): Playback {
  const player = mpegts.createPlayer(
    { type: 'mpegts', isLive: true, url },
    {
      ...(options.guard ? { customLoader: guardedMpegtsLoader({ ...options, guard: options.guard }) } : {}),
      headers: options.headers,
      enableWorker: false,
      liveBufferLatencyChasing: false,
    },
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    player.pause();
    player.unload();
    player.detachMediaElement();
    player.destroy();
  };
  player.on(mpegts.Events.ERROR, (type: string, detail: string, info?: { code?: number }) => {
    const status = info?.code;
    if (!options.guard && typeof status === 'number' && status >= 400) {
      options.onHttpError?.(status);
      options.onDiagnosis(classify({ status, url: '' }), { key: options.key ?? '', held: false });
    }
    stop();
    options.onFatal(`${type}: ${detail}${status ? ` ${status}` : ''}`);
  });
  player.attachMediaElement(video);
  player.load();
  void Promise.resolve(player.play()).catch(() => undefined);
  return { engine: 'mpegts', stop };
}

/** Starts `engine` on `video` with `url` (a path of the demo server). */
export function play(engine: Engine, video: HTMLVideoElement, url: string, options: EngineOptions): Playback {
  const absolute = new URL(url, location.href).href;
  return engine === 'hls' ? playHls(video, absolute, options) : playMpegts(video, absolute, options);
}
