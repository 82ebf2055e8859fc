/**
 * The player adapters (players/hls.ts, players/mpegts.ts, players/videojs.ts) with their real players, in the
 * same pages and retry wrapper as test/e2e/players.ts (`?adapter=1`: the page loads the adapter, one flood guard
 * and an <xtream-error-banner> bound to it; its sign-in goes through guardedFetch), against the production-style
 * panel — without the extension: the pages are reached as `localhost`, a site the test build does not hold.
 *
 * A portal has one guard per page; three portals of one viewer against one panel are not a real setup, so each
 * player gets its own panel (and site) and the three run at once, each in its own window. Scenarios (a)–(e) of
 * players.ts: wrong password, expired, already connected, banned IP, healthy. Each panel must never block, each
 * banner must show the right code, a held request must never reach the panel, the healthy stream must play and
 * never be held.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Panel } from '../../demo/panel/index.js';
import { buildExtension, launch, type BrowserName, type Harness } from './helpers.js';
import {
  ACCOUNT_CODES,
  addUsers,
  apiPath,
  codesIn,
  noteBanner,
  panelVerdict,
  productionPanel,
  report,
  SCENARIOS,
  SEED_BLOCK,
  startSite,
  streamPath,
  tally,
  type Scenario,
  type Site,
} from './players.js';

const ADAPTED = ['hlsjs', 'mpegts', 'videojs'] as const;
type Adapted = (typeof ADAPTED)[number];
const SCENARIO_MS = 15_000;

interface AdaptedResult {
  stats: { attempts: number; errors: number; playing: boolean; maxTime: number; lastErrors: string[]; login: unknown };
  /** What onDiagnosis reported (held ones as `held:CODE`), and how many requests the guard held back. */
  reported: string[];
  held: number;
  /** Requests the page's guard let through: the most that may have reached the panel. */
  allowed: number;
  /** Every code the banner showed, the last banner's codes, and the banner over time. */
  banner: string[];
  finalCodes: string[];
  history: string[];
  lastBanner: string;
  reached: number;
  /** When the guard let each request through and when each reached the panel (ms from the start). */
  timeline: string[];
  paths: Record<string, number>;
  panel: ReturnType<typeof panelVerdict>;
}

/** The banner over the player: its text when shown, '' when hidden. */
function adapterBanner(page: Page): Promise<string> {
  return page.evaluate(() => {
    const banner = document.querySelector('xtream-error-banner');
    if (!banner || banner.hidden) return '';
    return banner.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  });
}

