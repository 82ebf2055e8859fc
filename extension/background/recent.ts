/** The last 50 diagnoses (redacted), newest last, in storage.local. */
import browser from 'webextension-polyfill';
import type { RecentEntry } from '../shared/messages.js';
import { RECENT_LIMIT, readRecent } from '../shared/storage.js';

let queue: Promise<unknown> = Promise.resolve();

/** Adds an entry, or replaces the one with the same id (a body that explained a status). */
export function remember(entry: RecentEntry): Promise<void> {
  const run = queue.then(async () => {
    const list = readRecent((await browser.storage.local.get('recent')).recent);
    const index = list.findIndex((candidate) => candidate.id === entry.id);
    if (index === -1) list.push(entry);
    else list[index] = entry;
    await browser.storage.local.set({ recent: list.slice(-RECENT_LIMIT) });
  });
  queue = run.catch(() => undefined);
  return run;
}

export async function recentEntries(filter?: (entry: RecentEntry) => boolean): Promise<RecentEntry[]> {
  await queue;
  const list = readRecent((await browser.storage.local.get('recent')).recent);
  return filter ? list.filter(filter) : list;
}

export function clearRecent(): Promise<void> {
  const run = queue.then(() => browser.storage.local.set({ recent: [] }));
  queue = run.catch(() => undefined);
  return run;
}
