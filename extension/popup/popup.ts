/**
 * The toolbar popup: the active site — enable it (host permission for the portal and, in the same request,
 * the panel hosts its page talks to), or its panel hosts' state with reset — recent diagnoses, language.
 */
import browser, { type Tabs } from 'webextension-polyfill';
import { html, nothing, render } from 'lit';
import { describeEndpoint, isPanelEndpoint } from '../../core/endpoints.js';
import { originPattern, patternsCover } from '../shared/hosts.js';
import type { HostView, Overview } from '../shared/messages.js';
import { PAGE_CSS, pageI18n, renderHosts, renderLanguage, renderRecent, send, type T } from '../shared/page-ui.js';

const style = document.createElement('style');
style.textContent = `${PAGE_CSS} body { width: 380px; } `;
document.head.append(style);

/** The tab the popup is about: the active one, or `?tab=<id>` (for the options page and screenshots). */
async function targetTab(): Promise<Tabs.Tab | undefined> {
  const requested = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(requested) && requested > 0) return browser.tabs.get(requested).catch(() => undefined);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}

/**
 * The hosts the page requested panel endpoints from, read from its resource timing entries (activeTab).
 * Only origins leave the page: the URLs (with their credentials) are reduced inside it.
 */
async function panelOriginsOf(tab: Tabs.Tab): Promise<string[]> {
  if (tab.id === undefined) return [];
  try {
    const [result] = await browser.scripting.executeScript({
      target: { tabId: tab.id },
      func: () => performance.getEntriesByType('resource').map((entry) => entry.name),
    });
    const urls = Array.isArray(result?.result) ? (result.result as unknown[]).filter((url): url is string => typeof url === 'string') : [];
    const origins = new Set<string>();
    for (const url of urls) {
      if (!isPanelEndpoint(describeEndpoint(url))) continue;
      const pattern = originPattern(url);
      if (pattern) origins.add(pattern);
    }
    return [...origins];
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const tab = await targetTab();
  let overview = await send<Overview>({ type: 'overview', tabId: tab?.id });
  const { t, language } = await pageI18n(overview.resolvedLanguage);
  const site = tab?.url ? originPattern(tab.url) : undefined;
  const panelOrigins = tab && site && !patternsCover(overview.origins, tab.url) ? await panelOriginsOf(tab) : [];
  const app = document.getElementById('app')!;

  const refresh = async () => {
    overview = await send<Overview>({ type: 'overview', tabId: tab?.id });
    draw();
  };
  const reset = (host: string) => void send<HostView>({ type: 'reset-site', host }).then(refresh);
  const enable = () => {
    // Called straight from the click: permissions.request needs the user's gesture. Chrome closes the popup
    // when its prompt opens, so the background (told first) registers the scripts and reloads the tab.
    const origins = [site!, ...panelOrigins.filter((origin) => origin !== site)];
    if (tab?.id !== undefined) void send({ type: 'enable-site', tabId: tab.id, origins }).catch(() => undefined);
    browser.permissions.request({ origins }).then(
      () => refresh(),
      () => undefined,
    );
  };

  const draw = () => {
    const enabled = !!tab?.url && patternsCover(overview.origins, tab.url);
    const tabHosts = overview.hosts.filter((view) => overview.tab?.hosts.includes(view.host));
    const recent = overview.recent.filter((entry) => !overview.tab || entry.site === overview.tab.site).slice(-5);
    render(
      html`<h1>${t('name')}</h1>
        ${siteSection(t, enabled, tab, site, panelOrigins, tabHosts, language, enable, reset)}
        <h2>${t('recent.title')}</h2>
        ${renderRecent(recent, t, language)}
        ${renderLanguage(overview, t, (choice) => void send({ type: 'set-language', language: choice }).then(() => location.reload()))}
        <p><a href="#" @click=${(event: Event) => {
          event.preventDefault();
          void browser.runtime.openOptionsPage();
        }}>${t('popup.options')}</a></p>`,
      app,
    );
  };
  draw();
}

function siteSection(
  t: T,
  enabled: boolean,
  tab: Tabs.Tab | undefined,
  site: string | undefined,
  panelOrigins: readonly string[],
  hosts: readonly HostView[],
  language: string,
  enable: () => void,
  reset: (host: string) => void,
) {
  if (!tab?.url || !site) return html`<p class="hint">${t('popup.notAvailable')}</p>`;
  const siteName = new URL(tab.url).hostname;
  if (!enabled) {
    return html`<section class="site">
      <p><strong>${siteName}</strong></p>
      ${panelOrigins.length ? html`<p class="hint">${t('popup.panelHosts')}: ${panelOrigins.map((origin) => origin.replace(/^\w+:\/\/|\/\*$/g, '')).join(', ')}</p>` : nothing}
      <button type="button" class="primary enable" @click=${enable}>${t('popup.enable')}</button>
      <p class="hint">${t('popup.reloadHint')}</p>
    </section>`;
  }
  return html`<section class="site">
    <p><strong>${siteName}</strong> — ${t('popup.enabledHere')}</p>
    ${hosts.length ? renderHosts(hosts, t, language, reset) : html`<p class="hint">${t('popup.noPanelHosts')}</p>`}
  </section>`;
}

void main();
