/**
 * `xtream-error-ux/hls`: the flood guard inside hls.js, as its loader (playlists, fragments, keys).
 *
 *   import Hls from 'hls.js';
 *   import { createFloodGuard } from 'xtream-error-ux/core';
 *   import { createHlsLoader } from 'xtream-error-ux/hls';
 *   const guard = createFloodGuard();
 *   const hls = new Hls({ loader: createHlsLoader(Hls, { guard, onDiagnosis: (d, { key }) => Object.assign(banner, { diagnosis: d, guard, guardKey: key }) }) });
 *
 * The loader extends hls.js's own (`Hls.DefaultConfig.loader`, the XHR loader, or `options.loader`) and asks
 * the guard before every attempt — hls.js's own retries inside the loader included. A held request fails at once
 * as a network error (code 0) and never touches the network; every answer is recorded: the status, a small
 * error body, a playlist (the replacement "expired" video is one). A 2xx fragment's bytes are never read.
 */
import { openGuardedRequest, type GuardedRequest } from '../core/guarded-request.js';
import type { Diagnosis } from '../core/types.js';
import { createReporter, heldText, HELD_TEXT, lengthOf, type PlayerGuardOptions, type Reporter } from './shared.js';

export type { PlayerGuardOptions, PlayerDiagnosisInfo } from './shared.js';

/** What the adapter needs of an hls.js loader context (hls.js `LoaderContext`). */
export interface HlsLoaderContext {
  url: string;
  responseType: string;
}

/** hls.js `LoaderCallbacks`, as far as the adapter wraps them. */
export interface HlsLoaderCallbacks {
  onSuccess(response: { url: string; data?: unknown; code?: number }, stats: unknown, context: HlsLoaderContext, networkDetails: unknown): void;
  onError(error: { code: number; text: string }, context: HlsLoaderContext, networkDetails: unknown, stats: unknown): void;
  onTimeout(stats: unknown, context: HlsLoaderContext, networkDetails: unknown): void;
  onAbort?(stats: unknown, context: HlsLoaderContext, networkDetails: unknown): void;
  onProgress?(...args: unknown[]): void;
}

/** An hls.js loader (hls.js `Loader`). */
export interface HlsLoader {
  load(context: HlsLoaderContext, config: unknown, callbacks: HlsLoaderCallbacks): void;
  abort(): void;
  destroy(): void;
  context: HlsLoaderContext | null;
  stats: unknown;
}

export type HlsLoaderClass = new (config: unknown) => HlsLoader;

export interface HlsLoaderOptions extends PlayerGuardOptions {
  /** The loader to guard (default: `Hls.DefaultConfig.loader`). */
  loader?: HlsLoaderClass;
}

/** The protected side of hls.js's BaseLoader the adapter hooks into (hls.js src/utils/base-loader.ts). */
interface BaseLoaderInternals extends HlsLoader {
  callbacks: HlsLoaderCallbacks | null;
  loadInternal(): void;
  retry(retryConfig: unknown): void;
  getNetworkDetails(): unknown;
}

/** What a finished XHR (or a fetch loader's Response) answered, its body read only where the rules allow. */
async function settleDetails(request: GuardedRequest, details: unknown, data?: unknown): Promise<Diagnosis | null> {
  if (typeof Response === 'function' && details instanceof Response) {
    const type = details.headers.get('content-type') ?? '';
    const readable = request.readsBody(details.status, type, lengthOf(details.headers.get('content-length'))) && !details.bodyUsed;
    const text = readable ? await details.clone().text().catch(() => undefined) : undefined;
    return request.answer({ status: details.status, headers: details.headers, text, url: details.redirected ? details.url : undefined });
  }
  const xhr = details as XMLHttpRequest | null | undefined;
  if (!xhr || typeof xhr.getResponseHeader !== 'function' || xhr.readyState !== 4) return request.fail('TimeoutError');
  if (xhr.status === 0) return request.fail('NetworkError');
  const header = (name: string): string => xhr.getResponseHeader(name) ?? '';
  const type = header('content-type');
  const headers = { 'content-type': type, 'retry-after': header('retry-after'), date: header('date') };
  let text: string | undefined;
  if (request.readsBody(xhr.status, type, lengthOf(header('content-length')))) {
    text = heldText(data ?? (xhr.responseType === '' || xhr.responseType === 'text' ? xhr.responseText : xhr.response));
  }
  return request.answer({ status: xhr.status, headers, text, url: xhr.responseURL || undefined });
}

