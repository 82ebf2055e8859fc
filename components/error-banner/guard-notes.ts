import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../localize-controller.js';

/** What the flood guard says about the banner's panel, ready to show. */
export interface GuardView {
  readonly level: 'ok' | 'warning' | 'blocked';
  /** Failures automatic requests may still make before the guard pauses. */
  readonly attemptsLeft: number;
  /** Seconds until requests may resume by themselves (a countdown); absent when allowed or a hard stop. */
  readonly secondsLeft?: number;
  readonly reason?: 'backoff' | 'threshold' | 'panel-block' | 'hard-stop' | 'retry-after';
  /** At a pause point: minutes the panel will block for if one more attempt fails. */
  readonly consequenceMinutes?: number;
  /** A person's "try anyway" ticket is waiting. */
  readonly ticket?: boolean;
  readonly allowed: boolean;
}

/** "Try again in 42 seconds" / "in 5 minutes". */
export function countdownText(t: Translate, secondsLeft: number): string {
  return secondsLeft >= 120
    ? t('xtream-ui:retry.inMinutes', { count: Math.ceil(secondsLeft / 60) })
    : t('xtream-ui:retry.inSeconds', { count: Math.max(1, Math.ceil(secondsLeft)) });
}

/** The flood guard's notes in a banner: attempts left, paused or blocked, what "try anyway" costs, the countdown. */
export function renderGuard(guard: GuardView | undefined, t: Translate): TemplateResult | typeof nothing {
  if (!guard) return nothing;
  const lines: TemplateResult[] = [];
  if (guard.reason === 'hard-stop') lines.push(html`<p class="guard" part="guard">${t('xtream-ui:guard.hardStop')}</p>`);
  else if (guard.reason === 'panel-block') lines.push(html`<p class="guard" part="guard">${t('xtream-ui:guard.blocked')}</p>`);
  else if (guard.reason === 'threshold') lines.push(html`<p class="guard" part="guard">${t('xtream-ui:guard.paused')}</p>`);
  else if (guard.level === 'warning' && guard.attemptsLeft > 0) {
    lines.push(html`<p class="guard" part="guard">${t('xtream-ui:guard.warning', { count: guard.attemptsLeft })}</p>`);
  }
  if (guard.consequenceMinutes !== undefined && (guard.reason === 'threshold' || guard.reason === 'hard-stop')) {
    lines.push(html`<p class="consequence" part="consequence">${t('xtream-ui:guard.consequence', { count: guard.consequenceMinutes })}</p>`);
  }
  if (!guard.allowed && guard.secondsLeft !== undefined) {
    lines.push(html`<p class="countdown" part="countdown">${countdownText(t, guard.secondsLeft)}</p>`);
  }
  return lines.length ? html`${lines}` : nothing;
}
