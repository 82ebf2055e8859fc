/**
 * `xtream-error-ux/videojs`: the flood guard inside video.js 8's HLS/DASH engine (VHS), as its transport.
 *
 *   import videojs from 'video.js';
 *   import { guardVideojs } from 'xtream-error-ux/videojs';
 *   const unguard = guardVideojs(videojs, { guard, onDiagnosis });   // once, before creating players
 *
 * VHS sends every playlist, segment and key through `videojs.Vhs.xhr`; when that is not VHS's own function it
 * is called as the transport, after the `onRequest` hooks, with VHS's callback (video.js src: `xhrFactory`).
 * The adapter installs itself there, keeps the hooks registered on the old one, and asks the guard before
 * handing each request to `videojs.xhr` on an XMLHttpRequest it returns at once (VHS aborts and inspects it).
 * A held request fails at once (status 0) and never touches the network; every answer is recorded, its body
 * read only where core/panel-rules.ts allows (a small error body, a playlist). What it cannot cover: sources
 * video.js hands to the browser itself (MP4, or HLS on Safari with `overrideNative: false`) — the browser
 * fetches those, out of reach of any page script (the companion extension watches them).
 */
import { openGuardedRequest } from '../core/guarded-request.js';
import { createReporter, heldText, HELD_TEXT, lengthOf, type PlayerGuardOptions } from './shared.js';

export type { PlayerGuardOptions, PlayerDiagnosisInfo } from './shared.js';

/** What VHS passes its transport (video.js `xhrFactory`; @videojs/xhr options). */
export interface VhsRequestOptions {
  uri?: string;
  url?: string;
  xhr?: XMLHttpRequest;
  [more: string]: unknown;
}

/** What @videojs/xhr answers with. */
export interface VhsResponse {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  [more: string]: unknown;
}

export type VhsCallback = (error: (Error & { code?: string; statusCode?: number }) | null, response: VhsResponse) => void;
export type VhsTransport = ((options: VhsRequestOptions, callback: VhsCallback) => XMLHttpRequest) & Record<string, unknown>;

/** The parts of the `videojs` function the adapter uses. */
export interface VideojsLike {
  xhr: (options: VhsRequestOptions, callback: VhsCallback) => unknown;
  Vhs?: { xhr: VhsTransport };
}

/** Puts the guard in front of every request VHS makes; returns the function that takes it out again. */
export function guardVideojs(videojs: VideojsLike, options: PlayerGuardOptions = {}): () => void {
  const vhs = videojs.Vhs;
  if (!vhs) throw new TypeError('guardVideojs: this video.js has no VHS (videojs.Vhs)');
  const reporter = createReporter(options);
  const previous = vhs.xhr;

  const transport = function guardedVhsTransport(request: VhsRequestOptions, callback: VhsCallback): XMLHttpRequest {
    const xhr = request.xhr ?? new XMLHttpRequest();
    const url = String(request.uri ?? request.url ?? '');
    const aborted = (): boolean => (xhr as XMLHttpRequest & { aborted?: boolean }).aborted === true;
    openGuardedRequest(reporter.guard, url, { key: reporter.key }).then(
      (opened) => {
        if (aborted()) return void opened.abort();
        videojs.xhr({ ...request, xhr }, (error, response) => {
          const headers = response?.headers ?? {};
          const status = response?.statusCode ?? 0;
          const settled = aborted()
            ? opened.abort().then(() => null)
            : error?.code === 'ETIMEDOUT'
              ? opened.fail('TimeoutError')
              : status === 0
                ? opened.fail('NetworkError')
                : opened.answer({
                    status,
                    headers,
                    url: xhr.responseURL || undefined,
                    text: opened.readsBody(status, headers['content-type'] ?? '', lengthOf(headers['content-length'])) ? heldText(response.body) : undefined,
                  });
          settled.then((diagnosis) => reporter.settled(opened, diagnosis), () => undefined).then(() => callback(error, response));
        });
      },
      (error: unknown) => {
        reporter.held(error);
        const failure = Object.assign(new Error(HELD_TEXT), { statusCode: 0 });
        callback(failure, { statusCode: 0, body: undefined, headers: {}, url, rawRequest: xhr });
      },
    );
    return xhr;
  } as VhsTransport;
  // The global onRequest/onResponse hooks live on this function: they move with it, and back.
  for (const [name, value] of Object.entries(previous)) if (name !== 'original') transport[name] = value;
  vhs.xhr = transport;
  return () => {
    if (vhs.xhr !== transport) return;
    for (const [name, value] of Object.entries(transport)) if (name !== 'original') previous[name] = value;
    vhs.xhr = previous;
  };
}
