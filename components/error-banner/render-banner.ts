import { html, nothing, type TemplateResult } from 'lit';
import type { Diagnosis } from '../../core/types.js';
import type { Translate } from '../localize-controller.js';
import { supportCode } from '../report.js';
import { renderGuard, type GuardView } from './guard-notes.js';

export { countdownText, type GuardView } from './guard-notes.js';

export interface BannerRenderOptions {
  readonly lang: string;
  readonly dir?: 'ltr' | 'rtl';
  readonly theme?: 'light' | 'dark' | 'auto';
  readonly compact?: boolean;
  readonly expanded?: boolean;
  /** How many times the same diagnosis arrived (×N when above 1). */
  readonly count?: number;
  /** The copy button shows "Details copied". */
  readonly copied?: boolean;
  /** Prefix for ids, so several banners can share one shadow root. */
  readonly idPrefix?: string;
  readonly guard?: GuardView;
  readonly hideRetry?: boolean;
  readonly onDismiss?: () => void;
  readonly onRetry?: (anyway: boolean) => void;
  readonly onCopy?: () => void;
  readonly onToggle?: () => void;
  readonly onReset?: () => void;
}

/** Stroke icons: a circle (or a triangle for warnings) with its sign inside, and the dismiss cross. */
const ICON_PATHS: Record<string, string> = {
  error: 'M12 7v6m0 4v.01',
  warning: 'M12 9v4m0 4v.01',
  info: 'M12 11v6m0-10v.01',
  success: 'm7.5 12 3 3 6-6',
};
const DISMISS_PATH = 'M6 6l12 12M18 6 6 18';

