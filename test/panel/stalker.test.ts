/** MAG/Stalker portal of the demo panel: handshake, profile, create_link, play keys, token invalidation. */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Panel } from '../../demo/panel/index.js';
import { freshIp, get, lastLog, panelWithClock, type FakeClock, type Reply } from './helpers.js';

const MAC_OK = '00:1A:79:00:00:01';
const MAC_BLOCKED = '00:1A:79:00:00:02';
const MAC_LOGIN = '00:1A:79:00:00:03';
const MAC_DENIED = '00:1A:79:00:00:04';
const MAC_BASIC = '00:1A:79:00:00:05';

interface PortalOpts {
  mac?: string;
  token?: string;
  ip: string;
  base?: string;
}

function portal(panel: Panel, query: string, o: PortalOpts): Promise<Reply> {
  const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (QtEmbedded; U; Linux; C) MAG200 stbapp ver: 2 rev: 250' };
  if (o.mac) headers.cookie = `mac=${encodeURIComponent(o.mac)}; stb_lang=en; timezone=Europe%2FLondon`;
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  return get(panel, `${o.base ?? '/portal.php'}?${query}&JsHttpRequest=1-xml`, { ip: o.ip, headers });
}

async function handshake(panel: Panel, mac: string, ip: string, base?: string): Promise<string> {
  const r = await portal(panel, 'type=stb&action=handshake&token=&prehash=0', { mac, ip, base });
  assert.equal(r.status, 200);
  const token = r.json().js.token;
  assert.match(token, /^[0-9A-F]{32}$/);
  return token;
}

const profile = (panel: Panel, o: PortalOpts, sn: string | null = 'SN0001') =>
  portal(panel, `type=stb&action=get_profile&hd=1&ver=ImageDescription&stb_type=MAG250${sn ? `&sn=${sn}` : ''}&device_id=abc`, o);

/** Reads the first `n` bytes of a stream, then hangs up. */
function head(panel: Panel, url: string, ip: string, n: number): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'x-forwarded-for': ip, 'user-agent': 'MAG250' }, agent: false }, (res) => {
      let buf = Buffer.alloc(0);
      res.on('data', (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        if (buf.length >= n) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: buf });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: buf }));
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
}

