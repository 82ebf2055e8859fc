/**
 * The xcvm answer style: what a production XC_VM panel answers with its default settings — fake nginx 404s,
 * per-reason replacement videos under /auth/, the strict flood chain counting only unknown credentials,
 * bruteforce and MAGSCAN bans, an empty 403 and then a firewall drop, two simultaneous downloads per line —
 * and the real-media stream 9001 in every style. Real HTTP against startPanel on port 0 with a fake clock.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { NGINX_404, XCVM_404, type Panel } from '../../demo/panel/index.js';
import { creds, freshIp, get, panelWithClock, until, type FakeClock, type Reply } from './helpers.js';

const media = (name: string): Buffer => readFileSync(new URL(`../../demo/media/${name}`, import.meta.url));

const MAC_OK = '00:1A:79:00:00:01';

function assertFake404(r: Reply, what = ''): void {
  assert.equal(r.status, 404, what);
  assert.ok(r.text.startsWith(NGINX_404), `${what}: the nginx page`);
  assert.equal(r.text, XCVM_404, `${what}: XC_VM's padded page`);
}

function assertBlocked(r: Reply, what = ''): void {
  assert.equal(r.status, 403, what);
  assert.equal(r.text, '', `${what}: empty body`);
}

function portal(panel: Panel, query: string, o: { ip: string; mac?: string; token?: string }): Promise<Reply> {
  const headers: Record<string, string> = { 'user-agent': 'MAG250 stbapp' };
  if (o.mac) headers.cookie = `mac=${encodeURIComponent(o.mac)}`;
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  return get(panel, `/portal.php?${query}&JsHttpRequest=1-xml`, { ip: o.ip, headers });
}

async function handshake(panel: Panel, mac: string, ip: string): Promise<string> {
  const r = await portal(panel, 'type=stb&action=handshake&token=', { mac, ip });
  assert.equal(r.status, 200);
  return r.json().js.token;
}

const profile = (panel: Panel, o: { ip: string; mac?: string; token?: string }, sn: string | null) =>
  portal(panel, `type=stb&action=get_profile&stb_type=MAG250${sn === null ? '' : `&sn=${sn}`}`, o);

type RawResult = { kind: 'response'; status: number; headers: IncomingMessage['headers']; body: Buffer } | { kind: 'timeout' } | { kind: 'error'; code: string };

/** One request on its own socket; `timeout` if nothing at all is answered within `ms`. Calls `onSent` once sent. */
function rawTimed(panel: Panel, path: string, ip: string, ms: number, opts: { keepOnTimeout?: boolean; onSocket?: (destroy: () => void) => void } = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RawResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = httpRequest({ host: '127.0.0.1', port: panel.port, path, headers: { 'x-forwarded-for': ip, 'user-agent': 'T/1' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? e.message }));
    opts.onSocket?.(() => req.destroy());
    const t = setTimeout(() => {
      if (!opts.keepOnTimeout) req.destroy();
      done({ kind: 'timeout' });
    }, ms);
    req.on('close', () => clearTimeout(t));
    req.end();
  });
}

/** Opens an endless stream and keeps it open; returns its status and a closer. */
function openStream(panel: Panel, path: string, ip: string): Promise<{ status: number; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: panel.port, path, headers: { 'x-forwarded-for': ip, 'user-agent': 'T/1' }, agent: false }, (res) => {
      res.once('data', () => resolve({ status: res.statusCode ?? 0, close: () => req.destroy() }));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, close: () => req.destroy() }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
}

const codesFor = (panel: Panel, ip: string) => panel.log().filter((e) => e.ip === ip).map((e) => e.code);

