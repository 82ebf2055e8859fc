/**
 * What the player adapters (players/hls.ts, players/mpegts.ts, players/videojs.ts) share: their options, the
 * reporter that turns what each request showed into `onDiagnosis` calls, and the reading of a small error body
 * a player already holds. The guard decisions themselves are core's (core/guarded-request.ts).
 */
import { defaultGuard } from '../core/guarded-fetch.js';
import { FloodBlockedError, type FloodGuard, type FloodStatus } from '../core/flood-guard.js';
import { BODY_READ_LIMIT } from '../core/panel-rules.js';
import type { GuardedRequest } from '../core/guarded-request.js';
import type { Diagnosis } from '../core/types.js';

/** What the adapter tells the page about each request. */
export interface PlayerDiagnosisInfo {
  /** The guard key (the panel's host name, or its group): bind the banner with `banner.guardKey = info.key`. */
  readonly key: string;
  /** The guard held the request back: it never reached the panel. */
  readonly held: boolean;
  /** The guard's status when it held the request (what the countdown shows). */
  readonly status?: FloodStatus;
}

export interface PlayerGuardOptions {
  /** The guard to ask before every request and record every answer into (default: guardedFetch's shared one). */
  guard?: FloodGuard;
  /** The guard key for every request (default: `guard.keyFor(url)`). */
  key?: string;
  /**
   * Called with the Diagnosis of each failed or held request, and with `null` once an answer is fine again
   * after one that was not: set it on an `<xtream-error-banner>` over the player. Never with a URL or a
   * credential; what it throws is ignored.
   */
  onDiagnosis?: (diagnosis: Diagnosis | null, info: PlayerDiagnosisInfo) => void;
}

/** The text a held request fails with in the player's own error events. */
export const HELD_TEXT = 'Held by the flood guard';

/** The `onDiagnosis` calls of one adapter: every failure, and `null` only on the way back to fine. */
export interface Reporter {
  readonly guard: FloodGuard;
  readonly key?: string;
  /** What a settled request showed. */
  settled(request: GuardedRequest, diagnosis: Diagnosis | null): void;
  /** `error` from openGuardedRequest: true (and reported) when the guard held the request. */
  held(error: unknown): boolean;
}

export function createReporter(options: PlayerGuardOptions = {}): Reporter {
  const guard = options.guard ?? defaultGuard();
  const { onDiagnosis } = options;
  let failing = false;
  const call = (diagnosis: Diagnosis | null, info: PlayerDiagnosisInfo): void => {
    failing = diagnosis !== null;
    try {
      onDiagnosis?.(diagnosis, info);
    } catch {
      /* the page's handler never breaks the player */
    }
  };
  return {
    guard,
    key: options.key,
    settled(request, diagnosis) {
      if (diagnosis !== null || failing) call(diagnosis, { key: request.key, held: false });
    },
    held(error) {
      if (!(error instanceof FloodBlockedError)) return false;
      if (error.diagnosis) call(error.diagnosis, { key: error.key, held: true, status: error.status });
      return true;
    },
  };
}

/**
 * The text of a body a player already holds (a string, or the bytes of an `arraybuffer` request), when it is
 * small enough to classify; never copied otherwise. Callers pass it only where `request.readsBody` allowed.
 */
export function heldText(body: unknown, limit = BODY_READ_LIMIT): string | undefined {
  if (typeof body === 'string') return body.length <= limit ? body : undefined;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    if (body.byteLength > limit) return undefined;
    try {
      return new TextDecoder().decode(body);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A Content-Length header as a number (null when absent or not a number). */
export function lengthOf(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const length = Number(value);
  return Number.isFinite(length) ? length : null;
}
