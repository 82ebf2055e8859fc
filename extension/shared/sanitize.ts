/**
 * Diagnoses as they may be stored, sent and shown: every URL redacted, server text redacted and cut short,
 * nothing else the server said. The main world is untrusted, so its reports pass through here too.
 */
import { redactText, redactUrl } from '../../core/redact.js';
import { DIAGNOSIS_TEXT_FIELDS, diagnosisFacts } from '../../core/diagnosis-facts.js';
import type { Diagnosis, Endpoint } from '../../core/types.js';

const TEXT_LIMIT = 300;

function cleanText(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const redacted = redactText(value);
  return redacted.length > TEXT_LIMIT ? `${redacted.slice(0, TEXT_LIMIT)}…` : redacted;
}

function cleanNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function cleanEndpoint(endpoint: Endpoint | undefined): Endpoint | undefined {
  if (!endpoint) return undefined;
  return {
    kind: endpoint.kind,
    bulk: endpoint.bulk,
    action: cleanText(endpoint.action),
    streamType: cleanText(endpoint.streamType),
    streamId: cleanText(endpoint.streamId),
    extension: cleanText(endpoint.extension),
    host: cleanText(endpoint.host),
    url: endpoint.url ? redactUrl(endpoint.url) : undefined,
  };
}

/** A copy of a diagnosis that is safe to store, message and render (plain JSON). */
export function sanitizeDiagnosis(diagnosis: Diagnosis): Diagnosis {
  const account = diagnosis.account
    ? {
        status: cleanText(diagnosis.account.status),
        expiresAt: diagnosis.account.expiresAt === null ? null : cleanNumber(diagnosis.account.expiresAt),
        expired: typeof diagnosis.account.expired === 'boolean' ? diagnosis.account.expired : undefined,
        msLeft: cleanNumber(diagnosis.account.msLeft),
        activeConnections: cleanNumber(diagnosis.account.activeConnections),
        maxConnections: cleanNumber(diagnosis.account.maxConnections),
        trial: typeof diagnosis.account.trial === 'boolean' ? diagnosis.account.trial : undefined,
        createdAt: cleanNumber(diagnosis.account.createdAt),
      }
    : undefined;
  const text: Record<string, string | undefined> = {};
  for (const field of DIAGNOSIS_TEXT_FIELDS) text[field] = cleanText(diagnosis[field]);
  return JSON.parse(
    JSON.stringify({
      ...diagnosisFacts(diagnosis),
      code: cleanText(diagnosis.code) ?? 'unknown',
      known: diagnosis.known === true,
      fixer: Array.isArray(diagnosis.fixer) ? diagnosis.fixer : [],
      definitive: diagnosis.definitive === true,
      httpStatus: cleanNumber(diagnosis.httpStatus),
      retryAfterMs: cleanNumber(diagnosis.retryAfterMs),
      serverTime: cleanNumber(diagnosis.serverTime),
      ...text,
      endpoint: cleanEndpoint(diagnosis.endpoint),
      account,
    }),
  ) as Diagnosis;
}
