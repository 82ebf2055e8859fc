/**
 * Every seed HTTP status and every seed client log code is reachable on the demo panel, in both answer styles:
 * classic answers name the code, masked answers hide it (yet the panel log records it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { catalog } from '../../core/catalog.js';
import type { Panel } from '../../demo/panel/index.js';
import { freshIp, get, panelWithClock, raw, type FakeClock } from './helpers.js';

const SEED_STATUSES = Object.values(catalog)
  .filter((e) => e.kind === 'http-status' && e.source === 'xtream' && e.documented)
  .map((e) => Number(e.code))
  .sort((a, b) => a - b);
const SEED_LOG_CODES = Object.values(catalog)
  .filter((e) => e.kind === 'log-code' && e.documented)
  .map((e) => e.code)
  .sort();

interface Seen {
  status: number;
  body: string;
}

const MAC = '00:1A:79:00:00:01';
const stb = { cookie: `mac=${encodeURIComponent(MAC)}`, 'user-agent': 'MAG250' };

async function playPath(panel: Panel, ip: string): Promise<string> {
  const token = (await get(panel, '/portal.php?type=stb&action=handshake', { ip, headers: stb })).json().js.token as string;
  const auth = { ...stb, authorization: `Bearer ${token}` };
  await get(panel, '/portal.php?type=stb&action=get_profile&sn=COVERAGE', { ip, headers: auth });
  const link = await get(panel, '/portal.php?type=itv&action=create_link&cmd=ffrt%20http://localhost/ch/1002_', { ip, headers: auth });
  return new URL(link.json().js.cmd).pathname;
}

/** One request (or a short flow) per seed log code; each from its own client IP. */
function scenarios(clock: () => FakeClock): Record<string, (panel: Panel) => Promise<Seen>> {
  const fetchSeen = async (panel: Panel, path: string, o: Parameters<typeof get>[2] = {}): Promise<Seen> => {
    const r = await get(panel, path, { ip: freshIp(), ...o });
    return { status: r.status, body: r.text };
  };
  return {
    AUTH_FAILED: (p) => fetchSeen(p, '/live/demo/bad/1001.m3u8'),
    USER_EXPIRED: (p) => fetchSeen(p, '/movie/expired/expired123/2001.mp4'),
    USER_BAN: (p) => fetchSeen(p, '/live/banned/banned123/1001.ts'),
    USER_DISABLED: (p) => fetchSeen(p, '/series/disabled/disabled123/4001.mp4'),
    USER_ALREADY_CONNECTED: async (p) => {
      assert.equal((await fetchSeen(p, '/live/single/single123/1001.m3u8')).status, 200);
      return fetchSeen(p, '/live/single/single123/1002.m3u8');
    },
    IP_BAN: (p) => fetchSeen(p, '/live/iplocked/iplocked123/1001.m3u8'),
    COUNTRY_DISALLOW: (p) => fetchSeen(p, '/live/geo/geo123/1001.m3u8', { headers: { 'x-test-country': 'FR' } }),
    USER_AGENT_BAN: (p) => fetchSeen(p, '/live/uarules/uarules123/1001.m3u8', { headers: { 'user-agent': 'xBadPlayerx' } }),
    EMPTY_UA: async (p) => {
      const r = await raw(p, '/live/uarules/uarules123/1001.m3u8', { 'x-forwarded-for': freshIp() });
      return { status: r.status, body: r.body.toString() };
    },
    NOT_IN_BOUQUET: (p) => fetchSeen(p, '/live/basic/basic123/1004.m3u8'),
    USER_DISALLOW_EXT: (p) => fetchSeen(p, '/live/hlsonly/hlsonly123/1002.ts'),
    ISP_LOCK_FAILED: (p) => fetchSeen(p, '/live/isplock/isplock123/1001.m3u8', { headers: { 'x-test-isp': 'Elsewhere' } }),
    CON_SVP: (p) => fetchSeen(p, '/live/demo/test123/1001.m3u8', { headers: { 'x-test-vpn': '1' } }),
    CRACKED: (p) => fetchSeen(p, '/live/demo/test123/1001.m3u8', { ip: '198.51.100.66' }),
    MAG_TOKEN_INVALID: (p) => fetchSeen(p, '/portal.php?type=stb&action=get_profile&sn=X', { headers: { ...stb, authorization: 'Bearer 00' } }),
    STALKER_KEY_EXPIRED: async (p) => {
      const ip = freshIp();
      const path = await playPath(p, ip);
      clock().advance(10 * 60_000);
      return fetchSeen(p, path, { ip });
    },
    STALKER_IP_MISMATCH: async (p) => fetchSeen(p, await playPath(p, freshIp())),
    STALKER_CHANNEL_MISMATCH: async (p) => {
      const ip = freshIp();
      return fetchSeen(p, (await playPath(p, ip)).replace('/1002.ts', '/1001.ts'), { ip });
    },
    STALKER_DECRYPT_FAILED: (p) => fetchSeen(p, '/play/eyJjIjoxfQ.AAAA/1002.ts'),
  };
}

const STATUS_FLOWS: Record<number, string> = {
  200: '/player_api.php?username=demo&password=test123',
  206: '/movie/demo/test123/2001.mp4#range=bytes=0-0',
  400: '/player_api.php?username=demo',
  401: '/live/demo/bad/1001.ts',
  403: '/live/iplocked/iplocked123/1001.m3u8',
  404: '/definitely/not/here',
  405: '/live/hlsonly/hlsonly123/1001.ts',
  406: '/live/basic/basic123/1003.m3u8',
  416: '/movie/demo/test123/2001.mp4#range=bytes=99999999-',
};

for (const style of ['classic', 'masked'] as const) {
  describe(`seed coverage, ${style} style`, () => {
    let panel: Panel;
    let clock: FakeClock;
    before(async () => ({ panel, clock } = await panelWithClock({ style })));
    after(() => panel.stop());

    test('every seed HTTP status is answered', async () => {
      assert.deepEqual(SEED_STATUSES, [200, 206, 400, 401, 403, 404, 405, 406, 416]);
      const seen: number[] = [];
      for (const [status, target] of Object.entries(STATUS_FLOWS)) {
        const [path, range] = target.split('#range=');
        const r = await get(panel, path!, { ip: freshIp(), headers: range ? { range } : {} });
        assert.equal(r.status, Number(status), target);
        seen.push(r.status);
      }
      assert.deepEqual(seen, SEED_STATUSES);
    });

    test('every seed client log code is reachable, logged, and answered in this style', async () => {
      const flows = scenarios(() => clock);
      assert.deepEqual(Object.keys(flows).sort(), SEED_LOG_CODES);
      for (const code of SEED_LOG_CODES) {
        const before = panel.log().length;
        const r = await flows[code]!(panel);
        const logged = panel.log().slice(before).map((e) => e.code);
        assert.ok(logged.includes(code), `${code} logged (got ${logged.join(', ')})`);
        if (style === 'classic') {
          assert.ok(r.body.includes(code), `${code}: the classic body names the code (${r.body.slice(0, 80)})`);
          assert.equal(r.status, catalog[code]!.httpStatus[0], code);
        } else {
          assert.ok(!r.body.includes(code), `${code}: the masked body hides the code`);
          assert.ok(r.status === catalog[code]!.httpStatus[0] || r.status === 200, `${code} → ${r.status}`);
        }
      }
    });
  });
}
