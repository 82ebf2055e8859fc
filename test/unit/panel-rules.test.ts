/**
 * core/panel-rules.ts: what production panels answer and what it means — the one home of each panel rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from '../../core/classify.js';
import { describeEndpoint } from '../../core/endpoints.js';
import { createFloodGuard } from '../../core/flood-guard.js';
import { addsNoExplanation, mayReadBody, maskedMeaning, mirrorsPanelBlock, provesLogin, readSmallBody, replacementPlaylistFacts, replacementPlaylistUri, risksMagscan, streamAnswered } from '../../core/panel-rules.js';

const api = describeEndpoint('http://p.test/player_api.php?username=u&password=p');
const ts = describeEndpoint('http://p.test/live/u/p/12.ts');
const m3u8 = describeEndpoint('http://p.test/live/u/p/12.m3u8');
const clip = describeEndpoint('http://p.test/auth/expired.ts');
const playlist = describeEndpoint('http://p.test/get.php?username=u&password=p');
const profile = describeEndpoint('http://p.test/portal.php?type=stb&action=get_profile&sn=1');
const NGINX = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const REPLACEMENT = '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n/auth/expired.ts\n#EXT-X-ENDLIST\n';

describe('which bodies may be read', () => {
  it('never a 2xx media body; always a small error body, streams included; a 2xx only from the API or an HLS playlist', () => {
    assert.equal(mayReadBody(ts, 200, 'video/mp2t', null), false);
    assert.equal(mayReadBody(ts, 200, '', null), false);
    assert.equal(mayReadBody(playlist, 200, 'audio/x-mpegurl', 500), false, 'a get.php playlist is bulk');
    assert.equal(mayReadBody(ts, 403, 'application/json', 40), true);
    assert.equal(mayReadBody(ts, 404, 'text/html', null), true);
    assert.equal(mayReadBody(ts, 403, 'video/mp2t', 40), false, 'a media-typed body is never read');
    assert.equal(mayReadBody(api, 200, 'application/json', 300), true);
    assert.equal(mayReadBody(m3u8, 200, 'application/vnd.apple.mpegurl', 200), true);
    assert.equal(mayReadBody(api, 200, 'application/json', 10_000_000), false, 'too long');
    assert.equal(mayReadBody(api, 302, 'text/html', 10), false);
  });

  it('readSmallBody reads a clone to its end and gives up past the limit, the original untouched', async () => {
    const small = new Response('{"a":1}');
    assert.equal(await readSmallBody(small, 100), '{"a":1}');
    assert.equal(small.bodyUsed, false);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64));
      },
    });
    assert.equal(await readSmallBody(new Response(stream), 1024), undefined);
  });
});

describe('what proves a login (one definition)', () => {
  it('Xtream: auth 1 with an active or absent status', () => {
    assert.equal(provesLogin(api, 200, { user_info: { auth: 1, status: 'Active' } }), true);
    assert.equal(provesLogin(api, 200, { user_info: { auth: '1' } }), true);
    assert.equal(provesLogin(api, 200, { user_info: { auth: 1, status: 'Expired' } }), false);
    assert.equal(provesLogin(api, 200, { user_info: { auth: 0 } }), false);
    assert.equal(provesLogin(api, 500, { user_info: { auth: 1 } }), false);
  });

  it('Stalker: a get_profile with status 0, or a profile with an id and no status', () => {
    assert.equal(provesLogin(profile, 200, { js: { id: 7, status: 0 } }), true);
    assert.equal(provesLogin(profile, 200, { js: { status: '0' } }), true);
    assert.equal(provesLogin(profile, 200, { js: { id: 7 } }), true);
    assert.equal(provesLogin(profile, 200, { js: { id: 7, status: 1 } }), false);
    assert.equal(provesLogin(profile, 200, { js: { id: 7, status: 2 } }), false);
    assert.equal(provesLogin(profile, 200, { js: { error: 'x', status: 0 } }), false);
  });

  it('a stream answering, but not a playlist and not the replacement clip', () => {
    assert.equal(streamAnswered(ts, 206), true);
    assert.equal(streamAnswered(m3u8, 200), false);
    assert.equal(streamAnswered(clip, 200), false);
    assert.equal(provesLogin(clip, 200), false);
  });
});

describe('what masked answers mean', () => {
  it('a 404 from an API script is a wrong login, with the nginx page or no body; not with a JSON body', () => {
    assert.deepEqual(maskedMeaning(api, 404, NGINX), { code: 'AUTH_FAILED' });
    assert.deepEqual(maskedMeaning(api, 404, undefined), { code: 'AUTH_FAILED' });
    assert.equal(maskedMeaning(api, 404, '{"error":"not found"}'), undefined);
    assert.equal(classify({ status: 404, url: api.url })?.code, 'AUTH_FAILED', 'what webRequest sees: no body');
  });

  it('a stream 404 page counts (the panel counts unknown credentials and tokens)', () => {
    const diagnosis = classify({ status: 404, url: 'http://p.test/live/u/p/12.ts', body: NGINX });
    assert.deepEqual([diagnosis?.code, diagnosis?.masked, diagnosis?.flood], ['404', true, 'denied']);
  });

  it('the replacement video, as a playlist or as the clip, names the reason and is never counted', () => {
    assert.equal(replacementPlaylistUri(REPLACEMENT), '/auth/expired.ts');
    assert.equal(replacementPlaylistUri('#EXTM3U\n#EXTINF:2,\n/live/u/p/12_0.ts\n'), undefined);
    const fromPlaylist = classify({ status: 200, url: 'http://p.test/live/u/p/12.m3u8', body: REPLACEMENT });
    assert.deepEqual([fromPlaylist?.code, fromPlaylist?.flood, fromPlaylist?.masked], ['USER_EXPIRED', 'none', true]);
    const fromClip = classify({ status: 200, url: 'http://p.test/auth/connections.ts' });
    assert.deepEqual([fromClip?.code, fromClip?.flood], ['USER_ALREADY_CONNECTED', 'none']);
    assert.equal(classify({ status: 200, url: 'http://p.test/auth/banned.ts' })?.code, 'USER_BAN');
  });

  it('a replacement playlist reduces to its reason alone, which still reads the same (the tap sends only that)', () => {
    const connected = '#EXTM3U\n#EXTINF:10.0,\nhttp://p.test/auth/connected.ts\n#EXT-X-ENDLIST';
    const facts = replacementPlaylistFacts(connected)!;
    assert.equal(facts, '#EXTM3U\n/auth/connected.ts\n');
    assert.equal(classify({ status: 200, url: 'http://p.test/live/u/p/1.m3u8', body: facts })?.code, 'USER_ALREADY_CONNECTED');
    const token = '#EXTM3U\n#EXTINF:10.0,\n/auth/3f9a0c77e1b2d4aa91c0ffee00d15ea5\n';
    assert.equal(replacementPlaylistFacts(token), '#EXTM3U\n/auth/expired.ts\n', 'an unnamed clip: no token leaves');
    assert.equal(replacementPlaylistFacts('#EXTM3U\n#EXTINF:2,\n/live/u/p/1_0.ts\n'), undefined);
  });

  it('an empty 403 is mirrored as a block only when the count makes a flood block plausible', () => {
    const empty = classify({ status: 403, url: api.url, body: '' })!;
    assert.equal(empty.code, 'PANEL_BLOCK');
    assert.equal(mirrorsPanelBlock(empty, 0, 5), false);
    assert.equal(mirrorsPanelBlock(empty, 5, 5), true);
    assert.equal(mirrorsPanelBlock(classify({ status: 403, url: api.url, body: '{"error":"AUTH_FAILED"}' })!, 9, 5), false);
  });

  it('a stream\'s fake 404 adds nothing to a wrong login already known: the guard keeps AUTH_FAILED', async () => {
    const wrong = classify({ status: 404, url: api.url, body: NGINX })!;
    const stream = classify({ status: 404, url: 'http://p.test/live/u/p/12.ts', body: NGINX })!;
    assert.equal(addsNoExplanation(stream, wrong), true);
    assert.equal(addsNoExplanation(wrong, stream), false);
    assert.equal(addsNoExplanation(stream, undefined), false);
    const guard = createFloodGuard();
    await guard.record('p.test', wrong);
    await guard.record('p.test', stream);
    const status = await guard.check('p.test');
    assert.deepEqual([status.failures, status.diagnosis?.code], [2, 'AUTH_FAILED']);
  });

  it('a get_profile without a serial number risks MAGSCAN; with one it does not', () => {
    assert.equal(risksMagscan(describeEndpoint('http://p.test/portal.php?type=stb&action=get_profile'), 'http://p.test/portal.php?type=stb&action=get_profile'), true);
    assert.equal(risksMagscan(describeEndpoint('http://p.test/portal.php?type=stb&action=get_profile&sn='), 'http://p.test/portal.php?type=stb&action=get_profile&sn='), true);
    assert.equal(risksMagscan(profile, 'http://p.test/portal.php?type=stb&action=get_profile&sn=1'), false);
    assert.equal(risksMagscan(describeEndpoint('http://p.test/portal.php?type=stb&action=handshake'), 'http://p.test/portal.php?type=stb&action=handshake'), false);
  });
});
