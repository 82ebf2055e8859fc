import '../../components/define.js';
import { emulateMedia } from '@web/test-runner-commands';
import { createFloodGuard } from '../../core/flood-guard.js';
import type { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import type { XtreamErrorStack } from '../../components/error-stack/error-stack.js';
import { FakeClock, afterEach, assert, cleanup, describe, fixture, it, liveMessages, loadScript, part, waitFor } from './harness.js';

interface AxeResult {
  violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown; failureSummary: string }> }>;
}
declare global {
  interface Window {
    axe: { run(context: unknown, options?: unknown): Promise<AxeResult> };
  }
}

const CHROMIUM = navigator.userAgent.includes('Chrome/');

async function axe(context: Element): Promise<void> {
  await loadScript('/node_modules/axe-core/axe.min.js');
  // Colours are judged at the end of the stack's entry fade (finished at once: a background tab never runs it).
  for (const animation of document.getAnimations()) animation.finish();
  const result = await window.axe.run(context, { resultTypes: ['violations'] });
  const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary}`).join('; ')}`);
  assert.deepEqual(summary, [], 'axe violations');
}

async function all(root: Element): Promise<void> {
  await Promise.all([...root.querySelectorAll('xtream-error-banner')].map((banner) => (banner as XtreamErrorBanner).updateComplete));
}

const GALLERY = `
  <main>
    <h1>Portal</h1>
    <xtream-error-banner code="USER_EXPIRED" silent></xtream-error-banner>
    <xtream-error-banner code="429" silent></xtream-error-banner>
    <xtream-error-banner code="PAYMENT_REFUNDED_ALREADY" silent></xtream-error-banner>
    <xtream-error-banner code="200" silent></xtream-error-banner>
    <xtream-error-banner code="NOT_A_KNOWN_CODE" silent></xtream-error-banner>
    <xtream-error-banner code="USER_BAN" compact silent></xtream-error-banner>
    <xtream-error-banner code="AUTH_FAILED" compact expanded silent></xtream-error-banner>
    <xtream-error-banner envelope='{"error":{"code":"INVOICE_FINALISED","message":"Invoice is final","additional_info":"inv_1"}}' silent></xtream-error-banner>
  </main>`;

