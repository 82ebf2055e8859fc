import { setDefaultLocaleLoader, type LocaleFile, type LocaleLoader } from '../core/i18n.js';

type Chunk = () => Promise<{ default: Record<string, unknown> }>;

/**
 * Every language but English (which core bundles) as lazy chunks: one dynamic import per file, written out
 * so any bundler (Vite, Rollup, webpack, esbuild) splits them without a plugin.
 */
const chunks: Record<string, Record<LocaleFile, Chunk>> = {
  es: { errors: () => import('../locales/es/errors.json'), ui: () => import('../locales/es/ui.json') },
  fr: { errors: () => import('../locales/fr/errors.json'), ui: () => import('../locales/fr/ui.json') },
  de: { errors: () => import('../locales/de/errors.json'), ui: () => import('../locales/de/ui.json') },
  it: { errors: () => import('../locales/it/errors.json'), ui: () => import('../locales/it/ui.json') },
  'pt-BR': { errors: () => import('../locales/pt-BR/errors.json'), ui: () => import('../locales/pt-BR/ui.json') },
  nl: { errors: () => import('../locales/nl/errors.json'), ui: () => import('../locales/nl/ui.json') },
  pl: { errors: () => import('../locales/pl/errors.json'), ui: () => import('../locales/pl/ui.json') },
  tr: { errors: () => import('../locales/tr/errors.json'), ui: () => import('../locales/tr/ui.json') },
  ru: { errors: () => import('../locales/ru/errors.json'), ui: () => import('../locales/ru/ui.json') },
  ar: { errors: () => import('../locales/ar/errors.json'), ui: () => import('../locales/ar/ui.json') },
  hi: { errors: () => import('../locales/hi/errors.json'), ui: () => import('../locales/hi/ui.json') },
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
