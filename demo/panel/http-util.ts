/** Small HTTP helpers shared by the panel's route modules. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The page nginx serves for an unknown path — masked panels answer a bad login with it. */
export const NGINX_404 =
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * XC_VM's generate404(): the nginx page plus the six padding comments real nginx adds so browsers do not swap
 * in their own "friendly" error page (src/www/stream/init.php, src/www/constants.php).
 */
export const XCVM_404 = NGINX_404 + '<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n'.repeat(5) + '<!-- a padding to disable MSIE and Chrome friendly error page -->';

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer = '',
  contentType?: string,
  headers: Record<string, string | number> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const h: Record<string, string | number> = { 'Content-Length': buf.length, ...headers };
  if (contentType && buf.length > 0) h['Content-Type'] = contentType;
  res.writeHead(status, h);
  res.end(res.req?.method === 'HEAD' ? undefined : buf);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  send(res, status, text, contentType);
}

/** 403 with an empty body: how panels refuse a blocked IP. */
export function sendEmpty(res: ServerResponse, status: number): void {
  send(res, status, '');
}

export function sendNginx404(res: ServerResponse): void {
  send(res, 404, NGINX_404, 'text/html');
}

/** xcvm style: XC_VM's fake 404 (status 404, text/html, the padded nginx page). */
export function sendXcvm404(res: ServerResponse): void {
  send(res, 404, XCVM_404, 'text/html; charset=UTF-8');
}

/** A 302 to `location`, empty body. */
export function sendRedirect(res: ServerResponse, location: string): void {
  send(res, 302, '', undefined, { Location: location });
}

export type RangeResult =
  | { kind: 'none' }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * A single byte range (RFC 9110). Headers that are not `bytes=` ranges are ignored (full body);
 * of several ranges only the first is served.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'none' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (!Number.isSafeInteger(suffix) || suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  let end = m[2] === '' ? size - 1 : Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return { kind: 'unsatisfiable' };
  if (m[2] !== '' && end < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable' };
  end = Math.min(end, size - 1);
  return { kind: 'range', start, end };
}

const SECRET_QUERY = new Set([
  'username', 'password', 'token', 'mac', 'sn', 'device_id', 'device_id2', 'signature', 'play_token', 'key', 'prehash',
]);

/** The request path with credentials, tokens, serials and MACs replaced by `***` (for the log). */
export function redactPath(rawUrl: string): string {
  let url: URL;
  try {
    url = /^https?:\/\//i.test(rawUrl) ? new URL(rawUrl) : new URL('http://panel.invalid' + (rawUrl.startsWith('/') ? '' : '/') + rawUrl);
  } catch {
    return '/***';
  }
  const segs = url.pathname.split('/');
  // ['', kind, a, b, ...]
  const kind = segs[1] ?? '';
  if (['live', 'movie', 'series', 'timeshift', 'player_api'].includes(kind)) {
    if (segs.length > 2) segs[2] = '***';
    if (segs.length > 3) segs[3] = '***';
  } else if (['hls', 'play', 'auth'].includes(kind) && segs.length > 2) {
    segs[2] = '***';
  }
  let path = segs.join('/');
  path = path.replace(/([0-9A-F]{2}[:-]){5}[0-9A-F]{2}/gi, '***');
  const params: string[] = [];
  for (const [k, v] of url.searchParams) {
    params.push(`${encodeURIComponent(k)}=${SECRET_QUERY.has(k.toLowerCase()) ? '***' : encodeURIComponent(v)}`);
  }
  return params.length ? `${path}?${params.join('&')}` : path;
}

export function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

/** Reads a small request body (capped). */
export function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
