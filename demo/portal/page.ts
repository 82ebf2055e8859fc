/**
 * The portal's page: its elements, the viewer's choices (language, theme) and the two places a failure is shown
 * outside the player — the stack (bound to the guard key it counts under) and the activity log (redacted paths
 * and codes only, never credentials).
 */
import type { XtreamErrorBanner, XtreamErrorStack } from '../../components/index.js';
import { guard, type Outcome } from './calls.js';

export type Theme = 'auto' | 'light' | 'dark';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
}

export const ui = {
  form: byId<HTMLFormElement>('login'),
  username: byId<HTMLInputElement>('username'),
  password: byId<HTMLInputElement>('password'),
  panel: byId<HTMLSelectElement>('panel'),
  signin: byId<HTMLButtonElement>('signin'),
  signinReason: byId('signin-reason'),
  loginStatus: byId('login-status'),
  loginBanner: byId<XtreamErrorBanner>('login-banner'),
  account: byId('account'),
  facts: byId('facts'),
  signout: byId<HTMLButtonElement>('signout'),
  screen: byId('screen'),
  video: byId<HTMLVideoElement>('video'),
  playerBanner: byId<XtreamErrorBanner>('player-banner'),
  playerStatus: byId('player'),
  engine: byId<HTMLSelectElement>('engine'),
  engineReason: byId('engine-reason'),
  stop: byId<HTMLButtonElement>('stop'),
  playerFailures: byId('player-failures'),
  channels: byId('channels'),
  scenarios: byId('scenarios'),
  failPanel: byId('fail-panel'),
  loopRun: byId<HTMLButtonElement>('loop-run'),
  loopCheck: byId<HTMLButtonElement>('loop-check'),
  loopCheckReason: byId('loop-check-reason'),
  naiveIp: byId('naive-ip'),
  naiveVideo: byId<HTMLVideoElement>('naive-video'),
  naiveLog: byId('naive-log'),
  naiveSummary: byId('naive-summary'),
  naiveBanner: byId<XtreamErrorBanner>('naive-banner'),
  guardedIp: byId('guarded-ip'),
  guardedVideo: byId<HTMLVideoElement>('guarded-video'),
  guardedLog: byId('guarded-log'),
  guardedSummary: byId('guarded-summary'),
  guardedBanner: byId<XtreamErrorBanner>('guarded-banner'),
  log: byId('log'),
  logClear: byId<HTMLButtonElement>('log-clear'),
  language: byId<HTMLSelectElement>('language'),
  theme: byId<HTMLSelectElement>('theme'),
  stack: document.querySelector('xtream-error-stack') as XtreamErrorStack,
};

/** The viewer's choices: the banners' theme and language (the portal's own chrome is English only). */
export const view = { theme: 'auto' as Theme, language: 'en' };

/**
 * A control that cannot act says why: disabled, and its reason in the element named by aria-describedby (shown
 * beside it), or enabled with the reason cleared.
 */
export function setAvailable(control: HTMLButtonElement | HTMLSelectElement | HTMLOptionElement, reasonElement: HTMLElement | undefined, reason: string | undefined): void {
  control.disabled = reason !== undefined;
  if (reasonElement) {
    reasonElement.textContent = reason ?? '';
    reasonElement.hidden = reason === undefined;
  }
  if (control instanceof HTMLOptionElement) control.title = reason ?? '';
}

const retryActions = new WeakMap<XtreamErrorBanner, () => void>();

/** Shows a failure in the stack, bound to the guard key it counts under, with what "try again" re-runs. */
export function showInStack(outcome: Outcome, key: string | undefined, retry?: () => void): void {
  const input = outcome.diagnosis ?? outcome.held?.status.diagnosis;
  if (!input) return;
  const banner = ui.stack.show(input);
  banner.theme = view.theme;
  if (key && input.source !== 'stream-api' && input.source !== 'network') {
    banner.guard = guard;
    banner.guardKey = key;
  }
  if (retry) {
    if (!retryActions.has(banner)) banner.addEventListener('xtream-retry', () => retryActions.get(banner)?.());
    retryActions.set(banner, retry);
  }
}

export function logLine(text: string, tone: 'ok' | 'bad' | '' = ''): void {
  const item = document.createElement('li');
  const time = document.createElement('time');
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = now.toLocaleTimeString(view.language, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const span = document.createElement('span');
  span.textContent = text;
  if (tone) span.className = tone;
  item.append(time, span);
  ui.log.prepend(item);
  while (ui.log.children.length > 60) ui.log.lastElementChild?.remove();
}
