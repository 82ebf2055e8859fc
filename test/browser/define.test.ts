import { afterEach, assert, describe, it } from './harness.js';

describe('xtream-error-ux/define', () => {
  afterEach(() => undefined);

  it('keeps definitions made by another copy of the library, without throwing', async () => {
    class TheirBanner extends HTMLElement {}
    customElements.define('xtream-error-banner', TheirBanner);
    const { defineElements } = await import('../../components/define.js');
    assert.equal(customElements.get('xtream-error-banner'), TheirBanner, 'theirs kept');
    assert.ok(customElements.get('xtream-error-stack'), 'the other tag defined');
    assert.equal(defineElements(), true, 'a second call is a no-op');
  });

  it('is a no-op where customElements is null (an extension’s isolated world)', async () => {
    const { defineElements } = await import('../../components/define.js');
    const original = Object.getOwnPropertyDescriptor(window, 'customElements') ?? Object.getOwnPropertyDescriptor(Window.prototype, 'customElements');
    Object.defineProperty(window, 'customElements', { value: null, configurable: true });
    try {
      assert.equal(defineElements(), false);
    } finally {
      if (original) Object.defineProperty(window, 'customElements', original);
      else delete (window as { customElements?: unknown }).customElements;
    }
    assert.ok(customElements.get('xtream-error-stack'));
  });

  it('renderBanner renders into a plain shadow root without custom elements', async () => {
    const { renderBanner, bannerStyles, diagnose } = await import('../../components/index.js');
    const { render } = await import('lit');
    const { getI18n } = await import('../../core/i18n.js');
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [bannerStyles.styleSheet!];
    const t = getI18n().i18next.getFixedT('en') as never;
    render(renderBanner(diagnose('USER_EXPIRED'), t, { lang: 'en', idPrefix: 'a' }), root);
    assert.ok(root.querySelector('#a-title')?.textContent?.includes('expired'));
    assert.ok(parseFloat(getComputedStyle(root.querySelector('section')!).borderInlineStartWidth) > 1);
    host.remove();
  });
});
