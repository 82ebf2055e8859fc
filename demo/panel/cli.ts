/**
 * npx tsx demo/panel/cli.ts [--port 8080] [--style classic|masked] [--flood seed|strict|off]
 *                           [--connections refuse|kick-oldest] [--trust-forwarded-for]
 */
import { parseArgs } from 'node:util';
import { DEMO_MAG_DEVICES, DEMO_USERS, DEFAULT_CRACKED_IPS, startPanel } from './index.js';
import type { AnswerStyle, ConnectionPolicy, FloodMode } from './types.js';

const USAGE =
  'usage: npx tsx demo/panel/cli.ts [--port N] [--style classic|masked] [--flood seed|strict|off] ' +
  '[--connections refuse|kick-oldest] [--trust-forwarded-for]';

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
      flood: { type: 'string', default: 'seed' },
      connections: { type: 'string', default: 'refuse' },
      'trust-forwarded-for': { type: 'boolean', default: false },
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
if (!['classic', 'masked'].includes(args.style!)) fail(`bad --style ${args.style}`);
if (!['seed', 'strict', 'off'].includes(args.flood!)) fail(`bad --flood ${args.flood}`);
if (!['refuse', 'kick-oldest'].includes(args.connections!)) fail(`bad --connections ${args.connections}`);

const panel = await startPanel({
  port,
  style: args.style as AnswerStyle,
  flood: args.flood as FloodMode,
  connectionPolicy: args.connections as ConnectionPolicy,
  trustForwardedFor: args['trust-forwarded-for'],
});

const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`IPTV test panel listening on ${panel.url}  (style ${panel.style}, flood ${panel.flood}, connections ${args.connections})`);
console.log('');
console.log(`  Xtream API   ${panel.url}/player_api.php?username=demo&password=test123`);
console.log(`  Playlist     ${panel.url}/get.php?username=demo&password=test123&type=m3u_plus&output=ts`);
console.log(`  EPG          ${panel.url}/xmltv.php?username=demo&password=test123`);
console.log(`  Live / HLS   ${panel.url}/live/demo/test123/1001.ts   ${panel.url}/live/demo/test123/1001.m3u8`);
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
