/** Shared helpers for the panel tests: a fake clock, a fresh client IP per test, and small HTTP wrappers. */
import { request as httpRequest } from 'node:http';
import { startPanel, type Panel, type PanelOptions } from '../../demo/panel/index.js';

export const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function fakeClock(start = T0): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => void (t += ms),
    set: (ms) => void (t = ms),
  };
}

let ipSeq = 0;
/** A client IP nobody else in this process uses. */
export function freshIp(): string {
  ipSeq++;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
}

export async function panelWithClock(opts: PanelOptions = {}): Promise<{ panel: Panel; clock: FakeClock }> {
  const clock = fakeClock();
  const panel = await startPanel({ port: 0, trustForwardedFor: true, now: clock.now, ...opts });
  return { panel, clock };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json<T = any>(): T;
}

export interface ReqOptions {
  ip?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** fetch with X-Forwarded-For, returning the whole body as text. */
export async function get(panel: Panel, path: string, o: ReqOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'user-agent': 'TestPlayer/1.0', ...o.headers };
  if (o.ip) headers['x-forwarded-for'] = o.ip;
  const res = await fetch(panel.url + path, { method: o.method ?? 'GET', headers, body: o.body, redirect: 'manual' });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text),
  };
}

/** A raw node:http request (lets a test send no User-Agent at all, or odd paths/headers). */
export function raw(
  panel: Panel,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: panel.port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until `fn` is true (real time, short): for server-side effects of a client closing a socket. */
export async function until(fn: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The newest log entry that is not a FLOOD_WARNING / FLOOD_BLOCK note. */
export function lastLog(panel: Panel) {
  const l = panel.log().filter((e) => !e.code.startsWith('FLOOD_'));
  return l[l.length - 1];
}

export const creds = (u: string, p: string): string => `username=${encodeURIComponent(u)}&password=${encodeURIComponent(p)}`;
