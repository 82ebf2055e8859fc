/**
 * The demo `npm start` runs, as a function (scripts/start.mjs prints it; test/e2e/portal.ts starts it in-process):
 * three local mock panels and the Vite dev server for demo/ on 127.0.0.1, the panels proxied behind it.
 *
 * - classic  — 200 + `auth: 0`, error JSON (the seed's answers), flood protection `seed`
 * - masked   — fake nginx 404s, empty 403s, the expired video; flood `seed`
 * - xcvm     — a production XC_VM panel: fake nginx 404s, per-reason replacement videos (expired, banned,
 *              already connected), XC_VM's flood chain (`strict`) on top of the seed's rules
 *
 * Every panel trusts X-Forwarded-For (the portal simulates clients) and serves its live channels as the real
 * test pattern of demo/media/ (`liveMedia: 'fixture'`: endless live HLS and MPEG-TS), so the portal's players
 * play video.
 */
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

export const PANEL_NAMES = /** @type {const} */ (['classic', 'masked', 'xcvm']);

/** How each panel of the demo runs (all: X-Forwarded-For trusted, live channels the real fixture). */
export const PANEL_SETUP = {
  classic: { style: 'classic', flood: 'seed' },
  masked: { style: 'masked', flood: 'seed' },
  xcvm: { style: 'xcvm', flood: ['seed', 'strict'] },
};

/**
 * Starts the demo. Options: `port` (the demo server; 0 = a free one; default 5173), `strictPort`, `panelPorts`
 * ({ classic, masked, xcvm }: 0 / absent = free ports), `logLevel` (Vite's, default 'warn'), `panelOptions`
 * (extra startPanel options for every panel, e.g. a clock for tests).
 *
 * Returns `{ url, panels: { classic, masked, xcvm }, server, stop() }` (`url` ends with a slash).
 */
export async function startDemo(options = {}) {
  const started = [];
  const stop = async () => {
    for (const close of started.splice(0).reverse()) {
      try {
        await close();
      } catch {
        /* keep stopping the rest */
      }
    }
  };
  try {
    const { startPanel } = await tsImport('../demo/panel/index.ts', import.meta.url);
    const panels = {};
    for (const name of PANEL_NAMES) {
      const panel = await startPanel({
        port: options.panelPorts?.[name] ?? 0,
        ...PANEL_SETUP[name],
        trustForwardedFor: true,
        liveMedia: 'fixture',
        ...options.panelOptions,
      });
      started.push(() => panel.stop());
      panels[name] = panel;
    }
    // demo/vite.config.ts reads the panels' addresses from here.
    process.env.XEU_PANEL_CLASSIC = panels.classic.url;
    process.env.XEU_PANEL_MASKED = panels.masked.url;
    process.env.XEU_PANEL_XCVM = panels.xcvm.url;

    const { createServer } = await import('vite');
    const port = options.port ?? 5173;
    const server = await createServer({
      configFile: fileURLToPath(new URL('../demo/vite.config.ts', import.meta.url)),
      logLevel: options.logLevel ?? 'warn',
      server: { port, strictPort: options.strictPort ?? false, host: '127.0.0.1' },
    });
    await server.listen();
    started.push(() => server.close());
    const address = server.httpServer?.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    const url = `http://127.0.0.1:${actual}/`;
    return { url, panels, server, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
