/**
 * The script-tag build's stand-in for i18next: only the part of its API core/i18n.ts and the elements use
 * (resource bundles without `resources` at init, getFixedT with namespaces, `{{var}}` interpolation, plural suffixes through
 * Intl.PluralRules, returnObjects, defaultValue, fallback to English). It exists for size: the script tag's
 * 28 KB gzip budget, which i18next alone (16 KB) would break, and the extension's bundles. Bundler builds of the
 * library use real i18next (a portal's own instance can be adopted); test/browser/i18next-lite.test.ts checks this gives the same string as i18next for every key of every locale.
 */
type Resources = Record<string, unknown>;
type Options = Record<string, unknown> & { count?: number; returnObjects?: boolean; defaultValue?: unknown; lng?: string };
type Listener = (lng: string) => void;

interface InitOptions {
  lng?: string;
  fallbackLng?: string | string[] | false;
  defaultNS?: string;
}

function lookupPath(resources: Resources | undefined, path: string): unknown {
  let node: unknown = resources;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(lng: string, count: number): string {
  let rules = pluralRules.get(lng);
  if (!rules) {
    rules = new Intl.PluralRules(lng);
    pluralRules.set(lng, rules);
  }
  return rules.select(count);
}

class I18nextLite {
  language = 'en';
  private store: Record<string, Record<string, Resources>> = {};
  private fallback: string[] = ['en'];
  private defaultNS = 'translation';
  private listeners: Record<string, Listener[]> = {};

  init(options: InitOptions = {}): Promise<unknown> {
    this.language = options.lng ?? this.language;
    const fallback = options.fallbackLng;
    this.fallback = fallback === false || fallback === undefined ? [] : Array.isArray(fallback) ? fallback : [fallback];
    this.defaultNS = options.defaultNS ?? this.defaultNS;
    return Promise.resolve(this.getFixedT(this.language));
  }

  hasResourceBundle(lng: string, ns: string): boolean {
    return Boolean(this.store[lng]?.[ns]);
  }

  addResourceBundle(lng: string, ns: string, resources: Resources, deep?: boolean, overwrite?: boolean): this {
    const namespaces = (this.store[lng] ??= {});
    namespaces[ns] = overwrite || !namespaces[ns] ? { ...namespaces[ns], ...resources } : { ...resources, ...namespaces[ns] };
    void deep;
    return this;
  }

  changeLanguage(lng: string): Promise<unknown> {
    this.language = lng;
    for (const listener of this.listeners.languageChanged ?? []) listener(lng);
    return Promise.resolve(this.getFixedT(lng));
  }

  on(event: string, listener: Listener): void {
    (this.listeners[event] ??= []).push(listener);
  }

  getFixedT(lng?: string | null) {
    return (key: string, options: Options = {}) => this.translate(key, { lng: lng ?? this.language, ...options });
  }

  createInstance(): I18nextLite {
    return new I18nextLite();
  }

  private translate(fullKey: string, options: Options): unknown {
    const separator = fullKey.indexOf(':');
    const ns = separator > 0 ? fullKey.slice(0, separator) : this.defaultNS;
    const key = separator > 0 ? fullKey.slice(separator + 1) : fullKey;
    const requested = options.lng ?? this.language;
    for (const lng of [requested, ...this.fallback.filter((candidate) => candidate !== requested)]) {
      const resources = this.store[lng]?.[ns];
      if (!resources) continue;
      let value: unknown;
      if (typeof options.count === 'number') value = lookupPath(resources, `${key}_${pluralCategory(lng, options.count)}`) ?? lookupPath(resources, `${key}_other`);
      value ??= lookupPath(resources, key);
      if (value === undefined || value === null) continue;
      if (typeof value === 'string') return this.interpolate(value, options);
      if (options.returnObjects) return value;
    }
    return options.defaultValue !== undefined ? options.defaultValue : key;
  }

  private interpolate(text: string, options: Options): string {
    return text.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (match, name: string) => {
      const value = options[name];
      return value === undefined || value === null ? match : String(value);
    });
  }
}

const i18next = new I18nextLite();
export default i18next;
export type { I18nextLite };
