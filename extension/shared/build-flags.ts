/**
 * Values the build fixes (esbuild `define`). The shipped build always has `__XUX_TEST_BUILD__ = false`;
 * only `scripts/build-extension.mjs --test` (used by test/e2e) turns it on.
 */
import type { FloodBackoff, FloodThresholds } from '../../core/flood-guard.js';

declare const __XUX_TEST_BUILD__: boolean | undefined;
declare const __XUX_BROWSER__: 'chrome' | 'firefox' | undefined;
declare const __XUX_TEST_THRESHOLDS__: Partial<FloodThresholds> | null | undefined;

export const TEST_BUILD: boolean = typeof __XUX_TEST_BUILD__ === 'boolean' ? __XUX_TEST_BUILD__ : false;
export const BROWSER: 'chrome' | 'firefox' = typeof __XUX_BROWSER__ === 'string' ? __XUX_BROWSER__ : 'chrome';

/**
 * The flood guard's margin in the extension: it sees a failure only after it happened and cannot hold back
 * a player's parallel requests one by one (a plain <video> never passes the tap), so it pauses five short of
 * each panel block (at 5 and 15). Measured (test/e2e/players.ts): four real players retrying at once against
 * the production-style panel landed up to five failures past the pause in Firefox on two busy cores, while
 * the background recorded the earlier ones; with the old margin of 3 one run in four got the IP blocked.
 */
export const EXTENSION_FLOOD_MARGIN = 5;

/**
 * Shortened durations (quiet period, mirrored blocks) for a test build made with `--short-durations`, so
 * the e2e suite can watch an alarm end a pause. Never set in the shipped build: there the guard uses the
 * panel's real durations.
 */
export const TEST_THRESHOLDS: Partial<FloodThresholds> | undefined =
  TEST_BUILD && typeof __XUX_TEST_THRESHOLDS__ === 'object' && __XUX_TEST_THRESHOLDS__ !== null ? __XUX_TEST_THRESHOLDS__ : undefined;

/**
 * Every test build caps the wait after a failure at 3 s (the shipped cap is 60 s): a person's "try anyway"
 * ticket waits for that wait to end (a 2-second chain never grows), and tests should not sit out a minute.
 */
export const TEST_BACKOFF: Partial<FloodBackoff> | undefined = TEST_BUILD ? { maxMs: 3_000 } : undefined;
