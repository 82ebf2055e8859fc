import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFloodGuard, FloodBlockedError } from '../../core/flood-guard.js';
import { classify } from '../../core/classify.js';
import { guardedFetch, READ_LIMIT_BYTES, responseDiagnosis } from '../../core/guarded-fetch.js';
import { fakeClock } from './flood-guard.helpers.js';

const PANEL = 'http://panel.test';
const LOGIN = `${PANEL}/player_api.php?username=alice&password=secret`;
const KEY = 'panel.test';

/** A Response that counts its clones and the pulls on its body. */
class SpyResponse extends Response {
  clones = 0;
  readonly pulls: { count: number };
  constructor(chunks: Array<string | Uint8Array>, init: ResponseInit = {}) {
    const pulls = { count: 0 };
    const queue = chunks.map((chunk) => (typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk));
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls.count++;
          const next = queue.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    super(body, init);
    this.pulls = pulls;
  }
  override clone(): Response {
    this.clones++;
    return super.clone();
  }
}

function json(value: unknown, init: ResponseInit = {}) {
  const text = JSON.stringify(value);
  return new SpyResponse([text], { ...init, headers: { 'content-type': 'application/json', 'content-length': String(text.length), ...init.headers } });
}

function setup() {
  const clock = fakeClock();
  const guard = createFloodGuard({ now: clock.now, random: () => 0 });
  const calls: string[] = [];
  let answer: (url: string, init?: RequestInit) => Response | Promise<Response> = () => json({ user_info: { auth: 1 } });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push(url);
    return answer(url, init);
  };
  return {
    clock,
    guard,
    calls,
    answer: (next: typeof answer) => void (answer = next),
    get: (url: string, init?: RequestInit, extra: Parameters<typeof guardedFetch>[2] = {}) => guardedFetch(url, init, { guard, fetch, ...extra }),
  };
}

