/**
 * The script-tag build (`dist/xtream-error-ux.js`): English inside; other languages fetched on demand from
 * `locales/<lng>/` beside this script's own URL. Defines the elements and exposes `window.XtreamErrorUX`.
 */
import { catalog } from '../core/catalog.js';
import { classify } from '../core/classify.js';
import { setDefaultLocaleLoader, SUPPORTED_LANGUAGES } from '../core/i18n.js';
import { fetchLocaleLoader } from '../core/locale-loaders.js';
import { XtreamErrorBanner } from './error-banner/error-banner.js';
import { XtreamErrorStack } from './error-stack/error-stack.js';
import { setLanguage } from './localize-controller.js';
import { diagnose } from './diagnose.js';

const BANNER = 'xtream-error-banner';
const STACK = 'xtream-error-stack';

function scriptBase(): string {
  const script = document.currentScript as HTMLScriptElement | null;
  const src = script?.src || document.querySelector<HTMLScriptElement>('script[src*="xtream-error-ux"]')?.src;
  return new URL('.', src || document.baseURI).href;
}

/** The stack `show()` uses: the page's own, or one added to the body on first use. */
function stack(): XtreamErrorStack {
  let element = document.querySelector<XtreamErrorStack>(STACK);
  if (!element) {
    element = document.createElement(STACK) as XtreamErrorStack;
    document.body.append(element);
  }
  return element;
}

const api = {
  version: '0.1.0',
  classify,
  diagnose,
  /** Every code the catalog knows (its facts are in the npm package's `catalog`). */
  codes: Object.keys(catalog),
  languages: SUPPORTED_LANGUAGES,
  /** Switches every banner without a `lang` of its own or on an ancestor. */
  setLanguage,
  /** Shows any banner input in the page's `<xtream-error-stack>` (added if missing); returns the banner. */
  show(input: unknown): XtreamErrorBanner | undefined {
    try {
      return stack().show(input);
    } catch {
      return undefined;
    }
  },
};

declare global {
  interface Window {
    XtreamErrorUX: typeof api;
  }
}

try {
  setDefaultLocaleLoader(fetchLocaleLoader(scriptBase()));
  if (customElements && !customElements.get(BANNER)) customElements.define(BANNER, XtreamErrorBanner);
  if (customElements && !customElements.get(STACK)) customElements.define(STACK, XtreamErrorStack);
  window.XtreamErrorUX = api;
} catch {
  /* never break the host page */
}
