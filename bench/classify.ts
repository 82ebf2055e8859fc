import { classify } from '../core/index.js';
import type { BenchRow } from './run.js';

/** Realistic bodies: what a player actually receives from panels, failing and succeeding. */
function bodies(): string[] {
  const channels = Array.from({ length: 200 }, (_, i) => ({
    num: i + 1, name: `Channel ${i + 1} HD`, stream_type: 'live', stream_id: 1000 + i, stream_icon: `http://logos.test/${i}.png`,
    epg_channel_id: `ch${i}.test`, added: '1609459200', category_id: String(i % 12), custom_sid: '', tv_archive: 0, direct_source: '', tv_archive_duration: 0,
  }));
  return [
    JSON.stringify({ user_info: { username: 'demo', password: 'test123', auth: 1, status: 'Active', exp_date: '1735689600', is_trial: '0', active_cons: '1', created_at: '1609459200', max_connections: '2', allowed_output_formats: ['m3u8', 'ts'] }, server_info: { url: 'panel.test', port: '8080', https_port: '8443', server_protocol: 'http', rtmp_port: '8880', timezone: 'UTC', timestamp_now: 1735000000, time_now: '2024-12-24 00:00:00' } }),
    JSON.stringify({ user_info: { auth: 0, status: 'Expired', message: 'Account has expired' } }),
    JSON.stringify({ user_info: { username: 'demo', auth: 0, status: 'Banned', message: 'Your account has been suspended' } }),
    JSON.stringify({ error: { code: 'INVOICE_FINALISED', message: 'Invoice is finalised and cannot undergo this action.', additional_info: 'invoice 42' } }),
    JSON.stringify({ js: { token: 'A1B2C3D4E5F6', random: 'f00d' } }),
    JSON.stringify(channels),
  ];
}

/** Throughput of classify on realistic bodies, as a ratio to JSON.parse of the same bodies, same run. */
export async function benchClassify(): Promise<BenchRow[]> {
  const inputs = bodies();
  const totalBytes = inputs.reduce((sum, body) => sum + body.length, 0);
  const rounds = 2000;
  const time = (fn: (body: string) => unknown) => {
    for (let i = 0; i < 200; i++) for (const body of inputs) fn(body); // warm up
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) for (const body of inputs) fn(body);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  let sink = 0;
  const parseMs = time((body) => (sink += JSON.parse(body) ? 1 : 0));
  const classifyMs = time((body) => (sink += classify({ status: 200, url: 'http://panel.test/player_api.php?username=u&password=p', body }) ? 1 : 0));
  const mbps = (ms: number) => (totalBytes * rounds) / 1e6 / (ms / 1000);
  if (sink < 0) console.log(sink);
  return [
    { name: 'JSON.parse of realistic panel bodies', value: mbps(parseMs), unit: 'MB/s' },
    { name: 'classify of the same bodies (parse + diagnose)', value: mbps(classifyMs), unit: 'MB/s', ratio: classifyMs / parseMs, target: '≤ 2× JSON.parse time (includes URL parsing and redaction)' },
  ];
}
