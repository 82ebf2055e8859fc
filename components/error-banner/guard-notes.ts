import { html, nothing, type TemplateResult } from 'lit';
import type { FloodStatus } from '../../core/flood-guard.js';
import type { Translate } from '../localize-controller.js';

/** What the flood guard says about the banner's panel, ready to show. */
export interface GuardView {
  readonly level: 'ok' | 'warning' | 'blocked';
  /** Failures automatic requests may still make before the guard pauses. */
  readonly attemptsLeft: number;
  /** Seconds until requests may resume by themselves (a countdown); absent when allowed or a hard stop. */
  readonly secondsLeft?: number;
  readonly reason?: 'backoff' | 'threshold' | 'panel-block' | 'hard-stop' | 'retry-after';
  /** At a pause point: minutes the panel will block for once `consequenceFailures` more attempts fail. */
  readonly consequenceMinutes?: number;
  /** At a pause point: how many more failures make the panel block (the guard pauses `margin` short of it). */
  readonly consequenceFailures?: number;
  /** A person's "try anyway" ticket is waiting. */
  readonly ticket?: boolean;
  readonly allowed: boolean;
}

/** What a guard status (core's FloodStatus, or the extension's view of one) shows in a banner at `now`. */
export function guardView(
  status: Pick<FloodStatus, 'level' | 'attemptsLeft' | 'allowed' | 'reason' | 'ticket' | 'retryAt' | 'consequence' | 'failures'>,
  now: number,
): GuardView {
  return {
    level: status.level,
    attemptsLeft: status.attemptsLeft,
    allowed: status.allowed,
    reason: status.reason,
    ticket: status.ticket,
    secondsLeft: !status.allowed && status.retryAt !== undefined ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : undefined,
    consequenceMinutes: status.consequence ? Math.max(1, Math.round(status.consequence.blockMs / 60_000)) : undefined,
    consequenceFailures: status.consequence ? Math.max(1, status.consequence.failures - status.failures) : undefined,
  };
}

/** "Try again in 42 seconds" / "in 5 minutes". */
export function countdownText(t: Translate, secondsLeft: number): string {
  return secondsLeft >= 120
    ? t('xtream-ui:retry.inMinutes', { count: Math.round(secondsLeft / 60) })
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
    const more = guard.consequenceFailures ?? 1;
    const sentence =
      more > 1
        ? t('xtream-ui:guard.consequenceAfter', { count: more, minutes: guard.consequenceMinutes })
        : t('xtream-ui:guard.consequence', { count: guard.consequenceMinutes });
    lines.push(html`<p class="consequence" part="consequence">${sentence}</p>`);
  }
  if (!guard.allowed && guard.secondsLeft !== undefined) {
    lines.push(html`<p class="countdown" part="countdown">${countdownText(t, guard.secondsLeft)}</p>`);
  }
  return lines.length ? html`${lines}` : nothing;
}
