import { lookup } from '../core/catalog.js';
import { classify, describeSeen, diagnosisOf } from '../core/classify.js';
import type { Diagnosis } from '../core/types.js';

const SEVERITIES = new Set(['success', 'info', 'warning', 'error']);

/** Whether a value already is a Diagnosis (from classify, or built by hand with the same shape). */
export function isDiagnosis(value: unknown): value is Diagnosis {
  try {
    if (!value || typeof value !== 'object') return false;
    const candidate = value as Partial<Diagnosis>;
    return (
      typeof candidate.code === 'string' &&
      typeof candidate.key === 'string' &&
      lookup(candidate.key) !== undefined &&
      typeof candidate.severity === 'string' &&
      SEVERITIES.has(candidate.severity) &&
      typeof candidate.known === 'boolean'
    );
  } catch {
    return false;
  }
}

/** The "all is well" diagnosis of a catalog entry that is not an error (200, 206, Active). */
export function successDiagnosis(code = '200'): Diagnosis {
  return diagnosisOf(lookup(code)?.severity === 'success' ? code : '200');
}

function successCodeOf(input: unknown): string {
  if (typeof input === 'string' || typeof input === 'number') {
    const code = String(input).trim();
    if (lookup(code)?.severity === 'success') return code;
  }
  if (input && typeof input === 'object') {
    try {
      const status = String((input as { status?: unknown }).status ?? '');
      if (lookup(status)?.severity === 'success') return status;
    } catch {
      /* a hostile object: plain success */
    }
  }
  return '200';
}

/**
 * Any banner input → the Diagnosis to show. Never throws, never null: a success becomes the
 * "all is well" diagnosis, unreadable input the UNREADABLE one (with a redacted summary).
 */
export function diagnose(input: unknown): Diagnosis {
  if (isDiagnosis(input)) return input;
  return classify(input) ?? successDiagnosis(successCodeOf(input));
}

/** Two diagnoses that say the same thing merge into one notification with a ×N count. */
export function diagnosisIdentity(diagnosis: Diagnosis): string {
  try {
    return JSON.stringify([
      diagnosis.code,
      diagnosis.key,
      diagnosis.source,
      diagnosis.httpStatus,
      diagnosis.serverCode,
      diagnosis.serverMessage,
      diagnosis.details,
      diagnosis.endpoint?.host,
      diagnosis.endpoint?.kind,
      diagnosis.seen,
    ]);
  } catch {
    return String(diagnosis?.code);
  }
}

/** A short, redacted, text-only summary of any input, for the fallback banner. */
export function summarize(input: unknown, limit = 300): string {
  return describeSeen(input, limit);
}
