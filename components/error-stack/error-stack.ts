import { LitElement, html } from 'lit';
import type { Diagnosis } from '../../core/types.js';
import { LocalizeController } from '../localize-controller.js';
import { systemClock, type Clock } from '../clock.js';
import { diagnose, diagnosisIdentity } from '../diagnose.js';
import { XtreamDismissEvent, type XtreamErrorEvent } from '../events.js';
import type { XtreamErrorBanner } from '../error-banner/error-banner.js';
import { stackStyles } from './error-stack.styles.js';

export type StackPosition = 'top-start' | 'top-center' | 'top-end' | 'bottom-start' | 'bottom-center' | 'bottom-end';

/** The banner tag the stack creates (define.ts registers it under this name). */
export const BANNER_TAG = 'xtream-error-banner';

interface Item {
  readonly banner: XtreamErrorBanner;
  readonly identity: string;
  /** Auto-hide: ms left when paused or not yet started; undefined for errors (they stay). */
  remaining: number | undefined;
  startedAt: number;
  timer: unknown;
}

const AUTO_HIDE = new Set(['info', 'warning', 'success']);

/**
 * @summary A toaster region for error banners: `show(input)` (or an `xtream-error` event on the document)
 * adds one; identical diagnoses merge with a ×N count; visible items are capped; info and warnings auto-hide.
 *
 * Auto-hide pauses while the pointer is over the stack or focus is inside it, and resumes with the time that
 * was left. Errors stay until dismissed. Escape with focus in the stack but outside a banner closes the newest.
 *
 * @slot - Banners (the stack adds them; you may add your own).
 *
 * @csspart base - The region holding the banners.
 * @csspart close-newest - The "close the newest notification" button, visible on keyboard focus.
 *
 * @cssproperty --xes-width - Inline size of the stack.
 * @cssproperty --xes-inset - Distance from the viewport edges.
 * @cssproperty --xes-gap - Space between banners.
 * @cssproperty --xes-z-index - Stacking order.
 * @cssproperty --xes-focus-color - Focus ring of the close-newest button.
 */
export class XtreamErrorStack extends LitElement {
  static override styles = stackStyles;

  static override properties = {
    position: { reflect: true },
    max: { type: Number },
    duration: { type: Number },
    clock: { attribute: false },
  };

  /** Where the stack sits: top-start, top-center, top-end, bottom-start, bottom-center, bottom-end (default). */
  declare position: StackPosition;
  /** How many banners show at once; more wait until one closes. */
  declare max: number;
  /** Milliseconds before info, warnings and success notes hide by themselves. */
  declare duration: number;
  /** Time source of auto-hide (tests inject one). */
  declare clock: Clock;

  private readonly localize = new LocalizeController(this);
  private readonly items: Item[] = [];
  private hovered = false;
  private focused = false;

  private readonly onError = (event: Event) => {
    if (handled.has(event)) return;
    handled.add(event);
    this.show((event as XtreamErrorEvent).detail);
  };

