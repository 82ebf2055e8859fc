import { setDefaultLocaleLoader, type LocaleFile, type LocaleLoader } from '../core/i18n.js';

type Chunk = () => Promise<{ default: Record<string, unknown> }>;

/**
 * Every language but English (which core bundles) as lazy chunks: one dynamic import per file, written out
 * so any bundler (Vite, Rollup, webpack, esbuild) splits them without a plugin.
 */
const chunks: Record<string, Record<LocaleFile, Chunk>> = {
  es: {
    ui: () => import('../locales/es/ui.json'),
    'errors-xtream': () => import('../locales/es/errors-xtream.json'),
    'errors-stalker': () => import('../locales/es/errors-stalker.json'),
    'errors-billing': () => import('../locales/es/errors-billing.json'),
    'errors-common': () => import('../locales/es/errors-common.json'),
  },
  fr: {
    ui: () => import('../locales/fr/ui.json'),
    'errors-xtream': () => import('../locales/fr/errors-xtream.json'),
    'errors-stalker': () => import('../locales/fr/errors-stalker.json'),
    'errors-billing': () => import('../locales/fr/errors-billing.json'),
    'errors-common': () => import('../locales/fr/errors-common.json'),
  },
  de: {
    ui: () => import('../locales/de/ui.json'),
    'errors-xtream': () => import('../locales/de/errors-xtream.json'),
    'errors-stalker': () => import('../locales/de/errors-stalker.json'),
    'errors-billing': () => import('../locales/de/errors-billing.json'),
    'errors-common': () => import('../locales/de/errors-common.json'),
  },
  it: {
    ui: () => import('../locales/it/ui.json'),
    'errors-xtream': () => import('../locales/it/errors-xtream.json'),
    'errors-stalker': () => import('../locales/it/errors-stalker.json'),
    'errors-billing': () => import('../locales/it/errors-billing.json'),
    'errors-common': () => import('../locales/it/errors-common.json'),
  },
  'pt-BR': {
    ui: () => import('../locales/pt-BR/ui.json'),
    'errors-xtream': () => import('../locales/pt-BR/errors-xtream.json'),
    'errors-stalker': () => import('../locales/pt-BR/errors-stalker.json'),
    'errors-billing': () => import('../locales/pt-BR/errors-billing.json'),
    'errors-common': () => import('../locales/pt-BR/errors-common.json'),
  },
  nl: {
    ui: () => import('../locales/nl/ui.json'),
    'errors-xtream': () => import('../locales/nl/errors-xtream.json'),
    'errors-stalker': () => import('../locales/nl/errors-stalker.json'),
    'errors-billing': () => import('../locales/nl/errors-billing.json'),
    'errors-common': () => import('../locales/nl/errors-common.json'),
  },
  pl: {
    ui: () => import('../locales/pl/ui.json'),
    'errors-xtream': () => import('../locales/pl/errors-xtream.json'),
    'errors-stalker': () => import('../locales/pl/errors-stalker.json'),
    'errors-billing': () => import('../locales/pl/errors-billing.json'),
    'errors-common': () => import('../locales/pl/errors-common.json'),
  },
  tr: {
    ui: () => import('../locales/tr/ui.json'),
    'errors-xtream': () => import('../locales/tr/errors-xtream.json'),
    'errors-stalker': () => import('../locales/tr/errors-stalker.json'),
    'errors-billing': () => import('../locales/tr/errors-billing.json'),
    'errors-common': () => import('../locales/tr/errors-common.json'),
  },
  ru: {
    ui: () => import('../locales/ru/ui.json'),
    'errors-xtream': () => import('../locales/ru/errors-xtream.json'),
    'errors-stalker': () => import('../locales/ru/errors-stalker.json'),
    'errors-billing': () => import('../locales/ru/errors-billing.json'),
    'errors-common': () => import('../locales/ru/errors-common.json'),
  },
  ar: {
    ui: () => import('../locales/ar/ui.json'),
    'errors-xtream': () => import('../locales/ar/errors-xtream.json'),
    'errors-stalker': () => import('../locales/ar/errors-stalker.json'),
    'errors-billing': () => import('../locales/ar/errors-billing.json'),
    'errors-common': () => import('../locales/ar/errors-common.json'),
  },
  hi: {
    ui: () => import('../locales/hi/ui.json'),
    'errors-xtream': () => import('../locales/hi/errors-xtream.json'),
    'errors-stalker': () => import('../locales/hi/errors-stalker.json'),
    'errors-billing': () => import('../locales/hi/errors-billing.json'),
    'errors-common': () => import('../locales/hi/errors-common.json'),
  },
};

/** Loads a locale file from the bundled lazy chunks. */
export const bundledLocaleLoader: LocaleLoader = async (lng, file) => {
  const chunk = chunks[lng]?.[file];
  if (!chunk) throw new Error(`no bundled locale ${lng}/${file}`);
  return (await chunk()).default;
};

let installed = false;

/** Makes the lazy chunks the loader of every i18n instance given none (bundler builds). */
export function useBundledLocales(): void {
  if (installed) return;
  installed = true;
  setDefaultLocaleLoader(bundledLocaleLoader);
}
