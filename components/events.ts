import type { Diagnosis } from '../core/types.js';

/** Why a banner was dismissed: its dismiss button, Escape, or the stack's auto-hide timer. */
export type DismissReason = 'button' | 'escape' | 'timeout' | 'api';

/** Fired before a banner hides. Cancelable: `preventDefault()` keeps it shown. */
export class XtreamDismissEvent extends Event {
  static readonly eventName = 'xtream-dismiss';
  constructor(
    readonly diagnosis: Diagnosis | undefined,
    readonly reason: DismissReason,
  ) {
    super(XtreamDismissEvent.eventName, { bubbles: true, composed: true, cancelable: true });
  }
}

/** The person asked to try again. `anyway` is true when they chose "try anyway" past the flood guard's pause. */
export class XtreamRetryEvent extends Event {
  static readonly eventName = 'xtream-retry';
  constructor(
    readonly diagnosis: Diagnosis | undefined,
    readonly anyway: boolean = false,
  ) {
    super(XtreamRetryEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The person copied the redacted details report; `report` is the text put on the clipboard. */
export class XtreamCopyEvent extends Event {
  static readonly eventName = 'xtream-copy';
  constructor(
    readonly diagnosis: Diagnosis | undefined,
    readonly report: string,
  ) {
    super(XtreamCopyEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * What a portal fires (on any element, or the document) to show an error in the `<xtream-error-stack>`:
 * `detail` is any banner input — a Diagnosis, an observation, an envelope, a code or a status.
 */
export class XtreamErrorEvent extends CustomEvent<unknown> {
  static readonly eventName = 'xtream-error';
  constructor(input: unknown) {
    super(XtreamErrorEvent.eventName, { detail: input, bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'xtream-dismiss': XtreamDismissEvent;
    'xtream-retry': XtreamRetryEvent;
    'xtream-copy': XtreamCopyEvent;
    'xtream-error': XtreamErrorEvent;
  }
  interface DocumentEventMap {
    'xtream-dismiss': XtreamDismissEvent;
    'xtream-retry': XtreamRetryEvent;
    'xtream-copy': XtreamCopyEvent;
    'xtream-error': XtreamErrorEvent;
  }
}
