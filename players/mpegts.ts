/**
 * `xtream-error-ux/mpegts`: the flood guard inside mpegts.js, as its `customLoader` (live `.ts` and FLV over
 * fetch, streamed).
 *
 *   import mpegts from 'mpegts.js';
 *   import { createMpegtsLoader } from 'xtream-error-ux/mpegts';
 *   const player = mpegts.createPlayer({ type: 'mpegts', isLive: true, url },
 *     { enableWorker: false, customLoader: createMpegtsLoader(mpegts, { guard, onDiagnosis }) });
 *
 * The loader does what mpegts.js's FetchStreamLoader does (src/io/fetch-stream-loader.js) with the guard in
 * front: a held request fails at once as an HTTP error (code 0) and never touches the network; every answer is
 * recorded, a small error body read from a clone; the media stream itself is handed to mpegts.js untouched.
 * mpegts.js cannot pass a custom loader into its worker: keep `enableWorker: false` (the default).
 */
import { openGuardedRequest, type GuardedRequest } from '../core/guarded-request.js';
import { readSmallBody } from '../core/panel-rules.js';
import { createReporter, HELD_TEXT, lengthOf, type PlayerGuardOptions } from './shared.js';

export type { PlayerGuardOptions, PlayerDiagnosisInfo } from './shared.js';

/** mpegts.js's loader base and constants (`mpegts.BaseLoader`, `mpegts.LoaderStatus`, `mpegts.LoaderErrors`). */
export interface MpegtsModule {
  BaseLoader: new (typeName: string) => MpegtsBaseLoader;
  LoaderStatus: { kIdle: number; kConnecting: number; kBuffering: number; kError: number; kComplete: number };
  LoaderErrors: { EXCEPTION: string; HTTP_STATUS_CODE_INVALID: string; EARLY_EOF: string };
}

/** The fields of mpegts.js's BaseLoader (src/io/loader.js) a loader sets and calls. */
export interface MpegtsBaseLoader {
  _status: number;
  _needStash: boolean;
  readonly onContentLengthKnown: ((length: number) => void) | null;
  readonly onURLRedirect: ((url: string) => void) | null;
  readonly onDataArrival: ((chunk: ArrayBuffer, byteStart: number, receivedLength: number) => void) | null;
  readonly onError: ((type: string, info: { code: number; msg: string }) => void) | null;
  readonly onComplete: ((from: number, to: number) => void) | null;
  destroy(): void;
}

interface SeekHandler {
  getConfig(url: string, range: { from: number; to: number }): { url: string; headers?: unknown };
  removeURLParameters(url: string): string;
}

interface MpegtsConfig {
  reuseRedirectedURL?: boolean;
  headers?: Record<string, string>;
}

interface DataSource {
  url: string;
  redirectedURL?: string;
  cors?: boolean;
  withCredentials?: boolean;
  referrerPolicy?: ReferrerPolicy;
}

export type MpegtsLoaderClass = new (seekHandler: SeekHandler, config: MpegtsConfig) => MpegtsBaseLoader;

function chunkOf(value: Uint8Array): ArrayBuffer {
  const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
  return (whole ? value.buffer : value.slice().buffer) as ArrayBuffer;
}

