/**
 * Diagnoses as they may be stored, sent and shown: every URL redacted, server text redacted and cut short,
 * nothing else the server said. The main world is untrusted, so its reports pass through here too.
 */
import { redactText, redactUrl } from '../../core/redact.js';
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
  return JSON.parse(
    JSON.stringify({
      source: diagnosis.source,
      code: cleanText(diagnosis.code) ?? 'unknown',
      known: diagnosis.known === true,
      key: diagnosis.key,
      kind: diagnosis.kind,
      category: diagnosis.category,
      severity: diagnosis.severity,
      fixer: Array.isArray(diagnosis.fixer) ? diagnosis.fixer : [],
      retry: diagnosis.retry,
      flood: diagnosis.flood,
      definitive: diagnosis.definitive === true,
      httpStatus: cleanNumber(diagnosis.httpStatus),
      serverCode: cleanText(diagnosis.serverCode),
      serverMessage: cleanText(diagnosis.serverMessage),
      details: cleanText(diagnosis.details),
      masked: diagnosis.masked,
      endpoint: cleanEndpoint(diagnosis.endpoint),
      account,
      retryAfterMs: cleanNumber(diagnosis.retryAfterMs),
      serverTime: cleanNumber(diagnosis.serverTime),
      seen: cleanText(diagnosis.seen),
    }),
  ) as Diagnosis;
}
