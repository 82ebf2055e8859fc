import '../../components/define.js';
import { setLanguage } from '../../components/localize-controller.js';
import type { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import { afterEach, assert, cleanup, describe, fixture, it, part, waitFor } from './harness.js';
import { errorsOf } from './locale-files.js';

const [es, fr, de, it_, en] = await Promise.all(['es', 'fr', 'de', 'it', 'en'].map(errorsOf));

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

describe('loading', () => {
  it('loads each file once and notifies once per file, however many callers ask at the same time', async () => {
    const { createI18n } = await import('../../core/i18n.js');
    const asked: string[] = [];
    const i18n = createI18n({
      loader: async (lng, file) => {
        asked.push(`${lng}/${file}`);
        return (await import(`../../locales/${lng}/${file}.json`)).default;
      },
    });
    let notified = 0;
    i18n.subscribe(() => notified++);
    const languages = await Promise.all(Array.from({ length: 50 }, () => i18n.load('pl', ['ui', 'errors-xtream'])));
    await Promise.resolve();
    assert.deepEqual([...new Set(languages)], ['pl']);
    assert.deepEqual(asked.sort(), ['pl/errors-xtream', 'pl/ui']);
    assert.ok(notified >= 1 && notified <= 2, `at most one notification per file, not one per caller (${notified})`);
    assert.ok(i18n.settled('pl', 'errors-xtream') && !i18n.settled('pl', 'errors-billing'));
    await i18n.load('pl', ['errors-xtream']);
    assert.equal(asked.length, 2, 'a settled file is not fetched again');
  });

  it('a file that fails to load settles to English and is not retried', async () => {
    const { createI18n } = await import('../../core/i18n.js');
    let calls = 0;
    const i18n = createI18n({ loader: async () => { calls++; throw new Error('offline'); } });
    assert.equal(await i18n.load('tr', ['ui']), 'en');
    assert.equal(await i18n.load('tr', ['ui']), 'en');
    assert.equal(calls, 1);
    assert.ok(i18n.settled('tr', 'ui'));
  });
});
