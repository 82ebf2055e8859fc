/**
 * "Enable on this site" finishes here, not in the popup: Chrome closes the popup as soon as its permission
 * prompt takes the focus, so the popup never learns the answer. Before asking, the popup tells the background
 * which tab and origins it asks for; once the grant is there (permissions.onAdded, or already there when
 * the message arrives) the content scripts are registered and that tab is reloaded — once.
 * The pending request lives in `storage.session` (a prompt can stay open longer than a worker lives).
 */
import browser from 'webextension-polyfill';
import { syncContentScripts } from './content-scripts.js';

const PENDING_KEY = 'pendingEnable';
/** A prompt left open longer than this is forgotten (the grant still works; the tab just isn't reloaded). */
const PENDING_MS = 10 * 60_000;
const ORIGIN = /^https?:\/\/[^/*]+\/\*$/;

interface PendingEnable {
  readonly tabId: number;
  readonly origins: readonly string[];
  readonly at: number;
}

let queue: Promise<unknown> = Promise.resolve();
function serialized(task: () => Promise<void>): Promise<void> {
  const run = queue.then(task);
  queue = run.catch(() => undefined);
  return run;
}

async function settle(): Promise<void> {
  const { [PENDING_KEY]: stored } = await browser.storage.session.get(PENDING_KEY);
  const pending = stored as PendingEnable | undefined;
  if (!pending) return;
  if (Date.now() - pending.at > PENDING_MS) {
    await browser.storage.session.remove(PENDING_KEY);
    return;
  }
  if (!(await browser.permissions.contains({ origins: [...pending.origins] }))) return;
  await browser.storage.session.remove(PENDING_KEY);
  await syncContentScripts();
  await browser.tabs.reload(pending.tabId).catch(() => undefined);
}

/** The popup is about to ask for `origins` for the page in `tabId`. */
export function expectGrant(tabId: unknown, origins: unknown): Promise<void> {
  if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) return Promise.resolve();
  if (!Array.isArray(origins) || !origins.length || origins.length > 20 || !origins.every((origin) => typeof origin === 'string' && ORIGIN.test(origin))) {
    return Promise.resolve();
  }
  const pending: PendingEnable = { tabId, origins: origins as string[], at: Date.now() };
  return serialized(async () => {
    await browser.storage.session.set({ [PENDING_KEY]: pending });
    await settle();
  });
}

/** permissions.onAdded: finishes a pending "Enable on this site". */
export function onGranted(): Promise<void> {
  return serialized(settle);
}
