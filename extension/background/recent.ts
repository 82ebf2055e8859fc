/**
 * The last 50 diagnoses (redacted), newest last, in storage.local. The background is the only writer, so
 * the list is read once per worker and kept in memory (every change is written through).
 */
import browser from 'webextension-polyfill';
import type { RecentEntry } from '../shared/messages.js';
import { RECENT_LIMIT, readRecent } from '../shared/storage.js';
import { ready } from './ready.js';

let queue: Promise<unknown> = Promise.resolve();
let cached: RecentEntry[] | undefined;

async function load(): Promise<RecentEntry[]> {
  await ready; // a list read before migration would overwrite the migrated one
  cached ??= readRecent((await browser.storage.local.get('recent')).recent);
  return cached;
}

/** Adds an entry, or replaces the one with the same id (a body that explained a status). */
export function remember(entry: RecentEntry): Promise<void> {
  const run = queue.then(async () => {
    const list = [...(await load())];
    const index = list.findIndex((candidate) => candidate.id === entry.id);
    if (index === -1) list.push(entry);
    else list[index] = entry;
    const next = list.slice(-RECENT_LIMIT);
    await browser.storage.local.set({ recent: next });
    cached = next;
  });
  queue = run.catch(() => undefined);
  return run;
}

export async function recentEntries(filter?: (entry: RecentEntry) => boolean): Promise<RecentEntry[]> {
  await queue;
  const list = [...(await load())];
  return filter ? list.filter(filter) : list;
}

export function clearRecent(): Promise<void> {
  const run = queue.then(async () => {
    await browser.storage.local.set({ recent: [] });
    cached = [];
  });
  queue = run.catch(() => undefined);
  return run;
}
