/**
 * The demo's Vite config (`npm start` runs it through scripts/start.mjs; alone:
 * `npx vite --config demo/vite.config.ts` with panels on the ports below).
 *
 * Root demo/: `/` the landing page, `/portal/` the demo portal, `/gallery/` the gallery of every catalog entry.
 * The mock panels sit behind the dev server, so the portal is same-origin and needs no CORS:
 *
 * - `/classic/*`, `/masked/*`, `/xcvm/*` (and `/strict/*` when XEU_PANEL_STRICT is set) → that panel, prefix removed.
 * - The panel's own paths at the root (`/player_api.php`, `/live/…`, `/portal.php`, `/stream-api/…` …) → the panel
 *   named by the `X-Demo-Panel` request header (default classic). The portal uses these, so its URLs look like a
 *   real panel's and the flood guard recognises every endpoint (a login, a stream, a Stalker call) by its path.
 * - `X-Demo-User-Agent: <ua>` becomes the User-Agent the panel sees (browsers don't let a page set User-Agent);
 *   an empty value sends none. Panels started by `npm start` trust X-Forwarded-For, so the portal can simulate clients.
 * - As nginx in front of a panel does, the panel's own absolute URLs become the demo server's: a redirect's
 *   `Location` and the URIs of a playlist (XC_VM's replacement videos point at `http://panel/auth/…`), so a
 *   player never leaves the portal's origin (and its `X-Demo-Panel` / `X-Forwarded-For` headers go with it).
 *
 * `/dist/*` serves the repository's dist/ (the gallery loads the script-tag build `dist/xtream-error-ux.js` and its
 * locale files beside it; `npm start` builds it when it is missing or stale).
 *
 * Panel URLs come from XEU_PANEL_CLASSIC / XEU_PANEL_MASKED / XEU_PANEL_XCVM / XEU_PANEL_STRICT (scripts/demo-server.mjs
 * sets them).
 */
import { createReadStream, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

const demoRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const panels: Record<string, string> = {
  classic: process.env.XEU_PANEL_CLASSIC || 'http://127.0.0.1:8081',
  masked: process.env.XEU_PANEL_MASKED || 'http://127.0.0.1:8082',
  xcvm: process.env.XEU_PANEL_XCVM || 'http://127.0.0.1:8083',
};
if (process.env.XEU_PANEL_STRICT) panels.strict = process.env.XEU_PANEL_STRICT;

/** Paths a panel answers at its root (Xtream, streams, Stalker, Stream API). */
const PANEL_PATH =
  /^\/(?:player_api\.php|player_api\/|panel_api\.php|get\.php|xmltv\.php|live\/|movie\/|series\/|timeshift\/|hls\/|play\/|auth\/|portal\.php|server\/load\.php|c\/server\/|stalker_portal\/server\/|stream-api\/|api\/v1\/)/;

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Requests that came at a root panel path (their answers' panel URLs stay root paths too). */
const routedAtRoot = new WeakSet<IncomingMessage>();

/** Root panel paths go to the panel the request names; runs before Vite's proxy, which then serves them. */
function panelRouter(): Plugin {
  return {
    name: 'xeu-demo-panel-router',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && PANEL_PATH.test(req.url)) {
          const wanted = headerOf(req, 'x-demo-panel')?.trim().toLowerCase() ?? '';
          const name = Object.hasOwn(panels, wanted) ? wanted : 'classic';
          req.url = `/${name}${req.url}`;
          routedAtRoot.add(req);
        }
        next();
      });
    },
  };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** `/dist/…` → the repository's dist/ (built artefacts, outside Vite's root). */
function distFiles(): Plugin {
  const dist = resolve(repoRoot, 'dist');
  return {
    name: 'xeu-demo-dist',
    configureServer(server) {
      server.middlewares.use('/dist', (req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') return next();
        let path: string;
        try {
          path = resolve(dist, `.${decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)}`);
        } catch {
          return next();
        }
        const stat = path.startsWith(dist + sep) ? statSync(path, { throwIfNoEntry: false }) : undefined;
        if (!stat?.isFile()) return next();
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': stat.size, 'cache-control': 'no-cache' });
        if (req.method === 'HEAD') return res.end();
        createReadStream(path).pipe(res);
      });
    },
  };
}

const PLAYLIST_TYPE = /mpegurl/i;
/** A playlist larger than this is passed through as it is (the panel's are a few hundred bytes). */
const PLAYLIST_LIMIT = 1 << 20;

/**
 * The panel's answer to the browser, its absolute URLs (`http://127.0.0.1:PORT/auth/x.ts`) made the demo server's
 * (`/auth/x.ts`, or `/xcvm/auth/x.ts` for a request that came with the panel's prefix): a Location, a playlist's URIs.
 */
function relay(proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse, target: string, name: string): void {
  const local = routedAtRoot.has(req) ? '/' : `/${name}/`;
  const headers = { ...proxyRes.headers };
  if (typeof headers.location === 'string' && headers.location.startsWith(`${target}/`)) headers.location = local + headers.location.slice(target.length + 1);
  const length = Number(headers['content-length'] ?? NaN);
  if (!PLAYLIST_TYPE.test(String(headers['content-type'] ?? '')) || length > PLAYLIST_LIMIT) {
    res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, headers);
    proxyRes.pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  proxyRes.on('data', (chunk: Buffer) => chunks.push(chunk));
  proxyRes.on('error', () => res.destroy());
  proxyRes.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    const body = Buffer.from(text.split(`${target}/`).join(local), 'utf8');
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.byteLength);
    res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, headers);
    res.end(body);
  });
}

function proxyTo(name: string, target: string): ProxyOptions {
  const origin = new URL(target).origin;
  return {
    target,
    changeOrigin: false,
    xfwd: false, // the panel sees 127.0.0.1, or the X-Forwarded-For the portal sets to simulate a client
    selfHandleResponse: true, // relay(): the panel's absolute URLs become the demo server's
    rewrite: (path) => path.slice(name.length + 1) || '/',
    configure(proxy) {
      proxy.on('proxyReq', (proxyReq, req) => {
        const ua = headerOf(req, 'x-demo-user-agent');
        if (ua !== undefined) {
          if (ua === '') proxyReq.removeHeader('user-agent');
          else proxyReq.setHeader('user-agent', ua);
        }
        proxyReq.removeHeader('x-demo-user-agent');
        proxyReq.removeHeader('x-demo-panel');
      });
      proxy.on('proxyRes', (proxyRes, req, res) => relay(proxyRes, req, res, origin, name));
      // A panel that went away: a plain 502, and no request URL (it may hold credentials) in the log.
      proxy.on('error', (_error, _req, res) => {
        if (res && 'writeHead' in res && !res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('demo panel unavailable\n');
        } else if (res && 'destroy' in res) {
          res.destroy();
        }
      });
    },
  };
}

export default defineConfig({
  root: demoRoot,
  appType: 'mpa',
  publicDir: false,
  clearScreen: false,
  plugins: [panelRouter(), distFiles()],
  server: {
    host: '127.0.0.1',
    fs: { allow: [repoRoot] },
    proxy: Object.fromEntries(Object.entries(panels).map(([name, target]) => [`^/${name}/`, proxyTo(name, target)])),
  },
  optimizeDeps: {
    entries: ['index.html', 'portal/index.html', 'gallery/index.html'],
  },
});
