/**
 * `xtream-error-ux/define`: registers `<xtream-error-banner>` and `<xtream-error-stack>`.
 * Safe to import twice, next to another copy of the library (a portal that uses xtream-error-ux itself
 * keeps its own definitions), and a no-op where custom elements don't exist (an extension's isolated world).
 */
import { XtreamErrorBanner } from './error-banner/error-banner.js';
import { XtreamErrorStack } from './error-stack/error-stack.js';
import { useBundledLocales } from './bundled-locales.js';

export const BANNER_TAG_NAME = 'xtream-error-banner';
export const STACK_TAG_NAME = 'xtream-error-stack';

/** Defines both elements unless a definition exists; returns whether custom elements are available. */
export function defineElements(): boolean {
  const registry = typeof customElements === 'undefined' ? null : customElements;
  if (!registry) return false;
  try {
    if (!registry.get(BANNER_TAG_NAME)) registry.define(BANNER_TAG_NAME, XtreamErrorBanner);
    if (!registry.get(STACK_TAG_NAME)) registry.define(STACK_TAG_NAME, XtreamErrorStack);
  } catch {
    /* a race with another copy defining the same tags: theirs serves */
  }
  return true;
}

useBundledLocales();
defineElements();

export { XtreamErrorBanner, XtreamErrorStack };

declare global {
  interface HTMLElementTagNameMap {
    'xtream-error-banner': XtreamErrorBanner;
    'xtream-error-stack': XtreamErrorStack;
  }
}