describe('xcvm: unknown credentials get the fake nginx 404 everywhere', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock({ style: 'xcvm' })));
  after(() => panel.stop());

  test('defaults: style xcvm, flood strict', () => {
    assert.equal(panel.style, 'xcvm');
    assert.equal(panel.flood, 'strict');
    assert.deepEqual(panel.floodModes, ['strict']);
  });

  test('player_api.php, /player_api/U/P, panel_api.php, get.php, xmltv.php with a wrong password → 404 page, AUTH_FAILED, counted', async () => {
    const ip = freshIp();
    const paths = [
      `/player_api.php?${creds('demo', 'wrong')}`,
      `/player_api.php?${creds('demo', 'wrong')}&action=get_live_streams`,
      '/player_api/demo/wrong',
      `/panel_api.php?${creds('demo', 'wrong')}`,
      `/get.php?${creds('nobody', 'x')}&type=m3u_plus&output=ts`,
      `/xmltv.php?${creds('demo', 'wrong')}`,
    ];
    for (const [i, p] of paths.entries()) {
      assertFake404(await get(panel, p, { ip }), p);
      assert.equal(panel.chain(ip), i + 1, `${p} extends the chain`);
    }
    assert.deepEqual(codesFor(panel, ip), Array(paths.length).fill('AUTH_FAILED'));
    assert.equal(panel.failures(ip), paths.length);
  });

  test('no credentials at all → 404 page, NO_CREDENTIALS, counted', async () => {
    const ip = freshIp();
    assertFake404(await get(panel, '/player_api.php?username=demo', { ip }));
    assert.deepEqual(codesFor(panel, ip), ['NO_CREDENTIALS']);
    assert.equal(panel.chain(ip), 1);
  });

  test('streams with wrong credentials (live .ts/.m3u8, movie, series, timeshift) → the 404 page too', async () => {
    const ip = freshIp();
    const paths = ['/live/demo/wrong/1001.ts', '/live/demo/wrong/1001.m3u8', '/movie/demo/wrong/2001.mp4', '/series/nobody/x/4001.mp4', '/timeshift/demo/wrong/60/2025-06-01:10-00/1001.ts'];
    for (const p of paths) assertFake404(await get(panel, p, { ip }), p);
    assert.deepEqual(codesFor(panel, ip), Array(paths.length).fill('AUTH_FAILED'));
    assert.equal(panel.chain(ip), paths.length);
  });

  test('Stalker: an unverified get_profile is an empty 200 and counted; other unverified actions are not counted', async () => {
    const ip = freshIp();
    const r = await profile(panel, { ip, mac: MAC_OK, token: 'F'.repeat(32) }, 'SN1');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.equal(panel.chain(ip), 1);
    const other = await portal(panel, 'type=itv&action=get_all_channels', { ip, mac: MAC_OK, token: 'F'.repeat(32) });
    assert.equal(other.status, 200);
    assert.equal(other.text, '');
    assert.equal(panel.chain(ip), 1, 'not counted');
    assert.deepEqual(codesFor(panel, ip), ['MAG_TOKEN_INVALID', 'MAG_TOKEN_INVALID']);
  });

  test('a valid line is served normally; its other refusals are the 404 page and not counted', async () => {
    const ip = freshIp();
    const ok = await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip });
    assert.equal(ok.status, 200);
    assert.equal(ok.json().user_info.auth, 1);
    assertFake404(await get(panel, '/live/basic/basic123/1003.ts', { ip }), 'not in bouquet');
    assertFake404(await get(panel, '/live/hlsonly/hlsonly123/1001.ts', { ip }), 'disallowed extension');
    assertFake404(await get(panel, `/player_api.php?${creds('geo', 'geo123')}`, { ip }), 'country');
    assert.deepEqual(codesFor(panel, ip), ['NOT_IN_BOUQUET', 'USER_DISALLOW_EXT', 'COUNTRY_DISALLOW']);
    assert.equal(panel.chain(ip), 0);
  });
});