describe('accessibility', () => {
  afterEach(async () => {
    cleanup();
    if (CHROMIUM) await emulateMedia({ colorScheme: 'light' });
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`is axe-clean in the ${theme} theme (every severity, compact, unknown, server text)`, async () => {
      const root = fixture(GALLERY.replaceAll('<xtream-error-banner ', `<xtream-error-banner theme="${theme}" `));
      await all(root);
      await axe(root);
    });
  }

  it('is axe-clean in Arabic, right to left', async () => {
    const root = fixture(`<div lang="ar">${GALLERY}</div>`);
    await all(root);
    await axe(root);
  });

  it('is axe-clean in a stack, and with a flood guard countdown', async () => {
    const clock = new FakeClock();
    const guard = createFloodGuard({ now: () => clock.now() });
    for (let i = 0; i < 9; i++) await guard.record('panel.example', 'failure');
    const root = fixture('<main><h1>Portal</h1><xtream-error-banner code="AUTH_FAILED" guard-key="panel.example" silent></xtream-error-banner><xtream-error-stack></xtream-error-stack></main>');
    const banner = root.querySelector('xtream-error-banner')!;
    banner.clock = clock;
    banner.guard = guard;
    const stack = root.querySelector('xtream-error-stack') as XtreamErrorStack;
    stack.show('USER_EXPIRED').silent = true;
    stack.show('429').silent = true;
    await all(root);
    await waitFor(() => part(banner, 'try-anyway-button'), 'guard view');
    await axe(root);
  });

  it('is a landmark named by its title, and never announces itself', async () => {
    const element = fixture<XtreamErrorBanner>('<xtream-error-banner code="USER_EXPIRED" silent></xtream-error-banner>');
    await element.updateComplete;
    const base = part(element, 'base')!;
    assert.equal(base.localName, 'section');
    const labelledBy = base.getAttribute('aria-labelledby')!;
    const title = element.shadowRoot!.getElementById(labelledBy);
    assert.equal(title, part(element, 'title'));
    assert.equal(element.shadowRoot!.querySelectorAll('[aria-live], [role="alert"], [role="status"]').length, 0);
  });

  it('announces through one shared live region: errors assertively, warnings politely', async () => {
    fixture('<xtream-error-banner code="USER_BAN"></xtream-error-banner>');
    fixture('<xtream-error-banner code="429"></xtream-error-banner>');
    await waitFor(() => liveMessages('assertive').some((m) => m.includes('banned')) && liveMessages('polite').some((m) => m.startsWith('Warning')), 'both announced');
    fixture('<xtream-error-banner code="CON_SVP"></xtream-error-banner>');
    await waitFor(() => liveMessages('assertive').some((m) => m.includes('VPN')), 'third announced');
    const regions = document.querySelectorAll('[data-xtream-live-region]');
    assert.equal(regions.length, 1, 'one region');
    assert.equal(regions[0]!.parentElement, document.body, 'in the light DOM, on the body');
    assert.deepEqual([...regions[0]!.children].map((c) => c.getAttribute('aria-live')), ['polite', 'assertive']);
    assert.equal(regions[0]!.querySelectorAll('[role="alert"]').length, 0, 'never role=alert as well');
  });

  it('mirrors in Arabic: dir=rtl, the severity stripe on the right', async () => {
    const element = fixture<XtreamErrorBanner>('<xtream-error-banner code="USER_EXPIRED" lang="ar" silent></xtream-error-banner>');
    await element.updateComplete;
    const base = part(element, 'base')!;
    assert.equal(base.getAttribute('dir'), 'rtl');
    const style = getComputedStyle(base);
    assert.equal(style.direction, 'rtl');
    assert.ok(parseFloat(style.borderRightWidth) > parseFloat(style.borderLeftWidth), 'stripe on the inline start (right)');
    const icon = part(element, 'icon')!.getBoundingClientRect();
    const dismiss = part(element, 'dismiss-button')!.getBoundingClientRect();
    assert.ok(icon.left > dismiss.left, 'icon on the right, dismiss on the left');
  });

  it('follows the theme attribute and, on auto, prefers-color-scheme', async () => {
    const light = fixture<XtreamErrorBanner>('<xtream-error-banner code="AUTH_FAILED" theme="light" silent></xtream-error-banner>');
    const dark = fixture<XtreamErrorBanner>('<xtream-error-banner code="AUTH_FAILED" theme="dark" silent></xtream-error-banner>');
    const auto = fixture<XtreamErrorBanner>('<xtream-error-banner code="AUTH_FAILED" silent></xtream-error-banner>');
    await Promise.all([light.updateComplete, dark.updateComplete, auto.updateComplete]);
    const color = (element: XtreamErrorBanner) => getComputedStyle(part(element, 'base')!).color;
    assert.notEqual(color(light), color(dark));
    // Media emulation needs CDP: Chromium only (Firefox runs over WebDriver BiDi).
    if (CHROMIUM) {
      await emulateMedia({ colorScheme: 'dark' });
      assert.ok(matchMedia('(prefers-color-scheme: dark)').matches);
      assert.equal(color(auto), color(dark), 'auto follows a dark scheme');
      assert.equal(color(light), getComputedStyle(part(light, 'base')!).color, 'theme="light" stays light');
      assert.notEqual(color(light), color(dark));
    }
  });

  it('inherits the host page font and exposes every visible piece as a part', async () => {
    const element = fixture<XtreamErrorBanner>('<xtream-error-banner code="USER_EXPIRED" silent style="font-family: Georgia, serif"></xtream-error-banner>');
    await element.updateComplete;
    assert.match(getComputedStyle(part(element, 'what')!).fontFamily, /Georgia/);
    assert.match(getComputedStyle(part(element, 'copy-button')!).fontFamily, /Georgia/);
    for (const node of element.shadowRoot!.querySelectorAll('section *')) {
      if (node.closest('svg') || node.classList.contains('label') || node.classList.contains('visually-hidden') || node.localName === 'code' || node.localName === 'ol' || node.localName === 'ul' || (node.localName === 'p' && node.parentElement?.getAttribute('part') === 'who')) continue;
      assert.ok(node.getAttribute('part'), `<${node.localName} class="${node.className}"> has a part`);
    }
  });
});
