/**
 * The library build for bundlers (`npm run build` → scripts/build-lib.mjs uses this config):
 * ESM entries `dist/index.js` (everything, no registration), `dist/core.js` (DOM-free), `dist/define.js`
 * (registers the elements), `dist/players/{hls,mpegts,videojs}.js` (the player adapters; the players themselves
 * are the page's, never bundled); each non-English locale file a lazy chunk `dist/locales/<lng>/<file>.js`.
 * lit and i18next stay external: they are dependencies the portal's bundler dedupes.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2021',
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    copyPublicDir: false,
    lib: {
      entry: {
        index: 'components/index.ts',
        core: 'core/index.ts',
        define: 'components/define.ts',
        'players/hls': 'players/hls.ts',
        'players/mpegts': 'players/mpegts.ts',
        'players/videojs': 'players/videojs.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^lit($|\/)/, /^@lit\//, /^lit-html($|\/)/, /^lit-element($|\/)/, /^i18next($|\/)/],
      output: {
        entryFileNames: '[name].js',
        chunkFileNames(chunk) {
          const locale = chunk.facadeModuleId?.match(/locales\/([^/]+)\/([^/]+)\.json$/);
          return locale ? `locales/${locale[1]}/${locale[2]}.js` : 'chunks/[name]-[hash].js';
        },
      },
    },
  },
});
