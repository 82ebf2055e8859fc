/** Media on the demo panel: Range (206/416, byte-exact), endless live TS, HLS, timeshift, max_connections. */
import assert from 'node:assert/strict';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { contentSeed, vodBytes, type Panel } from '../../demo/panel/index.js';
import { freshIp, get, lastLog, panelWithClock, raw, type FakeClock } from './helpers.js';

const MB8 = 8 * 1024 * 1024;

interface OpenStream {
  req: ClientRequest;
  res: IncomingMessage;
  /** Resolves with at least `n` bytes received. */
  read(n: number): Promise<Buffer>;
  /** Resolves when the server ends or drops the stream. */
  ended: Promise<void>;
}

function openStream(panel: Panel, path: string, ip: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: panel.port, path, headers: { 'x-forwarded-for': ip, 'user-agent': 'TestPlayer/1.0' }, agent: false },
      (res) => {
        let buf = Buffer.alloc(0);
        const waiters: Array<{ n: number; fn: (b: Buffer) => void }> = [];
        res.on('data', (c: Buffer) => {
          if (buf.length < 1 << 20) buf = Buffer.concat([buf, c]);
          for (const w of [...waiters]) if (buf.length >= w.n) (waiters.splice(waiters.indexOf(w), 1), w.fn(buf));
        });
        const ended = new Promise<void>((r) => {
          res.once('end', () => r());
          res.once('close', () => r());
          res.once('error', () => r());
        });
        resolve({
          req,
          res,
          ended,
          read: (n) => (buf.length >= n ? Promise.resolve(buf) : new Promise((fn) => waiters.push({ n, fn }))),
        });
      },
    );
    req.on('error', (e) => {
      // a kicked stream ends with a reset: that is expected
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}

function assertTsSync(buf: Buffer, packets: number): void {
  for (let i = 0; i < packets; i++) assert.equal(buf[i * 188], 0x47, `sync byte of packet ${i}`);
}

describe('VOD, series and timeshift with Range', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock()));
  after(() => panel.stop());
  const seed = contentSeed('movie', 2001);

  test('200 full body: deterministic bytes, Accept-Ranges, Content-Length', async () => {
    const r = await raw(panel, '/movie/demo/test123/2001.mp4', { 'x-forwarded-for': freshIp() });
    assert.equal(r.status, 200);
    assert.equal(r.headers['accept-ranges'], 'bytes');
    assert.equal(r.headers['content-length'], String(MB8));
    assert.equal(r.headers['content-type'], 'video/mp4');
    assert.equal(r.body.length, MB8);
    assert.ok(r.body.equals(vodBytes(seed, 0, MB8)));
  });

  test('206 with Content-Range for bytes=a-b, a- and -n, byte-exact', async () => {
    const ip = freshIp();
    const mid = await raw(panel, '/movie/demo/test123/2001.mp4', { 'x-forwarded-for': ip, range: 'bytes=100000-100199' });
    assert.equal(mid.status, 206);
    assert.equal(mid.headers['content-range'], `bytes 100000-100199/${MB8}`);
    assert.equal(mid.headers['content-length'], '200');
    assert.ok(mid.body.equals(vodBytes(seed, 100000, 100200)));
    const open = await raw(panel, '/movie/demo/test123/2001.mp4', { 'x-forwarded-for': ip, range: `bytes=${MB8 - 8}-` });
    assert.equal(open.status, 206);
    assert.equal(open.headers['content-range'], `bytes ${MB8 - 8}-${MB8 - 1}/${MB8}`);
    assert.ok(open.body.equals(vodBytes(seed, MB8 - 8, MB8)));
    const suffix = await raw(panel, '/movie/demo/test123/2001.mp4', { 'x-forwarded-for': ip, range: 'bytes=-10' });
    assert.equal(suffix.status, 206);
    assert.ok(suffix.body.equals(vodBytes(seed, MB8 - 10, MB8)));
    const past = await raw(panel, '/movie/demo/test123/2001.mp4', { 'x-forwarded-for': ip, range: `bytes=${MB8 - 4}-${MB8 + 100}` });
    assert.equal(past.headers['content-range'], `bytes ${MB8 - 4}-${MB8 - 1}/${MB8}`);
    // different files differ
    const other = await raw(panel, '/movie/demo/test123/2003.mp4', { 'x-forwarded-for': ip, range: 'bytes=100000-100199' });
    assert.ok(!other.body.equals(mid.body));
  });

  test('416 with Content-Range: bytes */size when the range cannot be satisfied', async () => {
    const ip = freshIp();
    const r = await raw(panel, '/movie/demo/test123/2001.mp4', { 'x-forwarded-for': ip, range: `bytes=${MB8}-` });
    assert.equal(r.status, 416);
    assert.equal(r.headers['content-range'], `bytes */${MB8}`);
    assert.equal(lastLog(panel)!.code, '416');
    const zero = await raw(panel, '/movie/demo/test123/2001.mp4', { 'x-forwarded-for': ip, range: 'bytes=-0' });
    assert.equal(zero.status, 416);
    // a Range header that is not a byte range is ignored (full body)
    const odd = await raw(panel, '/movie/demo/test123/2001.mp4?size=64', { 'x-forwarded-for': ip, range: 'items=1-2' });
    assert.equal(odd.status, 200);
    assert.equal(odd.body.length, 64);
  });

  test('?size= up to 256 MiB, generated lazily (the last bytes of a 256 MiB file come at once)', async () => {
    const ip = freshIp();
    const size = 256 * 1024 * 1024;
    const t = Date.now();
    const r = await raw(panel, `/movie/demo/test123/2001.mp4?size=${size}`, { 'x-forwarded-for': ip, range: `bytes=${size - 1000}-` });
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], `bytes ${size - 1000}-${size - 1}/${size}`);
    assert.ok(r.body.equals(vodBytes(seed, size - 1000, size)));
    assert.ok(Date.now() - t < 1000);
    assert.equal((await raw(panel, `/movie/demo/test123/2001.mp4?size=${size + 1}`, { 'x-forwarded-for': ip })).status, 400);
    const head = await raw(panel, `/movie/demo/test123/2002.mkv`, { 'x-forwarded-for': ip }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(16 * 1024 * 1024), 'per-stream size');
    assert.equal(head.headers['content-type'], 'video/x-matroska');
    assert.equal(head.body.length, 0);
  });

  test('series episodes: bouquet by series; timeshift: finite TS with Range, 400 on a bad start', async () => {
    const ip = freshIp();
    const ep = await raw(panel, '/series/basic/basic123/4002.mp4?size=1024', { 'x-forwarded-for': ip });
    assert.equal(ep.status, 200);
    assert.ok(ep.body.equals(vodBytes(contentSeed('series', 4002), 0, 1024)));
    const no = await get(panel, '/series/basic/basic123/4201.mp4', { ip });
    assert.equal(no.status, 406);
    assert.equal(no.json().error, 'NOT_IN_BOUQUET');
    const ts = await raw(panel, '/timeshift/demo/test123/60/2025-06-01:10-00/1001.ts', { 'x-forwarded-for': ip, range: 'bytes=0-1879' });
    assert.equal(ts.status, 206);
    assert.equal(ts.headers['content-range'], `bytes 0-1879/${60 * 60 * 188 * 10}`);
    assertTsSync(ts.body, 10);
    assert.equal((await get(panel, '/timeshift/demo/test123/60/yesterday/1001.ts', { ip })).status, 400);
    assert.equal((await get(panel, '/timeshift/demo/test123/60/2025-06-01:10-00/1002.ts', { ip })).status, 404, 'no archive');
    assert.equal((await get(panel, '/timeshift/demo/test123/60/2030-01-01:10-00/1001.ts', { ip })).status, 404, 'future');
  });
});

