import { LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Diagnosis, Observation } from '../../core/types.js';
import type { LocaleFile, XtreamI18n } from '../../core/i18n.js';
import { errorFileOf } from '../../core/catalog.js';
import enUi from '../../locales/en/ui.json';
import { announce } from '../live-region.js';
import { LocalizeController, type Translate } from '../localize-controller.js';
import { systemClock, type Clock } from '../clock.js';
import { diagnose, diagnosisIdentity, summarize } from '../diagnose.js';
import { detailsReport } from '../report.js';
import { XtreamCopyEvent, XtreamDismissEvent, XtreamRetryEvent, type DismissReason } from '../events.js';
import { bannerStyles } from './error-banner.styles.js';
import { renderBanner, renderFallbackBanner } from './render-banner.js';
import { GuardBinding, type BannerGuard } from './guard-binding.js';


const envelopeConverter = {
  fromAttribute(value: string | null): unknown {
    if (value === null) return undefined;
    try {
      return JSON.parse(value);
    } catch {
      return value; // classify reads it as text (and shows it as unreadable if it must)
    }
  },
};

/**
 * @summary Explains one Xtream Codes, MAG/Stalker, Stream API or HTTP error — what happened, who can fix it,
 * what to do — in the viewer's language, with retry, copy-details and dismiss actions.
 *
 * Input, by precedence when several are set: `diagnosis`, `response`, `envelope`, `code`, `status`.
 * Language: its own `lang`, else the nearest ancestor's, else the one chosen with `setLanguage`, else the document's.
 * The banner is a landmark (`section`) named by its title; it announces itself through the shared live region
 * (assertive for errors, polite otherwise) unless `silent`. Escape dismisses the banner holding focus.
 *
 * @fires {XtreamDismissEvent} xtream-dismiss - Before hiding (dismiss button, Escape, auto-hide). Cancelable.
 * @fires {XtreamRetryEvent} xtream-retry - The person asked to try again (`anyway` past the flood guard's pause).
 * @fires {XtreamCopyEvent} xtream-copy - The redacted details report was copied (`report` holds it).
 *
 * @csspart base - The banner landmark (also carries the severity as a part: `error`, `warning`, `info`, `success`).
 * @csspart icon - The severity icon.
 * @csspart body - Everything between the icon and the dismiss button.
 * @csspart headline - The title line (title, count, compact code, expand button).
 * @csspart title - The title.
 * @csspart count - The ×N count of merged identical errors.
 * @csspart details - What happened, account facts, who can fix it, the server's words, solutions, code, actions.
 * @csspart what - What happened.
 * @csspart seen - The raw (redacted) input of an unreadable error.
 * @csspart account - The account facts (expiry, connections, trial).
 * @csspart account-fact - One account fact.
 * @csspart who - Who can fix it.
 * @csspart server - The server's own words.
 * @csspart server-message - The server's message (plain text).
 * @csspart server-details - The server's additional information (plain text).
 * @csspart solutions - The numbered solutions.
 * @csspart solution - One solution.
 * @csspart guard - What the flood guard says (attempts left, paused, blocked).
 * @csspart consequence - What "try anyway" will cost.
 * @csspart countdown - The time until retrying is possible again.
 * @csspart code - The code for support.
 * @csspart unknown - The "unrecognised code" note.
 * @csspart actions - The action buttons.
 * @csspart retry-button - Try again.
 * @csspart try-anyway-button - Try anyway (at the flood guard's pause).
 * @csspart reset-button - "I fixed it" (lifts the guard's hard stop).
 * @csspart copy-button - Copy details.
 * @csspart expand-button - Show or hide details (compact mode).
 * @csspart dismiss-button - Dismiss.
 *
 * @cssproperty --xeb-background - Background (default: a tint of the severity colour).
 * @cssproperty --xeb-color - Text colour.
 * @cssproperty --xeb-muted-color - Labels and the support code.
 * @cssproperty --xeb-border-color - Border colour.
 * @cssproperty --xeb-focus-color - Focus ring colour.
 * @cssproperty --xeb-error-color - Accent colour of errors.
 * @cssproperty --xeb-warning-color - Accent colour of warnings.
 * @cssproperty --xeb-info-color - Accent colour of information.
 * @cssproperty --xeb-success-color - Accent colour of "all is well".
 * @cssproperty --xeb-on-accent-color - Text on the accent colour (primary button, count).
 * @cssproperty --xeb-button-background - Button background.
 * @cssproperty --xeb-button-color - Button text colour.
 * @cssproperty --xeb-button-radius - Button corner radius.
 * @cssproperty --xeb-radius - Corner radius.
 * @cssproperty --xeb-shadow - Box shadow.
 * @cssproperty --xeb-gap - Space between icon, body and dismiss button.
 * @cssproperty --xeb-padding-block - Vertical padding.
 * @cssproperty --xeb-padding-inline - Horizontal padding.
 * @cssproperty --xeb-compact-padding-block - Vertical padding in compact mode.
 * @cssproperty --xeb-accent-width - Width of the severity stripe on the start edge.
 * @cssproperty --xeb-max-width - Maximum inline size.
 * @cssproperty --xeb-icon-size - Severity icon size.
 * @cssproperty --xeb-title-size - Title font size.
 * @cssproperty --xeb-title-weight - Title font weight.
 * @cssproperty --xeb-line-height - Line height.
 * @cssproperty --xeb-code-font - Font of codes and server text.
 */
