/**
 * Content scripts follow host permissions: on install, startup and permissions.onAdded/onRemoved the two
 * scripts are (re)registered for exactly the granted origins — however they were granted.
 */
import browser from 'webextension-polyfill';

export const MAIN_WORLD_SCRIPT = 'xtream-error-ux-tap';
export const ISOLATED_WORLD_SCRIPT = 'xtream-error-ux-banners';

/** The http(s) origins the extension holds: the enabled sites and their panel hosts. */
export async function grantedOrigins(): Promise<string[]> {
  const { origins = [] } = await browser.permissions.getAll();
  return origins.filter((origin) => /^(?:\*|https?):\/\//.test(origin) || origin === '<all_urls>');
}

let queue: Promise<unknown> = Promise.resolve();

/** Registers both scripts for the granted origins (or none). Serialized: events can arrive together. */
export function syncContentScripts(): Promise<void> {
  const run = queue.then(async () => {
    const matches = await grantedOrigins();
    const registered = await browser.scripting.getRegisteredContentScripts({ ids: [MAIN_WORLD_SCRIPT, ISOLATED_WORLD_SCRIPT] });
    if (registered.length) await browser.scripting.unregisterContentScripts({ ids: registered.map((script) => script.id) });
    if (!matches.length) return;
    await browser.scripting.registerContentScripts([
      { id: MAIN_WORLD_SCRIPT, js: ['page/tap.js'], matches, runAt: 'document_start', allFrames: true, world: 'MAIN', persistAcrossSessions: true },
      { id: ISOLATED_WORLD_SCRIPT, js: ['content/banners.js'], matches, runAt: 'document_start', allFrames: true, persistAcrossSessions: true },
    ]);
  });
  queue = run.catch(() => undefined);
  return run;
}