/** A loader class for mpegts.js's `customLoader` that asks `options.guard` before every request. */
export function createMpegtsLoader(mpegts: MpegtsModule, options: PlayerGuardOptions = {}): MpegtsLoaderClass {
  const reporter = createReporter(options);
  const { BaseLoader, LoaderStatus, LoaderErrors } = mpegts;

  class GuardedMpegtsLoader extends BaseLoader {
    private readonly seekHandler: SeekHandler;
    private readonly config: MpegtsConfig;
    private controller: AbortController | undefined;
    private aborted = false;

    constructor(seekHandler: SeekHandler, config: MpegtsConfig) {
      super('xtream-guarded-fetch-loader');
      this.seekHandler = seekHandler;
      this.config = config;
      this._needStash = true;
    }

    open(dataSource: DataSource, range: { from: number; to: number }): void {
      this.aborted = false;
      const source = this.config.reuseRedirectedURL && dataSource.redirectedURL ? dataSource.redirectedURL : dataSource.url;
      const seek = this.seekHandler.getConfig(source, range);
      const headers = new Headers();
      for (const extra of [seek.headers, this.config.headers]) {
        if (extra && typeof extra === 'object') for (const [name, value] of Object.entries(extra)) headers.append(name, String(value));
      }
      const controller = (this.controller = new AbortController());
      this._status = LoaderStatus.kConnecting;
      const fail = (type: string, code: number, msg: string): void => {
        this._status = LoaderStatus.kError;
        this.onError?.(type, { code, msg });
      };
      let request: GuardedRequest | undefined;
      openGuardedRequest(reporter.guard, seek.url, { key: reporter.key, headers })
        .then(async (opened) => {
          request = opened;
          if (this.aborted) return void opened.abort();
          let response: Response;
          try {
            response = await fetch(seek.url, {
              headers,
              mode: dataSource.cors === false ? 'same-origin' : 'cors',
              credentials: dataSource.withCredentials ? 'include' : 'same-origin',
              referrerPolicy: dataSource.referrerPolicy ?? 'no-referrer-when-downgrade',
              signal: controller.signal,
            });
          } catch (error) {
            if (this.aborted) return void opened.abort();
            reporter.settled(opened, await opened.fail(error));
            return fail(LoaderErrors.EXCEPTION, -1, error instanceof Error ? error.message : String(error));
          }
          const type = response.headers.get('content-type') ?? '';
          const text = opened.readsBody(response.status, type, lengthOf(response.headers.get('content-length'))) ? await readSmallBody(response) : undefined;
          const diagnosis = await opened.answer({ status: response.status, headers: response.headers, text, url: response.redirected ? response.url : undefined });
          reporter.settled(opened, diagnosis);
          if (this.aborted) return void response.body?.cancel().catch(() => undefined);
          // A 2xx that is a failure is the panel's replacement clip (a 302 to /auth/…): the banner explains it.
          if (!response.ok || !response.body || diagnosis) {
            response.body?.cancel().catch(() => undefined);
            return fail(LoaderErrors.HTTP_STATUS_CODE_INVALID, response.status, diagnosis?.code ?? response.statusText);
          }
          if (response.url && response.url !== seek.url) this.onURLRedirect?.(this.seekHandler.removeURLParameters(response.url));
          const length = lengthOf(response.headers.get('content-length'));
          if (length) this.onContentLengthKnown?.(length);
          await this.pump(response.body.getReader(), range.from, length);
        })
        .catch((error: unknown) => {
          if (reporter.held(error)) return fail(LoaderErrors.HTTP_STATUS_CODE_INVALID, 0, HELD_TEXT);
          if (this.aborted) return void request?.abort();
          fail(LoaderErrors.EXCEPTION, -1, String(error));
        });
    }

    private async pump(reader: ReadableStreamDefaultReader<Uint8Array>, from: number, length: number | null): Promise<void> {
      let received = 0;
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          if (this.aborted) return void (this._status = LoaderStatus.kComplete);
          this._status = LoaderStatus.kError;
          return void this.onError?.(LoaderErrors.EARLY_EOF, { code: -1, msg: String(error) });
        }
        if (this.aborted) {
          this._status = LoaderStatus.kComplete;
          return void reader.cancel().catch(() => undefined);
        }
        if (result.done) {
          if (length !== null && received < length) {
            this._status = LoaderStatus.kError;
            return void this.onError?.(LoaderErrors.EARLY_EOF, { code: -1, msg: 'Fetch stream meet Early-EOF' });
          }
          this._status = LoaderStatus.kComplete;
          return void this.onComplete?.(from, from + received - 1);
        }
        this._status = LoaderStatus.kBuffering;
        const chunk = chunkOf(result.value);
        const start = from + received;
        received += chunk.byteLength;
        this.onDataArrival?.(chunk, start, received);
      }
    }

    abort(): void {
      this.aborted = true;
      try {
        this.controller?.abort();
      } catch {
        /* already settled */
      }
    }

    override destroy(): void {
      if (this._status === LoaderStatus.kConnecting || this._status === LoaderStatus.kBuffering) this.abort();
      super.destroy();
    }
  }
  return GuardedMpegtsLoader as unknown as MpegtsLoaderClass;
}
