/** Xtream API surfaces of the demo panel, in both answer styles: every seed log code and user_info example. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { catalog } from '../../core/catalog.js';
import { NGINX_404, type Panel } from '../../demo/panel/index.js';
import { creds, freshIp, get, lastLog, panelWithClock, raw, T0, type FakeClock } from './helpers.js';

interface DenyCase {
  code: string;
  status: number;
  path: string;
  headers?: Record<string, string>;
  ip?: string;
  /** Send no User-Agent at all. */
  noUa?: boolean;
  user: string;
}

/** One request per seed log code a stream request can meet (USER_ALREADY_CONNECTED lives in streams.test.ts). */
const DENIALS: DenyCase[] = [
  { code: 'AUTH_FAILED', status: 401, path: '/live/demo/wrong/1001.m3u8', user: 'demo' },
  { code: 'USER_EXPIRED', status: 401, path: '/live/expired/expired123/1001.ts', user: 'expired' },
  { code: 'USER_BAN', status: 401, path: '/live/banned/banned123/1001.ts', user: 'banned' },
  { code: 'USER_DISABLED', status: 401, path: '/live/disabled/disabled123/1001.ts', user: 'disabled' },
  { code: 'IP_BAN', status: 403, path: '/live/iplocked/iplocked123/1001.m3u8', user: 'iplocked' },
  { code: 'COUNTRY_DISALLOW', status: 403, path: '/live/geo/geo123/1001.m3u8', headers: { 'x-test-country': 'US' }, user: 'geo' },
  { code: 'USER_AGENT_BAN', status: 403, path: '/live/uarules/uarules123/1001.m3u8', headers: { 'user-agent': 'BadPlayer/2.1' }, user: 'uarules' },
  { code: 'EMPTY_UA', status: 403, path: '/live/uarules/uarules123/1001.m3u8', noUa: true, user: 'uarules' },
  { code: 'NOT_IN_BOUQUET', status: 406, path: '/live/basic/basic123/1003.m3u8', user: 'basic' },
  { code: 'NOT_IN_BOUQUET', status: 406, path: '/movie/basic/basic123/2002.mkv', user: 'basic' },
  { code: 'USER_DISALLOW_EXT', status: 405, path: '/live/hlsonly/hlsonly123/1001.ts', user: 'hlsonly' },
  { code: 'ISP_LOCK_FAILED', status: 403, path: '/live/isplock/isplock123/1001.m3u8', headers: { 'x-test-isp': 'MobileNet' }, user: 'isplock' },
  { code: 'CON_SVP', status: 403, path: '/live/demo/test123/1001.m3u8', headers: { 'x-test-vpn': '1' }, user: 'demo' },
  { code: 'CRACKED', status: 403, path: '/live/demo/test123/1001.m3u8', ip: '198.51.100.66', user: 'demo' },
];

async function ask(panel: Panel, c: DenyCase) {
  const ip = c.ip ?? freshIp();
  if (c.noUa) {
    const r = await raw(panel, c.path, { 'x-forwarded-for': ip });
    return { status: r.status, text: r.body.toString('utf8'), type: String(r.headers['content-type'] ?? '') };
  }
  const r = await get(panel, c.path, { ip, headers: c.headers });
  return { status: r.status, text: r.text, type: r.headers.get('content-type') ?? '' };
}

function assertLogged(panel: Panel, c: DenyCase, status: number): void {
  const entry = lastLog(panel);
  assert.ok(entry, 'a log entry');
  assert.equal(entry.code, c.code);
  assert.equal(entry.status, status);
  assert.equal(entry.user, c.user);
  const password = c.path.split('/')[3]!;
  assert.ok(!entry.path.includes(password), `password must not be logged: ${entry.path}`);
  assert.ok(!JSON.stringify(entry).includes(password));
}

