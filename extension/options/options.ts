/**
 * Options: the enabled sites — exactly the host permissions held — with revoke; every panel host's state
 * with reset (confirmed first); the recent diagnoses (redacted, last 50); the language.
 */
import browser from 'webextension-polyfill';
import { html, render } from 'lit';
import type { HostView, Overview } from '../shared/messages.js';
import { PAGE_CSS, pageI18n, renderHosts, renderLanguage, renderRecent, send } from '../shared/page-ui.js';

const style = document.createElement('style');
style.textContent = `${PAGE_CSS} main { max-width: 46rem; margin: 0 auto; } .sites li { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }`;
document.head.append(style);

async function main(): Promise<void> {
  let overview = await send<Overview>({ type: 'overview' });
  const { t, language } = await pageI18n(overview.resolvedLanguage);
  const app = document.getElementById('app')!;
  document.title = t('options.title');

  const refresh = async () => {
    overview = await send<Overview>({ type: 'overview' });
    draw();
  };
  const reset = (host: string) => void send<HostView>({ type: 'reset-site', host }).then(refresh);
  const revoke = (origin: string) => void browser.permissions.remove({ origins: [origin] }).then(refresh);

  const draw = () => {
    render(
      html`<h1>${t('options.title')}</h1>
        <h2>${t('options.sites')}</h2>
        ${overview.origins.length
          ? html`<ul class="sites">
              ${overview.origins.map(
                (origin) => html`<li><span>${origin}</span><button type="button" class="revoke" @click=${() => revoke(origin)}>${t('options.revoke')}</button></li>`,
              )}
            </ul>`
          : html`<p class="empty">${t('options.noSites')}</p>`}
        <h2>${t('options.hosts')}</h2>
        ${overview.hosts.length ? renderHosts(overview.hosts, t, language, reset) : html`<p class="empty">${t('state.ok')}</p>`}
        <h2>${t('recent.title')}</h2>
        ${overview.recent.length
          ? html`<button type="button" @click=${() => void send({ type: 'clear-recent' }).then(refresh)}>${t('recent.clear')}</button>`
          : ''}
        ${renderRecent(overview.recent, t, language)}
        ${renderLanguage(overview, t, (choice) => void send({ type: 'set-language', language: choice }).then(() => location.reload()))}`,
      app,
    );
  };
  draw();
  browser.storage.onChanged.addListener(() => void refresh());
}

void main();
