import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { catalog, classify, describeAccount, describeEndpoint, streamAnswered } from '../../core/index.js';

const NGINX_404 =
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe('classify: the input forms', () => {
  it('reads user_info auth 0 or "0" with each status as the seed codes', () => {
    const cases: Array<[unknown, string | undefined, string]> = [
      [0, 'Expired', 'USER_EXPIRED'],
      ['0', 'Banned', 'USER_BAN'],
      [0, 'Disabled', 'USER_DISABLED'],
      ['0', undefined, 'AUTH_FAILED'],
      [0, 'Something', 'AUTH_FAILED'],
    ];
    for (const [auth, status, code] of cases) {
      const body = { user_info: { auth, ...(status ? { status } : {}) } };
      assert.equal(classify(body)?.code, code);
      assert.equal(classify({ status: 200, body: JSON.stringify(body) })?.code, code);
      assert.equal(classify({ status: 200, body })?.flood, 'auth');
    }
  });

  it('returns null for auth 1 and for success statuses', () => {
    assert.equal(classify({ user_info: { auth: 1, status: 'Active' } }), null);
    assert.equal(classify({ status: 200, body: { user_info: { auth: '1', status: 'Active' } } }), null);
    assert.equal(classify(200), null);
    assert.equal(classify('206'), null);
    assert.equal(classify('Active'), null);
    assert.equal(classify({ status: 206, url: 'http://p.test/movie/u/p/1.mkv' }), null);
  });

  it('believes a non-active status even when auth is 1', () => {
    assert.equal(classify({ user_info: { auth: 1, status: 'Expired' } })?.code, 'USER_EXPIRED');
  });

  it('reads a Stream API envelope in a string or object body, or bare', () => {
    const envelope = { error: { code: 'INVOICE_FINALISED', message: 'Invoice is finalised and cannot undergo this action.', additional_info: 'invoice 42' } };
    for (const input of [envelope, { status: 422, body: envelope }, { status: 422, body: JSON.stringify(envelope) }, JSON.stringify(envelope)]) {
      const diagnosis = classify(input);
      assert.equal(diagnosis?.code, 'INVOICE_FINALISED');
      assert.equal(diagnosis?.source, 'stream-api');
      assert.equal(diagnosis?.known, true);
      assert.equal(diagnosis?.details, 'invoice 42');
    }
  });

  it('keeps an unknown Stream API code as the server gave it, known false, and a missing code becomes STREAM_ERROR', () => {
    const unknown = classify({ status: 422, body: { error: { code: 'Coupon_Weird-42', message: 'no' } } });
    assert.equal(unknown?.code, 'Coupon_Weird-42');
    assert.equal(unknown?.known, false);
    assert.equal(unknown?.serverCode, 'Coupon_Weird-42');
    assert.equal(unknown?.key, '422', 'an unknown code borrows the words of its status');
    assert.equal(classify({ error: { message: 'boom' } })?.code, 'STREAM_ERROR');
  });

  it('reads a bare code, an exception class, a bare status and a numeric string status', () => {
    assert.equal(classify('USER_EXPIRED')?.code, 'USER_EXPIRED');
    assert.equal(classify('user_expired')?.code, 'USER_EXPIRED');
    assert.equal(classify('GoneError')?.httpStatus, undefined);
    assert.equal(classify('GoneError')?.code, 'GoneError');
    assert.equal(classify(401)?.code, '401');
    assert.equal(classify({ status: '406', url: 'http://p.test/live/u/p/5.ts' })?.code, '406');
    const unknown = classify('SOME_NEW_PANEL_CODE');
    assert.equal(unknown?.known, false);
    assert.equal(unknown?.code, 'SOME_NEW_PANEL_CODE');
  });

  it('finds a log code named in a text or JSON body', () => {
    assert.equal(classify({ status: 403, body: 'Denied: USER_AGENT_BAN (rule 4)' })?.code, 'USER_AGENT_BAN');
    assert.equal(classify({ status: 406, body: '{"error":"NOT_IN_BOUQUET"}' })?.code, 'NOT_IN_BOUQUET');
    assert.equal(classify({ status: 403, body: { status: 'ISP_LOCK_FAILED' } })?.code, 'ISP_LOCK_FAILED');
    assert.equal(classify({ status: 403, body: 'CON_SVP' })?.httpStatus, 403);
  });

  it('does not take a channel name in a successful list for an error', () => {
    const channels = JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ name: `CRACKED NOT_IN_BOUQUET TV ${i}`, stream_id: i })));
    assert.equal(classify({ status: 200, url: 'http://p.test/player_api.php?action=get_live_streams', body: channels }), null);
  });

  it('reads network failures and timeouts', () => {
    assert.equal(classify({ error: new TypeError('Failed to fetch') })?.code, 'NETWORK_ERROR');
    assert.equal(classify({ error: 'TimeoutError' })?.code, 'TIMEOUT');
    assert.equal(classify({ error: new DOMException('signal timed out', 'TimeoutError') })?.code, 'TIMEOUT');
    assert.equal(classify({ error: new DOMException('aborted', 'AbortError') }), null, 'a page that cancels its own request saw no error');
    assert.equal(classify({ error: 'TypeError', url: 'http://p.test/player_api.php?username=a&password=b' })?.source, 'network');
  });

  it('reads 5xx and 429 with and without Retry-After (seconds or a date read against Date)', () => {
    assert.equal(classify({ status: 503 })?.retry, 'backoff');
    const odd = classify({ status: 520 });
    assert.equal(odd?.code, '520');
    assert.equal(odd?.known, false);
    assert.equal(odd?.key, 'HTTP_SERVER_ERROR');
    assert.equal(classify({ status: 429 })?.retryAfterMs, undefined);
    assert.equal(classify({ status: 429, headers: { 'Retry-After': '30' } })?.retryAfterMs, 30_000);
    const dated = classify({
      status: 429,
      headers: new Headers({ 'retry-after': 'Wed, 21 Oct 2026 07:30:00 GMT', date: 'Wed, 21 Oct 2026 07:28:00 GMT' }),
      body: '',
    });
    assert.equal(dated?.retryAfterMs, 120_000, 'read against the server Date, not the client clock');
    assert.equal(classify({ status: 429, headers: { 'retry-after': '999999' } })?.retryAfterMs, 3_600_000, 'capped at one hour');
  });
});