describe('classic style', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ style: 'classic' })));
  after(() => panel.stop());

  for (const c of DENIALS) {
    test(`${c.code} on ${c.path.split('/')[1]} → ${c.status} with a body naming the code`, async () => {
      const r = await ask(panel, c);
      assert.equal(r.status, c.status);
      assert.equal(c.status, catalog[c.code]!.httpStatus[0]);
      assert.match(r.type, /json/);
      const body = JSON.parse(r.text);
      assert.equal(body.error, c.code);
      assert.equal(body.message, catalog[c.code]!.reference!.description);
      assertLogged(panel, c, c.status);
    });
  }

  test('the same requests pass once the rule is satisfied (the rules really discriminate)', async () => {
    assert.equal((await get(panel, '/live/iplocked/iplocked123/1001.m3u8', { ip: '203.0.113.10' })).status, 200);
    assert.equal((await get(panel, '/live/geo/geo123/1001.m3u8', { ip: freshIp(), headers: { 'x-test-country': 'gb' } })).status, 200);
    assert.equal((await get(panel, '/live/isplock/isplock123/1001.m3u8', { ip: freshIp(), headers: { 'x-test-isp': 'HomeFiber' } })).status, 200);
    assert.equal((await get(panel, '/live/uarules/uarules123/1001.m3u8', { ip: freshIp() })).status, 200);
    assert.equal((await get(panel, '/live/basic/basic123/1002.m3u8', { ip: freshIp() })).status, 200);
    assert.equal((await get(panel, '/live/hlsonly/hlsonly123/1001.m3u8', { ip: freshIp() })).status, 200);
  });

  test('player_api success: the seed user_info shape plus server_info, with a Date header from the panel clock', async () => {
    const r = await get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip: freshIp() });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('date'), new Date(clock.now()).toUTCString());
    const { user_info: u, server_info: s } = r.json();
    assert.equal(u.username, 'demo');
    assert.equal(u.password, 'test123');
    assert.equal(u.auth, 1);
    assert.equal(u.status, 'Active');
    assert.equal(u.exp_date, String(Math.floor(T0 / 1000) + 30 * 86400));
    assert.equal(u.is_trial, '0');
    assert.equal(u.active_cons, '0');
    assert.match(u.created_at, /^\d+$/);
    assert.equal(u.max_connections, '2');
    assert.deepEqual(u.allowed_output_formats, ['m3u8', 'ts', 'rtmp']);
    assert.equal(s.url, '127.0.0.1');
    assert.equal(s.port, String(panel.port));
    assert.equal(s.https_port, '443');
    assert.equal(s.server_protocol, 'http');
    assert.equal(s.timezone, 'UTC');
    assert.equal(s.timestamp_now, Math.floor(T0 / 1000));
    assert.equal(s.time_now, '2025-06-01 12:00:00');
    const trial = (await get(panel, `/player_api.php?${creds('trial', 'trial123')}`, { ip: freshIp() })).json();
    assert.equal(trial.user_info.is_trial, '1');
    assert.equal(trial.user_info.max_connections, '1');
    const path = (await get(panel, '/player_api/demo/test123', { ip: freshIp() })).json();
    assert.equal(path.user_info.auth, 1);
  });

  test('player_api failures: the seed examples (bad password, Expired, Banned, Disabled) with 200', async () => {
    const ip = freshIp();
    const bad = await get(panel, `/player_api.php?${creds('demo', 'nope')}`, { ip });
    assert.equal(bad.status, 200);
    assert.deepEqual(bad.json(), { user_info: { auth: 0 } });
    assert.equal(lastLog(panel)!.code, 'AUTH_FAILED');
    const unknown = await get(panel, `/player_api.php?${creds('ghost', 'x')}`, { ip });
    assert.deepEqual(unknown.json(), { user_info: { auth: 0 } });

    const exp = await get(panel, `/player_api.php?${creds('expired', 'expired123')}`, { ip });
    assert.equal(exp.status, 200);
    assert.deepEqual(exp.json(), {
      user_info: {
        username: 'expired',
        auth: 0,
        status: 'Expired',
        exp_date: String(Math.floor(T0 / 1000) - 7 * 86400),
        message: 'Your subscription has expired',
      },
    });
    assert.equal(lastLog(panel)!.code, 'USER_EXPIRED');
    const ban = await get(panel, `/player_api.php?${creds('banned', 'banned123')}`, { ip });
    assert.deepEqual(ban.json(), { user_info: { username: 'banned', auth: 0, status: 'Banned', message: 'Your account has been suspended' } });
    assert.equal(lastLog(panel)!.code, 'USER_BAN');
    const dis = await get(panel, `/player_api.php?${creds('disabled', 'disabled123')}`, { ip });
    assert.deepEqual(dis.json(), { user_info: { username: 'disabled', auth: 0, status: 'Disabled', message: 'Your account has been disabled' } });
    // the fifth failure from this IP also leaves the seed's flood warning in the log
    assert.deepEqual(
      panel.log().filter((e) => e.ip === ip).map((e) => e.code),
      ['AUTH_FAILED', 'AUTH_FAILED', 'USER_EXPIRED', 'USER_BAN', 'USER_DISABLED', 'FLOOD_WARNING'],
    );
  });

  test('an account that expires while the panel runs turns Expired by the panel clock', async () => {
    panel.setUser('trial', { expiresInDays: 1 });
    const ip = freshIp();
    assert.equal((await get(panel, `/player_api.php?${creds('trial', 'trial123')}`, { ip })).json().user_info.auth, 1);
    clock.advance(86400_000 + 1000);
    try {
      const r = (await get(panel, `/player_api.php?${creds('trial', 'trial123')}`, { ip })).json();
      assert.equal(r.user_info.status, 'Expired');
    } finally {
      clock.advance(-(86400_000 + 1000));
    }
  });

  test('player_api actions return small realistic data, filtered by bouquet', async () => {
    const ip = freshIp();
    const q = (u: string, p: string, rest: string) => get(panel, `/player_api.php?${creds(u, p)}&${rest}`, { ip });
    const cats = (await q('demo', 'test123', 'action=get_live_categories')).json();
    assert.ok(cats.length >= 3 && cats.every((c: any) => typeof c.category_id === 'string' && c.category_name));
    const all = (await q('demo', 'test123', 'action=get_live_streams')).json();
    const basic = (await q('basic', 'basic123', 'action=get_live_streams')).json();
    assert.equal(all.length, 6);
    assert.deepEqual(basic.map((s: any) => s.stream_id), [1001, 1002, 1006]);
    assert.ok(all.every((s: any) => s.stream_type === 'live' && typeof s.epg_channel_id === 'string'));
    const news = (await q('demo', 'test123', 'action=get_live_streams&category_id=1')).json();
    assert.deepEqual(news.map((s: any) => s.stream_id), [1001, 1002]);
    assert.ok((await q('demo', 'test123', 'action=get_vod_categories')).json().length >= 2);
    const vod = (await q('demo', 'test123', 'action=get_vod_streams')).json();
    assert.ok(vod.some((v: any) => v.stream_id === 2001 && v.container_extension === 'mp4'));
    const info = (await q('demo', 'test123', 'action=get_vod_info&vod_id=2002')).json();
    assert.equal(info.movie_data.stream_id, 2002);
    assert.equal(info.movie_data.container_extension, 'mkv');
    assert.equal((await q('demo', 'test123', 'action=get_series')).json().length, 2);
    const si = (await q('demo', 'test123', 'action=get_series_info&series_id=3001')).json();
    assert.deepEqual(Object.keys(si.episodes), ['1', '2']);
    assert.equal(si.episodes['1'][0].id, '4001');
    const epg = (await q('demo', 'test123', 'action=get_short_epg&stream_id=1001&limit=3')).json();
    assert.equal(epg.epg_listings.length, 3);
    const first = epg.epg_listings[0];
    assert.ok(Buffer.from(first.title, 'base64').toString('utf8').length > 2);
    assert.ok(Number(first.start_timestamp) <= T0 / 1000 && T0 / 1000 < Number(first.stop_timestamp));
    const viaPath = (await get(panel, '/player_api/demo/test123/get_vod_categories', { ip })).json();
    assert.ok(Array.isArray(viaPath) && viaPath.length >= 2);
  });

  test('400 for missing parameters and unknown actions; 404 for unknown ids', async () => {
    const ip = freshIp();
    const missing = await get(panel, '/player_api.php?username=demo', { ip });
    assert.equal(missing.status, 400);
    assert.equal(missing.json().error, 'BAD_REQUEST');
    assert.equal((await get(panel, `/player_api.php?${creds('demo', 'test123')}&action=get_vod_info`, { ip })).status, 400);
    assert.equal((await get(panel, `/player_api.php?${creds('demo', 'test123')}&action=drop_tables`, { ip })).status, 400);
    assert.equal((await get(panel, `/player_api.php?${creds('demo', 'test123')}&action=get_vod_info&vod_id=999`, { ip })).status, 404);
    assert.equal((await get(panel, `/live/demo/test123/9999.ts`, { ip })).status, 404);
    assert.equal(lastLog(panel)!.code, '404');
  });

  test('panel_api.php: user_info + server_info + categories + available_channels', async () => {
    const r = await get(panel, `/panel_api.php?${creds('basic', 'basic123')}`, { ip: freshIp() });
    assert.equal(r.status, 200);
    const b = r.json();
    assert.equal(b.user_info.auth, 1);
    assert.equal(b.server_info.timestamp_now, Math.floor(T0 / 1000));
    assert.ok(Array.isArray(b.categories.live) && Array.isArray(b.categories.movie));
    assert.deepEqual(Object.keys(b.available_channels).sort(), ['1001', '1002', '1006', '2001']);
  });

  test('get.php gives an m3u_plus playlist; xmltv.php a small XMLTV; failures are 401/405 with the code', async () => {
    const ip = freshIp();
    const m3u = await get(panel, `/get.php?${creds('basic', 'basic123')}&type=m3u_plus&output=ts`, { ip });
    assert.equal(m3u.status, 200);
    const lines = m3u.text.trim().split('\n');
    assert.equal(lines[0], '#EXTM3U');
    assert.match(lines[1]!, /^#EXTINF:-1 tvg-id="demonews.uk" .*group-title="News",Demo News HD$/);
    assert.equal(lines[2], `${panel.url}/live/basic/basic123/1001.ts`);
    assert.ok(!m3u.text.includes('/1003.'), 'channels outside the bouquet are not listed');
    const hls = await get(panel, `/get.php?${creds('hlsonly', 'hlsonly123')}&type=m3u_plus&output=ts`, { ip });
    assert.equal(hls.status, 405);
    assert.equal(hls.json().error, 'USER_DISALLOW_EXT');
    const hls2 = await get(panel, `/get.php?${creds('hlsonly', 'hlsonly123')}&type=m3u_plus&output=m3u8`, { ip });
    assert.match(hls2.text, /\/live\/hlsonly\/hlsonly123\/1001\.m3u8/);
    const bad = await get(panel, `/get.php?${creds('demo', 'x')}&type=m3u_plus`, { ip });
    assert.equal(bad.status, 401);
    assert.equal(bad.json().error, 'AUTH_FAILED');
    assert.equal((await get(panel, `/get.php?${creds('demo', 'test123')}&type=m3u9`, { ip })).status, 400);
    const xml = await get(panel, `/xmltv.php?${creds('demo', 'test123')}`, { ip });
    assert.equal(xml.status, 200);
    assert.match(xml.text, /^<\?xml/);
    assert.match(xml.text, /<channel id="demonews.uk">/);
    assert.equal((xml.text.match(/<programme /g) ?? []).length, 36);
    // classic panels do not rate-limit downloads
    for (let i = 0; i < 4; i++) assert.equal((await get(panel, `/xmltv.php?${creds('demo', 'test123')}`, { ip })).status, 200);
  });
});

