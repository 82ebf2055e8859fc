import i18next, { type i18n as I18next, type TFunction } from 'i18next';
import { ERROR_FILES, type ErrorFile } from './catalog.js';
import enXtream from '../locales/en/errors-xtream.json';
import enStalker from '../locales/en/errors-stalker.json';
import enBilling from '../locales/en/errors-billing.json';
import enCommon from '../locales/en/errors-common.json';
import enUi from '../locales/en/ui.json';
import languages from '../locales/index.json';

/** Our namespaces inside i18next, prefixed so a host's adopted instance keeps its own. */
export const NAMESPACES = { errors: 'xtream-errors', ui: 'xtream-ui' } as const;

/**
 * One file of a language: `ui` (the banner's own words) or one of the four error files, which all fill the
 * `xtream-errors` namespace. Each is a lazy chunk of its own.
 */
export type LocaleFile = 'ui' | ErrorFile;
export const LOCALE_FILES: readonly LocaleFile[] = ['ui', ...ERROR_FILES];
const namespaceOf = (file: LocaleFile) => (file === 'ui' ? NAMESPACES.ui : NAMESPACES.errors);

export interface LanguageInfo {
  readonly code: string;
  readonly name: string;
  readonly dir: 'ltr' | 'rtl';
}

export const SUPPORTED_LANGUAGES: readonly LanguageInfo[] = languages as LanguageInfo[];
export const SOURCE_LANGUAGE = 'en';

/**
 * Loads one locale file (`locales/<lng>/<file>.json`). Handed in by the host: a dynamic import for
 * bundlers, a fetch beside the script tag, `runtime.getURL` in the extension.
 */
export type LocaleLoader = (lng: string, file: LocaleFile) => Promise<Record<string, unknown>>;

export interface I18nOptions {
  /** Initial language (any BCP 47 tag; resolved to the nearest supported one). */
  lng?: string;
  loader?: LocaleLoader;
  /** Adopt the host's i18next instance instead of making a private one. */
  instance?: I18next;
}

export interface XtreamI18n {
  readonly i18next: I18next;
  /** The supported language in use. */
  readonly language: string;
  t: TFunction;
  /** Switches language, loading its files first (`files`, or all). Resolves to the language actually used. */
  setLanguage(lng: string | undefined | null, files?: readonly LocaleFile[]): Promise<string>;
  /**
   * Makes sure a language's files are loaded (without switching): `files`, or all of them. Resolves to the
   * language, or to English when a file could not be loaded.
   */
  load(lng: string, files?: readonly LocaleFile[]): Promise<string>;
  /** Whether a language's file is loaded — or failed to load, so English stands in (it is not tried again). */
  settled(lng: string, file: LocaleFile): boolean;
  dir(lng?: string): 'ltr' | 'rtl';
  /** Notified after every language change and every locale load. Returns an unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** The nearest supported language for a BCP 47 tag: `pt` → `pt-BR`, `es-MX` → `es`, unknown → `en`. */
export function resolveLanguage(tag: string | undefined | null): string {
  if (!tag || typeof tag !== 'string') return SOURCE_LANGUAGE;
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(tag.trim())[0] ?? SOURCE_LANGUAGE;
  } catch {
    return SOURCE_LANGUAGE;
  }
  const codes = SUPPORTED_LANGUAGES.map((language) => language.code);
  const exact = codes.find((code) => code.toLowerCase() === canonical.toLowerCase());
  if (exact) return exact;
  const base = canonical.split('-')[0]!.toLowerCase();
  return codes.find((code) => code.toLowerCase() === base) ?? codes.find((code) => code.split('-')[0]!.toLowerCase() === base) ?? SOURCE_LANGUAGE;
}

export function languageDirection(lng: string): 'ltr' | 'rtl' {
  return SUPPORTED_LANGUAGES.find((language) => language.code === resolveLanguage(lng))?.dir ?? 'ltr';
}

function addEnglish(instance: I18next): void {
  if (!instance.hasResourceBundle(SOURCE_LANGUAGE, NAMESPACES.errors)) {
    for (const errors of [enXtream, enStalker, enBilling, enCommon]) instance.addResourceBundle(SOURCE_LANGUAGE, NAMESPACES.errors, errors, true, false);
  }
  if (!instance.hasResourceBundle(SOURCE_LANGUAGE, NAMESPACES.ui)) instance.addResourceBundle(SOURCE_LANGUAGE, NAMESPACES.ui, enUi, true, false);
}

/**
 * A private i18next instance holding English, loading other languages lazily through `loader`
 * — or, with `instance`, the host's own, to which our namespaces are added.
 */