export function adaptersSuite(name: BrowserName): void {
  describe(`the player adapters in ${name} (no extension), panel style xcvm`, { timeout: 240_000 }, () => {
    let harness: Harness;
    const panels = new Map<Adapted, Panel>();
    const sites = new Map<Adapted, Site>();
    const windows = new Map<Adapted, Page>();
    const results = new Map<string, Record<Adapted, AdaptedResult>>();

    before(async () => {
      for (const player of ADAPTED) {
        const panel = await productionPanel('xcvm');
        panels.set(player, panel);
        sites.set(player, await startSite(panel));
      }
      harness = await launch(name, `${buildExtension('test')}/${name}`);
      // One window per player: a background tab would defer (Chromium) or hold (Firefox) its media.
      for (const player of ADAPTED) windows.set(player, await harness.browser.newPage({ type: 'window' }));
    });
    after(async () => {
      await harness?.close();
      for (const site of sites.values()) await site.stop();
      for (const panel of panels.values()) await panel.stop();
    });

    async function run(scenario: Scenario): Promise<void> {
      const cleanups: Array<(() => void) | void> = [];
      const marks = new Map<Adapted, number>();
      for (const player of ADAPTED) {
        await windows.get(player)!.goto('about:blank');
        const panel = panels.get(player)!;
        panel.reset();
        addUsers(panel);
        cleanups.push(await scenario.setup?.(panel));
        marks.set(player, sites.get(player)!.reached.length);
      }
      const start = Date.now();
      const banner = new Map<Adapted, Set<string>>(ADAPTED.map((player) => [player, new Set<string>()]));
      const lastBanner = new Map<Adapted, string>();
      const history = new Map<Adapted, string[]>(ADAPTED.map((player) => [player, []]));
      try {
        const { username, password } = scenario.credentials;
        await Promise.all(
          ADAPTED.map((player) => {
            const origin = sites.get(player)!.url.replace('127.0.0.1', 'localhost');
            const login = scenario.login ? `&login=${encodeURIComponent(apiPath(username, password))}` : '';
            return windows.get(player)!.goto(`${origin}/players/${player}.html?adapter=1&src=${encodeURIComponent(streamPath(player, username, password))}${login}`);
          }),
        );
        const healthy = scenario.expect === undefined;
        let playedAt: number | undefined;
        const deadline = start + (healthy ? 25_000 : SCENARIO_MS);
        for (;;) {
          const at = Date.now();
          await Promise.all(
            ADAPTED.map(async (player) => {
              const text = await adapterBanner(windows.get(player)!).catch(() => '');
              if (text) lastBanner.set(player, text);
              noteBanner(text, at - start, banner.get(player)!, history.get(player)!);
            }),
          );
          if (healthy) {
            const times = await Promise.all(ADAPTED.map((player) => windows.get(player)!.evaluate('window.__stats.maxTime').catch(() => 0) as Promise<number>));
            if (times.every((time) => time > 2.5)) playedAt ??= at;
            if (playedAt !== undefined && at - playedAt > 1_500) break;
          }
          if (Date.now() > deadline) break;
          await new Promise((resolveWait) => setTimeout(resolveWait, 400));
        }
      } finally {
        const players = {} as Record<Adapted, AdaptedResult>;
        for (const player of ADAPTED) {
          const page = windows.get(player)!;
          const stats = (await page.evaluate('({ ...window.__stats })').catch(() => ({}))) as AdaptedResult['stats'];
          const xux = (await page.evaluate('({ codes: window.__xux?.codes ?? [], held: window.__xux?.held ?? 0, allowed: window.__xux?.allowed ?? 0, allowedAt: window.__xux?.allowedAt ?? [] })').catch(() => ({ codes: [], held: 0, allowed: 0, allowedAt: [] }))) as { codes: string[]; held: number; allowed: number; allowedAt: number[] };
          await page.evaluate('window.__stopPlayer && window.__stopPlayer()').catch(() => undefined);
          const mine = sites.get(player)!.reached.slice(marks.get(player)).filter((request) => request.from === player);
          players[player] = {
            stats: { ...stats, lastErrors: stats.lastErrors?.slice(-3) ?? [] },
            reported: [...new Set(xux.codes)],
            held: xux.held,
            allowed: xux.allowed,
            banner: [...banner.get(player)!],
            finalCodes: codesIn(lastBanner.get(player) ?? ''),
            history: history.get(player)!,
            lastBanner: (lastBanner.get(player) ?? '').slice(0, 160),
            reached: mine.length,
            timeline: [...xux.allowedAt.map((at) => `${at - start} allowed`), ...mine.map((request) => `${request.at - start} reached ${request.path.slice(0, 40)}`)].sort((a, b) => parseInt(a) - parseInt(b)),
            paths: tally(mine.map((request) => request.path.replace(/\/hls\/[^/]+\//, '/hls/*/'))),
            panel: panelVerdict(panels.get(player)!),
          };
        }
        report(`${name} adapters (${scenario.id}) ${scenario.title}`, players);
        results.set(scenario.id, players);
        for (const cleanup of cleanups) cleanup?.();
        for (const page of windows.values()) await page.goto('about:blank').catch(() => undefined);
      }
    }

    for (const scenario of SCENARIOS) {
      describe(`(${scenario.id}) ${scenario.title}`, () => {
        it('runs the three adapted players at once, each against its own panel', async () => {
          await run(scenario);
        });
        for (const player of ADAPTED) {
          it(`${player}: ${scenario.banned ? 'no more of the panel than the ban it started with' : 'never gets the IP banned: no ban, the count under its block'}`, () => {
            const result = results.get(scenario.id)![player];
            if (scenario.banned) {
              assert.ok(result.panel.banList.every((ban) => ban.reason === 'FLOOD ATTACK'), `only the scenario's ban: ${JSON.stringify(result.panel.banList)}`);
              return;
            }
            assert.deepEqual(result.panel.banList, [], 'the panel banned the IP');
            assert.ok(result.panel.failuresNow < SEED_BLOCK - 1, `the panel counts ${result.panel.failuresNow} failures (blocks at ${SEED_BLOCK})`);
            assert.deepEqual(result.panel.floodEvents.filter((event) => event.startsWith('FLOOD_BLOCK') || event.startsWith('BRUTEFORCE')), []);
          });
          it(`${player}: every request that reached the panel went through the guard`, () => {
            const result = results.get(scenario.id)![player];
            assert.ok(result.reached > 0, 'nothing reached the panel');
            // The browser follows the panel's 302 to its replacement clip by itself: one request the guard let through.
            const followed = Object.entries(result.paths).reduce((sum, [path, count]) => (path.startsWith('/auth/') ? sum + count : sum), 0);
            assert.ok(result.reached - followed <= result.allowed, `${result.reached} requests reached the panel (${followed} of them a followed redirect), the guard let ${result.allowed} through`);
          });
          if (scenario.expect) {
            it(`${player}: the banner over the player says ${scenario.expect.source.replace(/\\b/g, '')}`, () => {
              const result = results.get(scenario.id)![player];
              assert.ok(
                result.finalCodes.some((code) => scenario.expect!.test(code)),
                `banner codes at the end ${JSON.stringify(result.finalCodes)} (over time ${JSON.stringify(result.history)}; reported ${JSON.stringify(result.reported)}); last banner "${result.lastBanner}"`,
              );
              const wrong = result.banner.filter((code) => ACCOUNT_CODES.includes(code) && !scenario.expect!.test(code));
              assert.deepEqual(wrong, [], `the banner also said ${wrong.join(', ')} (over time ${JSON.stringify(result.history)})`);
            });
          } else {
            it(`${player}: plays (currentTime past 2 s), never held, no banner`, () => {
              const result = results.get(scenario.id)![player];
              assert.ok(result.stats.playing && result.stats.maxTime > 2, `not playing: ${JSON.stringify(result.stats)}`);
              assert.equal(result.held, 0, 'the guard held a healthy stream');
              assert.deepEqual(result.reported, [], 'onDiagnosis reported a failure on a healthy stream');
              assert.deepEqual(result.banner, [], `a banner on a healthy stream: "${result.lastBanner}"`);
              assert.equal(result.panel.countedFailures, 0, 'the panel counted failures');
            });
          }
        }
        if (scenario.id === 'a' || scenario.id === 'd') {
          it('the guard held the players’ own retries back (they never reached the panel)', () => {
            for (const player of ADAPTED) {
              const result = results.get(scenario.id)![player];
              assert.ok(result.held > 0, `${player}: nothing held (${result.reached} requests reached the panel; ${JSON.stringify(result.stats)})`);
            }
          });
        }
      });
    }
  });
}
