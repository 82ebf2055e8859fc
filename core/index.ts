/**
 * xtream-error-ux/core — DOM-free: runs in pages, service workers and plain Node.
 */
export { catalog, lookup, textKeys, textKeyOf, errorFileOf, ERROR_FILES, panelFloodRules, strictPanelFloodRules } from './catalog.js';
export type { CatalogEntry, Category, EntryKind, ErrorFile, Fixer, FloodCount, RetryPolicy, Severity, Source } from './catalog.js';
export { classify, describeAccount, parseRetryAfter } from './classify.js';
export type { ClassifyOptions, AccountOptions } from './classify.js';
export { describeEndpoint, isApiEndpoint, isPanelEndpoint } from './endpoints.js';
export {
  BODY_READ_LIMIT,
  mayReadBody,
  readSmallBody,
  provesLogin,
  isAuthenticatedUserInfo,
  isStalkerProfile,
  streamAnswered,
  isReplacementEndpoint,
  replacementPlaylistUri,
  maskedMeaning,
  mirrorsPanelBlock,
  bruteforceRules,
  risksMagscan,
} from './panel-rules.js';
export type { MaskedMeaning } from './panel-rules.js';
export { redactUrl, redactText, REDACTED } from './redact.js';
export {
  createI18n,
  configureI18n,
  getI18n,
  setLanguage,
  setDefaultLocaleLoader,
  resolveLanguage,
  languageDirection,
  SUPPORTED_LANGUAGES,
  SOURCE_LANGUAGE,
  NAMESPACES,
  LOCALE_FILES,
} from './i18n.js';
export type { I18nOptions, LocaleLoader, LocaleFile, LanguageInfo, XtreamI18n } from './i18n.js';
export { fetchLocaleLoader } from './locale-loaders.js';
export type { AccountFacts, Diagnosis, Endpoint, EndpointKind, Observation } from './types.js';
export { createFloodGuard, FloodBlockedError, defaultFloodThresholds, defaultFloodBackoff, FLOOD_SLOT_TTL_MS, isExemptRequest } from './flood-guard.js';
export type { FloodGuard, FloodGuardOptions, FloodStatus, FloodTicket, FloodOutcome, FloodLevel, FloodReason, FloodRequest, FloodThresholds, FloodBackoff } from './flood-guard.js';
export { guardedFetch, defaultGuard, responseDiagnosis, READ_LIMIT_BYTES } from './guarded-fetch.js';
export type { GuardedFetchOptions } from './guarded-fetch.js';
export { openGuardedRequest, guardedRequestOf, GuardedRequest } from './guarded-request.js';
export type { GuardedRequestOptions, GuardedAnswer } from './guarded-request.js';
export { createMemoryStore, createWebStorageStore, createSerializedStore } from './stores/index.js';
export type { FloodStore, FloodState, FloodSlot, FloodStateChange, FloodUpdateOptions, StorageLike, StorageEventSource, StorageEventLike, ChannelLike, LockManagerLike, WebStorageStoreOptions, AsyncKeyValueArea, SerializedStoreOptions } from './stores/index.js';