/** A loader class for `new Hls({ loader })` that asks `options.guard` before every request. */
export function createHlsLoader(Hls: { DefaultConfig: { loader: HlsLoaderClass } }, options: HlsLoaderOptions = {}): HlsLoaderClass {
  const reporter: Reporter = createReporter(options);
  const Base = (options.loader ?? Hls.DefaultConfig.loader) as unknown as new (config: unknown) => BaseLoaderInternals;

  class GuardedHlsLoader extends Base {
    private request: GuardedRequest | undefined;
    private cancelled = false;

    /** Settles the current request with what `details` shows, then hands on to hls.js. */
    private settle(details: unknown, data: unknown, then: () => void): void {
      const request = this.request;
      this.request = undefined;
      if (!request) return then();
      settleDetails(request, details, data)
        .then((diagnosis) => reporter.settled(request, diagnosis))
        .catch(() => undefined)
        .then(() => this.callbacks && then());
    }

    override load(context: HlsLoaderContext, config: unknown, callbacks: HlsLoaderCallbacks): void {
      const playlist = context.responseType === 'text' || context.responseType === '';
      super.load(context, config, {
        ...callbacks,
        onSuccess: (response, stats, ctx, details) =>
          this.settle(details, playlist ? response.data : undefined, () => callbacks.onSuccess(response, stats, ctx, details)),
        onError: (error, ctx, details, stats) => this.settle(details, undefined, () => callbacks.onError(error, ctx, details, stats)),
        onTimeout: (stats, ctx, details) => {
          const request = this.request;
          this.request = undefined;
          const done = (): void => void (this.callbacks && callbacks.onTimeout(stats, ctx, details));
          if (!request) return done();
          request
            .fail('TimeoutError')
            .then((diagnosis) => reporter.settled(request, diagnosis))
            .catch(() => undefined)
            .then(done);
        },
        onAbort: (stats, ctx, details) => {
          this.cancel();
          callbacks.onAbort?.(stats, ctx, details);
        },
      });
    }

    /** Every attempt — the first, and each of hls.js's own retries — asks the guard first. */
    override loadInternal(): void {
      const context = this.context;
      if (!context) return;
      openGuardedRequest(reporter.guard, context.url, { key: reporter.key }).then(
        (request) => {
          if (this.cancelled || !this.callbacks) return void request.abort();
          this.request = request;
          super.loadInternal();
        },
        (error: unknown) => {
          if (this.cancelled || !this.callbacks) return;
          reporter.held(error);
          this.callbacks.onError({ code: 0, text: HELD_TEXT }, context, null, this.stats);
        },
      );
    }

    /** hls.js retries inside the loader (5xx, timeouts): the answer that made it retry is recorded first. */
    override retry(retryConfig: unknown): void {
      const request = this.request;
      this.request = undefined;
      if (request) settleDetails(request, this.getNetworkDetails()).then((diagnosis) => reporter.settled(request, diagnosis), () => undefined);
      super.retry(retryConfig);
    }

    private cancel(): void {
      this.cancelled = true;
      const request = this.request;
      this.request = undefined;
      request?.abort().catch(() => undefined);
    }

    override abort(): void {
      this.cancel();
      super.abort();
    }

    override destroy(): void {
      this.cancel();
      super.destroy();
    }
  }
  return GuardedHlsLoader as unknown as HlsLoaderClass;
}
