/**
 * What the player pages load with `?adapter=1` (bundled to an IIFE as window.XUX by test/e2e/adapters.ts):
 * the player adapters, core's guard and guardedFetch, and the banner element — as a portal would import them.
 */
import '../../../components/define.js';
export { createFloodGuard, FloodBlockedError, guardedFetch, responseDiagnosis } from '../../../core/index.js';
export { createHlsLoader } from '../../../players/hls.js';
export { createMpegtsLoader } from '../../../players/mpegts.js';
export { guardVideojs } from '../../../players/videojs.js';