  constructor() {
    super();
    this.position = 'bottom-end';
    this.max = 3;
    this.duration = 8000;
    this.clock = systemClock;
    this.addEventListener('xtream-dismiss', (event) => {
      // The banner hides once every listener had its say: look after dispatch (the path only exists during it).
      const banner = event.composedPath().find((node) => this.items.some((item) => item.banner === node)) as XtreamErrorBanner | undefined;
      if (banner) queueMicrotask(() => event.defaultPrevented || this.forget(banner));
    });
    this.addEventListener('pointerenter', () => this.setPaused('hover', true));
    this.addEventListener('pointerleave', () => this.setPaused('hover', false));
    this.addEventListener('focusin', () => this.setPaused('focus', true));
    this.addEventListener('focusout', (event) => {
      if (!this.contains(event.relatedTarget as Node | null) && !this.shadowRoot?.contains(event.relatedTarget as Node | null)) this.setPaused('focus', false);
    });
    this.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.composedPath().some((node) => (node as Element).localName === BANNER_TAG)) return;
      event.preventDefault();
      this.closeNewest();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('xtream-error', this.onError);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('xtream-error', this.onError);
    for (const item of this.items) this.stopTimer(item);
  }

  /** Banners the stack manages, oldest first (visible and waiting). */
  get banners(): XtreamErrorBanner[] {
    return this.items.map((item) => item.banner);
  }

  /**
   * Shows any banner input (a Diagnosis, an observation, an envelope, a code, a status). An identical
   * diagnosis already shown merges into it (×N). Returns the banner showing it.
   */
  show(input: unknown): XtreamErrorBanner {
    const diagnosis: Diagnosis = diagnose(input);
    const identity = diagnosisIdentity(diagnosis);
    const existing = this.items.find((item) => item.identity === identity);
    if (existing) {
      existing.banner.count = (existing.banner.count || 1) + 1;
      if (existing.remaining !== undefined) {
        this.stopTimer(existing);
        existing.remaining = this.duration;
        this.startTimer(existing);
      }
      return existing.banner;
    }
    const banner = document.createElement(BANNER_TAG) as XtreamErrorBanner;
    banner.diagnosis = diagnosis;
    banner.clock = this.clock;
    const item: Item = { banner, identity, remaining: AUTO_HIDE.has(diagnosis.severity) ? this.duration : undefined, startedAt: 0, timer: undefined };
    this.items.push(item);
    this.append(banner);
    this.applyCap();
    return banner;
  }

  /** Closes the newest visible banner (as its dismiss button would). */
  closeNewest(): void {
    const newest = [...this.items].reverse().find((item) => !item.banner.hidden);
    newest?.banner.dismiss('escape');
  }

  private forget(banner: XtreamErrorBanner): void {
    const index = this.items.findIndex((item) => item.banner === banner);
    if (index === -1) return;
    const [item] = this.items.splice(index, 1);
    this.stopTimer(item!);
    banner.remove();
    this.applyCap();
  }

  /** The newest `max` items show; older ones wait, hidden and silent, until one closes. */
  private applyCap(): void {
    const visibleFrom = Math.max(0, this.items.length - Math.max(1, this.max || 1));
    this.items.forEach((item, index) => {
      const visible = index >= visibleFrom;
      item.banner.hidden = !visible;
      item.banner.silent = !visible;
      if (visible) this.startTimer(item);
      else this.stopTimer(item);
    });
    this.requestUpdate();
  }

  private setPaused(why: 'hover' | 'focus', paused: boolean): void {
    if (why === 'hover') this.hovered = paused;
    else this.focused = paused;
    for (const item of this.items) {
      if (this.paused) this.stopTimer(item);
      else if (!item.banner.hidden) this.startTimer(item);
    }
  }

  private get paused(): boolean {
    return this.hovered || this.focused;
  }

  private startTimer(item: Item): void {
    if (item.remaining === undefined || item.timer !== undefined || this.paused) return;
    item.startedAt = this.clock.now();
    item.timer = this.clock.setTimeout(() => {
      item.timer = undefined;
      item.remaining = 0;
      if (!item.banner.dismiss('timeout')) item.remaining = undefined; // a listener kept it: it stays
    }, item.remaining);
  }

  /** Stops an item's timer, keeping the time it had left. */
  private stopTimer(item: Item): void {
    if (item.timer === undefined) return;
    this.clock.clearTimeout(item.timer);
    item.timer = undefined;
    if (item.remaining !== undefined) item.remaining = Math.max(0, item.remaining - (this.clock.now() - item.startedAt));
  }

  protected override render() {
    const t = this.localize.translator();
    return html`<section class="stack" part="base" aria-label=${t('xtream-ui:stack.label')} lang=${this.localize.lang} dir=${this.localize.dir}>
      <button type="button" class="close-newest" part="close-newest" tabindex=${this.items.length ? '0' : '-1'} @click=${() => this.closeNewest()}>
        ${t('xtream-ui:stack.closeNewest')}
      </button>
      <slot></slot>
    </section>`;
  }
}

/** Events some stack already showed (several stacks on a page show each error once). */
const handled = new WeakSet<Event>();

export { XtreamDismissEvent };
