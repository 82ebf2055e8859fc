/**
 * What the popup and the options page share (extension pages: they have `customElements`, so they use the
 * real <xtream-error-banner> and the same locales as the banners in pages).
 */
import browser from 'webextension-polyfill';
import { html, nothing, type TemplateResult } from 'lit';
import { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import { configureI18n, resolveLanguage, SUPPORTED_LANGUAGES, type XtreamI18n } from '../../core/i18n.js';
import { fetchLocaleLoader } from '../../core/locale-loaders.js';
import type { HostView, Overview, RecentEntry, Request } from './messages.js';

export function send<T>(message: Request): Promise<T> {
  return browser.runtime.sendMessage(message) as Promise<T>;
}

export type T = (key: string, options?: Record<string, unknown>) => string;

const EXTENSION_NS = 'xtream-extension';

/**
 * Strings of the extension's own pages: locales/<lng>/extension.json, beside errors and ui, in the one i18n
 * instance the page's <xtream-error-banner>s use (its own namespace; each file is fetched once).
 */
export async function pageI18n(language: string): Promise<{ t: T; language: string; i18n: XtreamI18n }> {
  const loader = fetchLocaleLoader(browser.runtime.getURL(''));
  const i18n = configureI18n({ loader, lng: language });
  // Not components/define.ts: it bundles every language; here locales load from the extension's own files.
  if (!customElements.get('xtream-error-banner')) customElements.define('xtream-error-banner', XtreamErrorBanner);
  const [resolved, english] = await Promise.all([i18n.setLanguage(language), loader('en', 'extension' as never)]);
  i18n.i18next.addResourceBundle('en', EXTENSION_NS, english, true, true);
  if (resolved !== 'en') {
    const own = await loader(resolved, 'extension' as never).catch(() => undefined);
    if (own) i18n.i18next.addResourceBundle(resolved, EXTENSION_NS, own, true, true);
  }
  const fixed = i18n.i18next.getFixedT(resolved);
  const t: T = (key, options) => fixed(`${EXTENSION_NS}:${key}`, options) as string;
  document.documentElement.lang = resolved;
  document.documentElement.dir = i18n.dir(resolved);
  return { t, language: resolved, i18n };
}

export function formatTime(ms: number, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}

export function hostState(view: HostView, t: T, language: string): string {
  if (view.level === 'blocked' && view.reason === 'hard-stop') return t('state.hardStop');
  if (view.level === 'blocked') return view.retryAt ? `${t('state.blocked')} — ${t('state.until', { time: formatTime(view.retryAt, language) })}` : t('state.blocked');
  if (view.failures > 0) return t('state.failures', { count: view.failures });
  return t('state.ok');
}

export function renderHosts(views: readonly HostView[], t: T, language: string, onReset: (host: string) => void): TemplateResult {
  return html`<ul class="hosts">
    ${views.map(
      (view) => html`<li class="host level-${view.level}" data-host=${view.host}>
        <span class="name">${view.host}</span>
        <span class="state">${hostState(view, t, language)}</span>
        ${view.failures > 0 || view.level !== 'ok'
          ? html`<button type="button" class="reset" @click=${() => {
              if (confirm(t('state.confirmReset', { host: view.host }))) onReset(view.host);
            }}>${t('state.reset')}</button>`
          : nothing}
      </li>`,
    )}
  </ul>`;
}

export function renderRecent(entries: readonly RecentEntry[], t: T, language: string): TemplateResult {
  if (!entries.length) return html`<p class="empty">${t('recent.empty')}</p>`;
  return html`<ol class="recent">
    ${[...entries].reverse().map(
      (entry) => html`<li>
        <p class="meta">${formatTime(entry.at, language)} · ${entry.site} → ${entry.host}</p>
        <xtream-error-banner compact silent lang=${language} .diagnosis=${entry.diagnosis}></xtream-error-banner>
      </li>`,
    )}
  </ol>`;
}

export function renderLanguage(overview: Overview, t: T, onChange: (language: string | null) => void): TemplateResult {
  return html`<label class="language">${t('options.language')}
    <select @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value || null)}>
      <option value="" ?selected=${!overview.language}>${t('options.browserLanguage')}</option>
      ${SUPPORTED_LANGUAGES.map(
        (language) => html`<option value=${language.code} ?selected=${overview.language !== null && resolveLanguage(overview.language) === language.code}>${language.name}</option>`,
      )}
    </select>
  </label>`;
}

export const PAGE_CSS = `
  :root { color-scheme: light dark; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; padding: 12px 14px; }
  h1 { font-size: 1.05rem; margin: 0 0 .6rem; }
  h2 { font-size: .95rem; margin: 1rem 0 .4rem; }
  button { font: inherit; padding: .35rem .7rem; border-radius: .4rem; border: 1px solid #8c959f; background: ButtonFace; color: ButtonText; cursor: pointer; }
  button.primary { background: #0969da; color: #fff; border-color: #0969da; }
  ul, ol { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
  .host { display: grid; grid-template-columns: 1fr auto; gap: .2rem .6rem; align-items: center; padding: .4rem .55rem; border-radius: .4rem; border: 1px solid #d0d7de; }
  .host .state { grid-column: 1; font-size: .9em; }
  .host .reset { grid-column: 2; grid-row: 1 / span 2; }
  .level-warning { border-color: #bf8700; }
  .level-blocked { border-color: #cf222e; }
  .meta { margin: 0 0 .2rem; font-size: .8em; opacity: .75; }
  .empty, .hint { opacity: .8; }
  .language { display: flex; gap: .5rem; align-items: center; margin-top: 1rem; }
`;