describe('xcvm: expired / banned / disabled / already-connected lines get replacement videos', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock({ style: 'xcvm' })));
  after(() => panel.stop());

  test('.m3u8 → a 200 playlist of one /auth/<reason>.ts segment; .ts, movies, timeshift → 302 to the clip', async () => {
    const ip = freshIp();
    const cases: Array<[string, string, string]> = [
      ['expired', 'expired123', 'expired'],
      ['banned', 'banned123', 'banned'],
      ['disabled', 'disabled123', 'banned'],
    ];
    for (const [u, p, clip] of cases) {
      const hls = await get(panel, `/live/${u}/${p}/1001.m3u8`, { ip });
      assert.equal(hls.status, 200, u);
      assert.match(hls.headers.get('content-type') ?? '', /mpegurl/i);
      const lines = hls.text.split('\n');
      assert.equal(lines[0], '#EXTM3U');
      const uris = lines.filter((l) => l && !l.startsWith('#'));
      assert.deepEqual(uris, [`${panel.url}/auth/${clip}.ts`], u);
      assert.ok(hls.text.includes('#EXT-X-ENDLIST'));
      for (const path of [`/live/${u}/${p}/1001.ts`, `/movie/${u}/${p}/2001.mp4`, `/series/${u}/${p}/4001.mp4`, `/timeshift/${u}/${p}/60/2025-06-01:10-00/1001.ts`]) {
        const r = await get(panel, path, { ip });
        assert.equal(r.status, 302, path);
        assert.equal(r.headers.get('location'), `${panel.url}/auth/${clip}.ts`, path);
        assert.equal(r.text, '');
      }
    }
    assert.equal(panel.chain(ip), 0, 'replacement videos are not flood failures');
    assert.deepEqual(panel.banList().filter((b) => b.ip === ip), []);
    const codes = codesFor(panel, ip);
    assert.equal(codes.filter((c) => c === 'USER_EXPIRED').length, 5);
    assert.equal(codes.filter((c) => c === 'USER_BAN').length, 5);
    assert.equal(codes.filter((c) => c === 'USER_DISABLED').length, 5);
  });

  test('the clips answer 200 video/mp2t (the real TS fixture); an unknown clip is the 404 page', async () => {
    const ip = freshIp();
    for (const name of ['expired', 'banned', 'connected']) {
      const r = await fetch(`${panel.url}/auth/${name}.ts`, { headers: { 'x-forwarded-for': ip } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'video/mp2t');
      const body = Buffer.from(await r.arrayBuffer());
      assert.equal(body[0], 0x47);
      assert.ok(body.equals(media('9001.ts')));
    }
    assertFake404(await get(panel, '/auth/whatever.ts', { ip }));
  });

  test('player_api / get.php / xmltv.php for those lines: the 404 page (generateError), not counted', async () => {
    const ip = freshIp();
    for (const [u, p, code] of [['expired', 'expired123', 'USER_EXPIRED'], ['banned', 'banned123', 'USER_BAN'], ['disabled', 'disabled123', 'USER_DISABLED']] as const) {
      for (const path of [`/player_api.php?${creds(u, p)}`, `/get.php?${creds(u, p)}&type=m3u_plus`, `/xmltv.php?${creds(u, p)}`]) {
        assertFake404(await get(panel, path, { ip }), `${u} ${path}`);
        const last = panel.log().filter((e) => e.ip === ip).at(-1)!;
        assert.equal(last.code, code);
        assert.equal(last.user, u);
      }
    }
    assert.equal(panel.chain(ip), 0);
  });

  test('a line at max_connections: connected video (playlist for .m3u8, 302 otherwise), USER_ALREADY_CONNECTED, not counted', async () => {
    const ip = freshIp();
    const first = await openStream(panel, '/live/single/single123/1001.ts', ip);
    assert.equal(first.status, 200);
    try {
      const ts = await get(panel, '/live/single/single123/1002.ts', { ip });
      assert.equal(ts.status, 302);
      assert.equal(ts.headers.get('location'), `${panel.url}/auth/connected.ts`);
      const hls = await get(panel, '/live/single/single123/1002.m3u8', { ip });
      assert.equal(hls.status, 200);
      assert.deepEqual(hls.text.split('\n').filter((l) => l && !l.startsWith('#')), [`${panel.url}/auth/connected.ts`]);
      const mv = await get(panel, '/movie/single/single123/2001.mp4', { ip });
      assert.equal(mv.status, 302);
      assert.equal(codesFor(panel, ip).filter((c) => c === 'USER_ALREADY_CONNECTED').length, 3);
      assert.equal(panel.chain(ip), 0);
    } finally {
      first.close();
    }
    await until(() => panel.connections().filter((c) => c.ip === ip).length === 0);
    const again = await openStream(panel, '/live/single/single123/1002.ts', ip);
    assert.equal(again.status, 200, 'a free slot streams again');
    again.close();
  });
});