export class XtreamErrorBanner extends LitElement {
  static override styles = bannerStyles;

  static override properties = {
    diagnosis: { attribute: false },
    response: { attribute: false },
    envelope: { converter: envelopeConverter },
    code: {},
    status: { type: Number },
    lang: { reflect: true },
    compact: { type: Boolean, reflect: true },
    expanded: { type: Boolean, reflect: true },
    theme: { reflect: true },
    count: { type: Number },
    silent: { type: Boolean },
    noRetry: { type: Boolean, attribute: 'no-retry' },
    guardKey: { attribute: 'guard-key' },
    guard: { attribute: false },
    clock: { attribute: false },
    i18n: { attribute: false },
    copied: { state: true },
  };

  /** A Diagnosis from `classify` (highest precedence). */
  declare diagnosis: Diagnosis | undefined;
  /** An observation `{ status, url, headers, body, error }`. */
  declare response: Observation | undefined;
  /** A Stream API envelope `{ error: { code, message, additional_info } }` (or its JSON in the attribute). */
  declare envelope: unknown;
  /** A log code, Stream API code, exception class, account status or HTTP status. */
  declare code: string | undefined;
  /** An HTTP status number. */
  declare status: number | undefined;
  /** One line (title, code) that expands to the full explanation. */
  declare compact: boolean;
  /** In compact mode: whether the details are shown. */
  declare expanded: boolean;
  /** `light`, `dark` or `auto` (follows prefers-color-scheme; the default). */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** How many identical errors this banner stands for (shown as ×N above 1). */
  declare count: number;
  /** Don't announce through the live region when shown (a gallery, a page that already said it). */
  declare silent: boolean;
  /** Hide the retry button. */
  declare noRetry: boolean;
  /** The flood guard key (the panel's host name); defaults to the diagnosis's endpoint host. */
  declare guardKey: string | undefined;
  /** A flood guard from `createFloodGuard()`: the banner shows attempts left, the countdown and "try anyway". */
  declare guard: BannerGuard | undefined;
  /** Time source for the countdown (tests inject one). */
  declare clock: Clock;
  /** An i18n instance for this banner alone; the shared one (`getI18n()`) otherwise. */
  declare i18n: XtreamI18n | undefined;
  declare private copied: boolean;

  private readonly localize = new LocalizeController(this);
  private current: Diagnosis | undefined;
  private failed: unknown;
  private announcedIdentity = '';
  /** Absent in the script-tag build, which has no flood guard to bind to (its size budget). */
  private readonly guardBinding = GuardBinding ? new GuardBinding(this, this.localize) : undefined;

