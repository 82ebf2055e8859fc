/**
 * `npm start` (scripts/start.mjs) end to end: it starts, prints its URLs and the demo users, serves the landing page,
 * the portal and the gallery, proxies the panels (by prefix and by the X-Demo-Panel header), and stops cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  urls: { demo: string; portal: string; gallery: string; classic: string; masked: string };
}

async function start(port: number): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), VITE_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const deadline = Date.now() + 120_000; // a stale script-tag build is rebuilt first
  while (!out.includes('Ready.')) {
    if (child.exitCode !== null) throw new Error(`start.mjs exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`start.mjs printed no "Ready." in time:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = (label: string): string => {
    const match = new RegExp(`^\\s*${label}\\s+(http://\\S+)`, 'm').exec(out);
    assert.ok(match, `no ${label} URL in:\n${out}`);
    return match[1]!;
  };
  return {
    child,
    output: () => out,
    urls: { demo: url('Demo'), portal: url('Portal'), gallery: url('Gallery'), classic: url('Panel classic'), masked: url('Panel masked') },
  };
}

describe('npm start (scripts/start.mjs)', { timeout: 180_000 }, () => {
  let port: number;
  let started: Started;

  before(async () => {
    port = await freePort();
    started = await start(port);
  });

  after(() => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
  });

  it('prints the demo, portal, gallery and both panel URLs on 127.0.0.1, and the demo users', () => {
    const { urls } = started;
    assert.equal(urls.demo, `http://127.0.0.1:${port}/`);
    assert.equal(urls.portal, `${urls.demo}portal/`);
    assert.equal(urls.gallery, `${urls.demo}gallery/`);
    assert.match(urls.classic, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(urls.masked, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(urls.classic, urls.masked);
    for (const user of ['demo', 'trial', 'expired', 'banned', 'disabled', 'single', 'basic', 'hlsonly', 'iplocked', 'geo', 'uarules', 'isplock']) {
      assert.match(started.output(), new RegExp(`^\\s+${user}\\s+\\S+`, 'm'), `demo user ${user} not listed`);
    }
  });

  it('serves the landing page, the portal (its TypeScript compiled) and the gallery with its script-tag build', async () => {
    const { urls } = started;
    const landing = await fetch(urls.demo);
    assert.equal(landing.status, 200);
    const landingHtml = await landing.text();
    assert.match(landingHtml, /href="\.\/portal\/"/);
    assert.match(landingHtml, /href="\.\/gallery\/"/);

    const portal = await fetch(urls.portal);
    assert.equal(portal.status, 200);
    const html = await portal.text();
    assert.match(html, /<xtream-error-stack position="top-end">/);
    assert.match(html, /<xtream-error-banner id="login-banner"/);
    assert.match(html, /<input id="password"[^>]*type="password"/);

    const main = await fetch(new URL('main.ts', urls.portal));
    assert.equal(main.status, 200);
    assert.match(main.headers.get('content-type') ?? '', /javascript/);
    const code = await main.text();
    assert.match(code, /guardedFetch/);
    assert.doesNotMatch(code, /^\s*(?:interface|type) \w+/m, 'TypeScript was not compiled');

    const gallery = await fetch(urls.gallery);
    assert.equal(gallery.status, 200);
    assert.match(await gallery.text(), /gallery/i);
    const script = await fetch(new URL('dist/xtream-error-ux.js', urls.demo));
    assert.equal(script.status, 200, 'the gallery needs the script-tag build at /dist/xtream-error-ux.js');
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    await script.body?.cancel();
  });

  it('proxies player_api by prefix and by X-Demo-Panel, with the simulated client headers', async () => {
    const { urls } = started;
    const ok = await fetch(`${urls.demo}classic/player_api.php?username=demo&password=test123`);
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { user_info?: { auth?: number } };
    assert.equal(body.user_info?.auth, 1);

    // Masked answers a bad login with a fake nginx 404 — by prefix, and at the root with X-Demo-Panel.
    const viaPrefix = await fetch(`${urls.demo}masked/player_api.php?username=demo&password=nope`, { headers: { 'X-Forwarded-For': '10.9.0.1' } });
    assert.equal(viaPrefix.status, 404);
    assert.match(await viaPrefix.text(), /nginx/);
    const viaHeader = await fetch(`${urls.demo}player_api.php?username=demo&password=nope`, { headers: { 'X-Demo-Panel': 'masked', 'X-Forwarded-For': '10.9.0.2' } });
    assert.equal(viaHeader.status, 404);
    await viaHeader.body?.cancel();
    const classicRoot = await fetch(`${urls.demo}player_api.php?username=demo&password=nope`, { headers: { 'X-Forwarded-For': '10.9.0.3' } });
    assert.equal(classicRoot.status, 200, 'the root goes to the classic panel by default');
    assert.equal(((await classicRoot.json()) as { user_info?: { auth?: number } }).user_info?.auth, 0);

    // The User-Agent a page cannot set, swapped in by the demo server.
    const ua = await fetch(`${urls.demo}player_api.php?username=uarules&password=uarules123`, {
      headers: { 'X-Demo-User-Agent': 'BadPlayer/2.1', 'X-Forwarded-For': '10.9.0.4' },
    });
    assert.equal(ua.status, 403);
    assert.equal(((await ua.json()) as { error?: string }).error, 'USER_AGENT_BAN');

    // The panels themselves are up at the printed URLs.
    const direct = await fetch(`${urls.classic}/player_api.php?username=trial&password=trial123`);
    assert.equal(direct.status, 200);
    await direct.body?.cancel();
  });

  it('stops cleanly on SIGTERM, panels included', async () => {
    const { child, urls } = started;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error('no exit within 8 s')), 8000))])) as [number | null];
    assert.equal(code, 0);
    for (const url of [urls.demo, urls.classic, urls.masked]) {
      await assert.rejects(fetch(url, { signal: AbortSignal.timeout(3000) }), `${url} still answers after stop`);
    }
  });
});
