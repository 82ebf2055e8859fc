import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TFunction } from 'i18next';
import { getI18n, resolveLanguage, languageDirection, setLanguage as setSharedLanguage, type LocaleFile, type XtreamI18n } from '../core/i18n.js';

/** A translation function bound to one language; keys carry their namespace (`xtream-ui:banner.retry`). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** An element the controller localizes; `localeFiles` names the files its current content needs (default: `ui`). */
type LocalizedHost = ReactiveControllerHost & HTMLElement & { i18n?: XtreamI18n; localeFiles?(): readonly LocaleFile[] };

const connected = new Set<LocalizeController>();
let langObserver: MutationObserver | undefined;

/** The shared language, once someone chose it (setLanguage, or a host's adopted i18next changing language). */
let chosenLanguage: string | undefined;
let lastSharedLanguage: string | undefined;

/**
 * Switches the language of every banner that has no `lang` of its own or on an ancestor. Like core's
 * `setLanguage`, and records the choice so it wins over `<html lang>`; loads the `ui` file, then each element
 * loads the error file its diagnosis needs (the whole language is never fetched for one banner).
 */
export function setLanguage(lng: string): Promise<string> {
  chosenLanguage = resolveLanguage(lng);
  return setSharedLanguage(lng, ['ui']).then((language) => {
    chosenLanguage = language;
    refreshAll();
    return language;
  });
}

function refreshAll(): void {
  for (const controller of [...connected]) controller.refresh();
}

function observeLanguageAttributes(): void {
  if (langObserver || typeof MutationObserver === 'undefined' || typeof document === 'undefined') return;
  // One observer for every element: any `lang` change in the document may change some element's language.
  langObserver = new MutationObserver(refreshAll);
  langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

function sharedLanguageChanged(i18n: XtreamI18n): void {
  const language = i18n.language;
  if (lastSharedLanguage !== undefined && language !== lastSharedLanguage) chosenLanguage = language;
  lastSharedLanguage = language;
}

/**
 * The language of an element: its own `lang`, else the nearest ancestor's (across shadow roots), else the
 * language chosen with `setLanguage`, else the document's, else English.
 */
export function elementLanguage(element: Element, i18n: XtreamI18n = getI18n()): string {
  const root = typeof document !== 'undefined' ? document.documentElement : undefined;
  let node: Element | null = element;
  while (node && node !== root) {
    // The element itself: its property first (a Lit element's `lang` reflects only after rendering).
    const lang = node === element ? (element as HTMLElement).lang || element.getAttribute('lang') : node.getAttribute('lang');
    if (lang) return resolveLanguage(lang);
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
  }
  sharedLanguageChanged(i18n);
  if (chosenLanguage) return chosenLanguage;
  return resolveLanguage(root?.getAttribute('lang') || i18n.language);
}

/**
 * Localization as a reactive controller (the shape of Shoelace's LocalizeController, over i18next):
 * the element asks for strings by key; the controller loads its language and re-renders it whenever
 * the language, an ancestor's `lang`, or the loaded resources change.
 */
export class LocalizeController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;
  private resolved = '';
  private loading: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: LocalizedHost) {
    host.addController(this);
  }

  get i18n(): XtreamI18n {
    return this.host.i18n ?? getI18n();
  }

  /** The supported language the host renders in. */
  get lang(): string {
    return this.resolved || elementLanguage(this.host, this.i18n);
  }

  get dir(): 'ltr' | 'rtl' {
    return languageDirection(this.lang);
  }

  /** Resolves once the host's language files are loaded (or failed and fell back to English). */
  get ready(): Promise<unknown> {
    return this.loading;
  }

  hostConnected(): void {
    connected.add(this);
    observeLanguageAttributes();
    this.unsubscribe?.();
    this.unsubscribe = this.i18n.subscribe(() => this.refresh());
    this.refresh();
  }

  hostDisconnected(): void {
    connected.delete(this);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  hostUpdate(): void {
    this.sync();
  }

  /** Re-reads the language and re-renders the host. */
  refresh(): void {
    this.sync();
    this.host.requestUpdate();
  }

  private sync(): void {
    const language = elementLanguage(this.host, this.i18n);
    const i18n = this.i18n;
    this.resolved = language;
    const files: readonly LocaleFile[] = this.host.localeFiles?.() ?? ['ui'];
    // Settled files (loaded, or failed so English stands in) are never asked for again.
    const missing = files.filter((file) => !i18n.settled(language, file));
    if (missing.length) {
      this.loading = i18n.load(language, missing).then(
        () => this.host.requestUpdate(),
        () => undefined,
      );
    }
  }

  /** A translation function for the host's language. */
  translator(): Translate {
    const fixed: TFunction = this.i18n.i18next.getFixedT(this.lang);
    return (key, options) => fixed(key, options as never) as unknown as string;
  }
}
