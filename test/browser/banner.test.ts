import '../../components/define.js';
import { sendKeys } from '@web/test-runner-commands';
import enUi from '../../locales/en/ui.json';
import { classify } from '../../core/classify.js';
import { createFloodGuard } from '../../core/flood-guard.js';
import { XtreamCopyEvent, XtreamDismissEvent, XtreamRetryEvent } from '../../components/events.js';
import type { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import { FakeClock, afterEach, assert, cleanup, describe, fixture, it, liveMessages, part, parts, recordAnnouncements, shadowText, waitFor } from './harness.js';
import { errorsOf } from './locale-files.js';

const en = await errorsOf('en');

const errors = en as Record<string, { title: string; what: string; who?: string; solutions?: string[] }>;

async function banner(markup: string): Promise<XtreamErrorBanner> {
  const element = fixture<XtreamErrorBanner>(markup);
  await element.updateComplete;
  return element;
}

describe('<xtream-error-banner>', () => {
  afterEach(cleanup);

  it('explains a log code: title, what happened, who can fix it, numbered solutions and the support code', async () => {
    const element = await banner('<xtream-error-banner code="USER_EXPIRED"></xtream-error-banner>');
    const entry = errors.USER_EXPIRED!;
    assert.equal(part(element, 'title')?.textContent?.replace(/^.*?: /, '').trim(), entry.title);
    assert.equal(part(element, 'what')?.textContent?.trim(), entry.what);
    assert.includes(part(element, 'who')!.textContent!, entry.who!);
    assert.includes(part(element, 'who')!.textContent!, enUi.banner.whoCanFix);
    const items = parts(element, 'solution').map((li) => li.textContent?.trim());
    assert.deepEqual(items, entry.solutions);
    assert.equal(part(element, 'solutions')?.querySelector('ol')?.children.length, entry.solutions!.length);
    assert.includes(part(element, 'code')!.textContent!, 'USER_EXPIRED');
    assert.ok(part(element, 'icon')?.querySelector('svg[aria-hidden="true"]'), 'a decorative severity icon');
    assert.ok(part(element, 'base')?.classList.contains('severity-error'));
  });

  it('takes its input by precedence: diagnosis, response, envelope, code, status', async () => {
    const element = await banner('<xtream-error-banner code="USER_BAN" status="429"></xtream-error-banner>');
    assert.equal(element.shown?.code, 'USER_BAN', 'code before status');
    element.envelope = { error: { code: 'INVOICE_FINALISED' } };
    await element.updateComplete;
    assert.equal(element.shown?.code, 'INVOICE_FINALISED', 'envelope before code');
    element.response = { status: 401, url: 'http://panel.example/player_api.php?username=u&password=p' };
    await element.updateComplete;
    assert.equal(element.shown?.code, '401', 'response before envelope');
    element.diagnosis = classify('CON_SVP')!;
    await element.updateComplete;
    assert.equal(element.shown?.code, 'CON_SVP', 'diagnosis before everything');
    element.diagnosis = undefined;
    element.response = undefined;
    element.envelope = undefined;
    element.code = undefined;
    await element.updateComplete;
    assert.equal(element.shown?.code, '429', 'status last');
  });

  it('reads a Stream API envelope from its attribute and shows the server text as text', async () => {
    const element = await banner(
      `<xtream-error-banner envelope='{"error":{"code":"INVOICE_FINALISED","message":"Invoice 42 is final","additional_info":"inv_42"}}'></xtream-error-banner>`,
    );
    assert.equal(element.shown?.code, 'INVOICE_FINALISED');
    assert.equal(part(element, 'server-message')?.textContent, 'Invoice 42 is final');
    assert.equal(part(element, 'server-details')?.textContent, 'inv_42');
    // Server text is direction-isolated: an English message keeps its period at the end in an Arabic banner.
    assert.deepEqual([part(element, 'server-message')?.getAttribute('dir'), part(element, 'server-details')?.getAttribute('dir')], ['auto', 'auto']);
    assert.includes(part(element, 'server')!.textContent!, enUi.banner.serverSaid);
  });

  it('still explains a code the catalog lacks, generically, with the raw code', async () => {
    const element = await banner('<xtream-error-banner code="PANEL_SAYS_NO_7"></xtream-error-banner>');
    assert.equal(element.shown?.known, false);
    assert.includes(shadowText(element), errors.UNKNOWN!.title);
    assert.includes(part(element, 'code')!.textContent!, 'PANEL_SAYS_NO_7');
    assert.equal(part(element, 'unknown')?.textContent, enUi.banner.unknownCode);
  });

  for (const code of ['200', '206', 'Active']) {
    it(`shows a short "all is well" note for ${code}, without error actions`, async () => {
      const element = await banner(`<xtream-error-banner code="${code}"></xtream-error-banner>`);
      assert.equal(element.shown?.severity, 'success');
      assert.includes(shadowText(element), errors[code]!.title);
      assert.equal(part(element, 'retry-button'), null);
      assert.equal(part(element, 'copy-button'), null);
      assert.equal(part(element, 'solutions'), null);
      assert.ok(part(element, 'dismiss-button'));
    });
  }

  it('shows the account facts: expiry date in the viewer’s locale, connections in use, trial', async () => {
    const expires = Date.UTC(2025, 0, 10) / 1000;
    const element = await banner('<xtream-error-banner lang="en"></xtream-error-banner>');
    element.response = {
      status: 200,
      headers: { date: new Date(Date.UTC(2025, 0, 20)).toUTCString() },
      body: { user_info: { auth: 1, status: 'Expired', exp_date: String(expires), active_cons: '2', max_connections: '2', is_trial: '1' } },
    };
    await element.updateComplete;
    const facts = parts(element, 'account-fact').map((fact) => fact.textContent);
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(expires * 1000);
    assert.deepEqual(facts, [`Subscription ended on ${date}`, '2 connections in use (of 2)', 'Trial account']);
  });

  it('fires a cancelable, bubbling, composed xtream-dismiss and hides unless cancelled', async () => {
    const element = await banner('<xtream-error-banner code="AUTH_FAILED"></xtream-error-banner>');
    const seen: XtreamDismissEvent[] = [];
    const cancel = (event: XtreamDismissEvent) => {
      seen.push(event);
      event.preventDefault();
    };
    document.addEventListener('xtream-dismiss', cancel);
    part(element, 'dismiss-button')!.click();
    document.removeEventListener('xtream-dismiss', cancel);
    assert.equal(seen.length, 1, 'reached the document');
    const event = seen[0]!;
    assert.ok(event instanceof XtreamDismissEvent && event.bubbles && event.composed && event.cancelable);
    assert.equal(event.reason, 'button');
    assert.equal(event.diagnosis?.code, 'AUTH_FAILED');
    assert.equal(element.hidden, false, 'cancelled: still shown');
    part(element, 'dismiss-button')!.click();
    assert.equal(element.hidden, true, 'not cancelled: hidden');
  });

  it('fires xtream-retry and xtream-copy; the copied report is redacted', async () => {
    const element = await banner('<xtream-error-banner></xtream-error-banner>');
    element.response = {
      status: 401,
      url: 'http://panel.example:8080/player_api.php?username=alice&password=s3cr3t&action=get_live_streams',
      body: { user_info: { auth: 0, message: 'login failed: username=alice&password=s3cr3t' } },
    };
    await element.updateComplete;
    const retries: XtreamRetryEvent[] = [];
    const copies: XtreamCopyEvent[] = [];
    document.addEventListener('xtream-retry', (event) => retries.push(event), { once: true });
    document.addEventListener('xtream-copy', (event) => copies.push(event), { once: true });
    part(element, 'retry-button')!.click();
    await waitFor(() => retries.length, 'retry event');
    assert.ok(retries[0] instanceof XtreamRetryEvent && retries[0].bubbles && retries[0].composed && !retries[0].anyway);
    part(element, 'copy-button')!.click();
    await waitFor(() => copies.length, 'copy event');
    const report = copies[0]!.report;
    assert.ok(copies[0] instanceof XtreamCopyEvent && copies[0].bubbles && copies[0].composed);
    assert.includes(report, 'AUTH_FAILED');
    assert.includes(report, 'panel.example');
    assert.includes(report, navigator.userAgent);
    assert.match(report, /\d{4}-\d\d-\d\dT/);
    assert.notIncludes(report, 's3cr3t');
    assert.notIncludes(report, 'alice');
    assert.notIncludes(shadowText(element), 's3cr3t');
    await element.updateComplete;
    assert.equal(part(element, 'copy-button')?.textContent?.trim(), enUi.banner.copied);
  });

  it('never steals focus when it appears, and Escape dismisses the banner holding focus', async () => {
    const input = fixture<HTMLInputElement>('<input aria-label="search">');
    input.focus();
    const first = await banner('<xtream-error-banner code="AUTH_FAILED"></xtream-error-banner>');
    const second = await banner('<xtream-error-banner code="USER_BAN"></xtream-error-banner>');
    assert.equal(document.activeElement, input, 'focus stayed where the person was');
    part(second, 'copy-button')!.focus();
    await sendKeys({ press: 'Escape' });
    assert.equal(second.hidden, true, 'the focused banner closed');
    assert.equal(first.hidden, false, 'the other one stayed');
  });

  it('is reachable with Tab, in reading order', async () => {
    const start = fixture<HTMLButtonElement>('<button>before</button>');
    const element = await banner('<xtream-error-banner code="AUTH_FAILED"></xtream-error-banner>');
    start.focus();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(element.shadowRoot!.activeElement?.getAttribute('part') ?? 'outside');
    }
    assert.deepEqual(order, ['retry-button', 'copy-button', 'dismiss-button']);
  });

  it('compact mode is one line that expands and collapses', async () => {
    const element = await banner('<xtream-error-banner code="USER_EXPIRED" compact></xtream-error-banner>');
    const toggle = part(element, 'expand-button')!;
    const details = part(element, 'details')!;
    assert.equal(toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(details.hidden, true);
    assert.equal(toggle.getAttribute('aria-controls'), details.id);
    const base = part(element, 'base')!;
    const line = parseFloat(getComputedStyle(part(element, 'title')!).lineHeight) || 24;
    assert.ok(base.getBoundingClientRect().height < line * 3, `one line (${base.getBoundingClientRect().height}px)`);
    toggle.click();
    await element.updateComplete;
    assert.equal(part(element, 'expand-button')!.getAttribute('aria-expanded'), 'true');
    assert.equal(part(element, 'details')!.hidden, false);
    assert.equal(part(element, 'expand-button')!.textContent?.trim(), enUi.banner.collapse);
    assert.ok(parts(element, 'solution').length > 0);
  });

  it('shows unreadable input as a clear banner with the raw input, redacted, as text', async () => {
    const element = await banner('<xtream-error-banner></xtream-error-banner>');
    element.response = { status: 'teapot', url: 'http://x.example/get.php?username=bob&password=hunter2' } as never;
    await element.updateComplete;
    assert.equal(element.shown?.code, 'UNREADABLE');
    const seen = part(element, 'seen')?.textContent ?? '';
    assert.includes(seen, 'teapot');
    assert.notIncludes(seen, 'hunter2');
  });

  it('turns a failure while rendering into the visible fallback banner; nothing escapes', async () => {
    const errorsSeen: unknown[] = [];
    const onError = (event: ErrorEvent) => errorsSeen.push(event.error);
    window.addEventListener('error', onError);
    const hostile = {
      ...classify('USER_EXPIRED')!,
      get account(): never {
        throw new Error('boom');
      },
    };
    const element = await banner('<xtream-error-banner></xtream-error-banner>');
    element.diagnosis = hostile;
    await element.updateComplete;
    window.removeEventListener('error', onError);
    assert.equal(part(element, 'title')?.textContent, enUi.fallback.title);
    assert.equal(part(element, 'what')?.textContent, enUi.fallback.what);
    assert.includes(part(element, 'seen')!.textContent!, 'USER_EXPIRED');
    assert.equal(errorsSeen.length, 0);
    // …and recovers with good input.
    element.diagnosis = classify('USER_BAN')!;
    await element.updateComplete;
    assert.includes(shadowText(element), errors.USER_BAN!.title);
  });

  it('keeps working with a throwing proxy as input', async () => {
    const trap = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); }, has() { throw new Error('trap'); } });
    const element = await banner('<xtream-error-banner></xtream-error-banner>');
    element.response = trap as never;
    await element.updateComplete;
    assert.ok(part(element, 'title')?.textContent, 'a visible banner');
  });
});

