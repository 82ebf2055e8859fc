/**
 * The background (Chrome: service worker; Firefox: event page). Every listener is registered synchronously
 * at the top level so a stopped worker wakes for it; all state lives in storage, none in globals that matter.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { LOCALE_FILES as CORE_LOCALE_FILES, SUPPORTED_LANGUAGES } from '../../core/i18n.js';
import { TEST_BUILD } from '../shared/build-flags.js';
import type { FloodStatus } from '../../core/flood-guard.js';
import type { HelloReply, HostView, Overview, Push, Request, TapReply } from '../shared/messages.js';
import { FLOOD_PREFIX, TRUSTED_PREFIX } from '../shared/storage.js';
import { grantedOrigins, syncContentScripts } from './content-scripts.js';
import { expectGrant, onGranted } from './enable.js';
import { floodStore, guard, viewOf } from './guard.js';
import { chosenLanguage, effectiveLanguage } from './language.js';
import { OBSERVED_FILTER, onErrorOccurred, onHeadersReceived, onTapReport } from './observe.js';
import { clearRecent, recentEntries } from './recent.js';
import { forgetBadge, isUnblockAlarm, onUnblockAlarm, onViewsChanged, reconcile } from './rules.js';
import { allTabs, forgetAllTabs, forgetTab, tabInfo } from './tabs.js';
import { ready } from './ready.js';

function quietly<A extends unknown[]>(handler: (...args: A) => Promise<unknown>): (...args: A) => void {
  return (...args) => {
    handler(...args).catch((error: unknown) => console.warn('xtream-error-ux:', error instanceof Error ? error.message : 'error'));
  };
}


async function start(): Promise<void> {
  await ready;
  await syncContentScripts();
  await reconcile();
}

browser.runtime.onInstalled.addListener(quietly(start));
if (TEST_BUILD) {
  // Test builds open an extension page the e2e harness can drive (Firefox's BiDi can't navigate to one).
  browser.runtime.onInstalled.addListener(quietly(() => browser.tabs.create({ url: browser.runtime.getURL('options/options.html?e2e'), active: false })));
}
browser.runtime.onStartup.addListener(quietly(start));
// A worker woken by any event rebuilds rules, alarms and the ticket listener from storage once.
void ready.then(() => reconcile()).catch(() => undefined);
browser.permissions.onAdded.addListener(
  quietly(async () => {
    await syncContentScripts();
    await onGranted();
  }),
);
browser.permissions.onRemoved.addListener(quietly(syncContentScripts));
browser.alarms.onAlarm.addListener(quietly(async (alarm) => (isUnblockAlarm(alarm.name) ? onUnblockAlarm(alarm.name) : undefined)));
browser.tabs.onRemoved.addListener(quietly(forgetTab));

// Statuses are read at onHeadersReceived (live streams never complete, and the sooner a failure is counted the
// sooner the rule holds the next retry); onErrorOccurred brings network failures and our own blocks. Every
// listener costs each observed request a hop through the browser process, so there are no others.
browser.webRequest.onHeadersReceived.addListener(
  (details) => {
    onHeadersReceived(details)?.catch((error: unknown) => console.warn('xtream-error-ux:', error instanceof Error ? error.message : 'error'));
  },
  OBSERVED_FILTER,
  ['responseHeaders'],
);
browser.webRequest.onErrorOccurred.addListener(quietly(onErrorOccurred), OBSERVED_FILTER);

/** Sends each tab that talks to a changed host its hosts' views; resolves once every tab has them. */
async function pushViews(views: ReadonlyMap<string, HostView>, changed: ReadonlySet<string>): Promise<void> {
  const sends: Array<Promise<unknown>> = [];
  for (const [tabId, info] of await allTabs()) {
    if (!info.hosts.some((host) => changed.has(host))) continue;
    const hosts = info.hosts.map((host) => views.get(host)).filter((view) => view !== undefined);
    const message: Push = { type: 'hosts', hosts };
    // Bounded: a tab that doesn't answer (busy, or no content script) must not hold up the rules.
    sends.push(Promise.race([browser.tabs.sendMessage(tabId, message).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))]));
  }
  await Promise.all(sends);
}

