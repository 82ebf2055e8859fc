/** The panel CLI starts a panel, prints its URL and the demo users, and stops on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { DEMO_USERS } from '../../demo/panel/index.js';

const CLI = fileURLToPath(new URL('../../demo/panel/cli.ts', import.meta.url));

function run(args: string[]): Promise<{ out: string; code: number | null; url?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let url: string | undefined;
    const onData = (c: Buffer) => {
      out += c.toString();
      if (!url && out.includes('Ctrl+C')) {
        url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        void fetch(`${url}/player_api.php?username=demo&password=test123`)
          .then((r) => r.json())
          .then((j: any) => {
            out += `\nFETCHED auth=${j.user_info.auth}\n`;
            child.kill('SIGTERM');
          }, reject);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ out, code, url }));
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

test('cli: --port 0 --style masked --flood strict prints the URL and every demo user, serves, exits cleanly', async () => {
  const { out, code, url } = await run(['--port', '0', '--style', 'masked', '--flood', 'strict']);
  assert.ok(url, out);
  assert.match(out, /style masked, flood strict/);
  for (const u of DEMO_USERS) assert.match(out, new RegExp(`\\b${u.username}\\s+${u.password}\\b`));
  assert.match(out, /FETCHED auth=1/);
  assert.equal(code, 0);
});

test('cli: a bad option exits with status 2 and the usage', async () => {
  const { out, code } = await run(['--style', 'weird']);
  assert.equal(code, 2);
  assert.match(out, /usage:/);
});