describe('xcvm: the strict flood chain counts only unknown credentials', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ style: 'xcvm' })));
  after(() => panel.stop());

  test('40 wrong passwords 1.999 s apart: the 40th is still answered, the IP is banned permanently (FLOOD ATTACK), then empty 403', async () => {
    const ip = freshIp();
    for (let i = 0; i < 40; i++) {
      if (i) clock.advance(1999);
      assertFake404(await get(panel, `/player_api.php?${creds('demo', 'wrong')}`, { ip }), `attempt ${i + 1}`);
      assert.equal(panel.banList().some((b) => b.ip === ip), i === 39, `banned only after #40 (now #${i + 1})`);
    }
    const ban = panel.banList().find((b) => b.ip === ip)!;
    assert.equal(ban.until, null);
    assert.match(ban.reason, /^FLOOD ATTACK/);
    assert.ok(codesFor(panel, ip).includes('FLOOD_BLOCK'));
    assertBlocked(await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip }));
  });

  test('a gap of 2 s restarts the chain; replacement videos and other refusals in between do not count', async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) {
      await get(panel, '/live/demo/wrong/1001.ts', { ip });
      await get(panel, '/live/expired/expired123/1001.ts', { ip });
      await get(panel, '/live/basic/basic123/1003.ts', { ip });
      clock.advance(500);
    }
    assert.equal(panel.chain(ip), 30);
    clock.advance(2000);
    await get(panel, '/live/demo/wrong/1001.ts', { ip });
    assert.equal(panel.chain(ip), 1);
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
  });
});

describe('combinable flood modes', () => {
  test("flood ['seed','strict'] (xcvm): the seed count bans at 10 even when the chain never builds", async () => {
    const { panel, clock } = await panelWithClock({ style: 'xcvm', flood: ['seed', 'strict'] });
    try {
      assert.deepEqual(panel.flood, ['seed', 'strict']);
      const ip = freshIp();
      for (let i = 0; i < 10; i++) {
        clock.advance(3000);
        assertFake404(await get(panel, `/player_api.php?${creds('demo', 'wrong')}`, { ip }));
      }
      assert.equal(panel.chain(ip), 1);
      const ban = panel.banList().find((b) => b.ip === ip);
      assert.ok(ban, 'seed banned');
      assert.equal(ban.until, clock.now() + 5 * 60_000);
      assertBlocked(await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip }));
    } finally {
      await panel.stop();
    }
  });

  test("flood ['seed','strict'] (classic): logins that reset the seed count do not stop the strict chain (40 → permanent)", async () => {
    const { panel, clock } = await panelWithClock({ style: 'classic', flood: ['strict', 'seed', 'strict'] });
    try {
      assert.deepEqual(panel.floodModes, ['seed', 'strict']);
      const ip = freshIp();
      let denials = 0;
      while (denials < 39) {
        for (let i = 0; i < 9 && denials < 39; i++, denials++) {
          clock.advance(100);
          assert.equal((await get(panel, `/player_api.php?${creds('demo', 'wrong')}`, { ip })).status, 200);
        }
        assert.equal((await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip })).json().user_info.auth, 1);
      }
      assert.equal(panel.chain(ip), 39);
      assert.ok(panel.failures(ip) < 10, 'the seed count was reset by the logins');
      assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
      clock.advance(100);
      assertBlocked(await get(panel, `/player_api.php?${creds('demo', 'wrong')}`, { ip }));
      assert.equal(panel.banList().find((b) => b.ip === ip)!.until, null);
    } finally {
      await panel.stop();
    }
  });

  test("the strings still work, 'off' and [] mean none, a bad mode is refused", async () => {
    const { panel } = await panelWithClock({ flood: 'off' });
    assert.equal(panel.flood, 'off');
    assert.deepEqual(panel.floodModes, []);
    await panel.stop();
    const { panel: p2 } = await panelWithClock({ flood: [] });
    assert.equal(p2.flood, 'off');
    await p2.stop();
    await assert.rejects(panelWithClock({ flood: ['seed', 'bogus' as 'seed'] }), /flood must be/);
  });
});

