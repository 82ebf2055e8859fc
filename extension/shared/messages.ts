/**
 * Every message that crosses a context boundary, in one place.
 *
 * - main world (extension/page) ⇄ isolated world (extension/content): CustomEvents on `document` whose
 *   `detail` is a JSON string (strings cross the Firefox X-ray boundary unchanged; the page's own `message`
 *   listeners never see them). The main world is the page's own world: what it says is untrusted.
 * - content/popup/options ⇄ background: `runtime.sendMessage` with the `Request` union below.
 * - background → content: `tabs.sendMessage` with `Push`.
 *
 * No message carries a credential: URLs are redacted (`redactUrl`), bodies are redacted summaries.
 */
import type { Diagnosis } from '../../core/types.js';
import type { LocaleFile } from '../../core/i18n.js';

export const PAGE_REPORT_EVENT = 'xtream-error-ux:report';
export const PAGE_STATE_EVENT = 'xtream-error-ux:state';

/** What the main-world tap saw on one API or stream response (redacted). */
export interface TapReport {
  /** Per-page sequence number, echoed in the acknowledgement. */
  readonly id: number;
  /** Absolute, redacted URL. */
  readonly url: string;
  readonly status: number;
  readonly contentType?: string;
  /**
   * A redacted summary of a small API body (Xtream `user_info` reduced to its non-credential facts,
   * other JSON and text redacted and cut short). Absent for streams and large bodies.
   */
  readonly body?: string;
}

/** What the main world learns about a panel host: enough to wait for the background, nothing more. */
export interface HostGate {
  readonly host: string;
  readonly level: 'ok' | 'warning' | 'blocked';
  readonly allowed: boolean;
  readonly failures: number;
  readonly attemptsLeft: number;
  /** When the background read this state (ms): an older view never replaces a newer one. */
  readonly at: number;
}

/** Isolated world → main world. `ack` answers one report; `hosts` replaces the known gates. */
export interface PageStateMessage {
  readonly ack?: number;
  readonly hosts: readonly HostGate[];
}

/** The flood guard's view of one panel host, for banners, popup and options. */
export interface HostView extends HostGate {
  readonly retryAt?: number;
  readonly reason?: 'backoff' | 'threshold' | 'panel-block' | 'hard-stop' | 'retry-after';
  readonly ticket: boolean;
  /** At a pause point: what one more failure makes the panel do. */
  readonly consequence?: { readonly failures: number; readonly blockMs: number };
  readonly diagnosis?: Diagnosis;
}

/** One diagnosis shown in a page and kept in the recent list (redacted). */
export interface RecentEntry {
  readonly id: string;
  readonly at: number;
  /** The host name of the page it happened on. */
  readonly site: string;
  /** The panel host (the flood guard's key). */
  readonly host: string;
  readonly diagnosis: Diagnosis;
}

export type Request =
  | { readonly type: 'hello' }
  | { readonly type: 'tap'; readonly report: TapReport }
  | { readonly type: 'locale'; readonly lng: string; readonly file: LocaleFile | 'extension' }
  | { readonly type: 'try-anyway'; readonly host: string }
  | { readonly type: 'reset-site'; readonly host: string }
  | { readonly type: 'overview'; readonly tabId?: number }
  | { readonly type: 'set-language'; readonly language: string | null }
  | { readonly type: 'clear-recent' }
  | { readonly type: 'enable-site'; readonly tabId: number; readonly origins: readonly string[] }
  // test builds only (ignored by the shipped build):
  | { readonly type: 'test:forget-all' };

export interface HelloReply {
  readonly language: string;
  readonly hosts: readonly HostView[];
  readonly entries: readonly RecentEntry[];
}

export interface TapReply {
  readonly hosts: readonly HostView[];
}

export interface Overview {
  readonly language: string | null;
  readonly resolvedLanguage: string;
  /** Origins whose host permission is held ("enabled sites"). */
  readonly origins: readonly string[];
  readonly hosts: readonly HostView[];
  readonly recent: readonly RecentEntry[];
  /** For the popup: the active tab's site, and the panel hosts it talked to. */
  readonly tab?: { readonly site: string; readonly hosts: readonly string[] };
}

export type Push =
  | { readonly type: 'diagnosis'; readonly entry: RecentEntry; readonly view: HostView }
  | { readonly type: 'hosts'; readonly hosts: readonly HostView[] }
  | { readonly type: 'language'; readonly language: string };