describe('classify: what panels do instead of a clear error', () => {
  it('reads an empty-body 403 as the panel refusing this IP, not the IP_BAN allow-list code', () => {
    for (const body of [undefined, '', '   ']) {
      const diagnosis = classify({ status: 403, body, url: 'http://p.test/player_api.php?username=u&password=p' });
      assert.equal(diagnosis?.code, 'PANEL_BLOCK');
      assert.equal(diagnosis?.masked, true);
      assert.equal(diagnosis?.definitive, false);
    }
  });

  it('reads a fake nginx 404 page from a .php API endpoint as a masked authentication failure', () => {
    const api = classify({ status: 404, url: 'http://p.test/player_api.php?username=u&password=p', body: NGINX_404 });
    assert.equal(api?.code, 'AUTH_FAILED');
    assert.equal(api?.masked, true);
    assert.equal(api?.flood, 'auth');
    for (const url of ['http://p.test/get.php?username=u&password=p&type=m3u_plus', 'http://p.test/xmltv.php?username=u&password=p']) {
      const masked = classify({ status: 404, url, body: NGINX_404 });
      assert.equal(masked?.code, 'AUTH_FAILED', `${url}: a masked panel's wrong login on its playlist and EPG`);
      assert.equal(masked?.masked, true);
    }
    const file = classify({ status: 404, url: 'http://p.test/images/logo.png', body: NGINX_404 });
    assert.equal(file?.code, '404', 'the same page elsewhere is a real 404');
  });

  it('reads Stalker/Ministra text answers and a refused handshake', () => {
    assert.equal(classify({ status: 200, url: 'http://p.test/portal.php?type=stb&action=get_profile', body: 'Authorization failed.' })?.code, 'AUTH_FAILED');
    assert.equal(classify({ status: 200, body: 'Authorization failed.' })?.source, 'stalker');
    assert.equal(classify({ status: 200, body: 'Access denied.' })?.code, 'STALKER_ACCESS_DENIED');
    assert.equal(classify({ status: 200, url: 'http://p.test/stalker_portal/server/load.php?type=stb&action=handshake', body: '{"js":{"token":null}}' })?.code, 'STALKER_HANDSHAKE_REFUSED');
    assert.equal(classify({ status: 200, url: 'http://p.test/portal.php?type=stb&action=handshake', body: '{"js":{"token":"ABC"}}' }), null);
    assert.equal(classify({ status: 200, url: 'http://p.test/portal.php?type=stb&action=get_profile', body: { js: { status: 1 } } })?.code, 'STALKER_ACCOUNT_BLOCKED');
    assert.equal(classify({ status: 200, url: 'http://p.test/portal.php?type=stb&action=get_profile', body: { js: { status: 2 } } })?.code, 'STALKER_LOGIN_REQUIRED');
    assert.equal(classify({ status: 200, url: 'http://p.test/portal.php?type=stb&action=get_profile', body: { js: { status: 0, stb_type: 'MAG250' } } }), null);
  });

  it('reads the short m3u8 pointing at /auth/ as the expired-account video', () => {
    const body = '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n/auth/9f8e7d6c.ts\n#EXT-X-ENDLIST\n';
    const diagnosis = classify({ status: 200, url: 'http://p.test/live/u/p/12.m3u8', body });
    assert.equal(diagnosis?.code, 'USER_EXPIRED');
    assert.equal(diagnosis?.masked, true);
    const real = '#EXTM3U\n#EXTINF:10,\n/hls/abc/12/1.ts\n#EXTINF:10,\n/hls/abc/12/2.ts\n';
    assert.equal(classify({ status: 200, url: 'http://p.test/live/u/p/12.m3u8', body: real }), null);
  });

  it('reads the request kind from the URL, so a 406 on a stream and a 416 on a movie say what they are', () => {
    const stream = classify({ status: 406, url: 'http://p.test/live/u/p/55.ts' });
    assert.equal(stream?.endpoint?.kind, 'stream');
    assert.equal(stream?.category, 'stream');
    const movie = classify({ status: 416, url: 'http://p.test/movie/u/p/9.mkv' });
    assert.equal(movie?.endpoint?.streamType, 'movie');
    assert.equal(movie?.code, '416');
    assert.equal(movie?.source, 'xtream');
  });
});

