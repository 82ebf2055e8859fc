/**
 * The one list of a Diagnosis's fields by trust: facts (from the catalog, the status, the URL's shape) may go
 * anywhere; what the server said, or what was seen, is untrusted text that is redacted wherever it goes. The
 * flood guard keeps facts only; the extension's sanitizer keeps facts and redacted text.
 */
import type { Diagnosis, Endpoint } from './types.js';

/** Facts: safe to store, message and show as they are. */
export const DIAGNOSIS_FACT_FIELDS = [
  'source',
  'code',
  'known',
  'key',
  'kind',
  'category',
  'severity',
  'fixer',
  'retry',
  'flood',
  'definitive',
  'httpStatus',
  'masked',
  'retryAfterMs',
  'serverTime',
] as const satisfies readonly (keyof Diagnosis)[];

/** Untrusted text: what the server said, or a summary of unreadable input. */
export const DIAGNOSIS_TEXT_FIELDS = ['serverCode', 'serverMessage', 'details', 'seen'] as const satisfies readonly (keyof Diagnosis)[];

/** An endpoint's facts: what it is and where, without its URL (credentials could hide in it). */
export function endpointFacts(endpoint: Endpoint | undefined): Endpoint | undefined {
  return endpoint ? { kind: endpoint.kind, bulk: endpoint.bulk, action: endpoint.action, host: endpoint.host } : undefined;
}

/** The diagnosis as facts only, as plain JSON: no server text, no URL, no account. */
export function diagnosisFacts(diagnosis: Diagnosis): Diagnosis {
  const facts: Record<string, unknown> = {};
  for (const field of DIAGNOSIS_FACT_FIELDS) facts[field] = diagnosis[field];
  facts.endpoint = endpointFacts(diagnosis.endpoint);
  return JSON.parse(JSON.stringify(facts)) as Diagnosis;
}
