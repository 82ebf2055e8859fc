/**
 * Forced colors and reduced motion, in both browsers. This file runs in its own group (web-test-runner.config.mjs):
 * Firefox is launched with forced colors and reduced motion set in its preferences; Chromium emulates the same
 * media features through CDP before each test. Each test first checks the media query really matches, so a
 * launcher that stopped applying them fails here instead of passing vacuously.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../components/define.js';
import type { XtreamErrorBanner } from '../../../components/error-banner/error-banner.js';
import type { XtreamErrorStack } from '../../../components/error-stack/error-stack.js';
import { assert, before, cleanup, afterEach, describe, fixture, it, part } from '../harness.js';

/** The used value of a system colour, read off a probe element. */
function systemColor(name: string, property: 'color' | 'backgroundColor' = 'color'): string {
  const probe = document.createElement('span');
  probe.style.setProperty(property === 'color' ? 'color' : 'background-color', name);
  document.body.append(probe);
  const value = getComputedStyle(probe)[property];
  probe.remove();
  return value;
}

describe('forced colors and reduced motion', () => {
  before(async () => {
    await executeServerCommand('emulate-media-features', [
      { name: 'forced-colors', value: 'active' },
      { name: 'prefers-reduced-motion', value: 'reduce' },
    ]);
    assert.ok(matchMedia('(forced-colors: active)').matches, 'forced colors are active in this group');
    assert.ok(matchMedia('(prefers-reduced-motion: reduce)').matches, 'reduced motion is preferred in this group');
  });
  afterEach(cleanup);

  it('draws the banner in system colours: Canvas, CanvasText, ButtonText, no shadow', async () => {
    const banner = fixture<XtreamErrorBanner>('<xtream-error-banner code="AUTH_FAILED" theme="dark" silent></xtream-error-banner>');
    banner.count = 3;
    await banner.updateComplete;
    const base = getComputedStyle(part(banner, 'base')!);
    assert.equal(base.color, systemColor('CanvasText'), 'text');
    assert.equal(base.backgroundColor, systemColor('Canvas', 'backgroundColor'), 'background (the dark theme is overridden)');
    assert.equal(base.borderInlineStartColor, systemColor('CanvasText'), 'the severity stripe stays visible');
    assert.ok(parseFloat(base.borderInlineStartWidth) > parseFloat(base.borderInlineEndWidth), 'the stripe keeps its width');
    assert.equal(base.boxShadow, 'none');
    const copy = getComputedStyle(part(banner, 'copy-button')!);
    assert.equal(copy.borderTopColor, systemColor('ButtonText'), 'buttons have a visible border');
    assert.ok(parseFloat(copy.borderTopWidth) >= 1);
    // The ×N count opts out of forced colours to stay legible as a badge: Canvas on CanvasText.
    const count = getComputedStyle(part(banner, 'count')!);
    assert.equal(count.backgroundColor, systemColor('CanvasText', 'backgroundColor'));
    assert.equal(count.color, systemColor('Canvas'));
  });

  it('shows a disabled retry in GrayText, not by opacity alone', async () => {
    const banner = fixture<XtreamErrorBanner>('<xtream-error-banner code="429" silent></xtream-error-banner>');
    await banner.updateComplete;
    const retry = part(banner, 'retry-button')!;
    retry.setAttribute('aria-disabled', 'true'); // the look of a retry waiting on the flood guard
    const style = getComputedStyle(retry);
    assert.equal(style.color, systemColor('GrayText'));
    assert.equal(style.opacity, '1');
  });

  it('does not animate a toast in, nor transition buttons', async () => {
    const stack = fixture<XtreamErrorStack>('<xtream-error-stack></xtream-error-stack>');
    const banner = stack.show('USER_EXPIRED')!;
    banner.silent = true;
    await banner.updateComplete;
    assert.equal(banner.getAnimations().length, 0, 'no entry animation');
    assert.equal(getComputedStyle(part(banner, 'copy-button')!).transitionDuration.split(',').every((d) => parseFloat(d) === 0), true, 'no transition');
  });
});
