import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FloodGuard, FloodStatus } from '../../core/flood-guard.js';
import { announce } from '../live-region.js';
import type { Clock } from '../clock.js';
import type { LocalizeController } from '../localize-controller.js';
import { guardView, type GuardView } from './guard-notes.js';

/** The part of a flood guard a banner uses (core's `createFloodGuard()` result fits). */
export type BannerGuard = Pick<FloodGuard, 'check' | 'allowOnce' | 'reset' | 'subscribe'> & { now?: () => number };

type Host = ReactiveControllerHost & HTMLElement & { clock: Clock };

export { guardView };

/**
 * Binds a banner to a flood guard key: follows its status, runs the retry countdown on the host's clock
 * (re-rendering once a second, announcing only its start and end), and passes on "try anyway" and "I fixed it".
 */
export class GuardBinding implements ReactiveController {
  private guard: BannerGuard | undefined;
  private key: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private status: FloodStatus | undefined;
  private tick: unknown;
  private announcedBlock: number | undefined;

  constructor(
    private readonly host: Host,
    private readonly localize: LocalizeController,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const { guard, key } = this;
    this.guard = this.key = undefined;
    this.bind(guard, key);
  }

  hostDisconnected(): void {
    const { guard, key } = this;
    this.unbind();
    // Remembered so reconnecting binds again.
    this.guard = guard;
    this.key = key;
  }

  /** Follows `guard` for `key` (nothing when either is missing). */
  bind(guard: BannerGuard | undefined, key: string | undefined): void {
    if (guard === this.guard && key === this.key && (this.unsubscribe || !guard || !key)) return;
    this.unbind();
    this.guard = guard;
    this.key = key;
    if (!guard || !key || !this.host.isConnected) return;
    try {
      this.unsubscribe = guard.subscribe(key, (status) => this.apply(status));
      guard.check(key).then(
        (status) => this.apply(status),
        () => undefined,
      );
    } catch {
      this.unsubscribe = undefined;
    }
  }

  view(): GuardView | undefined {
    return this.status ? guardView(this.status, this.now()) : undefined;
  }

  async allowOnce(): Promise<void> {
    if (!this.guard || !this.key) return;
    try {
      this.apply(await this.guard.allowOnce(this.key));
    } catch {
      /* the retry event still tells the host what the person asked for */
    }
  }

  async reset(): Promise<void> {
    if (!this.guard || !this.key) return;
    try {
      this.apply(await this.guard.reset(this.key));
    } catch {
      /* the guard keeps its state */
    }
  }

  private unbind(): void {
    try {
      this.unsubscribe?.();
    } catch {
      /* already gone */
    }
    this.unsubscribe = undefined;
    this.guard = this.key = undefined;
    this.status = undefined;
    this.stopTicking();
  }

  private now(): number {
    try {
      return this.guard?.now?.() ?? this.host.clock.now();
    } catch {
      return this.host.clock.now();
    }
  }

  private stopTicking(): void {
    if (this.tick !== undefined) this.host.clock.clearTimeout(this.tick);
    this.tick = undefined;
  }

  private apply(status: FloodStatus): void {
    if (!this.guard || (status.key !== undefined && status.key !== this.key)) return;
    this.status = status;
    this.stopTicking();
    this.host.requestUpdate();
    const t = this.localize.translator();
    const lang = this.localize.lang;
    if (!status.allowed && status.retryAt !== undefined) {
      // A countdown announces its start and its end, never each second.
      if (status.level === 'blocked' && this.announcedBlock !== status.retryAt) {
        this.announcedBlock = status.retryAt;
        let time: string;
        try {
          time = new Intl.DateTimeFormat(lang, { timeStyle: 'short' }).format(status.retryAt);
        } catch {
          time = new Date(status.retryAt).toISOString();
        }
        void announce(t('xtream-ui:retry.countdownStarted', { time }), 'polite', lang);
      }
      this.schedule(status);
    } else if (this.announcedBlock !== undefined && status.allowed) {
      this.announcedBlock = undefined;
      void announce(t('xtream-ui:retry.countdownEnded'), 'polite', lang);
    }
  }

  private schedule(status: FloodStatus): void {
    const { guard, key } = this;
    if (!guard || !key || status.retryAt === undefined) return;
    const left = status.retryAt - this.now();
    if (left <= 0) {
      guard.check(key).then(
        (next) => {
          if (next.allowed || next.retryAt !== status.retryAt) this.apply(next);
          else this.tick = this.host.clock.setTimeout(() => this.schedule(next), 1000);
        },
        () => undefined,
      );
      return;
    }
    // Re-render on each second boundary of the countdown.
    this.tick = this.host.clock.setTimeout(() => {
      this.tick = undefined;
      this.host.requestUpdate();
      this.schedule(status);
    }, left % 1000 || 1000);
  }
}
