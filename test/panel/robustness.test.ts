/** Garbage never crashes the demo panel; lifecycle (reset, stop, clock) works. */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { redactPath, startPanel, type Panel } from '../../demo/panel/index.js';
import { creds, freshIp, get, panelWithClock, raw, type FakeClock } from './helpers.js';

/** Sends bytes on a raw socket and returns what came back (status line first). */
function rawSocket(panel: Panel, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(panel.port, '127.0.0.1', () => s.write(data));
    let out = '';
    s.setEncoding('latin1');
    s.on('data', (c: string) => (out += c));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve(out) : reject(e)));
    s.setTimeout(2000, () => s.destroy());
  });
}

const GARBAGE_PATHS = [
  '/',
  '/../../etc/passwd',
  '/%E0%A4%A',
  '/live/%',
  '/live',
  '/live/a',
  '/live/a/b',
  '/live/a/b/c/d/e',
  '/live/demo/test123/abc.ts',
  '/live/demo/test123/1001.exe',
  '/movie/demo/test123/2001',
  '/movie/demo/test123/2001.mp4?size=-5',
  '/movie/demo/test123/2001.mp4?size=1e9',
  '/series/demo/test123/99999999999.mp4',
  '/timeshift/demo/test123/0/2025-01-01:00-00/1001.ts',
  '/timeshift/demo/test123/60/2025-13-45:99-99/1001.ts',
  '/hls/x',
  '/hls/tok/1001/abc.ts',
  '/play',
  '/play/a.b.c/1001.ts',
  '/auth/other.ts',
  '/player_api/',
  '/player_api/demo',
  '/player_api/demo/test123/get_vod_info/extra/more',
  '/player_api.php',
  '/player_api.php?username=&password=',
  `/player_api.php?${creds('demo', 'test123')}&action=get_short_epg&stream_id=abc`,
  `/player_api.php?${creds('demo', 'test123')}&action=get_series_info&series_id=${'9'.repeat(40)}`,
  `/player_api.php?${creds('demo', 'test123')}&action[]=x`,
  '/panel_api.php?username=demo',
  `/get.php?${creds('demo', 'test123')}&output=%3Cscript%3E`,
  '/xmltv.php',
  '/portal.php',
  '/portal.php?type=stb',
  '/portal.php?type=stb&action=handshake',
  '/stalker_portal/server/load.php?type=itv&action=create_link',
  '/stream-api/error',
  '/stream-api/elsewhere',
  '/api/v1',
  '/api/v1/invoices',
  '/api/v1/invoices/x/y/z/w',
  `/${'a'.repeat(8000)}`,
  '/?' + 'q=1&'.repeat(2000),
];

