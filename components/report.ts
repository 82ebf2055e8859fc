import { redactText, redactUrl } from '../core/redact.js';
import type { Diagnosis } from '../core/types.js';
import type { Translate } from './localize-controller.js';

export interface ReportContext {
  /** Milliseconds since epoch; the clock's now. */
  readonly now: number;
  readonly lang: string;
  readonly userAgent?: string;
}

/**
 * The "copy details" text support staff paste into a ticket: code, endpoint, time, browser, and what the
 * server said — redacted again here, so nothing handed in by hand leaks a credential either.
 */
export function detailsReport(diagnosis: Diagnosis, t: Translate, context: ReportContext): string {
  const key = diagnosis.key;
  const lines: string[] = [];
  const line = (label: string, value: string | undefined) => {
    if (value) lines.push(`${label}: ${redactText(value)}`);
  };
  lines.push(`${t('xtream-ui:report.title')} — ${t(`xtream-errors:${key}.title`)}`);
  lines.push(redactText(t('xtream-ui:banner.code', { code: supportCode(diagnosis) })));
  line(t('xtream-ui:report.endpoint'), diagnosis.endpoint?.url ? redactUrl(diagnosis.endpoint.url) : diagnosis.endpoint?.host);
  line(t('xtream-ui:report.time'), new Date(context.now).toISOString());
  line(t('xtream-ui:report.browser'), context.userAgent);
  line(t('xtream-ui:banner.serverSaid'), diagnosis.serverMessage);
  line(t('xtream-ui:banner.additionalInfo'), diagnosis.details ?? diagnosis.seen);
  lines.push(`source=${diagnosis.source} key=${key} lang=${context.lang}`);
  return lines.join('\n');
}

/** The code support staff look up: the resolved code, with the HTTP status when that adds anything. */
export function supportCode(diagnosis: Diagnosis): string {
  const status = diagnosis.httpStatus;
  return status !== undefined && String(status) !== diagnosis.code ? `${diagnosis.code} · HTTP ${status}` : diagnosis.code;
}