describe('<xtream-error-banner> bound to a flood guard', () => {
  afterEach(cleanup);

  async function bound(guardKey = 'panel.example', failuresBefore = 0) {
    const clock = new FakeClock();
    const guard = createFloodGuard({ now: () => clock.now(), random: () => 0 });
    for (let i = 0; i < failuresBefore; i++) await guard.record(guardKey, 'failure');
    const element = fixture<XtreamErrorBanner>(`<xtream-error-banner code="AUTH_FAILED" guard-key="${guardKey}"></xtream-error-banner>`);
    element.silent = true; // only the guard's announcements, for these tests
    element.clock = clock;
    element.guard = guard;
    await element.updateComplete;
    return { clock, guard, element, key: guardKey };
  }

  it('shows the attempts left once the panel warns', async () => {
    const { guard, element, key } = await bound();
    for (let i = 0; i < 6; i++) await guard.record(key, 'failure');
    await waitFor(() => part(element, 'guard'), 'guard line');
    assert.equal(part(element, 'guard')!.textContent, enUi.guard.warning_other.replace('{{count}}', '3'));
  });

  it('at the pause point offers "try anyway" with its consequence, then retries past the pause', async () => {
    const { guard, element, key } = await bound();
    for (let i = 0; i < 9; i++) await guard.record(key, 'failure');
    await waitFor(() => part(element, 'try-anyway-button'), 'try anyway');
    assert.equal(part(element, 'retry-button'), null, 'no plain retry while paused');
    assert.equal(part(element, 'guard')!.textContent, enUi.guard.paused);
    assert.equal(part(element, 'consequence')!.textContent, enUi.guard.consequence_other.replace('{{count}}', '5'));
    const retries: XtreamRetryEvent[] = [];
    element.addEventListener('xtream-retry', (event) => retries.push(event));
    part(element, 'try-anyway-button')!.click();
    await waitFor(() => retries.length, 'retry event');
    assert.equal(retries[0]!.anyway, true);
    assert.equal((await guard.check(key)).ticket, true, 'the guard holds one ticket for the person');
  });

  it('disables retry with a countdown while blocked, announcing only its start and end', async () => {
    // Ten failures: the person insisted past the pause, so the panel now blocks for five minutes.
    const spoken = recordAnnouncements();
    const { guard, element, key, clock } = await bound('panel.example', 10);
    await waitFor(() => part(element, 'countdown'), 'countdown');
    const retry = part(element, 'retry-button');
    const status = await guard.check(key);
    assert.equal(status.reason, 'panel-block');
    const countdown = () => part(element, 'countdown')!.textContent!;
    const left = () => (status.retryAt! - clock.now()) / 1000;
    assert.ok(left() >= 300 && left() < 310, `about five minutes (${left()} s)`);
    // Minutes rounded the way a person reads them: a five-minute block (plus the guard's few seconds of jitter) says 5, never 6.
    assert.equal(countdown(), enUi.retry.inMinutes_other.replace('{{count}}', '5'));
    assert.ok(!retry || retry.getAttribute('aria-disabled') === 'true', 'retry unavailable');
    await waitFor(() => spoken.messages.length, 'start announced');
    assert.match(spoken.messages.join('|'), /^Retrying is paused until [^|]+$/);
    clock.advance((left() - 90) * 1000);
    await element.updateComplete;
    assert.equal(countdown(), enUi.retry.inSeconds_other.replace('{{count}}', '90'));
    clock.advance(59_000);
    await element.updateComplete;
    assert.equal(countdown(), enUi.retry.inSeconds_other.replace('{{count}}', '31'));
    assert.equal(spoken.messages.length, 1, 'no announcement per second');
    clock.advance(31_000);
    await waitFor(() => spoken.messages.length === 2, 'end announced');
    assert.equal(spoken.messages[1], enUi.retry.countdownEnded);
    assert.equal(liveMessages('polite').at(-1), enUi.retry.countdownEnded, 'politely');
    spoken.stop();
  });
});
