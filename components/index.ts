/**
 * `xtream-error-ux`: everything in `xtream-error-ux/core`, plus the element and event classes — without
 * registering the elements (import `xtream-error-ux/define` for that, or call `defineElements()`).
 * Other languages load as lazy chunks.
 */
import { useBundledLocales } from './bundled-locales.js';

useBundledLocales();

export * from '../core/index.js';
// Wins over core's: also records the choice so it takes precedence over <html lang>.
export { setLanguage, LocalizeController, elementLanguage } from './localize-controller.js';
export type { Translate } from './localize-controller.js';
export { XtreamErrorBanner } from './error-banner/error-banner.js';
export { GuardBinding, guardView } from './error-banner/guard-binding.js';
export type { BannerGuard } from './error-banner/guard-binding.js';
export { XtreamErrorStack } from './error-stack/error-stack.js';
export type { StackPosition } from './error-stack/error-stack.js';
export { renderBanner, renderFallbackBanner, countdownText } from './error-banner/render-banner.js';
export type { BannerRenderOptions, GuardView } from './error-banner/render-banner.js';
export { bannerStyles } from './error-banner/error-banner.styles.js';
export { stackStyles } from './error-stack/error-stack.styles.js';
export { XtreamDismissEvent, XtreamRetryEvent, XtreamCopyEvent, XtreamErrorEvent } from './events.js';
export type { DismissReason } from './events.js';
export { announce, liveRegion } from './live-region.js';
export type { Politeness } from './live-region.js';
export { diagnose, isDiagnosis, successDiagnosis } from './diagnose.js';
export { detailsReport } from './report.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { bundledLocaleLoader } from './bundled-locales.js';