describe('live TS, HLS and max_connections (refuse)', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ connectionPolicy: 'refuse' })));
  after(() => panel.stop());

  test('endless live .ts: 188-byte packets with 0x47 sync, counted while open, released when the client leaves', async () => {
    const ip = freshIp();
    const s = await openStream(panel, '/live/demo/test123/1001.ts', ip);
    assert.equal(s.res.statusCode, 200);
    assert.equal(s.res.headers['content-type'], 'video/mp2t');
    const buf = await s.read(188 * 1000);
    assertTsSync(buf, 1000);
    assert.equal((buf[3]! & 0x0f) + 1, buf[188 + 3]! & 0x0f, 'continuity counter counts');
    assert.equal(panel.connections().length, 1);
    const info = await get(panel, '/player_api.php?username=demo&password=test123', { ip });
    assert.equal(info.json().user_info.active_cons, '1');
    s.req.destroy();
    await until0(panel);
    assert.equal((await get(panel, '/player_api.php?username=demo&password=test123', { ip })).json().user_info.active_cons, '0');
    // the server is still fine
    assert.equal((await get(panel, '/live/demo/test123/1001.m3u8', { ip })).status, 200);
  });

  test('max_connections 1 + refuse: a second stream gets 403 USER_ALREADY_CONNECTED until the first closes', async () => {
    const ip = freshIp();
    const first = await openStream(panel, '/live/single/single123/1001.ts', ip);
    await first.read(188);
    const second = await get(panel, '/live/single/single123/1002.ts', { ip: freshIp() });
    assert.equal(second.status, 403);
    assert.equal(second.json().error, 'USER_ALREADY_CONNECTED');
    assert.equal(lastLog(panel)!.code, 'USER_ALREADY_CONNECTED');
    assert.equal(lastLog(panel)!.user, 'single');
    const vod = await get(panel, '/movie/single/single123/2001.mp4?size=10', { ip });
    assert.equal(vod.status, 403, 'a VOD is a connection too');
    first.req.destroy();
    await until0(panel);
    const third = await raw(panel, '/movie/single/single123/2001.mp4?size=10', { 'x-forwarded-for': ip });
    assert.equal(third.status, 200);
  });

  test('HLS: playlist → /hls/TOKEN/ID/N.ts segments bound to the user, IP and stream', async () => {
    const ip = freshIp();
    const pl = await get(panel, '/live/demo/test123/1003.m3u8', { ip });
    assert.equal(pl.status, 200);
    assert.match(pl.headers.get('content-type') ?? '', /mpegurl/);
    const lines = pl.text.trim().split('\n');
    assert.equal(lines[0], '#EXTM3U');
    assert.ok(lines.includes('#EXT-X-TARGETDURATION:4'));
    const segs = lines.filter((l) => !l.startsWith('#'));
    assert.equal(segs.length, 3);
    const m = /^\/hls\/([0-9a-f]{32})\/1003\/(\d+)\.ts$/.exec(segs[0]!);
    assert.ok(m, segs[0]);
    assert.ok(!segs[0]!.includes('test123'), 'the token is opaque');
    assert.equal(Number(m[2]), Math.floor(clock.now() / 4000));
    const seg = await raw(panel, segs[0]!, { 'x-forwarded-for': ip });
    assert.equal(seg.status, 200);
    assert.equal(seg.body.length, 188 * 200);
    assertTsSync(seg.body, 200);
    // same session on re-fetch (one connection)
    const again = await get(panel, '/live/demo/test123/1003.m3u8', { ip });
    assert.ok(again.text.includes(`/hls/${m[1]}/`));
    assert.equal(panel.connections().filter((c) => c.kind === 'hls' && c.ip === ip).length, 1);
    const otherIp = await get(panel, segs[0]!, { ip: freshIp() });
    assert.equal(otherIp.status, 403);
    assert.equal(otherIp.json().error, 'IP_MISMATCH');
    const otherStream = await get(panel, segs[0]!.replace('/1003/', '/1001/'), { ip });
    assert.equal(otherStream.status, 403);
    // an idle session stops counting; its token dies
    clock.advance(31_000);
    assert.equal(panel.connections().filter((c) => c.ip === ip).length, 0);
    const dead = await get(panel, segs[0]!, { ip });
    assert.equal(dead.status, 403);
    assert.equal(dead.json().error, 'TOKEN_EXPIRED');
  });
});