  constructor() {
    super();
    this.compact = false;
    this.expanded = false;
    this.count = 1;
    this.silent = false;
    this.noRetry = false;
    this.copied = false;
    this.clock = systemClock;
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        this.dismiss('escape');
      }
    });
  }

  /** The Diagnosis being shown (after resolving the inputs). */
  get shown(): Diagnosis | undefined {
    if (this.hasUpdated && !this.isUpdatePending) return this.current;
    const input = this.input();
    return input === undefined ? undefined : diagnose(input);
  }

  /** The locale files this banner's words are in: the banner's own, and the error family of what it shows. */
  localeFiles(): readonly LocaleFile[] {
    return this.current ? ['ui', errorFileOf(this.current.key)] : ['ui'];
  }

  /** The language the banner renders in. */
  get language(): string {
    return this.localize.lang;
  }

  /** Hides the banner unless an `xtream-dismiss` listener cancels. Returns whether it hid. */
  dismiss(reason: DismissReason = 'api'): boolean {
    if (!this.dispatchEvent(new XtreamDismissEvent(this.current, reason))) return false;
    this.hidden = true;
    return true;
  }

  /** The redacted "copy details" report of what is shown. */
  report(): string {
    if (!this.current) return '';
    return detailsReport(this.current, this.localize.translator(), {
      now: this.clock.now(),
      lang: this.localize.lang,
      userAgent: typeof navigator !== 'undefined' ? navigator.userAgent : undefined,
    });
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.localize.ready;
    return super.getUpdateComplete();
  }

  private input(): unknown {
    if (this.diagnosis !== undefined && this.diagnosis !== null) return this.diagnosis;
    if (this.response !== undefined && this.response !== null) return this.response;
    if (this.envelope !== undefined && this.envelope !== null) return this.envelope;
    if (this.code !== undefined && this.code !== null && this.code !== '') return this.code;
    if (this.status !== undefined && this.status !== null && !Number.isNaN(this.status)) return this.status;
    return undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    try {
      if (changed.has('diagnosis') || changed.has('response') || changed.has('envelope') || changed.has('code') || changed.has('status') || !this.hasUpdated) {
        const input = this.input();
        this.failed = undefined;
        this.current = input === undefined ? undefined : diagnose(input);
        this.copied = false;
      }
      this.guardBinding?.bind(this.guard, this.guardKey || this.current?.endpoint?.host);
    } catch (error) {
      this.failed = error;
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.failed === undefined && !this.current) return nothing;
    try {
      if (this.failed !== undefined) throw this.failed;
      const diagnosis = this.current!;
      return renderBanner(diagnosis, this.localize.translator(), {
        lang: this.localize.lang,
        dir: this.localize.dir,
        theme: this.theme,
        compact: this.compact,
        expanded: this.expanded,
        count: this.count,
        copied: this.copied,
        hideRetry: this.noRetry,
        guard: this.guardBinding?.view(),
        onDismiss: () => this.dismiss('button'),
        onRetry: (anyway) => void this.retry(anyway),
        onCopy: () => void this.copy(),
        onToggle: () => {
          this.expanded = !this.expanded;
        },
        onReset: () => void this.resetGuard(),
      });
    } catch (error) {
      this.failed = error;
      return this.renderFallback();
    }
  }

  private renderFallback(): TemplateResult {
    let strings = { title: enUi.fallback.title, what: enUi.fallback.what, dismiss: enUi.banner.dismiss };
    let lang = 'en';
    try {
      const t = this.localize.translator();
      strings = { title: t('xtream-ui:fallback.title'), what: t('xtream-ui:fallback.what'), dismiss: t('xtream-ui:banner.dismiss') };
      lang = this.localize.lang;
    } catch {
      /* English it is */
    }
    return renderFallbackBanner(strings, summarize(this.input()), { lang, dir: lang === 'en' ? 'ltr' : this.localize.dir, onDismiss: () => this.dismiss('button') });
  }

  protected override updated(): void {
    const diagnosis = this.current;
    if (!diagnosis || this.silent || this.hidden || !this.isConnected) return;
    const identity = diagnosisIdentity(diagnosis);
    if (identity === this.announcedIdentity) return;
    this.announcedIdentity = identity;
    void this.localize.ready.then(() => {
      try {
        const t = this.localize.translator();
        const message = `${t(`xtream-ui:severity.${diagnosis.severity}`)}: ${t(`xtream-errors:${diagnosis.key}.title`)}`;
        return announce(message, diagnosis.severity === 'error' ? 'assertive' : 'polite', this.localize.lang);
      } catch {
        return undefined;
      }
    });
  }

  private async retry(anyway: boolean): Promise<void> {
    if (anyway) await this.guardBinding?.allowOnce();
    this.dispatchEvent(new XtreamRetryEvent(this.current, anyway));
  }

  private async copy(): Promise<void> {
    const report = this.report();
    if (!report) return;
    try {
      await navigator.clipboard.writeText(report);
    } catch {
      /* no clipboard (permissions, insecure context): the event still carries the report */
    }
    this.copied = true;
    this.dispatchEvent(new XtreamCopyEvent(this.current, report));
    void announce(this.localize.translator()('xtream-ui:banner.copied'), 'polite', this.localize.lang);
  }

  private async resetGuard(): Promise<void> {
    await this.guardBinding?.reset();
  }
}

export type { Translate, BannerGuard };