describe('Stalker portal, classic style', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock()));
  after(() => panel.stop());

  test('handshake on /portal.php and /stalker_portal/server/load.php; the UI page at /c/', async () => {
    const ip = freshIp();
    const a = await handshake(panel, MAC_OK, ip);
    const b = await handshake(panel, MAC_OK, ip, '/stalker_portal/server/load.php');
    assert.notEqual(a, b);
    const ui = await get(panel, '/c/', { ip });
    assert.equal(ui.status, 200);
    assert.match(ui.text, /<html/);
    assert.equal((await get(panel, '/stalker_portal/c/', { ip })).status, 200);
  });

  test('unknown MAC: token null (counted); disallowed or malformed MAC: `Access denied.`', async () => {
    const ip = freshIp();
    const unknown = await portal(panel, 'type=stb&action=handshake', { mac: '00:1A:79:12:34:56', ip });
    assert.deepEqual(unknown.json(), { js: { token: null } });
    assert.equal(lastLog(panel)!.code, 'STALKER_HANDSHAKE_REFUSED');
    assert.equal(panel.failures(ip), 1);
    for (const mac of [MAC_DENIED, 'AA:BB:CC:DD:EE:FF', 'not-a-mac', undefined]) {
      const r = await portal(panel, 'type=stb&action=handshake', { mac, ip });
      assert.equal(r.status, 200);
      assert.equal(r.text, 'Access denied.', String(mac));
      assert.equal(lastLog(panel)!.code, 'STALKER_ACCESS_DENIED');
    }
    assert.ok(!JSON.stringify(panel.log()).includes('00:1A:79:12:34:56'), 'MACs are not logged');
  });

  test('get_profile: status 0 ok, 1 blocked, 2 login required; no sn = a scan, counted as a failure', async () => {
    const ip = freshIp();
    const ok = await profile(panel, { mac: MAC_OK, ip, token: await handshake(panel, MAC_OK, ip) });
    assert.equal(ok.json().js.status, 0);
    assert.equal(panel.failures(ip), 0);
    const blocked = await profile(panel, { mac: MAC_BLOCKED, ip, token: await handshake(panel, MAC_BLOCKED, ip) });
    assert.equal(blocked.json().js.status, 1);
    assert.equal(blocked.json().js.blocked, '1');
    assert.equal(lastLog(panel)!.code, 'STALKER_ACCOUNT_BLOCKED');
    const login = await profile(panel, { mac: MAC_LOGIN, ip, token: await handshake(panel, MAC_LOGIN, ip) });
    assert.equal(login.json().js.status, 2);
    const before = panel.failures(ip);
    const scan = await profile(panel, { mac: MAC_OK, ip, token: await handshake(panel, MAC_OK, ip) }, null);
    assert.equal(scan.text, 'Access denied.');
    assert.equal(panel.failures(ip), before + 1);
  });

  test('MAG_TOKEN_INVALID: no token, an unknown token, an expired token → 401 naming the code', async () => {
    const ip = freshIp();
    const none = await profile(panel, { mac: MAC_OK, ip });
    assert.equal(none.status, 401);
    assert.equal(none.json().error, 'MAG_TOKEN_INVALID');
    const unknown = await profile(panel, { mac: MAC_OK, ip, token: 'F'.repeat(32) });
    assert.equal(unknown.status, 401);
    const token = await handshake(panel, MAC_OK, ip);
    assert.equal((await profile(panel, { mac: MAC_OK, ip, token })).json().js.status, 0);
    clock.advance(60 * 60_000 + 1);
    const expired = await profile(panel, { mac: MAC_OK, ip, token });
    assert.equal(expired.status, 401);
    assert.equal(expired.json().error, 'MAG_TOKEN_INVALID');
    assert.equal(lastLog(panel)!.code, 'MAG_TOKEN_INVALID');
    assert.equal(lastLog(panel)!.detail, 'token expired');
  });

  test('another device (other serial) takes the MAC: the old token gets `Authorization failed.`', async () => {
    const ipA = freshIp();
    const ipB = freshIp();
    const a = await handshake(panel, MAC_OK, ipA);
    assert.equal((await profile(panel, { mac: MAC_OK, ip: ipA, token: a }, 'SERIAL-A')).json().js.status, 0);
    const b = await handshake(panel, MAC_OK, ipB);
    assert.equal((await profile(panel, { mac: MAC_OK, ip: ipB, token: b }, 'SERIAL-B')).json().js.status, 0);
    const old = await portal(panel, 'type=itv&action=get_all_channels', { mac: MAC_OK, ip: ipA, token: a });
    assert.equal(old.status, 200);
    assert.equal(old.text, 'Authorization failed.');
    assert.equal(lastLog(panel)!.code, 'MAG_TOKEN_INVALID');
    const fresh = await portal(panel, 'type=itv&action=get_all_channels', { mac: MAC_OK, ip: ipB, token: b });
    assert.equal(fresh.json().js.total_items, 6);
  });

  test('create_link → /play/KEY/ID.ts plays; the key is bound to IP, channel and time', async () => {
    const ip = freshIp();
    const token = await handshake(panel, MAC_OK, ip);
    await profile(panel, { mac: MAC_OK, ip, token }, 'SERIAL-C');
    const chans = (await portal(panel, 'type=itv&action=get_all_channels', { mac: MAC_OK, ip, token })).json().js.data;
    const cmd = chans.find((c: any) => c.id === '1001').cmd as string;
    const link = await portal(panel, `type=itv&action=create_link&cmd=${encodeURIComponent(cmd)}&series=&forced_storage=undefined`, { mac: MAC_OK, ip, token });
    const url = link.json().js.cmd as string;
    assert.ok(url.startsWith(`${panel.url}/play/`), url);
    assert.ok(url.endsWith('/1001.ts'));
    const play = await head(panel, url, ip, 188 * 20);
    assert.equal(play.status, 200);
    for (let i = 0; i < 20; i++) assert.equal(play.body[i * 188], 0x47);
    const path = new URL(url).pathname;

    const other = await get(panel, path, { ip: freshIp() });
    assert.equal(other.status, 403);
    assert.equal(other.json().error, 'STALKER_IP_MISMATCH');
    const chan = await get(panel, path.replace('/1001.ts', '/1002.ts'), { ip });
    assert.equal(chan.status, 403);
    assert.equal(chan.json().error, 'STALKER_CHANNEL_MISMATCH');
    const key = path.split('/')[2]!;
    const tampered = await get(panel, path.replace(key, key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA')), { ip });
    assert.equal(tampered.status, 403);
    assert.equal(tampered.json().error, 'STALKER_DECRYPT_FAILED');
    const garbage = await get(panel, '/play/not-a-key/1001.ts', { ip });
    assert.equal(garbage.json().error, 'STALKER_DECRYPT_FAILED');
    clock.advance(5 * 60_000 + 1);
    const old = await get(panel, path, { ip });
    assert.equal(old.status, 403);
    assert.equal(old.json().error, 'STALKER_KEY_EXPIRED');
    assert.equal(lastLog(panel)!.code, 'STALKER_KEY_EXPIRED');
    assert.ok(!lastLog(panel)!.path.includes(key), 'the key is redacted in the log');
  });

  test('create_link for a channel outside the box bouquet → 406 NOT_IN_BOUQUET; unknown → nothing_to_play', async () => {
    const ip = freshIp();
    const token = await handshake(panel, MAC_BASIC, ip);
    await profile(panel, { mac: MAC_BASIC, ip, token }, 'SERIAL-D');
    const r = await portal(panel, 'type=itv&action=create_link&cmd=ffrt%20http://localhost/ch/1003_', { mac: MAC_BASIC, ip, token });
    assert.equal(r.status, 406);
    assert.equal(r.json().error, 'NOT_IN_BOUQUET');
    const none = await portal(panel, 'type=itv&action=create_link&cmd=ffrt%20http://localhost/ch/7777_', { mac: MAC_BASIC, ip, token });
    assert.equal(none.json().js.error, 'nothing_to_play');
    assert.equal((await portal(panel, 'type=itv', { mac: MAC_BASIC, ip, token })).status, 400);
  });
});

describe('Stalker portal, masked style', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock({ style: 'masked' })));
  after(() => panel.stop());

  test('a bad token is `Authorization failed.`; a bad play key is 403 with an empty body', async () => {
    const ip = freshIp();
    const r = await profile(panel, { mac: MAC_OK, ip, token: 'nope' });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'Authorization failed.');
    assert.equal(lastLog(panel)!.code, 'MAG_TOKEN_INVALID');
    const play = await get(panel, '/play/garbage/1001.ts', { ip });
    assert.equal(play.status, 403);
    assert.equal(play.text, '');
    assert.equal(lastLog(panel)!.code, 'STALKER_DECRYPT_FAILED');
  });
});