describe('kick-oldest and masked refusals', () => {
  let kick: Panel;
  let masked: Panel;
  before(async () => {
    ({ panel: kick } = await panelWithClock({ connectionPolicy: 'kick-oldest' }));
    ({ panel: masked } = await panelWithClock({ connectionPolicy: 'refuse', style: 'masked' }));
  });
  after(async () => {
    await kick.stop();
    await masked.stop();
  });

  test('kick-oldest: the new stream plays, the oldest one is ended', async () => {
    const a = await openStream(kick, '/live/single/single123/1001.ts', freshIp());
    await a.read(188);
    const b = await openStream(kick, '/live/single/single123/1002.ts', freshIp());
    assert.equal(b.res.statusCode, 200);
    await b.read(188 * 10);
    await a.ended;
    assert.equal(kick.counters().connectionsKicked, 1);
    assert.deepEqual(kick.connections().map((c) => c.streamId), [1002]);
    b.req.destroy();
    await until0(kick);
  });

  test('masked refuse: 403 with an empty body, still logged as USER_ALREADY_CONNECTED', async () => {
    const a = await openStream(masked, '/live/single/single123/1001.ts', freshIp());
    await a.read(188);
    const r = await get(masked, '/live/single/single123/1001.ts', { ip: freshIp() });
    assert.equal(r.status, 403);
    assert.equal(r.text, '');
    assert.equal(lastLog(masked)!.code, 'USER_ALREADY_CONNECTED');
    a.req.destroy();
    await until0(masked);
  });
});

async function until0(panel: Panel): Promise<void> {
  const end = Date.now() + 2000;
  while (panel.connections().some((c) => c.kind !== 'hls')) {
    if (Date.now() > end) throw new Error('connection not released');
    await new Promise((r) => setTimeout(r, 5));
  }
}
