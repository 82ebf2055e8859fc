import '../../components/define.js';
import { sendKeys, sendMouse, resetMouse } from '@web/test-runner-commands';
import { classify } from '../../core/classify.js';
import { XtreamErrorEvent } from '../../components/events.js';
import type { XtreamErrorStack } from '../../components/error-stack/error-stack.js';
import { FakeClock, afterEach, assert, cleanup, describe, fixture, it, part } from './harness.js';

async function stack(attributes = ''): Promise<{ element: XtreamErrorStack; clock: FakeClock }> {
  const clock = new FakeClock();
  const element = fixture<XtreamErrorStack>(`<xtream-error-stack ${attributes}></xtream-error-stack>`);
  element.clock = clock;
  await element.updateComplete;
  return { element, clock };
}

const visible = (element: XtreamErrorStack) => element.banners.filter((banner) => !banner.hidden);

describe('<xtream-error-stack>', () => {
  afterEach(async () => {
    cleanup();
    await resetMouse();
  });

  it('fades a toast in (without reduced motion; test/browser/media/ checks it stays still with it)', async () => {
    assert.ok(!matchMedia('(prefers-reduced-motion: reduce)').matches);
    const { element } = await stack();
    const banner = element.show('USER_EXPIRED');
    banner.silent = true;
    await banner.updateComplete;
    const animations = banner.getAnimations();
    assert.equal(animations.length, 1, 'one entry animation');
    assert.equal((animations[0] as CSSAnimation).animationName, 'xes-enter');
    for (const animation of animations) animation.finish();
  });

  it('merges identical diagnoses into one banner with a ×N count', async () => {
    const { element } = await stack();
    const first = element.show('USER_ALREADY_CONNECTED');
    element.show('USER_ALREADY_CONNECTED');
    const third = element.show(classify('USER_ALREADY_CONNECTED'));
    assert.equal(first, third);
    assert.equal(element.banners.length, 1);
    await first.updateComplete;
    assert.equal(part(first, 'count')?.textContent, '×3');
    element.show('AUTH_FAILED');
    assert.equal(element.banners.length, 2, 'a different diagnosis is its own banner');
  });

  it('caps the visible banners; the next waits and shows when one closes', async () => {
    const { element } = await stack('max="2"');
    element.show('AUTH_FAILED');
    element.show('USER_BAN');
    element.show('CON_SVP');
    assert.deepEqual(visible(element).map((b) => b.shown?.code), ['USER_BAN', 'CON_SVP']);
    assert.equal(element.banners[0]!.hidden, true);
    await visible(element)[1]!.updateComplete;
    part(visible(element)[1]!, 'dismiss-button')!.click();
    await Promise.resolve();
    assert.deepEqual(visible(element).map((b) => b.shown?.code), ['AUTH_FAILED', 'USER_BAN']);
  });

  it('auto-hides info and warnings after the duration; errors stay', async () => {
    const { element, clock } = await stack('duration="8000"');
    element.show('429'); // warning
    element.show('PAYMENT_REFUNDED_ALREADY'); // info
    element.show('USER_BAN'); // error
    clock.advance(7999);
    assert.equal(element.banners.length, 3);
    clock.advance(1);
    await Promise.resolve();
    assert.deepEqual(element.banners.map((b) => b.shown?.code), ['USER_BAN']);
    clock.advance(10 * 60_000);
    await Promise.resolve();
    assert.equal(element.banners.length, 1, 'the error is still there');
  });

  it('pauses auto-hide while hovered, keeping the time that was left', async () => {
    const { element, clock } = await stack('duration="8000" position="top-start"');
    const banner = element.show('429');
    await banner.updateComplete;
    clock.advance(3000);
    const box = banner.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
    clock.advance(60_000);
    assert.equal(element.banners.length, 1, 'paused while hovered');
    await sendMouse({ type: 'move', position: [Math.round(innerWidth - 2), Math.round(innerHeight - 2)] });
    clock.advance(4999);
    assert.equal(element.banners.length, 1, '5 s were left');
    clock.advance(1);
    await Promise.resolve();
    assert.equal(element.banners.length, 0);
  });

  it('pauses auto-hide while focus is inside, keeping the time that was left', async () => {
    const outside = fixture<HTMLButtonElement>('<button>outside</button>');
    const { element, clock } = await stack('duration="8000"');
    const banner = element.show('429');
    await banner.updateComplete;
    clock.advance(6000);
    part(banner, 'copy-button')!.focus();
    clock.advance(60_000);
    assert.equal(element.banners.length, 1, 'paused while focused');
    outside.focus();
    clock.advance(1999);
    assert.equal(element.banners.length, 1, '2 s were left');
    clock.advance(1);
    await Promise.resolve();
    assert.equal(element.banners.length, 0);
  });

  it('shows what a portal fires as an xtream-error event on the document', async () => {
    const { element } = await stack();
    document.body.dispatchEvent(new XtreamErrorEvent({ error: { code: 'INVOICE_FINALISED', message: 'final' } }));
    assert.equal(element.banners.length, 1);
    assert.equal(element.banners[0]!.shown?.code, 'INVOICE_FINALISED');
  });

  it('Escape with focus in the stack but outside a banner closes the newest; inside a banner closes that one', async () => {
    const { element } = await stack();
    const older = element.show('AUTH_FAILED');
    const newer = element.show('USER_BAN');
    const newest = element.show('CON_SVP');
    await element.updateComplete;
    await Promise.all([older, newer, newest].map((banner) => banner.updateComplete));
    part(older, 'copy-button')!.focus();
    await sendKeys({ press: 'Escape' });
    await Promise.resolve();
    assert.deepEqual(element.banners.map((b) => b.shown?.code), ['USER_BAN', 'CON_SVP'], 'the focused banner closed');
    part(element, 'close-newest')!.focus();
    await sendKeys({ press: 'Escape' });
    await Promise.resolve();
    assert.deepEqual(element.banners.map((b) => b.shown?.code), ['USER_BAN'], 'the newest closed');
  });

  it('keeps a banner whose xtream-dismiss was cancelled', async () => {
    const { element } = await stack();
    const banner = element.show('AUTH_FAILED');
    await banner.updateComplete;
    const keep = (event: Event) => event.preventDefault();
    element.addEventListener('xtream-dismiss', keep);
    part(banner, 'dismiss-button')!.click();
    await Promise.resolve();
    element.removeEventListener('xtream-dismiss', keep);
    assert.equal(element.banners.length, 1);
    assert.equal(banner.hidden, false);
  });

  for (const [position, vertical, horizontal] of [
    ['top-start', 'top', 'left'],
    ['top-end', 'top', 'right'],
    ['bottom-start', 'bottom', 'left'],
    ['bottom-center', 'bottom', 'center'],
  ] as const) {
    it(`sits at ${position}`, async () => {
      const { element } = await stack(`position="${position}"`);
      const banner = element.show('AUTH_FAILED');
      await banner.updateComplete;
      const box = element.getBoundingClientRect();
      if (vertical === 'top') assert.ok(box.top < 2, `top ${box.top}`);
      else assert.ok(Math.abs(box.bottom - innerHeight) < 2, `bottom ${box.bottom}`);
      if (horizontal === 'left') assert.ok(box.left < 2, `left ${box.left}`);
      if (horizontal === 'right') assert.ok(Math.abs(box.right - innerWidth) < 20, `right ${box.right}`);
      if (horizontal === 'center') assert.ok(Math.abs(box.left + box.width / 2 - innerWidth / 2) < 20, `center ${box.left}`);
    });
  }
});
