/** Stream API of the demo panel: the 12 codes in their envelope, with canonical messages and statuses. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STREAM_API_ADMIN_TOKEN, STREAM_API_CODES, type Panel } from '../../demo/panel/index.js';
import { freshIp, get, lastLog, panelWithClock } from './helpers.js';

/** The seed's table (Stream API errors), copied verbatim so a drift in the catalog shows. */
const seedMessages = new Map<string, string>([
  ['STREAM_ERROR', 'Something wrong happened, please contact support.'],
  ['STREAM_UNKNOWN_ERROR', 'Unknown exception happened; this exception will be handled as soon as possible.'],
  ['PHONE_ALREADY_REGISTERED', 'Phone is already registered.'],
  ['INVALID_PARAMETERS', 'Request input is not valid.'],
  ['INVOICE_FINALISED', 'Invoice is finalised and cannot undergo this action.'],
  ['PAYMENT_REFUNDED_ALREADY', 'Duplicate action; payment has already been refunded.'],
  ['PAYMENT_REFUNDED_FAILED', 'Could not refund payment; processor failed.'],
  ['DUPLICATE_CONSUMER', 'Consumer already exists.'],
  ['DUPLICATE_PAYMENT', 'A payment with the given information already exists.'],
  ['PERMISSION_FORBIDDEN', 'Permission forbidden.'],
  ['PRODUCT_USED_IN_FINALIZED_INVOICE', 'Product cannot be updated; it is used by a finalized invoice.'],
  ['COUPON_USED_IN_FINALIZED_INVOICE', 'Coupon cannot be updated; it is used by a finalized invoice.'],
]);

const EXPECTED_STATUS: Record<string, number> = {
  STREAM_ERROR: 500,
  STREAM_UNKNOWN_ERROR: 500,
  PHONE_ALREADY_REGISTERED: 422,
  INVALID_PARAMETERS: 400,
  INVOICE_FINALISED: 422,
  PAYMENT_REFUNDED_ALREADY: 422,
  PAYMENT_REFUNDED_FAILED: 400,
  DUPLICATE_CONSUMER: 422,
  DUPLICATE_PAYMENT: 422,
  PERMISSION_FORBIDDEN: 403,
  PRODUCT_USED_IN_FINALIZED_INVOICE: 422,
  COUPON_USED_IN_FINALIZED_INVOICE: 422,
};

describe('Stream API', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock()));
  after(() => panel.stop());

  test('the panel knows exactly the 12 seed codes', () => {
    assert.equal(seedMessages.size, 12);
    assert.deepEqual([...STREAM_API_CODES].sort(), [...seedMessages.keys()].sort());
  });

  for (const code of Object.keys(EXPECTED_STATUS)) {
    test(`${code}: envelope with the canonical message and HTTP ${EXPECTED_STATUS[code]}`, async () => {
      const r = await get(panel, `/stream-api/error?code=${code}&additional_info=${encodeURIComponent('order #42')}`, { ip: freshIp() });
      assert.equal(r.status, EXPECTED_STATUS[code]);
      assert.match(r.headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(r.json(), { error: { code, message: seedMessages.get(code), additional_info: 'order #42' } });
      assert.equal(lastLog(panel)!.code, code);
    });
  }

  test('an unknown code asked of /stream-api/error → INVALID_PARAMETERS 400', async () => {
    const r = await get(panel, '/stream-api/error?code=NOPE', { ip: freshIp() });
    assert.equal(r.status, 400);
    assert.equal(r.json().error.code, 'INVALID_PARAMETERS');
  });

  test('realistic routes answer the codes in context', async () => {
    const ip = freshIp();
    const post = (path: string, body?: unknown, method = 'POST') =>
      get(panel, path, { ip, method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });

    const fin = await post('/api/v1/invoices/inv_draft/finalise');
    assert.equal(fin.status, 200);
    const again = await post('/api/v1/invoices/inv_draft/finalise');
    assert.equal(again.status, 422);
    assert.equal(again.json().error.code, 'INVOICE_FINALISED');
    assert.equal(again.json().error.message, seedMessages.get('INVOICE_FINALISED'));
    assert.equal((await post('/api/v1/invoices/inv_missing/finalise')).status, 404);

    assert.equal((await post('/api/v1/payments/pay_refunded/refund')).json().error.code, 'PAYMENT_REFUNDED_ALREADY');
    const failed = await post('/api/v1/payments/pay_processor_down/refund');
    assert.equal(failed.status, 400);
    assert.equal(failed.json().error.code, 'PAYMENT_REFUNDED_FAILED');
    assert.equal((await post('/api/v1/payments/pay_ok/refund')).status, 200);
    assert.equal((await post('/api/v1/payments/pay_ok/refund')).json().error.code, 'PAYMENT_REFUNDED_ALREADY');

    assert.equal((await post('/api/v1/consumers', { phone: '+15550100' })).json().error.code, 'PHONE_ALREADY_REGISTERED');
    assert.equal((await post('/api/v1/consumers', { email: 'TAKEN@example.com' })).json().error.code, 'DUPLICATE_CONSUMER');
    const bad = await get(panel, '/api/v1/consumers', { ip, method: 'POST', body: '{not json' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().error.code, 'INVALID_PARAMETERS');
    assert.equal((await post('/api/v1/consumers', { phone: '+15550199' })).status, 201);
    assert.equal((await post('/api/v1/consumers', { phone: '+15550199' })).status, 422);

    assert.equal((await post('/api/v1/payments', { reference: 'PAY-0001', amount: 10 })).json().error.code, 'DUPLICATE_PAYMENT');
    assert.equal((await post('/api/v1/payments', { reference: 'PAY-0002' })).json().error.code, 'INVALID_PARAMETERS');
    assert.equal((await post('/api/v1/payments', { reference: 'PAY-0002', amount: 10 })).status, 201);

    const prod = await post('/api/v1/products/prod_in_finalised', { price: 1 }, 'PATCH');
    assert.equal(prod.status, 422);
    assert.equal(prod.json().error.code, 'PRODUCT_USED_IN_FINALIZED_INVOICE');
    assert.equal((await post('/api/v1/products/prod_free', { price: 1 }, 'PATCH')).status, 200);
    assert.equal((await post('/api/v1/coupons/coupon_in_finalised', {}, 'PATCH')).json().error.code, 'COUPON_USED_IN_FINALIZED_INVOICE');

    const forbidden = await get(panel, '/api/v1/reports', { ip });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.json().error.code, 'PERMISSION_FORBIDDEN');
    assert.equal((await get(panel, '/api/v1/reports', { ip, headers: { authorization: `Bearer ${STREAM_API_ADMIN_TOKEN}` } })).status, 200);
    assert.equal((await get(panel, '/api/v1/health/fail', { ip })).json().error.code, 'STREAM_ERROR');
    assert.equal((await get(panel, '/api/v1/health/crash', { ip })).json().error.code, 'STREAM_UNKNOWN_ERROR');
    assert.equal((await get(panel, '/api/v1/nowhere', { ip })).status, 404);
  });

  test('reset() restores the Stream API data', async () => {
    const ip = freshIp();
    await get(panel, '/api/v1/invoices/inv_draft/finalise', { ip, method: 'POST' });
    panel.reset();
    assert.equal((await get(panel, '/api/v1/invoices/inv_draft/finalise', { ip, method: 'POST' })).status, 200);
  });
});
