import type { GuardBinding as Binding } from './guard-binding.js';

export type { BannerGuard } from './guard-binding.js';

/** The script-tag build's stand-in: no flood guard there, so no binding (see scripts/build-lib.mjs). */
export const GuardBinding: typeof Binding | undefined = undefined;