describe('endpoints', () => {
  const forms: Array<[string, string, Partial<ReturnType<typeof describeEndpoint>>]> = [
    ['http://p.test:8080/player_api.php?username=u&password=p&action=get_live_streams', 'player-api', { action: 'get_live_streams', bulk: false }],
    ['http://p.test/player_api/u/p/get_vod_info', 'player-api', { action: 'get_vod_info' }],
    ['http://p.test/panel_api.php?username=u&password=p', 'panel-api', {}],
    ['http://p.test/get.php?username=u&password=p&type=m3u_plus', 'playlist', { bulk: true }],
    ['http://p.test/xmltv.php?username=u&password=p', 'epg', { bulk: true }],
    ['http://p.test/live/u/p/12.ts', 'stream', { streamType: 'live', streamId: '12', extension: 'ts', bulk: true }],
    ['http://p.test/movie/u/p/7.mkv', 'stream', { streamType: 'movie', streamId: '7' }],
    ['http://p.test/series/u/p/3.mp4', 'stream', { streamType: 'series' }],
    ['http://p.test/timeshift/u/p/60/2026-01-01:10-00/12.ts', 'stream', { streamType: 'timeshift', streamId: '12' }],
    ['http://p.test/hls/TOKEN/12/1.ts', 'stream-token', { bulk: true }],
    ['http://p.test/auth/TOKEN', 'stream-token', {}],
    ['http://p.test/play/TOKEN', 'stream-token', {}],
    ['http://p.test/portal.php?type=stb&action=handshake', 'stalker', { action: 'stb.handshake' }],
    ['http://p.test/stalker_portal/server/load.php?type=itv&action=create_link', 'stalker', { action: 'itv.create_link' }],
    ['http://p.test/c/', 'stalker', {}],
    ['http://billing.test/api/v1/invoices/42/finalise', 'stream-api', { bulk: false }],
    ['http://p.test/u/p/12', 'stream', { streamType: 'live' }],
    ['http://p.test/index.html', 'other', { bulk: false }],
  ];
  for (const [url, kind, extra] of forms) {
    it(`reads ${new URL(url).pathname} as ${kind}`, () => {
      const endpoint = describeEndpoint(url);
      assert.equal(endpoint.kind, kind);
      for (const [key, value] of Object.entries(extra)) assert.equal((endpoint as unknown as Record<string, unknown>)[key], value, key);
      assert.ok(!endpoint.url?.includes('/u/p/') && !endpoint.url?.includes('password=p'), 'the endpoint URL is redacted');
    });
  }
});

