/**
 * The demo portal: a provider portal in plain TypeScript that talks to the local mock panels through the demo
 * server (same origin; `X-Demo-Panel` picks classic, masked or xcvm, see demo/vite.config.ts) — every panel
 * request through `guardedFetch` or, for the players, the project's hls.js and mpegts.js adapters, all on one
 * flood guard shared by the portal's tabs (Web Storage).
 *
 *   calls.ts      requests: the guard, guard keys, call(), headers of a simulated client
 *   page.ts       the page's elements, the stack and the activity log
 *   session.ts    sign-in, the subscription card, the channel list (reset on every sign-in)
 *   engines.ts    hls.js and mpegts.js behind one interface (adapters.ts: where the adapters come from)
 *   player.ts     the player with its banner over the picture, and the player's failures
 *   scenarios.ts  "make it fail" for the portal's own requests
 *   loop.ts       a naive player retry loop vs a guarded one
 *   main.ts       preferences and wiring
 *
 * Credentials live only in the form's inputs and in memory: never in the DOM elsewhere, in the console, in
 * storage, or in the activity log (which shows redacted paths and codes only).
 */
import '../../components/define.js';
import { setLanguage, SUPPORTED_LANGUAGES } from '../../components/index.js';
import { PANELS, type Panel } from './calls.js';
import type { Engine } from './engines.js';
import { checkLoopClients, loopTryAnyway, runLoops } from './loop.js';
import { ui, view, type Theme } from './page.js';
import { renderPlayerFailures, retryPlayer, stopPlayer, updateEngines } from './player.js';
import { renderScenarios } from './scenarios.js';
import { currentPanel, playChannel, sessionPanel, signIn, signOut, watchSignInGate } from './session.js';

// ── preferences (never credentials) ───────────────────────────────────────────

const PREFS = 'xeu-demo-portal:prefs';
interface Prefs {
  lang?: string;
  theme?: Theme;
  panel?: Panel;
  engine?: Engine;
}
function loadPrefs(): Prefs {
  try {
    return (JSON.parse(localStorage.getItem(PREFS) ?? '{}') as Prefs) ?? {};
  } catch {
    return {};
  }
}
function savePrefs(change: Prefs): void {
  try {
    localStorage.setItem(PREFS, JSON.stringify({ ...loadPrefs(), ...change }));
  } catch {
    /* private mode: preferences just don't persist */
  }
}

// ── language and theme ────────────────────────────────────────────────────────

/**
 * The banners follow `setLanguage` and set their own direction (Arabic renders right to left). The portal's own
 * chrome is English only, so <html lang/dir> stay as they are.
 */
async function applyLanguage(code: string): Promise<void> {
  const language = await setLanguage(code);
  view.language = language;
  if (ui.language.value !== language) ui.language.value = language;
}

function applyTheme(value: Theme): void {
  view.theme = value;
  document.documentElement.dataset.theme = value;
  for (const banner of document.querySelectorAll('xtream-error-banner')) banner.theme = value;
}

// ── wiring ────────────────────────────────────────────────────────────────────

function init(): void {
  const prefs = loadPrefs();
  for (const language of SUPPORTED_LANGUAGES) {
    const option = new Option(language.name, language.code);
    option.lang = language.code;
    ui.language.append(option);
  }
  ui.language.value = prefs.lang ?? 'en';
  ui.theme.value = prefs.theme ?? 'auto';
  ui.panel.value = prefs.panel && PANELS.includes(prefs.panel) ? prefs.panel : 'classic';
  ui.engine.value = prefs.engine === 'mpegts' ? 'mpegts' : 'hls';
  applyTheme(ui.theme.value as Theme);
  void applyLanguage(ui.language.value);
  renderScenarios();
  renderPlayerFailures(currentPanel, () => ui.engine.value as Engine);
  updateEngines(undefined);
  watchSignInGate();

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn();
  });
  ui.loginBanner.addEventListener('xtream-retry', () => void signIn());
  ui.signout.addEventListener('click', signOut);
  ui.panel.addEventListener('change', () => {
    savePrefs({ panel: currentPanel() });
    if (sessionPanel() && sessionPanel() !== currentPanel()) signOut();
    ui.loginBanner.hidden = true;
    renderScenarios();
    watchSignInGate();
  });
  ui.engine.addEventListener('change', () => savePrefs({ engine: ui.engine.value as Engine }));
  ui.channels.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button.channel');
    if (button?.dataset.streamId) void playChannel(button.dataset.streamId, button.lastElementChild?.textContent ?? '', button);
  });
  ui.playerBanner.addEventListener('xtream-retry', () => retryPlayer());
  ui.stop.addEventListener('click', () => stopPlayer());
  ui.language.addEventListener('change', () => {
    savePrefs({ lang: ui.language.value });
    void applyLanguage(ui.language.value);
  });
  ui.theme.addEventListener('change', () => {
    savePrefs({ theme: ui.theme.value as Theme });
    applyTheme(ui.theme.value as Theme);
  });
  ui.loopRun.addEventListener('click', () => void runLoops());
  ui.loopCheck.addEventListener('click', () => void checkLoopClients());
  ui.guardedBanner.addEventListener('xtream-retry', (event) => {
    if (event.anyway) void loopTryAnyway();
  });
  ui.logClear.addEventListener('click', () => ui.log.replaceChildren());
}

init();