describe('xcvm: a banned IP gets an empty 403, then the firewall drops it', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ style: 'xcvm', firewallDelayMs: 5000 })));
  after(() => panel.stop());

  test('every route answers an empty 403 until firewallDelayMs, then nothing at all; unban releases the socket', async () => {
    const ip = freshIp();
    panel.ban(ip, null, 'test');
    for (const p of [`/player_api.php?${creds('demo', 'test123')}`, '/live/demo/test123/9001.ts', '/auth/expired.ts', '/nothing', '/portal.php?type=stb&action=handshake']) {
      assertBlocked(await get(panel, p, { ip }), p);
    }
    clock.advance(4999);
    assertBlocked(await get(panel, '/', { ip }));
    assert.equal(panel.firewalled(ip), false);
    clock.advance(1);
    assert.equal(panel.firewalled(ip), true);
    let destroyClient = (): void => undefined;
    const pending = rawTimed(panel, `/player_api.php?${creds('demo', 'test123')}`, ip, 300, { keepOnTimeout: true, onSocket: (d) => (destroyClient = d) });
    assert.deepEqual(await pending, { kind: 'timeout' }, 'no answer: the client times out');
    assert.equal(panel.droppedSockets(ip), 1, 'the silent socket is tracked');
    assert.ok(codesFor(panel, ip).includes('FIREWALL_DROP'));
    // another IP is unaffected
    assert.equal((await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip: freshIp() })).status, 200);
    panel.unban(ip);
    await until(() => panel.droppedSockets(ip) === 0);
    destroyClient();
    const back = await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip });
    assert.equal(back.status, 200);
  });

  test('the server side closes the held sockets on reset() and stop()', async () => {
    const { panel: p, clock: c } = await panelWithClock({ style: 'xcvm', firewallDelayMs: 10 });
    const ip = freshIp();
    p.ban(ip, null);
    c.advance(10);
    const a = rawTimed(p, '/', ip, 5000);
    await until(() => p.droppedSockets(ip) === 1);
    p.reset();
    const ra = await a;
    assert.equal(ra.kind, 'error', 'the client sees the connection close, not an answer');
    assert.equal(p.droppedSockets(), 0);
    p.ban(ip, null);
    c.advance(10);
    const b = rawTimed(p, '/', ip, 5000);
    await until(() => p.droppedSockets(ip) === 1);
    await p.stop();
    assert.equal((await b).kind, 'error');
  });

  test('other styles never firewall (an old ban is still an empty 403)', async () => {
    const { panel: p, clock: c } = await panelWithClock({ style: 'masked', firewallDelayMs: 10 });
    try {
      const ip = freshIp();
      p.ban(ip, null);
      c.advance(60 * 60_000);
      assertBlocked(await get(p, '/', { ip }));
      assert.equal(p.firewalled(ip), false);
    } finally {
      await p.stop();
    }
  });
});

describe('xcvm: bruteforce (10 usernames / 5 MACs within 300 s)', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ style: 'xcvm' })));
  after(() => panel.stop());

  const wrong = (user: string, ip: string) => get(panel, `/player_api.php?${creds(user, 'nope')}`, { ip });

  test('the 10th distinct username is answered (404) and bans the IP: BRUTEFORCE USER ATTACK', async () => {
    const ip = freshIp();
    for (let i = 1; i <= 9; i++) {
      clock.advance(3000); // no flood chain
      assertFake404(await wrong(`user${i}`, ip));
    }
    assert.equal(panel.bruteforceCount(ip, 'user'), 9);
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
    clock.advance(3000);
    assertFake404(await wrong('user10', ip));
    const ban = panel.banList().find((b) => b.ip === ip)!;
    assert.equal(ban.reason, 'BRUTEFORCE USER ATTACK');
    assert.equal(ban.until, null);
    assert.ok(codesFor(panel, ip).includes('BRUTEFORCE_USER'));
    assertBlocked(await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip }));
  });

  test('the same username again is one attempt; wrong passwords of one user never trip it', async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) {
      clock.advance(3000);
      await wrong('demo', ip);
    }
    assert.equal(panel.bruteforceCount(ip, 'user'), 1);
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
  });

  test('attempts older than 300 s drop out of the window', async () => {
    const ip = freshIp();
    for (let i = 1; i <= 9; i++) {
      clock.advance(3000);
      await wrong(`w${i}`, ip);
    }
    clock.advance(300_001 - 3000);
    await wrong('w10', ip);
    assert.ok(panel.bruteforceCount(ip, 'user') < 9, `${panel.bruteforceCount(ip, 'user')} left`);
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
  });

  test('5 distinct MACs with an unverified get_profile → BRUTEFORCE MAC ATTACK; 4 do not', async () => {
    const ip = freshIp();
    const macs = [1, 2, 3, 4, 5].map((n) => `00:1A:79:AB:00:0${n}`);
    for (const mac of macs.slice(0, 4)) {
      clock.advance(3000);
      assert.equal((await profile(panel, { ip, mac, token: 'A'.repeat(32) }, 'SN1')).status, 200);
    }
    assert.equal(panel.bruteforceCount(ip, 'mac'), 4);
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
    clock.advance(3000);
    await profile(panel, { ip, mac: macs[4], token: 'A'.repeat(32) }, 'SN1');
    assert.equal(panel.banList().find((b) => b.ip === ip)?.reason, 'BRUTEFORCE MAC ATTACK');
    assert.ok(codesFor(panel, ip).includes('BRUTEFORCE_MAC'));
  });
});

