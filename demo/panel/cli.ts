/**
 * npx tsx demo/panel/cli.ts [--port 8080] [--style classic|masked|xcvm] [--flood seed|strict|off|seed,strict]
 *                           [--connections refuse|kick-oldest] [--firewall-delay-ms N] [--trust-forwarded-for]
 *                           [--live-media synthetic|fixture]
 */
import { parseArgs } from 'node:util';
import { DEMO_MAG_DEVICES, DEMO_USERS, DEFAULT_CRACKED_IPS, startPanel } from './index.js';
import type { AnswerStyle, ConnectionPolicy, FloodMode } from './types.js';

const USAGE =
  'usage: npx tsx demo/panel/cli.ts [--port N] [--style classic|masked|xcvm] [--flood seed|strict|off|seed,strict] ' +
  '[--connections refuse|kick-oldest] [--firewall-delay-ms N] [--trust-forwarded-for] [--live-media synthetic|fixture]';

function fail(msg: string): never {
  console.error(`${msg}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      style: { type: 'string', default: 'classic' },
      flood: { type: 'string' },
      'firewall-delay-ms': { type: 'string', default: '60000' },
      connections: { type: 'string', default: 'refuse' },
      'trust-forwarded-for': { type: 'boolean', default: false },
      'live-media': { type: 'string', default: 'synthetic' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${args.port}`);
if (!['classic', 'masked', 'xcvm'].includes(args.style!)) fail(`bad --style ${args.style}`);
// Default: strict for xcvm (XC_VM's checkFlood), seed otherwise. A comma list combines modes.
const floodList = (args.flood ?? (args.style === 'xcvm' ? 'strict' : 'seed')).split(',').map((m) => m.trim());
if (floodList.length === 0 || floodList.some((m) => !['seed', 'strict', 'off'].includes(m))) fail(`bad --flood ${args.flood}`);
const firewallDelayMs = Number(args['firewall-delay-ms']);
if (!/^\d{1,10}$/.test(args['firewall-delay-ms']!)) fail(`bad --firewall-delay-ms ${args['firewall-delay-ms']}`);
if (!['refuse', 'kick-oldest'].includes(args.connections!)) fail(`bad --connections ${args.connections}`);
if (!['synthetic', 'fixture'].includes(args['live-media']!)) fail(`bad --live-media ${args['live-media']}`);

const panel = await startPanel({
  port,
  style: args.style as AnswerStyle,
  flood: floodList.length === 1 ? (floodList[0] as FloodMode) : (floodList as FloodMode[]),
  firewallDelayMs,
  connectionPolicy: args.connections as ConnectionPolicy,
  trustForwardedFor: args['trust-forwarded-for'],
  liveMedia: args['live-media'] as 'synthetic' | 'fixture',
});

const pad = (s: string, n: number): string => s.padEnd(n);
const floodText = Array.isArray(panel.flood) ? panel.flood.join('+') : panel.flood;
console.log(`IPTV test panel listening on ${panel.url}  (style ${panel.style}, flood ${floodText}, connections ${args.connections})`);
if (panel.style === 'xcvm') console.log(`  xcvm: a banned IP gets an empty 403, then after ${firewallDelayMs} ms no answer at all (firewall drop)`);
console.log('');
console.log(`  Xtream API   ${panel.url}/player_api.php?username=demo&password=test123`);
console.log(`  Playlist     ${panel.url}/get.php?username=demo&password=test123&type=m3u_plus&output=ts`);
console.log(`  EPG          ${panel.url}/xmltv.php?username=demo&password=test123`);
console.log(`  Live / HLS   ${panel.url}/live/demo/test123/1001.ts   ${panel.url}/live/demo/test123/1001.m3u8`);
console.log(`  Real media   ${panel.url}/live/demo/test123/9001.m3u8   /live/demo/test123/9001.ts   /movie/demo/test123/9001.mp4`);
console.log(`  Movie        ${panel.url}/movie/demo/test123/2001.mp4`);
console.log(`  Stalker      ${panel.url}/portal.php?type=stb&action=handshake  (Cookie: mac=00:1A:79:00:00:01)`);
console.log(`  Stream API   ${panel.url}/stream-api/error?code=INVOICE_FINALISED   ${panel.url}/api/v1/...`);
console.log('');
console.log('Demo users (username / password — state):');
for (const u of DEMO_USERS) console.log(`  ${pad(u.username, 10)} ${pad(u.password, 13)} ${u.note ?? ''}`);
console.log('');
console.log('MAG devices:');
for (const d of DEMO_MAG_DEVICES) console.log(`  ${d.mac}  (${d.user})  ${d.note ?? ''}`);
console.log('');
console.log(`Cracked IPs: ${DEFAULT_CRACKED_IPS.join(', ')}.  Test headers: X-Test-Country, X-Test-ISP, X-Test-VPN: 1` +
  (args['trust-forwarded-for'] ? ', X-Forwarded-For' : ' (X-Forwarded-For ignored; pass --trust-forwarded-for)'));
console.log('Ctrl+C to stop.');

const shutdown = (): void => {
  void panel.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
