/**
 * The one place the portal takes the project's player adapters from (published as `xtream-error-ux/hls` and
 * `xtream-error-ux/mpegts`; a provider's portal imports those).
 */
export { createHlsLoader } from '../../players/hls.js';
export { createMpegtsLoader } from '../../players/mpegts.js';