describe('xcvm: MAGSCAN', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock({ style: 'xcvm' })));
  after(() => panel.stop());

  test('a get_profile without sn bans the IP at once: 404 with an empty body, then empty 403', async () => {
    const ip = freshIp();
    const token = await handshake(panel, MAC_OK, ip);
    const r = await profile(panel, { ip, mac: MAC_OK, token }, null);
    assert.equal(r.status, 404);
    assert.equal(r.text, '');
    const ban = panel.banList().find((b) => b.ip === ip)!;
    assert.equal(ban.reason, '[MS] No Serial Number');
    assert.equal(ban.until, null);
    assert.ok(codesFor(panel, ip).includes('MAGSCAN'));
    assertBlocked(await profile(panel, { ip, mac: MAC_OK, token }, 'SN1'));
  });

  test('the first verified sn is stored; another sn for that MAC (any IP) is a MAGSCAN ban', async () => {
    const mac = '00:1A:79:00:00:0A';
    panel.addMagDevice({ mac, user: 'demo', status: 0 });
    const a = freshIp();
    const t1 = await handshake(panel, mac, a);
    const ok = await profile(panel, { ip: a, mac, token: t1 }, 'SN-FIRST');
    assert.equal(ok.status, 200);
    assert.equal(ok.json().js.status, 0);
    assert.equal((await profile(panel, { ip: a, mac, token: t1 }, 'SN-FIRST')).json().js.status, 0, 'the same sn again is fine');
    const b = freshIp();
    const t2 = await handshake(panel, mac, b);
    const scan = await profile(panel, { ip: b, mac, token: t2 }, 'SN-OTHER');
    assert.equal(scan.status, 404);
    assert.equal(panel.banList().find((x) => x.ip === b)?.reason, '[MS] Invalid Serial Number');
    assert.equal(panel.banList().filter((x) => x.ip === a).length, 0);
  });

  test('a device configured with an sn refuses any other from the start', async () => {
    const mac = '00:1A:79:00:00:0B';
    panel.addMagDevice({ mac, user: 'demo', status: 0, sn: 'SN-STORED' });
    const ip = freshIp();
    const t = await handshake(panel, mac, ip);
    assert.equal((await profile(panel, { ip, mac, token: t }, 'SN-STORED')).status, 200);
    const ip2 = freshIp();
    const t2 = await handshake(panel, mac, ip2);
    assert.equal((await profile(panel, { ip: ip2, mac, token: t2 }, 'SN-GUESS')).status, 404);
    assert.ok(panel.banList().some((x) => x.ip === ip2));
  });
});

