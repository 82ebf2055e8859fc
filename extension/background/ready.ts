import browser from 'webextension-polyfill';
import { migrate } from '../shared/storage.js';

/** Storage migrated to the current schema: whatever reads storage first waits for it (once per worker). */
export const ready: Promise<unknown> = migrate(browser.storage.local).catch(() => undefined);
