import type { LocaleFile, LocaleLoader } from './i18n.js';

/**
 * Loads `locales/<lng>/<file>.json` over HTTP from `base` (the folder holding `locales/`):
 * beside the script-tag build, or `runtime.getURL('')` in the extension.
 */
export function fetchLocaleLoader(base: string | URL, fetchImpl: typeof fetch = (...args) => fetch(...args)): LocaleLoader {
  return async (lng: string, file: LocaleFile) => {
    const url = new URL(`locales/${encodeURIComponent(lng)}/${file}.json`, base);
    const response = await fetchImpl(url, { credentials: 'omit' });
    if (!response.ok) throw new Error(`locale ${lng}/${file}: HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
}