describe('xcvm: at most 2 simultaneous downloads per line', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock({ style: 'xcvm', downloadDelayMs: 300 })));
  after(() => panel.stop());

  test('a 3rd concurrent get.php → 429 with an empty body (DOWNLOAD_LIMIT_REACHED, not counted); later ones work again', async () => {
    const ip = freshIp();
    const url = `/get.php?${creds('demo', 'test123')}&type=m3u_plus&output=ts`;
    const replies = await Promise.all([get(panel, url, { ip }), get(panel, url, { ip }), get(panel, url, { ip })]);
    const statuses = replies.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 429]);
    const limited = replies.find((r) => r.status === 429)!;
    assert.equal(limited.text, '');
    assert.equal(limited.headers.get('retry-after'), null);
    assert.ok(codesFor(panel, ip).includes('DOWNLOAD_LIMIT_REACHED'));
    assert.equal(panel.chain(ip), 0);
    assert.equal((await get(panel, url, { ip })).status, 200);
  });

  test('xmltv.php counts apart from get.php; three xmltv.php at once → one 429', async () => {
    const ip = freshIp();
    const m3u = `/get.php?${creds('demo', 'test123')}&type=m3u_plus`;
    const epg = `/xmltv.php?${creds('demo', 'test123')}`;
    const mixed = await Promise.all([get(panel, m3u, { ip }), get(panel, m3u, { ip }), get(panel, epg, { ip })]);
    assert.deepEqual(mixed.map((r) => r.status), [200, 200, 200]);
    const three = await Promise.all([get(panel, epg, { ip }), get(panel, epg, { ip }), get(panel, epg, { ip })]);
    assert.deepEqual(three.map((r) => r.status).sort(), [200, 200, 429]);
  });
});

for (const style of ['classic', 'masked', 'xcvm'] as const) {
  describe(`stream 9001 serves the real media fixtures (${style})`, () => {
    let panel: Panel;
    before(async () => ({ panel } = await panelWithClock({ style })));
    after(() => panel.stop());

    test('/live/U/P/9001.m3u8 → a VOD playlist of /hls/ segments the panel serves byte-exactly; CORS *', async () => {
      const ip = freshIp();
      const pl = await get(panel, '/live/demo/test123/9001.m3u8', { ip, headers: { origin: 'http://player.example' } });
      assert.equal(pl.status, 200);
      assert.equal(pl.headers.get('access-control-allow-origin'), '*');
      assert.ok(pl.text.startsWith('#EXTM3U'));
      assert.ok(pl.text.includes('#EXT-X-ENDLIST'));
      const uris = pl.text.split('\n').filter((l) => l && !l.startsWith('#'));
      assert.equal(uris.length, 3);
      for (const [n, uri] of uris.entries()) {
        assert.match(uri, /^\/hls\/[0-9a-f]{32}\/9001\/\d\.ts$/);
        const r = await fetch(panel.url + uri, { headers: { 'x-forwarded-for': ip } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('access-control-allow-origin'), '*');
        assert.equal(r.headers.get('content-type'), 'video/mp2t');
        assert.ok(Buffer.from(await r.arrayBuffer()).equals(media(`9001_${n}.ts`)), `segment ${n}`);
      }
    });

    test('/live/U/P/9001.ts is the TS file; /movie/U/P/9001.mp4 the MP4 with Range', async () => {
      const ip = freshIp();
      const ts = await fetch(`${panel.url}/live/demo/test123/9001.ts`, { headers: { 'x-forwarded-for': ip } });
      assert.equal(ts.status, 200);
      assert.equal(ts.headers.get('access-control-allow-origin'), '*');
      assert.ok(Buffer.from(await ts.arrayBuffer()).equals(media('9001.ts')));
      const mp4 = media('9001.mp4');
      const full = await fetch(`${panel.url}/movie/demo/test123/9001.mp4`, { headers: { 'x-forwarded-for': ip } });
      assert.equal(full.headers.get('content-type'), 'video/mp4');
      assert.ok(Buffer.from(await full.arrayBuffer()).equals(mp4));
      const part = await fetch(`${panel.url}/movie/demo/test123/9001.mp4`, { headers: { 'x-forwarded-for': ip, range: 'bytes=100-199' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-199/${mp4.length}`);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(mp4.subarray(100, 200)));
      const pre = await fetch(`${panel.url}/movie/demo/test123/9001.mp4`, { method: 'OPTIONS', headers: { origin: 'http://player.example', 'access-control-request-headers': 'range' } });
      assert.equal(pre.status, 204);
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Range/);
      // a line whose bouquet lacks 9001 is refused as for any other stream
      assert.notEqual((await get(panel, '/live/basic/basic123/9001.ts', { ip })).status, 200);
    });
  });
}