const icon = (path: string, outline = '') =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d=${outline}></path><path d=${path}></path></svg>`;
const severityIcon = (severity: string) =>
  icon(ICON_PATHS[severity] ?? ICON_PATHS.error!, severity === 'warning' ? 'M10.3 3.9 2.4 17.6A2 2 0 0 0 4.1 20.6h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z' : 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Z');

function textOf(t: Translate, key: string): string | undefined {
  const value = t(key, { defaultValue: '' });
  return typeof value === 'string' && value ? value : undefined;
}

function solutionsOf(t: Translate, key: string): string[] {
  const value = t(`xtream-errors:${key}.solutions`, { returnObjects: true, defaultValue: [] }) as unknown;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function formatDate(ms: number, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

function accountFacts(diagnosis: Diagnosis, t: Translate, lang: string): string[] {
  const account = diagnosis.account;
  if (!account) return [];
  const facts: string[] = [];
  if (typeof account.expiresAt === 'number') {
    const date = formatDate(account.expiresAt, lang);
    facts.push(t(account.expired ? 'xtream-ui:account.expiredOn' : 'xtream-ui:account.expiresOn', { date }));
    if (!account.expired && typeof account.msLeft === 'number' && account.msLeft < 31 * 86_400_000) {
      facts.push(t('xtream-ui:account.daysLeft', { count: Math.max(1, Math.ceil(account.msLeft / 86_400_000)) }));
    }
  } else if (account.expiresAt === null) {
    facts.push(t('xtream-ui:account.neverExpires'));
  }
  if (typeof account.activeConnections === 'number' && typeof account.maxConnections === 'number') {
    facts.push(t('xtream-ui:account.connections', { count: account.activeConnections, max: account.maxConnections }));
  }
  if (account.trial) facts.push(t('xtream-ui:account.trial'));
  return facts;
}

function renderActions(diagnosis: Diagnosis, t: Translate, options: BannerRenderOptions): TemplateResult {
  const guard = options.guard;
  const retryable = diagnosis.severity !== 'success' && diagnosis.retry !== 'not-an-error' && !options.hideRetry;
  const hardStop = guard?.reason === 'hard-stop' || (!guard && diagnosis.definitive);
  const canTryAnyway = guard !== undefined && !guard.allowed && (guard.reason === 'threshold' || guard.reason === 'hard-stop') && !guard.ticket;
  const waiting = guard !== undefined && !guard.allowed && !canTryAnyway;
  const retry = (anyway: boolean) => () => {
    if (!anyway && waiting) return;
    options.onRetry?.(anyway);
  };
  return html`<div class="actions" part="actions">
    ${retryable && !hardStop && !canTryAnyway
      ? html`<button type="button" class="primary" part="retry-button" aria-disabled=${waiting ? 'true' : 'false'} @click=${retry(false)}>
          ${t('xtream-ui:banner.retry')}
        </button>`
      : nothing}
    ${retryable && canTryAnyway
      ? html`<button type="button" part="try-anyway-button" @click=${retry(true)}>${t('xtream-ui:guard.tryAnyway')}</button>`
      : nothing}
    ${guard?.reason === 'hard-stop' && options.onReset
      ? html`<button type="button" part="reset-button" @click=${() => options.onReset?.()}>${t('xtream-ui:guard.reset')}</button>`
      : nothing}
    ${diagnosis.severity !== 'success'
      ? html`<button type="button" part="copy-button" @click=${() => options.onCopy?.()}>
          ${options.copied ? t('xtream-ui:banner.copied') : t('xtream-ui:banner.copyDetails')}
        </button>`
      : nothing}
  </div>`;
}

/**
 * The banner as a lit-html template: pure, no element needed. `<xtream-error-banner>` renders it; so can the
 * extension's isolated world (where `customElements` is null) with lit-html `render()` into a shadow root
 * that adopts `bannerStyles`. Every server-supplied value is bound as text, never as markup.
 */
export function renderBanner(diagnosis: Diagnosis, t: Translate, options: BannerRenderOptions): TemplateResult {
  const id = options.idPrefix ?? 'xeb';
  const key = diagnosis.key;
  const severity = diagnosis.severity;
  const success = severity === 'success';
  const compact = Boolean(options.compact);
  const expanded = !compact || Boolean(options.expanded);
  const title = t(`xtream-errors:${key}.title`);
  const what = textOf(t, `xtream-errors:${key}.what`);
  const who = success ? undefined : textOf(t, `xtream-errors:${key}.who`);
  const solutions = success ? [] : solutionsOf(t, key);
  const facts = accountFacts(diagnosis, t, options.lang);
  const count = options.count && options.count > 1 ? options.count : 0;
  const theme = options.theme === 'light' || options.theme === 'dark' ? ` theme-${options.theme}` : '';
  const classes = `banner severity-${severity}${compact ? ' compact' : ''}${compact && expanded ? ' expanded' : ''}${theme}`;
  const code = html`<p class="code" part="code">
    ${diagnosis.known ? nothing : html`<span class="unknown" part="unknown">${t('xtream-ui:banner.unknownCode')}</span> · `}
    <code>${t('xtream-ui:banner.code', { code: supportCode(diagnosis) })}</code>
  </p>`;
  const toggle = compact
    ? html`<button type="button" class="toggle" part="expand-button" aria-expanded=${expanded ? 'true' : 'false'} aria-controls="${id}-details"
        @click=${() => options.onToggle?.()}>${expanded ? t('xtream-ui:banner.collapse') : t('xtream-ui:banner.expand')}</button>`
    : nothing;

  return html`<section class=${classes} part="base ${severity}" aria-labelledby="${id}-title" lang=${options.lang} dir=${options.dir ?? 'ltr'}>
    <span class="icon" part="icon">${severityIcon(severity)}</span>
    <div class="body" part="body">
      <div class="headline" part="headline">
        <p class="title" part="title" id="${id}-title"><span class="visually-hidden">${t(`xtream-ui:severity.${severity}`)}: </span>${title}${count
          ? html`<span class="count" part="count">${t('xtream-ui:banner.count', { count })}</span>`
          : nothing}</p>
        ${compact && !expanded && !success ? html`<span class="code" part="code"><code>${diagnosis.code}</code></span>` : nothing}
        ${toggle}
      </div>
      <div class="details" part="details" id="${id}-details" ?hidden=${!expanded}>
        ${what ? html`<p class="what" part="what">${what}</p>` : nothing}
        ${diagnosis.seen ? html`<p class="seen" part="seen">${diagnosis.seen}</p>` : nothing}
        ${facts.length ? html`<div class="account" part="account"><ul>${facts.map((fact) => html`<li part="account-fact">${fact}</li>`)}</ul></div>` : nothing}
        ${who ? html`<div class="who" part="who"><span class="label">${t('xtream-ui:banner.whoCanFix')}</span><p>${who}</p></div>` : nothing}
        ${diagnosis.serverMessage || diagnosis.details
          ? html`<div class="server" part="server">
              ${diagnosis.serverMessage
                ? html`<span class="label">${t('xtream-ui:banner.serverSaid')}</span><p class="server-message" part="server-message" dir=auto>${diagnosis.serverMessage}</p>`
                : nothing}
              ${diagnosis.details
                ? html`<span class="label">${t('xtream-ui:banner.additionalInfo')}</span><p class="server-details" part="server-details" dir="auto">${diagnosis.details}</p>`
                : nothing}
            </div>`
          : nothing}
        ${solutions.length
          ? html`<div class="solutions" part="solutions"><span class="label">${t('xtream-ui:banner.whatToDo')}</span>
              <ol>${solutions.map((solution) => html`<li part="solution">${solution}</li>`)}</ol></div>`
          : nothing}
        ${renderGuard(options.guard, t)}
        ${success ? nothing : code}
        ${success ? nothing : renderActions(diagnosis, t, options)}
      </div>
    </div>
    <button type="button" class="dismiss" part="dismiss-button" aria-label=${t('xtream-ui:banner.dismiss')} @click=${() => options.onDismiss?.()}>
      ${icon(DISMISS_PATH)}
    </button>
  </section>`;
}

/**
 * What shows when rendering itself failed: a clear, visible banner with the raw input as redacted text.
 * Takes ready-made strings so it can't fail the way the banner did.
 */
export function renderFallbackBanner(strings: { title: string; what: string; dismiss: string }, seen: string, options: Pick<BannerRenderOptions, 'lang' | 'dir' | 'idPrefix' | 'onDismiss'>): TemplateResult {
  const id = options.idPrefix ?? 'xeb';
  return html`<section class="banner severity-warning fallback" part="base warning fallback" aria-labelledby="${id}-title" lang=${options.lang} dir=${options.dir ?? 'ltr'}>
    <span class="icon" part="icon">${severityIcon('warning')}</span>
    <div class="body" part="body">
      <p class="title" part="title" id="${id}-title">${strings.title}</p>
      <div class="details" part="details">
        <p class="what" part="what">${strings.what}</p>
        ${seen ? html`<p class="seen" part="seen" >${seen}</p>` : nothing}
      </div>
    </div>
    <button type="button" class="dismiss" part="dismiss-button" aria-label=${strings.dismiss} @click=${() => options.onDismiss?.()}>${icon(DISMISS_PATH)}</button>
  </section>`;
}
