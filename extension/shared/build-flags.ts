/**
 * Values the build fixes (esbuild `define`). The shipped build always has `__XUX_TEST_BUILD__ = false`;
 * only `scripts/build-extension.mjs --test` (used by test/e2e) turns it on.
 */
declare const __XUX_TEST_BUILD__: boolean | undefined;
declare const __XUX_BROWSER__: 'chrome' | 'firefox' | undefined;

export const TEST_BUILD: boolean = typeof __XUX_TEST_BUILD__ === 'boolean' ? __XUX_TEST_BUILD__ : false;
export const BROWSER: 'chrome' | 'firefox' = typeof __XUX_BROWSER__ === 'string' ? __XUX_BROWSER__ : 'chrome';

/**
 * The flood guard's margin in the extension: it sees a failure only after it happened and cannot hold back
 * a player's parallel requests one by one, so it pauses three short of each panel block (at 7 and 17).
 */
export const EXTENSION_FLOOD_MARGIN = 3;
