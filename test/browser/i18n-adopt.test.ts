import '../../components/define.js';
import i18next from 'i18next';
import { configureI18n } from '../../core/i18n.js';
import type { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import { afterEach, assert, cleanup, describe, fixture, it, part, waitFor } from './harness.js';
import { errorsOf } from './locale-files.js';

const [de, en] = await Promise.all([errorsOf('de'), errorsOf('en')]);

describe('a portal’s own i18next instance', () => {
  afterEach(cleanup);

  it('is adopted: our namespaces join it, and its language changes re-render every banner', async () => {
    const host = i18next.createInstance();
    await host.init({ lng: 'en', resources: { en: { app: { hello: 'Hello' } } }, ns: ['app'], defaultNS: 'app' });
    configureI18n({ instance: host });
    const element = fixture<XtreamErrorBanner>('<xtream-error-banner code="USER_EXPIRED"></xtream-error-banner>');
    await element.updateComplete;
    const title = () => part(element, 'title')?.textContent?.replace(/^[^:]*: /, '');
    assert.equal(title(), (en as Record<string, { title: string }>).USER_EXPIRED!.title);
    assert.ok(host.hasResourceBundle('en', 'xtream-errors'), 'our namespace joined the host instance');
    assert.equal(host.t('hello'), 'Hello', 'the host’s own strings are untouched');
    await host.changeLanguage('de');
    await waitFor(() => title() === (de as Record<string, { title: string }>).USER_EXPIRED!.title, 'German after the host switched');
  });
});
