import { nothing } from 'lit';
import type { GuardView } from './guard-notes.js';

export type { GuardView } from './guard-notes.js';

/** The script-tag build's stand-in: it has no flood guard, so a banner never has guard notes (see scripts/build-lib.mjs). */
export const renderGuard = (_guard: GuardView | undefined, _t: unknown): typeof nothing => nothing;
export const countdownText = (_t: unknown, _secondsLeft: number): string => '';