/** Hosts whose view changed are pushed to the tabs that talk to them (banners' countdowns, the tap's gate). */
onViewsChanged((views, changed) => {
  if (changed.size) void pushViews(views, changed);
});

/**
 * A person's ticket ("try anyway", or a reset at a pause): the pages' taps learn it *before* the session rule
 * is lifted, so a player's parallel retries queue behind the one request the ticket is for instead of all
 * going through in the moment the rule is down.
 */
async function grantTicket(host: string, grant: () => Promise<FloodStatus>): Promise<HostView> {
  const view = viewOf(await grant());
  await pushViews(new Map([[host, view]]), new Set([host]));
  await reconcile();
  return viewOf(await guard.check(host));
}

const LOCALE_FILES = new Set<string>([...CORE_LOCALE_FILES, 'extension']);

async function handle(message: Request, sender: Runtime.MessageSender): Promise<unknown> {
  await ready;
  const tabId = sender.tab?.id;
  switch (message?.type) {
    case 'hello': {
      if (tabId === undefined) return undefined;
      if (sender.frameId === 0) {
        forgetBadge(tabId);
        void reconcile();
      }
      const info = await tabInfo(tabId);
      const hosts = await Promise.all((info?.hosts ?? []).map(async (host) => viewOf(await guard.check(host))));
      const entries = await recentEntries((entry) => !!info && entry.site === info.site && info.hosts.includes(entry.host) && hosts.some((view) => view.host === entry.host && view.level === 'blocked'));
      const reply: HelloReply = { language: await effectiveLanguage(), hosts, entries: entries.slice(-1) };
      return reply;
    }
    case 'tap': {
      if (tabId === undefined || !message.report) return undefined;
      const reply: TapReply = { hosts: await onTapReport(tabId, sender.url, message.report) };
      return reply;
    }
    case 'locale': {
      if (!SUPPORTED_LANGUAGES.some((language) => language.code === message.lng) || !LOCALE_FILES.has(message.file)) return undefined;
      const response = await fetch(browser.runtime.getURL(`locales/${message.lng}/${message.file}.json`));
      return response.ok ? ((await response.json()) as unknown) : undefined;
    }
    case 'try-anyway': {
      const host = String(message.host);
      return grantTicket(host, () => guard.allowOnce(host));
    }
    case 'reset-site': {
      const host = String(message.host);
      return grantTicket(host, () => guard.reset(host));
    }
    case 'overview': {
      const snapshot = await guard.snapshot();
      const info = message.tabId === undefined ? undefined : await tabInfo(message.tabId);
      const overview: Overview = {
        language: await chosenLanguage(),
        resolvedLanguage: await effectiveLanguage(),
        origins: await grantedOrigins(),
        hosts: Object.values(snapshot).map(viewOf),
        recent: await recentEntries(),
        tab: info ? { site: info.site, hosts: [...info.hosts] } : undefined,
      };
      return overview;
    }
    case 'set-language': {
      const language = message.language && SUPPORTED_LANGUAGES.some((entry) => entry.code === message.language) ? message.language : null;
      await browser.storage.local.set({ settings: { language } });
      const push: Push = { type: 'language', language: await effectiveLanguage() };
      for (const [id] of await allTabs()) await browser.tabs.sendMessage(id, push).catch(() => undefined);
      return push.language;
    }
    case 'enable-site':
      // Only from our own pages (the popup), never from a content script.
      if (!sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
      await expectGrant(message.tabId, message.origins);
      return true;
    case 'clear-recent':
      await clearRecent();
      return true;
    case 'test:forget-all': {
      if (!TEST_BUILD) return undefined;
      const all = await browser.storage.local.get(null);
      await browser.storage.local.remove(Object.keys(all).filter((key) => key.startsWith(FLOOD_PREFIX) || key.startsWith(TRUSTED_PREFIX)));
      floodStore.forget();
      await clearRecent();
      await forgetAllTabs();
      await reconcile();
      return true;
    }
    default:
      return undefined;
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  // Only our own contexts: content scripts of granted pages, the popup and the options page.
  if (sender.id !== browser.runtime.id) return undefined;
  return handle(message as Request, sender);
});