describe('robustness', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ flood: 'off' })));
  after(() => panel.stop());

  test('garbage paths and parameters get 4xx (never 5xx) and the panel keeps serving', async () => {
    for (const path of GARBAGE_PATHS) {
      for (const method of ['GET', 'POST', 'HEAD', 'DELETE']) {
        const r = await raw(panel, path, { 'x-forwarded-for': freshIp(), 'user-agent': 'fuzz' }, method);
        assert.ok(r.status >= 200 && r.status < 500, `${method} ${path.slice(0, 60)} → ${r.status}`);
      }
    }
    assert.equal(panel.counters().byStatus['500'] ?? 0, 0);
    const ok = await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip: freshIp() });
    assert.equal(ok.json().user_info.auth, 1);
  });

  test('missing parameters → 400; garbage paths → 404; unknown actions → 400', async () => {
    const ip = freshIp();
    assert.equal((await get(panel, '/player_api.php', { ip })).status, 400);
    assert.equal((await get(panel, '/live/demo', { ip })).status, 400);
    assert.equal((await get(panel, '/portal.php', { ip })).status, 400);
    assert.equal((await get(panel, '/no/such/thing', { ip })).status, 404);
    assert.equal((await get(panel, `/player_api.php?${creds('demo', 'test123')}&action=reboot`, { ip })).status, 400);
  });

  test('malformed requests, huge headers and protocol garbage are answered by the HTTP layer', async () => {
    assert.match(await rawSocket(panel, 'HELLO WORLD\r\n\r\n'), /^HTTP\/1\.1 400/);
    assert.match(await rawSocket(panel, 'GET /\x01\x02 HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.1 400/);
    assert.match(await rawSocket(panel, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`), /^HTTP\/1\.1 431/);
    assert.match(await rawSocket(panel, 'GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 [24]\d\d/);
    assert.match(await rawSocket(panel, 'GET //// HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 404/);
    // a request cut in the middle
    await rawSocket(panel, 'GET /player_api.php?user');
    const ok = await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip: freshIp() });
    assert.equal(ok.status, 200);
  });

  test('a client hanging up mid-download and many parallel requests leave the panel fine', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${panel.url}/movie/demo/test123/2001.mp4?size=268435456`, { headers: { 'x-forwarded-for': freshIp() }, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
    });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => get(panel, i % 2 ? '/garbage' : `/player_api.php?${creds('demo', 'test123')}&action=get_live_streams`, { ip: freshIp() })),
    );
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set([200, 404]));
    const end = Date.now() + 2000;
    while (panel.connections().length && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    assert.equal(panel.connections().length, 0);
  });

  test('the log never holds a password, token or MAC', async () => {
    const text = JSON.stringify(panel.log());
    assert.ok(panel.log().length > 20);
    for (const secret of ['test123', 'expired123']) assert.ok(!text.includes(secret), secret);
    assert.equal(
      redactPath('/live/demo/test123/1001.ts?token=abc&mac=00:1A:79:00:00:01&x=1'),
      '/live/***/***/1001.ts?token=***&mac=***&x=1',
    );
    assert.equal(redactPath('/player_api.php?username=demo&password=test123&action=a'), '/player_api.php?username=***&password=***&action=a');
    assert.equal(redactPath('/hls/0123abcd/1001/5.ts'), '/hls/***/1001/5.ts');
  });

  test('bad options are refused', async () => {
    await assert.rejects(startPanel({ style: 'weird' as 'classic' }), TypeError);
    await assert.rejects(startPanel({ flood: 'max' as 'seed' }), TypeError);
    await assert.rejects(startPanel({ connectionPolicy: 'lottery' as 'refuse' }), TypeError);
    assert.throws(() => panel.setUser('nobody', { status: 'Banned' }));
  });

  test('addUser / setUser / setClock / reset', async () => {
    const ip = freshIp();
    panel.addUser({ username: 'tmp', password: 'pw', maxConnections: 3, expiresInDays: 2 });
    const info = (await get(panel, '/player_api.php?username=tmp&password=pw', { ip })).json().user_info;
    assert.equal(info.max_connections, '3');
    panel.setUser('tmp', { status: 'Disabled' });
    assert.equal((await get(panel, '/player_api.php?username=tmp&password=pw', { ip })).json().user_info.status, 'Disabled');
    panel.setClock(() => clock.now() + 3 * 86400_000);
    panel.setUser('tmp', { status: 'Active' });
    assert.equal((await get(panel, '/player_api.php?username=tmp&password=pw', { ip })).json().user_info.status, 'Expired');
    panel.setClock(clock.now);
    panel.ban(ip, null, 'test');
    assert.equal((await get(panel, '/', { ip })).status, 403);
    panel.reset();
    assert.deepEqual(panel.banList(), []);
    assert.deepEqual(panel.log(), []);
    assert.equal(panel.counters().requests, 0);
    assert.equal(panel.getUser('tmp'), undefined);
    assert.equal(panel.getUser('demo')!.expired, false);
  });
});

test('stop() ends open live streams and closes the port', async () => {
  const panel = await startPanel({ port: 0 });
  const ended = new Promise<void>((resolve) => {
    const req = httpRequest(`${panel.url}/live/demo/test123/1001.ts`, { headers: { 'user-agent': 'x' } }, (res) => {
      res.once('data', () => void panel.stop());
      res.on('close', () => resolve());
      res.resume();
    });
    req.on('error', () => resolve());
    req.end();
  });
  await ended;
  await panel.stop();
  await assert.rejects(fetch(`${panel.url}/`));
});

test('X-Forwarded-For is ignored unless trustForwardedFor is on', async () => {
  const panel = await startPanel({ port: 0 });
  try {
    const r = await get(panel, '/live/demo/test123/1001.m3u8', { ip: '198.51.100.66' });
    assert.equal(r.status, 200, 'the socket address (127.0.0.1) is not the cracked IP');
  } finally {
    await panel.stop();
  }
  const trusting = await startPanel({ port: 0, trustForwardedFor: true });
  try {
    assert.equal((await get(trusting, '/live/demo/test123/1001.m3u8', { ip: '198.51.100.66' })).json().error, 'CRACKED');
  } finally {
    await trusting.stop();
  }
});