describe('guardedFetch', () => {
  it('returns the original Response, its body unread', async () => {
    const t = setup();
    const original = json({ user_info: { auth: 1, status: 'Active' } });
    t.answer(() => original);
    const response = await t.get(LOGIN);
    assert.equal(response, original);
    assert.equal(response.bodyUsed, false);
    assert.deepEqual(await response.json(), { user_info: { auth: 1, status: 'Active' } });
  });

  it('classifies a small API answer through a clone and records the failure', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0 } }));
    const response = await t.get(LOGIN);
    assert.equal((response as SpyResponse).clones, 1);
    const status = await t.guard.check(KEY);
    assert.equal(status.failures, 1);
    assert.equal(status.diagnosis?.code, 'AUTH_FAILED');
  });

  it('rejects with FloodBlockedError without touching the network while the guard holds back', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0 } }));
    await t.get(LOGIN);
    await assert.rejects(t.get(LOGIN), (error: unknown) => {
      assert.ok(error instanceof FloodBlockedError);
      assert.equal(error.reason, 'backoff');
      assert.ok(error.retryAt! >= t.clock.now() + 2_500);
      assert.equal(error.diagnosis?.code, 'AUTH_FAILED');
      return true;
    });
    assert.equal(t.calls.length, 1);
  });

  for (const url of [`${PANEL}/live/alice/secret/1001.ts`, `${PANEL}/movie/alice/secret/2001.mkv`, `${PANEL}/get.php?username=alice&password=secret&type=m3u_plus`, `${PANEL}/xmltv.php?username=alice&password=secret`]) {
    it(`never reads, tees or buffers a bulk body (${new URL(url).pathname.split('/')[1]})`, async () => {
      const t = setup();
      const original = new SpyResponse(['#EXTM3U\n', 'x'.repeat(1000)], { status: 200, headers: { 'content-type': 'text/plain' } });
      t.answer(() => original);
      const response = await t.get(url);
      assert.equal(response, original);
      assert.equal(original.clones, 0);
      assert.equal(original.pulls.count, 0);
      assert.equal(response.bodyUsed, false);
    });
  }

  it('does not read an API answer whose Content-Length is over 256 KB', async () => {
    const t = setup();
    const big = new SpyResponse(['[]'], { headers: { 'content-type': 'application/json', 'content-length': String(READ_LIMIT_BYTES + 1) } });
    t.answer(() => big);
    await t.get(`${PANEL}/player_api.php?username=alice&password=secret&action=get_live_streams`);
    assert.equal(big.clones, 0);
    assert.equal(big.pulls.count, 0);
  });

  it('abandons a clone of an API answer longer than 256 KB without a Content-Length, leaving the original whole', async () => {
    const t = setup();
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = ['[', ...Array.from({ length: 6 }, () => `"${chunk}",`), '""]'];
    const big = new SpyResponse(chunks, { headers: { 'content-type': 'application/json' } });
    t.answer(() => big);
    const response = await t.get(`${PANEL}/player_api.php?username=alice&password=secret&action=get_live_streams`);
    const body = (await response.json()) as string[];
    assert.equal(body.length, 7);
    assert.equal((await t.guard.check(KEY)).failures, 0);
  });

  it('does not read HTML or binary API answers', async () => {
    const t = setup();
    const page = new SpyResponse(['<html></html>'], { headers: { 'content-type': 'application/octet-stream' } });
    t.answer(() => page);
    await t.get(LOGIN);
    assert.equal(page.clones, 0);
  });

  it('resets the count on a successful login (user_info auth 1)', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0 } }));
    await t.get(LOGIN);
    t.clock.advance(60_000);
    t.answer(() => json({ user_info: { auth: 1, status: 'Active' } }));
    await t.get(LOGIN);
    assert.equal((await t.guard.check(KEY)).failures, 0);
  });

  it('does not take any 2xx as a successful authentication', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0 } }));
    await t.get(LOGIN);
    t.clock.advance(60_000);
    t.answer(() => json([{ category_id: '1', category_name: 'News' }]));
    await t.get(`${PANEL}/player_api.php?username=alice&password=secret&action=get_live_categories`);
    t.clock.advance(60_000);
    t.answer(() => new SpyResponse(['#EXTM3U'], { status: 200, headers: { 'content-type': 'application/vnd.apple.mpegurl' } }));
    await t.get(`${PANEL}/live/alice/secret/1001.m3u8`);
    assert.equal((await t.guard.check(KEY)).failures, 1);
    t.clock.advance(60_000);
    t.answer(() => new SpyResponse(['ts'], { status: 206, headers: { 'content-type': 'video/mp2t' } }));
    await t.get(`${PANEL}/live/alice/secret/1001.ts`);
    assert.equal((await t.guard.check(KEY)).failures, 0);
  });

  it('takes a JSON list answered 2xx/3xx for neither a failure nor a success — what classify says of it', async () => {
    // guardedFetch skips classify for such a list (the most common API answer): classify must agree.
    const lists = [[], [{ category_id: '1', category_name: 'News' }], [{ user_info: { auth: 0, status: 'Expired' } }], [{ error: { code: 'INVOICE_FINALISED' } }], ['AUTH_FAILED']];
    const urls = [LOGIN, `${PANEL}/portal.php?type=stb&action=get_profile`, `${PANEL}/api/v1/invoices`, `${PANEL}/live/alice/secret/1001.m3u8`, '/app/data.json'];
    for (const status of [200, 204, 206, 301, 304]) {
      for (const list of lists) {
        for (const url of urls) {
          assert.equal(classify({ status, url, headers: { 'content-type': 'application/json' }, body: list }), null, `${status} ${url} ${JSON.stringify(list)}`);
          assert.equal(classify({ status, url, body: JSON.stringify(list) }), null, `${status} ${url} ${JSON.stringify(list)} (text)`);
        }
      }
    }
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0 } }));
    await t.get(LOGIN);
    t.clock.advance(60_000);
    t.answer(() => json([{ user_info: { auth: 1 } }]));
    await t.get(`${PANEL}/player_api.php?username=alice&password=secret&action=get_live_categories`);
    const status = await t.guard.check(KEY);
    assert.deepEqual([status.failures, status.inFlight], [1, 0]);
    t.clock.advance(60_000);
    t.answer(() => json([], { status: 401 }));
    await t.get(`${PANEL}/player_api.php?username=alice&password=secret&action=get_live_categories`);
    assert.equal((await t.guard.check(KEY)).failures, 2);
  });

  it('an empty 403 with no flood before it is a counted failure with the usual wait, never a lockout', async () => {
    const t = setup();
    t.answer(() => new Response(null, { status: 403, headers: { 'content-length': '0' } }));
    await t.get(`${PANEL}/live/alice/secret/1001.ts`);
    const status = await t.guard.check(KEY);
    assert.deepEqual([status.failures, status.reason, status.diagnosis?.code], [1, 'backoff', 'PANEL_BLOCK']);
    assert.ok(status.retryAt! - t.clock.now() <= 60_000, 'a backoff, not a 5-minute block');
    // The panel lets the viewer in again: once the wait is over, the sign-in is sent and proves the login.
    t.clock.advance(status.retryAt! - t.clock.now());
    t.answer(() => Response.json({ user_info: { auth: 1, status: 'Active' } }));
    await t.get(LOGIN);
    assert.equal(t.calls.length, 2);
    assert.equal((await t.guard.check(KEY)).failures, 0);
  });

  it('mirrors an empty 403 as a panel block once the count makes a flood block plausible', async () => {
    const t = setup();
    for (let index = 0; index < 5; index++) {
      t.answer(() => new Response('', { status: 401 }));
      await t.get(LOGIN);
      const wait = await t.guard.check(KEY);
      if (wait.retryAt !== undefined) t.clock.advance(wait.retryAt - t.clock.now());
    }
    t.answer(() => new Response(null, { status: 403, headers: { 'content-length': '0' } }));
    await t.get(`${PANEL}/live/alice/secret/1001.ts`);
    const status = await t.guard.check(KEY);
    assert.equal(status.reason, 'panel-block');
    assert.ok(status.retryAt! - t.clock.now() >= 5 * 60_000);
  });

  it('a timeout right after an empty 403 is the panel firewall: a hard stop, no automatic retry', async () => {
    const t = setup();
    t.answer(() => new Response(null, { status: 403 }));
    await t.get(LOGIN);
    const first = await t.guard.check(KEY);
    t.clock.advance(first.retryAt! - t.clock.now());
    t.answer(() => {
      throw new DOMException('The operation timed out.', 'TimeoutError');
    });
    await assert.rejects(t.get(LOGIN, undefined, { retries: 3, sleep: async (ms) => void t.clock.advance(ms) }));
    const status = await t.guard.check(KEY);
    assert.deepEqual([status.reason, status.diagnosis?.code, status.retryAt], ['hard-stop', 'PANEL_BLOCK', undefined]);
    assert.equal(t.calls.length, 2, 'no automatic retry after the firewall drop');
  });

  it('a 403 naming USER_ALREADY_CONNECTED on a stream is max connections, not a panel block', async () => {
    const t = setup();
    t.answer(() => Response.json({ error: 'USER_ALREADY_CONNECTED' }, { status: 403 }));
    await t.get(`${PANEL}/live/alice/secret/1001.ts`);
    const status = await t.guard.check(KEY);
    assert.equal(status.diagnosis?.code, 'USER_ALREADY_CONNECTED');
    assert.notEqual(status.reason, 'panel-block');
    t.clock.advance(status.retryAt! - t.clock.now());
    t.answer(() => Response.json({ user_info: { auth: 1, status: 'Active' } }));
    await t.get(LOGIN);
    assert.equal(t.calls.length, 2, 'the next correct sign-in is sent');
  });

  it('auth 1 with status Expired is no login: it does not reset the count', async () => {
    const t = setup();
    t.answer(() => new Response('', { status: 401 }));
    await t.get(LOGIN);
    t.clock.advance(60_000);
    t.answer(() => Response.json({ user_info: { auth: 1, status: 'Expired' } }));
    await t.get(LOGIN);
    const status = await t.guard.check(KEY);
    assert.equal(status.diagnosis?.code, 'USER_EXPIRED');
    assert.ok(status.failures >= 1);
  });

  it('hands back what it found: responseDiagnosis(response), so a portal never reads and classifies again', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0 } }));
    const failed = await t.get(LOGIN);
    assert.equal(responseDiagnosis(failed)?.code, 'AUTH_FAILED');
    assert.equal(failed.bodyUsed, false, 'the body is still the caller\'s');
    t.clock.advance(60_000);
    t.answer(() => json({ user_info: { auth: 1, status: 'Active' } }));
    assert.equal(responseDiagnosis(await t.get(LOGIN)), null);
    assert.equal(responseDiagnosis(new Response('')), undefined, 'not a Response guardedFetch returned');
  });

  it('counts the fake nginx 404 of player_api.php as a wrong login', async () => {
    const t = setup();
    const page = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    t.answer(() => new Response(page, { status: 404, headers: { 'content-type': 'text/html' } }));
    await t.get(LOGIN);
    const status = await t.guard.check(KEY);
    assert.deepEqual([status.failures, status.diagnosis?.code, status.diagnosis?.masked], [1, 'AUTH_FAILED', true]);
  });

  it('the replacement-video playlist is the expired line, never counted and never a login', async () => {
    const t = setup();
    const playlist = '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n/auth/expired.ts\n#EXT-X-ENDLIST\n';
    t.answer(() => new Response(playlist, { status: 200, headers: { 'content-type': 'application/vnd.apple.mpegurl' } }));
    await t.get(`${PANEL}/live/alice/secret/1001.m3u8`);
    const status = await t.guard.check(KEY);
    assert.deepEqual([status.failures, status.diagnosis?.code, status.reason], [0, 'USER_EXPIRED', 'hard-stop']);
  });


  it('a stream followed to the replacement clip under /auth/ (the panel’s 302) is the line’s reason, never a login', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0 } }));
    await t.get(LOGIN);
    assert.equal((await t.guard.check(KEY)).failures, 1);
    t.clock.advance(60_000);
    t.answer(() => {
      const clip = new Response(new Uint8Array(188), { status: 200, headers: { 'content-type': 'video/mp2t' } });
      return Object.defineProperties(clip, { redirected: { value: true }, url: { value: `${PANEL}/auth/connected_limit.ts` } });
    });
    const response = await t.get(`${PANEL}/live/alice/secret/1001.ts`);
    const status = await t.guard.check(KEY);
    assert.equal(responseDiagnosis(response)?.code, 'USER_ALREADY_CONNECTED');
    assert.deepEqual([status.failures, status.diagnosis?.code], [1, 'USER_ALREADY_CONNECTED'], 'a 200 from the clip would have reset the count as a login');
  });

  it('a stream’s fake 404 after a wrong login hands back the wrong login, not a missing channel', async () => {
    const t = setup();
    const page = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    t.answer(() => new Response(page, { status: 404, headers: { 'content-type': 'text/html' } }));
    const login = await t.get(LOGIN);
    assert.equal(responseDiagnosis(login)?.code, 'AUTH_FAILED');
    t.clock.advance(60_000);
    const stream = await t.get(`${PANEL}/live/alice/secret/1001.ts`);
    assert.equal(responseDiagnosis(stream)?.code, 'AUTH_FAILED');
    assert.equal((await t.guard.check(KEY)).failures, 2, 'both counted, as the panel counts them');
  });
  it('holds the 5th distinct MAC failing within 300 s', async () => {
    const t = setup();
    t.answer(() => json({ js: { token: null } }));
    const handshake = (mac: string) => `${PANEL}/portal.php?type=stb&action=handshake&mac=00:1A:79:00:00:0${mac}`;
    for (let index = 1; index <= 4; index++) {
      await t.get(handshake(String(index)));
      const wait = await t.guard.check(KEY);
      t.clock.advance(Math.max(0, (wait.retryAt ?? 0) - t.clock.now()));
    }
    assert.ok((await t.guard.check(KEY)).allowed);
    const error = await t.get(handshake('5')).catch((caught: unknown) => caught);
    assert.ok(error instanceof FloodBlockedError);
    assert.equal(t.calls.length, 4);
  });

  it('never sends a Stalker get_profile without a serial number (MAGSCAN)', async () => {
    const t = setup();
    t.answer(() => Response.json({ js: { id: 1, status: 0 } }));
    const error = await t.get(`${PANEL}/portal.php?type=stb&action=get_profile&mac=00:1A:79:00:00:01`).catch((caught: unknown) => caught);
    assert.ok(error instanceof FloodBlockedError);
    assert.deepEqual([error.reason, error.diagnosis?.code], ['hard-stop', 'MAGSCAN']);
    assert.equal(t.calls.length, 0);
    await t.get(`${PANEL}/portal.php?type=stb&action=get_profile&sn=0123456789ABC&mac=00:1A:79:00:00:01`);
    assert.equal(t.calls.length, 1, 'with its serial it goes');
  });

  it('holds the 10th distinct username failing within 300 s, never one already tried', async () => {
    const t = setup();
    const login = (user: string) => `${PANEL}/player_api.php?username=${user}&password=pw`;
    t.answer((url) => (url.includes('username=good') ? json({ user_info: { auth: 1, status: 'Active' } }) : new Response('', { status: 401 })));
    for (let index = 1; index <= 9; index++) {
      await t.get(login(`user${index}`));
      t.clock.advance(3_000);
      // A good sign-in between them resets the flood count — not the panel's bruteforce count of usernames.
      await t.get(login('good'));
    }
    assert.equal((await t.guard.check(KEY)).failures, 0);
    const error = await t.get(login('user10')).catch((caught: unknown) => caught);
    assert.ok(error instanceof FloodBlockedError, 'the 10th distinct username is held');
    assert.equal(error.reason, 'threshold');
    assert.equal(t.calls.length, 18);
    await t.get(login('user3'));
    assert.equal(t.calls.length, 19, 'an account already counted adds nothing to the panel\'s count');
    t.clock.advance(300_000);
    await t.get(login('user10'));
    assert.equal(t.calls.length, 20, 'once the window has passed it goes');
  });

  it('honours Retry-After on a 429', async () => {
    const t = setup();
    t.answer(() => new Response('', { status: 429, headers: { 'retry-after': '120' } }));
    await t.get(`${PANEL}/get.php?username=alice&password=secret`);
    const status = await t.guard.check(KEY);
    assert.equal(status.reason, 'retry-after');
    assert.equal(status.retryAt, t.clock.now() + 120_000);
  });

  it('records a network failure as a wait, not a panel failure, and rethrows it', async () => {
    const t = setup();
    t.answer(() => {
      throw new TypeError('fetch failed');
    });
    await assert.rejects(t.get(LOGIN), TypeError);
    const status = await t.guard.check(KEY);
    assert.deepEqual([status.failures, status.reason, status.inFlight], [0, 'backoff', 0]);
  });

  it('settles the slot of an aborted request without counting or waiting', async () => {
    const t = setup();
    const controller = new AbortController();
    controller.abort();
    t.answer(() => {
      throw new DOMException('aborted', 'AbortError');
    });
    await assert.rejects(t.get(LOGIN, { signal: controller.signal }), { name: 'AbortError' });
    const status = await t.guard.check(KEY);
    assert.deepEqual([status.allowed, status.failures, status.inFlight], [true, 0, 0]);
  });

  it('never holds back Stream API (billing) calls, even after a hard stop', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0, status: 'Expired' } }));
    await t.get(LOGIN);
    assert.equal((await t.guard.check(KEY)).reason, 'hard-stop');
    t.answer(() => json({ id: 'inv_1' }));
    const response = await t.get(`${PANEL}/api/v1/invoices/inv_1/pay`, { method: 'POST' });
    assert.equal(response.status, 200);
    t.answer(() => json({ error: { code: 'INVOICE_FINALISED', message: 'Invoice is finalised and cannot undergo this action.' } }, { status: 422 }));
    await t.get(`${PANEL}/api/v1/invoices/inv_1/pay`, { method: 'POST' });
    assert.equal((await t.guard.check(KEY)).failures, 1);
  });

  it('lifts a hard stop when the credentials it sends change, not otherwise', async () => {
    const t = setup();
    t.answer(() => json({ user_info: { auth: 0, status: 'Expired' } }));
    await t.get(LOGIN);
    t.clock.advance(60_000);
    await assert.rejects(t.get(LOGIN), (error: unknown) => error instanceof FloodBlockedError && error.reason === 'hard-stop');
    t.answer(() => json({ user_info: { auth: 1, status: 'Active' } }));
    const response = await t.get(`${PANEL}/player_api.php?username=alice&password=renewed`);
    assert.equal(response.status, 200);
    assert.equal(t.calls.length, 2);
    assert.equal((await t.guard.check(KEY)).failures, 0);
  });

  it('retries idempotent requests after transient failures, waiting for the guard', async () => {
    const t = setup();
    let attempt = 0;
    t.answer(() => (++attempt < 3 ? new Response('', { status: 503 }) : json({ user_info: { auth: 1 } })));
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      t.clock.advance(ms);
    };
    const response = await t.get(LOGIN, undefined, { retries: 3, sleep });
    assert.equal(response.status, 200);
    assert.equal(t.calls.length, 3);
    assert.ok(waits.every((ms) => ms >= 2_500 && ms <= 60_000), String(waits));
  });

  it('does not retry a POST, a failed login or a hard stop', async () => {
    const t = setup();
    const sleep = async (ms: number) => void t.clock.advance(ms);
    t.answer(() => new Response('', { status: 503 }));
    await t.get(`${PANEL}/player_api.php`, { method: 'POST', body: 'username=alice&password=secret' }, { retries: 3, sleep });
    assert.equal(t.calls.length, 1);
    t.clock.advance(60_000);
    t.answer(() => json({ user_info: { auth: 0 } }));
    await t.get(LOGIN, undefined, { retries: 3, sleep });
    assert.equal(t.calls.length, 2);
  });

  it('gives up retrying when the guard asks for a longer wait than allowed', async () => {
    const t = setup();
    t.answer(() => new Response('', { status: 429, headers: { 'retry-after': '600' } }));
    const response = await t.get(LOGIN, undefined, { retries: 3, sleep: async (ms) => void t.clock.advance(ms) });
    assert.equal(response.status, 429);
    assert.equal(t.calls.length, 1);
  });
});