describe('masked style', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ style: 'masked' })));
  after(() => panel.stop());

  for (const c of DENIALS) {
    const expired = c.code === 'USER_EXPIRED';
    test(`${c.code} → ${expired ? '200 expired video' : `${c.status} with an empty body`}, logged with its code`, async () => {
      const r = await ask(panel, c);
      if (expired) {
        assert.equal(r.status, 200);
        assert.equal(r.type, 'video/mp2t');
        assert.equal(r.text.charCodeAt(0), 0x47);
        assertLogged(panel, c, 200);
      } else {
        assert.equal(r.status, c.status);
        assert.equal(r.text, '');
        assertLogged(panel, c, c.status);
      }
    });
  }

  test('a bad login on the .php API endpoints is a fake nginx 404 page', async () => {
    const ip = freshIp();
    for (const path of [
      `/player_api.php?${creds('demo', 'wrong')}`,
      `/player_api.php?${creds('banned', 'banned123')}`,
      `/player_api.php?${creds('disabled', 'disabled123')}`,
      `/panel_api.php?${creds('demo', 'wrong')}`,
      `/get.php?${creds('demo', 'wrong')}&type=m3u_plus&output=ts`,
      `/xmltv.php?${creds('nobody', 'wrong')}`,
    ]) {
      const r = await get(panel, path, { ip });
      assert.equal(r.status, 404, path);
      assert.equal(r.text, NGINX_404);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    }
    assert.deepEqual(
      panel.log().filter((e) => e.ip === ip).map((e) => e.code),
      ['AUTH_FAILED', 'USER_BAN', 'USER_DISABLED', 'AUTH_FAILED', 'AUTH_FAILED', 'FLOOD_WARNING', 'AUTH_FAILED'],
    );
    // the API still tells an expired account so (the seed shape)
    const exp = await get(panel, `/player_api.php?${creds('expired', 'expired123')}`, { ip: freshIp() });
    assert.equal(exp.json().user_info.status, 'Expired');
  });

  test("an expired account's playlist and HLS stream are the expired video", async () => {
    const ip = freshIp();
    const m3u = await get(panel, `/get.php?${creds('expired', 'expired123')}&type=m3u_plus&output=ts`, { ip });
    assert.equal(m3u.status, 200);
    assert.match(m3u.text, /^#EXTM3U\n#EXTINF:-1 .*Expired\nhttp:\/\/127\.0\.0\.1:\d+\/auth\/expired\.ts\n$/);
    const hls = await get(panel, '/live/expired/expired123/1001.m3u8', { ip });
    assert.equal(hls.status, 200);
    assert.match(hls.text, /\/auth\/expired\.ts/);
    const video = await get(panel, '/auth/expired.ts', { ip });
    assert.equal(video.status, 200);
    assert.equal(video.text.length > 0, true);
  });

  test('429 without Retry-After after 3 playlist/EPG downloads a minute per user, lifted a minute later', async () => {
    const ip = freshIp();
    const url = `/get.php?${creds('demo', 'test123')}&type=m3u_plus&output=ts`;
    for (let i = 0; i < 3; i++) assert.equal((await get(panel, url, { ip })).status, 200);
    const limited = await get(panel, url, { ip });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.equal(limited.text, '');
    assert.equal(lastLog(panel)!.code, '429');
    assert.equal((await get(panel, `/xmltv.php?${creds('demo', 'test123')}`, { ip })).status, 429);
    clock.advance(61_000);
    assert.equal((await get(panel, url, { ip })).status, 200);
  });
});
