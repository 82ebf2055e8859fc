import '../../components/define.js';
import es from '../../locales/es/errors.json';
import fr from '../../locales/fr/errors.json';
import de from '../../locales/de/errors.json';
import it_ from '../../locales/it/errors.json';
import en from '../../locales/en/errors.json';
import { setLanguage } from '../../components/localize-controller.js';
import type { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import { afterEach, assert, cleanup, describe, fixture, it, part, waitFor } from './harness.js';

const title = (element: XtreamErrorBanner) => part(element, 'title')?.textContent?.replace(/^[^:]*: /, '') ?? '';
const expired = (catalog: unknown) => (catalog as Record<string, { title: string }>).USER_EXPIRED!.title;

async function render(markup: string, selector = 'xtream-error-banner'): Promise<XtreamErrorBanner> {
  const root = fixture(markup);
  const element = (root.matches(selector) ? root : root.querySelector(selector)) as XtreamErrorBanner;
  await element.updateComplete;
  return element;
}

describe('language', () => {
  afterEach(() => {
    cleanup();
    document.documentElement.lang = 'en';
  });

  it('follows its own lang attribute first', async () => {
    document.documentElement.lang = 'de';
    const element = await render('<div lang="fr"><xtream-error-banner code="USER_EXPIRED" lang="es"></xtream-error-banner></div>');
    assert.equal(title(element), expired(es));
  });

  it('else the nearest ancestor’s lang', async () => {
    document.documentElement.lang = 'de';
    const element = await render('<div lang="es"><section lang="fr"><xtream-error-banner code="USER_EXPIRED"></xtream-error-banner></section></div>');
    assert.equal(title(element), expired(fr));
  });

  it('else the document’s lang', async () => {
    document.documentElement.lang = 'de';
    const element = await render('<xtream-error-banner code="USER_EXPIRED"></xtream-error-banner>');
    assert.equal(title(element), expired(de));
  });

  it('resolves regional tags to the nearest supported language (es-MX → es)', async () => {
    const element = await render('<xtream-error-banner code="USER_EXPIRED" lang="es-MX"></xtream-error-banner>');
    assert.equal(title(element), expired(es));
    assert.equal(element.language, 'es');
  });

  it('re-renders when its lang attribute or an ancestor’s changes', async () => {
    const wrapper = fixture('<div lang="es"><xtream-error-banner code="USER_EXPIRED"></xtream-error-banner></div>');
    const element = wrapper.querySelector('xtream-error-banner')!;
    await element.updateComplete;
    assert.equal(title(element), expired(es));
    wrapper.setAttribute('lang', 'fr');
    await waitFor(() => title(element) === expired(fr), 'ancestor change followed');
    element.setAttribute('lang', 'de');
    await waitFor(() => title(element) === expired(de), 'own attribute followed');
    element.lang = 'it';
    await waitFor(() => title(element) === expired(it_), 'own property followed');
  });

  it('setLanguage re-renders every banner without a lang of its own, over the document’s', async () => {
    document.documentElement.lang = 'de';
    const a = await render('<xtream-error-banner code="USER_EXPIRED"></xtream-error-banner>');
    const b = await render('<xtream-error-banner code="USER_EXPIRED"></xtream-error-banner>');
    const pinned = await render('<xtream-error-banner code="USER_EXPIRED" lang="es"></xtream-error-banner>');
    await setLanguage('fr');
    await waitFor(() => title(a) === expired(fr) && title(b) === expired(fr), 'both switched to French');
    assert.equal(title(pinned), expired(es), 'an explicit lang stays');
    await setLanguage('en');
    await waitFor(() => title(a) === expired(en), 'back to English');
  });
});
