/**
 * Which panel hosts each tab talks to (seen by webRequest), in `storage.session` so a stopped service
 * worker forgets nothing while the browser runs. This is what "that page's panel hosts" means: a tap
 * report about any other host is dropped.
 */
import browser from 'webextension-polyfill';

export interface TabInfo {
  readonly site: string;
  readonly hosts: readonly string[];
}

type TabMap = Record<string, TabInfo>;

let cache: TabMap | undefined;
let queue: Promise<unknown> = Promise.resolve();
const waiters = new Set<() => void>();

async function load(): Promise<TabMap> {
  if (!cache) {
    const { tabs } = await browser.storage.session.get('tabs');
    cache = tabs && typeof tabs === 'object' ? { ...(tabs as TabMap) } : {};
  }
  return cache;
}

function write(change: (tabs: TabMap) => boolean): Promise<void> {
  const run = queue.then(async () => {
    const tabs = await load();
    if (change(tabs)) await browser.storage.session.set({ tabs });
    for (const wake of [...waiters]) wake();
  });
  queue = run.catch(() => undefined);
  return run;
}

export async function tabInfo(tabId: number): Promise<TabInfo | undefined> {
  return (await load())[String(tabId)];
}

export async function allTabs(): Promise<Array<[number, TabInfo]>> {
  return Object.entries(await load()).map(([id, info]) => [Number(id), info]);
}

/** Whether this tab is already known to use `host` on `site` (memory only: false when not loaded yet). */
export function tabKnows(tabId: number, site: string, host: string): boolean {
  const known = cache?.[String(tabId)];
  return !!known && known.site === site && known.hosts.includes(host);
}

export function noteTabHost(tabId: number, site: string, host: string): Promise<void> {
  const known = cache?.[String(tabId)];
  if (known && known.site === site && known.hosts.includes(host)) return Promise.resolve();
  return write((tabs) => {
    const current = tabs[String(tabId)];
    if (current && current.site === site && current.hosts.includes(host)) return false;
    const hosts = current && current.site === site ? [...current.hosts, host] : [host];
    tabs[String(tabId)] = { site, hosts };
    return true;
  });
}

export function forgetTab(tabId: number): Promise<void> {
  return write((tabs) => {
    if (!(String(tabId) in tabs)) return false;
    delete tabs[String(tabId)];
    return true;
  });
}

export function forgetAllTabs(): Promise<void> {
  return write((tabs) => {
    for (const key of Object.keys(tabs)) delete tabs[key];
    return true;
  });
}

/** Waits (briefly) until webRequest has seen `host` from `tabId`: a tap report can overtake its request's event. */
export async function waitForTabHost(tabId: number, host: string, timeoutMs: number): Promise<boolean> {
  const has = async () => !!(await tabInfo(tabId))?.hosts.includes(host);
  if (await has()) return true;
  return new Promise<boolean>((resolve) => {
    const wake = () => {
      void has().then((yes) => {
        if (yes) finish(true);
      });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(value: boolean) {
      clearTimeout(timer);
      waiters.delete(wake);
      resolve(value);
    }
    waiters.add(wake);
  });
}