describe('account facts', () => {
  it('judges expiry against the response Date header, not the client clock', () => {
    const exp = Date.UTC(2026, 0, 10) / 1000;
    const body = { user_info: { auth: 1, status: 'Active', exp_date: String(exp), is_trial: '1', active_cons: '2', max_connections: '2' } };
    const clientClockWrong = () => Date.UTC(2030, 0, 1);
    const facts = describeAccount(body.user_info, { serverTime: Date.UTC(2026, 0, 9), now: clientClockWrong });
    assert.equal(facts.expired, false);
    assert.equal(facts.msLeft, 86_400_000);
    assert.equal(facts.trial, true);
    assert.equal(facts.activeConnections, 2);
    assert.equal(facts.maxConnections, 2);
    const expired = classify(
      { status: 200, headers: { date: 'Mon, 12 Jan 2026 00:00:00 GMT' }, body: { user_info: { auth: 0, status: 'Expired', exp_date: String(exp) } } },
      { now: () => 0 },
    );
    assert.equal(expired?.account?.expired, true);
    assert.equal(expired?.account?.expiresAt, exp * 1000);
  });

  it('reads a null exp_date as never expiring', () => {
    assert.equal(describeAccount({ exp_date: null }).expiresAt, null);
    assert.equal(describeAccount({ exp_date: 'null' }).expiresAt, null);
  });
});

describe('classify never throws', () => {
  it('gives a generic diagnosis that shows what was seen for hostile input', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const hostile = new Proxy({}, { get() { throw new Error('get'); }, ownKeys() { throw new Error('keys'); }, has() { throw new Error('has'); }, getPrototypeOf() { throw new Error('proto'); } });
    const inputs: unknown[] = [undefined, null, Symbol('s'), () => 1, 10n, NaN, -1, 1e9, circular, hostile, [], [1, 2], new Date(), 'x'.repeat(10_000_000), '{"user_info": {"auth": 0', { status: 'abc' }, { status: {} }, { headers: hostile, status: 401 }, { body: hostile, status: 500 }, { status: 200, body: '{"error": ' }];
    for (const input of inputs) {
      const diagnosis = classify(input);
      if (diagnosis) {
        assert.ok(diagnosis.code, 'has a code');
        assert.ok(catalog[diagnosis.key], 'its facts come from the catalog');
      }
    }
    const seen = classify({ weird: 'thing', password: 'hunter22' });
    assert.equal(seen?.code, 'UNREADABLE');
    assert.match(seen?.seen ?? '', /weird/);
    assert.doesNotMatch(seen?.seen ?? '', /hunter22/, 'what was seen is redacted');
  });

  it('never throws on anything fast-check can build (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withNullPrototype: true }), (input) => {
        classify(input);
        classify({ status: 200, body: input });
        classify({ status: 403, headers: input as never, body: input });
        classify({ url: input as never, status: input as never, body: input, error: input });
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on mangled JSON bodies (property)', () => {
    const base = [JSON.stringify({ user_info: { auth: 0, status: 'Expired', exp_date: '1609459200' } }), JSON.stringify({ error: { code: 'INVOICE_FINALISED', message: 'x' } }), '{"js":{"token":null}}'];
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.nat(), fc.string(), (body, cut, noise) => {
        const mangled = body.slice(0, cut % (body.length + 1)) + noise;
        const diagnosis = classify({ status: 200, body: mangled });
        if (diagnosis) assert.ok(catalog[diagnosis.key]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('streamAnswered', () => {
  it('takes a stream answering 200/206 as a login that worked — but not an m3u8, which a masked panel serves for an expired account', () => {
    const ts = describeEndpoint('http://p.test/live/u/p/12.ts');
    assert.equal(streamAnswered(ts, 200), true);
    assert.equal(streamAnswered(ts, 206), true);
    assert.equal(streamAnswered(ts, 204), false);
    assert.equal(streamAnswered(describeEndpoint('http://p.test/live/u/p/12.m3u8'), 200), false);
    assert.equal(streamAnswered(describeEndpoint('http://p.test/player_api.php?username=u&password=p'), 200), false);
  });
});
