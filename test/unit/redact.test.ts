import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redactText, redactUrl } from '../../core/index.js';

/** Every URL form a player or portal sends credentials in; U, P, T, M, S, D are the secrets. */
const FORMS: Array<[string, (s: Record<string, string>) => string, string]> = [
  ['player_api query', (s) => `http://panel.test:8080/player_api.php?username=${s.U}&password=${s.P}&action=get_live_streams`, 'http://panel.test:8080/player_api.php?username=***&password=***&action=get_live_streams'],
  ['player_api path', (s) => `https://panel.test/player_api/${s.U}/${s.P}/get_vod_info?vod_id=12`, 'https://panel.test/player_api/***/***/get_vod_info?vod_id=12'],
  ['panel_api', (s) => `http://panel.test/panel_api.php?username=${s.U}&password=${s.P}`, 'http://panel.test/panel_api.php?username=***&password=***'],
  ['get.php', (s) => `http://panel.test/get.php?username=${s.U}&password=${s.P}&type=m3u_plus&output=ts`, 'http://panel.test/get.php?username=***&password=***&type=m3u_plus&output=ts'],
  ['xmltv', (s) => `http://panel.test/xmltv.php?username=${s.U}&password=${s.P}`, 'http://panel.test/xmltv.php?username=***&password=***'],
  ['live', (s) => `http://panel.test/live/${s.U}/${s.P}/1234.ts`, 'http://panel.test/live/***/***/1234.ts'],
  ['movie', (s) => `http://panel.test/movie/${s.U}/${s.P}/77.mkv`, 'http://panel.test/movie/***/***/77.mkv'],
  ['series', (s) => `http://panel.test/series/${s.U}/${s.P}/9.mp4`, 'http://panel.test/series/***/***/9.mp4'],
  ['timeshift', (s) => `http://panel.test/timeshift/${s.U}/${s.P}/60/2026-01-01:10-00/12.ts`, 'http://panel.test/timeshift/***/***/60/2026-01-01:10-00/12.ts'],
  ['short live', (s) => `http://panel.test/${s.U}/${s.P}/1234`, 'http://panel.test/***/***/1234'],
  ['auth token', (s) => `http://panel.test/auth/${s.T}`, 'http://panel.test/auth/***'],
  ['play token', (s) => `http://panel.test/play/${s.T}?stream=12`, 'http://panel.test/play/***?stream=12'],
  ['hls token', (s) => `http://panel.test/hls/${s.T}/12/3.ts`, 'http://panel.test/hls/***/12/3.ts'],
  ['stalker', (s) => `http://panel.test/stalker_portal/server/load.php?type=stb&action=get_profile&mac=${s.M}&sn=${s.S}&device_id=${s.D}&device_id2=${s.D}&signature=${s.T}`, 'http://panel.test/stalker_portal/server/load.php?type=stb&action=get_profile&mac=***&sn=***&device_id=***&device_id2=***&signature=***'],
  ['portal token', (s) => `http://panel.test/portal.php?type=itv&action=create_link&token=${s.T}&cmd=${encodeURIComponent(`http://panel.test/play/${s.T}`)}`, 'http://panel.test/portal.php?type=itv&action=create_link&token=***&cmd=http%3A%2F%2Fpanel.test%2Fplay%2F***'],
  ['userinfo', (s) => `http://${s.U}:${s.P}@panel.test/live/${s.U}/${s.P}/5.m3u8`, 'http://panel.test/live/***/***/5.m3u8'],
  ['relative', (s) => `/live/${s.U}/${s.P}/1.ts`, '/live/***/***/1.ts'],
  ['live HLS', (s) => `http://panel.test/live/${s.U}/${s.P}/12/index.m3u8`, 'http://panel.test/live/***/***/12/index.m3u8'],
  ['movie in a folder', (s) => `http://panel.test/movie/${s.U}/${s.P}/dir/7.mkv`, 'http://panel.test/movie/***/***/dir/7.mkv'],
  ['live, no stream', (s) => `http://panel.test/live/${s.U}/${s.P}/`, 'http://panel.test/live/***/***/'],
  ['live, no slash', (s) => `http://panel.test/live/${s.U}/${s.P}`, 'http://panel.test/live/***/***'],
  ['timeshift, no stream', (s) => `http://panel.test/timeshift/${s.U}/${s.P}`, 'http://panel.test/timeshift/***/***'],
  ['HTML-escaped query', (s) => `http://panel.test/get.php?username=${s.U}&amp;password=${s.P}&amp;type=m3u`, 'http://panel.test/get.php?username=***&amp;password=***&amp;type=m3u'],
  [
    'stalker metrics',
    (s) => `http://panel.test/stalker_portal/server/load.php?type=stb&action=get_profile&metrics=${encodeURIComponent(JSON.stringify({ mac: s.M, sn: s.S, type: 'STB', model: 'MAG250', uid: s.D, random: 'r' }))}`,
    `http://panel.test/stalker_portal/server/load.php?type=stb&action=get_profile&metrics=${encodeURIComponent('{"mac":"***","sn":"***","type":"STB","model":"MAG250","uid":"***","random":"r"}')}`,
  ],
];

const SAMPLE = { U: 'john.doe', P: 's3cr3t!pw', T: 'tok3nABCDEF', M: '00:1A:79:12:34:56', S: 'SN0123456789', D: 'DEVICEID0042' };

describe('redactUrl', () => {
  for (const [name, make, expected] of FORMS) {
    it(`removes the credentials of the ${name} form and keeps what support needs`, () => {
      assert.equal(redactUrl(make(SAMPLE)), expected);
    });
  }

  it('removes a MAC address wherever it stands', () => {
    assert.equal(redactUrl('http://p.test/c/?mac=00-1a-79-aa-bb-cc'), 'http://p.test/c/?mac=***');
    assert.equal(redactUrl('http://p.test/stb/00:1A:79:AA:BB:CC/profile'), 'http://p.test/stb/***/profile');
  });

  it('never lets a generated credential through in any form (property)', () => {
    // Credentials are distinctive (a marker no host, path or action contains) and URL-safe once encoded.
    const secret = fc.stringMatching(/^[A-Za-z0-9._~!$'()*,;-]{3,24}$/).map((s) => `Q${s}Z`);
    const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((bytes) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'));
    fc.assert(
      fc.property(fc.constantFrom(...FORMS), secret, secret, secret, mac, secret, secret, ([, make], U, P, T, M, S, D) => {
        const s = { U: encodeURIComponent(U), P: encodeURIComponent(P), T: encodeURIComponent(T), M, S: encodeURIComponent(S), D: encodeURIComponent(D) };
        const out = redactUrl(make(s));
        for (const value of Object.values(s)) assert.ok(!out.includes(value), `${value} survived in ${out}`);
        for (const value of [U, P, T, S, D]) assert.ok(!decodeURIComponent(out).includes(value), `${value} survived decoded in ${out}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (input) => void redactUrl(input)), { numRuns: 2000 });
    assert.equal(typeof redactUrl({ toString() { throw new Error('x'); } } as unknown as string), 'string');
  });
});

describe('redactText', () => {
  it('removes credentials from URLs, key=value pairs, JSON fields, Bearer tokens and MACs in free text', () => {
    const text = `GET http://panel.test/live/john/pw123/1.ts → 403; retry /movie/john/pw123/9.mkv; body {"username":"john","password":"pw123","auth":0}; username=john&password=pw123; Authorization: Bearer eyJhbGciOi.x.y; MAC 00:1A:79:12:34:56 sn=SN99`;
    const out = redactText(text);
    for (const secret of ['john', 'pw123', 'eyJhbGciOi', '00:1A:79:12:34:56', 'SN99']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.match(out, /panel\.test\/live\/\*\*\*\/\*\*\*\/1\.ts/);
  });

  it('removes secrets the caller knows, wherever they appear', () => {
    assert.equal(redactText('Welcome back, alice-the-viewer!', ['alice-the-viewer']), 'Welcome back, ***!');
  });

  it('never lets a generated credential through in a text that mentions a URL (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{4,20}$/).map((s) => `Q${s}Z`);
    fc.assert(
      fc.property(fc.constantFrom(...FORMS), secret, secret, secret, fc.string({ maxLength: 40 }), ([, make], U, P, T, noise) => {
        const url = make({ ...SAMPLE, U, P, T });
        const out = redactText(`Error at ${url} ${noise.replace(/[A-Za-z0-9]/g, '')}\n{"password":"${P}"}`);
        for (const value of [U, P, T]) assert.ok(!out.includes(value), `${value} survived in ${out}`);
      }),
      { numRuns: 2000 },
    );
  });
});
