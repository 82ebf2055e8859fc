#!/usr/bin/env node
/**
 * `npm start`: three local mock panels (classic, masked and XC_VM-style answers, the seed's flood rules,
 * X-Forwarded-For trusted so the demo can simulate clients, live channels that play the real test pattern) and
 * the Vite dev server for demo/ on 127.0.0.1 — the landing page, the demo portal and the gallery, with the panels
 * proxied behind it (same origin, no CORS). Ctrl+C stops everything. The starting itself is
 * scripts/demo-server.mjs (`startDemo`), which the portal's e2e tests run in-process.
 *
 * Environment: PORT (demo server, default 5173), PANEL_CLASSIC_PORT / PANEL_MASKED_PORT / PANEL_XCVM_PORT
 * (default: free ports).
 * What it builds: the script-tag build dist/xtream-error-ux.js (+ dist/locales), which the gallery loads, when it is
 * missing or older than core/, components/ or locales/ (scripts/build-lib.mjs). The portal needs no build: Vite
 * compiles the TypeScript of demo/, components/ and core/ on request; the panel (TypeScript too) runs through tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { startDemo } from './demo-server.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
process.chdir(repoRoot);

function portFrom(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`start: ${name}=${raw} is not a port number`);
    process.exit(2);
  }
  return port;
}

const demoPort = portFrom('PORT', 5173);
const classicPort = portFrom('PANEL_CLASSIC_PORT', 0);
const maskedPort = portFrom('PANEL_MASKED_PORT', 0);
const xcvmPort = portFrom('PANEL_XCVM_PORT', 0);

if (!existsSync('node_modules/vite') || !existsSync('node_modules/lit')) {
  console.error('start: dependencies are missing — run `npm install` first.');
  process.exit(1);
}

/** Newest modification time under these paths (files only). */
function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  for (const path of paths) visit(path);
  return latest;
}

const scriptTag = 'dist/xtream-error-ux.js';
const built = statSync(scriptTag, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (built < newest(['core', 'components', 'locales', 'scripts/build-lib.mjs'])) {
  console.log(`Building ${scriptTag} (the gallery's script-tag build)…`);
  const build = spawnSync(process.execPath, ['scripts/build-lib.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    console.error(`start: scripts/build-lib.mjs failed (exit ${build.status}); the gallery needs ${scriptTag}.`);
    process.exit(1);
  }
}

let demo;
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  // Force the exit if something hangs (an open stream, a stuck socket).
  setTimeout(() => process.exit(code), 3000).unref();
  await demo?.stop();
  process.exit(code);
}
process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

try {
  const { DEMO_USERS, DEMO_MAG_DEVICES, DEFAULT_CRACKED_IPS } = await tsImport('../demo/panel/index.ts', import.meta.url);
  demo = await startDemo({
    port: demoPort,
    strictPort: process.env.PORT !== undefined,
    panelPorts: { classic: classicPort, masked: maskedPort, xcvm: xcvmPort },
    logLevel: process.env.VITE_LOG_LEVEL || 'warn',
  });
  const { classic, masked, xcvm } = demo.panels;

  const demoUrl = demo.url;
  const pad = (s, n) => String(s).padEnd(n);

  console.log('');
  console.log('xtream-error-ux demo');
  console.log('');
  console.log(`  Demo           ${demoUrl}`);
  console.log(`  Portal         ${demoUrl}portal/`);
  console.log(`  Gallery        ${demoUrl}gallery/`);
  console.log(`  Panel classic  ${classic.url}   (proxied at ${demoUrl}classic/)`);
  console.log(`  Panel masked   ${masked.url}   (proxied at ${demoUrl}masked/)`);
  console.log(`  Panel xcvm     ${xcvm.url}   (proxied at ${demoUrl}xcvm/)`);
  console.log('');
  console.log('  Every panel: flood protection "seed" (5 failures: warning, 10: 5-minute block, 20: 1 hour; xcvm also');
  console.log('  XC_VM\'s chain: 40 denials < 2 s apart, a permanent ban), X-Forwarded-For trusted (simulated clients),');
  console.log('  test headers X-Test-Country, X-Test-ISP, X-Test-VPN: 1; live channels play the real test pattern.');
  console.log(`  Cracked IPs: ${DEFAULT_CRACKED_IPS.join(', ')}`);
  console.log('');
  console.log('Demo users (username / password — state):');
  for (const u of DEMO_USERS) console.log(`  ${pad(u.username, 10)} ${pad(u.password, 13)} ${u.note ?? ''}`);
  console.log('');
  console.log('MAG devices:');
  for (const d of DEMO_MAG_DEVICES) console.log(`  ${d.mac}  (${d.user})  ${d.note ?? ''}`);
  console.log('');
  console.log('Ready. Ctrl+C to stop.');
} catch (error) {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
