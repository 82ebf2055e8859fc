/** The language banners, popup and options use: the person's choice, else the browser's. */
import browser from 'webextension-polyfill';
import { resolveLanguage } from '../../core/i18n.js';
import { readSettings } from '../shared/storage.js';

export async function chosenLanguage(): Promise<string | null> {
  return readSettings((await browser.storage.local.get('settings')).settings).language;
}

export async function effectiveLanguage(): Promise<string> {
  const chosen = await chosenLanguage();
  if (chosen) return resolveLanguage(chosen);
  let accepted: string[] = [];
  try {
    accepted = await browser.i18n.getAcceptLanguages();
  } catch {
    /* not available */
  }
  return resolveLanguage(accepted[0] ?? browser.i18n.getUILanguage());
}
