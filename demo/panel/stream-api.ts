/**
 * Stream API (billing): every error in the StreamBaseResponse envelope
 * `{"error":{"code","message","additional_info"}}`, with the canonical message from the catalog and the HTTP
 * status of its exception class.
 *
 * - GET /stream-api/error?code=CODE[&additional_info=TEXT] → that code's envelope.
 * - Realistic routes under /api/v1 (state resets with the panel's reset()).
 */
import { catalog } from '../../core/catalog.js';
import { header, readBody, sendJson } from './http-util.js';
import type { Ctx, Runtime } from './runtime.js';

/** The 12 Stream API codes, as the catalog lists them. */
export const STREAM_API_CODES: readonly string[] = Object.values(catalog)
  .filter((e) => e.kind === 'stream-api-code')
  .map((e) => e.code);

export const STREAM_API_ADMIN_TOKEN = 'stream-admin-token';

export function streamApiStatus(code: string): number {
  return catalog[code]?.httpStatus[0] ?? 500;
}

export function envelope(code: string, additionalInfo?: string): { error: { code: string; message: string; additional_info?: string } } {
  const message = catalog[code]?.canonicalMessage ?? catalog.STREAM_ERROR!.canonicalMessage!;
  return { error: additionalInfo === undefined ? { code, message } : { code, message, additional_info: additionalInfo } };
}

function fail(rt: Runtime, ctx: Ctx, code: string, additionalInfo?: string, status = streamApiStatus(code)): void {
  rt.log(ctx, code, { status, detail: additionalInfo });
  sendJson(ctx.res, status, envelope(code, additionalInfo));
}

interface ApiState {
  invoices: Map<string, 'draft' | 'finalised'>;
  payments: Map<string, 'paid' | 'refunded' | 'processor-down'>;
  phones: Set<string>;
  emails: Set<string>;
  references: Set<string>;
  lockedProducts: Set<string>;
  lockedCoupons: Set<string>;
}

function state(rt: Runtime): ApiState {
  return rt.state<ApiState>('stream-api', () => ({
    invoices: new Map([
      ['inv_draft', 'draft'],
      ['inv_finalised', 'finalised'],
    ]),
    payments: new Map([
      ['pay_ok', 'paid'],
      ['pay_refunded', 'refunded'],
      ['pay_processor_down', 'processor-down'],
    ]),
    phones: new Set(['+15550100']),
    emails: new Set(['taken@example.com']),
    references: new Set(['PAY-0001']),
    lockedProducts: new Set(['prod_in_finalised']),
    lockedCoupons: new Set(['coupon_in_finalised']),
  }));
}

async function jsonBody(ctx: Ctx): Promise<Record<string, unknown> | null> {
  try {
    const text = await readBody(ctx.req);
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** /stream-api/error?code=CODE */
export function handleStreamApiError(rt: Runtime, ctx: Ctx): void {
  const code = ctx.url.searchParams.get('code');
  if (!code || !STREAM_API_CODES.includes(code)) {
    return fail(rt, ctx, 'INVALID_PARAMETERS', `code must be one of ${STREAM_API_CODES.join(', ')}`);
  }
  fail(rt, ctx, code, ctx.url.searchParams.get('additional_info') ?? undefined);
}

/** /api/v1/... */
export async function handleStreamApi(rt: Runtime, ctx: Ctx): Promise<void> {
  const s = state(rt);
  const method = ctx.req.method ?? 'GET';
  const [, , resource, id, verb, ...rest] = ctx.segments; // api, v1, resource, id, verb
  const route = `${method} ${resource ?? ''}${id !== undefined ? '/:id' : ''}${verb !== undefined ? `/${verb}` : ''}${rest.length ? '/…' : ''}`;

  switch (route) {
    case 'POST invoices/:id/finalise':
    case 'POST invoices/:id/finalize': {
      const inv = s.invoices.get(id!);
      if (!inv) return fail(rt, ctx, 'STREAM_ERROR', 'Invoice not found', 404);
      if (inv === 'finalised') return fail(rt, ctx, 'INVOICE_FINALISED', `Invoice ${id} was finalised earlier`);
      s.invoices.set(id!, 'finalised');
      return sendJson(ctx.res, 200, { data: { id, status: 'finalised' } });
    }
    case 'POST payments/:id/refund': {
      const p = s.payments.get(id!);
      if (!p) return fail(rt, ctx, 'STREAM_ERROR', 'Payment not found', 404);
      if (p === 'refunded') return fail(rt, ctx, 'PAYMENT_REFUNDED_ALREADY');
      if (p === 'processor-down') return fail(rt, ctx, 'PAYMENT_REFUNDED_FAILED', 'processor answered: card_declined');
      s.payments.set(id!, 'refunded');
      return sendJson(ctx.res, 200, { data: { id, status: 'refunded' } });
    }
    case 'POST consumers': {
      const body = await jsonBody(ctx);
      const phone = str(body?.phone);
      const email = str(body?.email);
      if (!body || (!phone && !email)) return fail(rt, ctx, 'INVALID_PARAMETERS', 'phone or email is required');
      if (phone && s.phones.has(phone)) return fail(rt, ctx, 'PHONE_ALREADY_REGISTERED');
      if (email && s.emails.has(email.toLowerCase())) return fail(rt, ctx, 'DUPLICATE_CONSUMER');
      if (phone) s.phones.add(phone);
      if (email) s.emails.add(email.toLowerCase());
      return sendJson(ctx.res, 201, { data: { id: `con_${s.phones.size + s.emails.size}`, phone, email } });
    }
    case 'POST payments': {
      const body = await jsonBody(ctx);
      const reference = str(body?.reference);
      if (!body || !reference || typeof body.amount !== 'number') return fail(rt, ctx, 'INVALID_PARAMETERS', 'reference and a numeric amount are required');
      if (s.references.has(reference)) return fail(rt, ctx, 'DUPLICATE_PAYMENT');
      s.references.add(reference);
      return sendJson(ctx.res, 201, { data: { reference, amount: body.amount, status: 'paid' } });
    }
    case 'PATCH products/:id':
      if (s.lockedProducts.has(id!)) return fail(rt, ctx, 'PRODUCT_USED_IN_FINALIZED_INVOICE');
      return sendJson(ctx.res, 200, { data: { id, updated: true } });
    case 'PATCH coupons/:id':
      if (s.lockedCoupons.has(id!)) return fail(rt, ctx, 'COUPON_USED_IN_FINALIZED_INVOICE');
      return sendJson(ctx.res, 200, { data: { id, updated: true } });
    case 'GET reports':
      if (header(ctx.req, 'authorization') !== `Bearer ${STREAM_API_ADMIN_TOKEN}`) return fail(rt, ctx, 'PERMISSION_FORBIDDEN');
      return sendJson(ctx.res, 200, { data: { invoices: s.invoices.size, payments: s.payments.size } });
    case 'GET health/:id':
      if (id === 'fail') return fail(rt, ctx, 'STREAM_ERROR', 'database unavailable');
      if (id === 'crash') return fail(rt, ctx, 'STREAM_UNKNOWN_ERROR');
      if (id === 'ok') return sendJson(ctx.res, 200, { data: { ok: true } });
      break;
  }
  fail(rt, ctx, 'STREAM_ERROR', 'No such endpoint', 404);
}