export function createI18n(options: I18nOptions = {}): XtreamI18n {
  const adopted = options.instance;
  const instance = adopted ?? i18next.createInstance();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        /* a listener's error is its own */
      }
    }
  };

  if (!adopted) {
    void instance.init({
      lng: SOURCE_LANGUAGE,
      fallbackLng: SOURCE_LANGUAGE,
      supportedLngs: SUPPORTED_LANGUAGES.map((language) => language.code),
      ns: [NAMESPACES.ui, NAMESPACES.errors],
      defaultNS: NAMESPACES.ui,
      resources: {},
      initAsync: false,
      returnNull: false,
      interpolation: { escapeValue: false }, // Lit renders text, never HTML
      showSupportNotice: false,
    } as Parameters<I18next['init']>[0]);
  }
  addEnglish(instance);

  /** Files that settle together (one banner's two, many banners' same one) notify listeners once. */
  let notifying = false;
  const notifySoon = () => {
    if (notifying) return;
    notifying = true;
    queueMicrotask(() => {
      notifying = false;
      notify();
    });
  };

  /** `lng/file` → its load while pending, then whether it loaded (false: English stands in, never retried). */
  const files = new Map<string, Promise<boolean> | boolean>();
  const loadFile = (language: string, file: LocaleFile, loader: LocaleLoader): Promise<boolean> | boolean => {
    const id = `${language}/${file}`;
    let state = files.get(id);
    if (state === undefined) {
      state = (async () => {
        try {
          instance.addResourceBundle(language, namespaceOf(file), await loader(language, file), true, true);
          return true;
        } catch {
          return false;
        }
      })().then((ok) => {
        files.set(id, ok);
        notifySoon();
        return ok;
      });
      files.set(id, state);
    }
    return state;
  };

  const load = async (lng: string, wanted: readonly LocaleFile[] = LOCALE_FILES): Promise<string> => {
    const language = resolveLanguage(lng);
    if (language === SOURCE_LANGUAGE) return language;
    const loader = options.loader ?? defaultLoader;
    if (!loader) return SOURCE_LANGUAGE;
    const results = await Promise.all(wanted.map((file) => loadFile(language, file, loader)));
    // A missing locale file falls back to English, never breaks the page.
    return results.every(Boolean) ? language : SOURCE_LANGUAGE;
  };

  let current = adopted ? resolveLanguage(adopted.language) : SOURCE_LANGUAGE;
  const onHostChange = (lng: string) => {
    current = resolveLanguage(lng);
    void load(lng, ['ui']).then(notify); // the language changed: everyone re-renders, loaded or not
  };
  if (adopted) adopted.on('languageChanged', onHostChange);

  const api: XtreamI18n = {
    i18next: instance,
    get language() {
      return current;
    },
    t: ((...args: Parameters<TFunction>) => instance.getFixedT(current)(...(args as [string]))) as TFunction,
    async setLanguage(lng, wanted) {
      const language = await load(lng ?? SOURCE_LANGUAGE, wanted);
      current = language;
      if (!adopted) await instance.changeLanguage(language);
      notify();
      return language;
    },
    load,
    settled: (lng, file) => {
      const language = resolveLanguage(lng);
      return language === SOURCE_LANGUAGE || typeof files.get(`${language}/${file}`) === 'boolean';
    },
    dir: (lng) => languageDirection(lng ?? current),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  void (async () => {
    if (options.lng) await api.setLanguage(options.lng);
  })();
  return api;
}

let defaultLoader: LocaleLoader | undefined;

/**
 * The loader instances use when none is given: each build sets its own (lazy chunks for bundlers,
 * fetch beside the script tag, runtime.getURL in the extension).
 */
export function setDefaultLocaleLoader(loader: LocaleLoader | undefined): void {
  defaultLoader = loader;
}

const sharedListeners = new Set<() => void>();
let shared: XtreamI18n | undefined;
let unforward: (() => void) | undefined;

function forward(): void {
  for (const listener of [...sharedListeners]) {
    try {
      listener();
    } catch {
      /* a listener's error is its own */
    }
  }
}

function install(instance: XtreamI18n): XtreamI18n {
  unforward?.();
  shared = instance;
  unforward = instance.subscribe(forward);
  return instance;
}

const current = (): XtreamI18n => shared ?? install(createI18n());

/** A stable handle on the shared instance: elements subscribe once and follow every reconfiguration. */
const sharedI18n: XtreamI18n = {
  get i18next() {
    return current().i18next;
  },
  get language() {
    return current().language;
  },
  t: ((...args: Parameters<TFunction>) => current().t(...(args as [string]))) as TFunction,
  setLanguage: (lng, wanted) => current().setLanguage(lng, wanted),
  load: (lng, wanted) => current().load(lng, wanted),
  settled: (lng, file) => current().settled(lng, file),
  dir: (lng) => current().dir(lng),
  subscribe(listener) {
    sharedListeners.add(listener);
    return () => sharedListeners.delete(listener);
  },
};

/** The instance elements use unless given their own. */
export function getI18n(): XtreamI18n {
  return sharedI18n;
}

/** Reconfigures the shared instance (a loader, a language, or the host's own i18next to adopt). */
export function configureI18n(options: I18nOptions): XtreamI18n {
  const language = shared?.language;
  install(createI18n({ lng: options.lng ?? language, ...options }));
  forward();
  return sharedI18n;
}

/** Switches the shared instance's language (loading `files`, or all): every element re-renders. */
export function setLanguage(lng: string, files?: readonly LocaleFile[]): Promise<string> {
  return sharedI18n.setLanguage(lng, files);
}
