/** dist/xtream-error-ux.js in real pages: a strict CSP with Trusted Types, and a plain page fetching Spanish. */
import { afterEach, assert, cleanup, describe, fixture, it, waitFor } from './harness.js';
import { errorsOf } from './locale-files.js';

const [es, en] = await Promise.all([errorsOf('es'), errorsOf('en')]);

type Frame = Window & typeof globalThis & { __violations: string[]; XtreamErrorUX: { classify(input: unknown): { code: string } | null; setLanguage(lng: string): Promise<string>; show(input: unknown): HTMLElement | undefined; codes: string[] } };

async function open(src: string): Promise<{ frame: Frame; doc: Document }> {
  const iframe = fixture<HTMLIFrameElement>(`<iframe src="${src}" style="width:900px;height:900px"></iframe>`);
  await new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  return { frame: iframe.contentWindow as Frame, doc: iframe.contentDocument! };
}

const titleOf = (element: Element | null) => element?.shadowRoot?.querySelector('[part~="title"]')?.textContent?.replace(/^[^:]*: /, '');
const expired = (catalog: unknown) => (catalog as Record<string, { title: string }>).USER_EXPIRED!.title;

describe('the script-tag build', () => {
  afterEach(cleanup);

  it('works under script-src/style-src self and require-trusted-types-for script', async () => {
    const response = await fetch('/test/browser/fixtures/csp.html');
    assert.includes(response.headers.get('content-security-policy') ?? '', "require-trusted-types-for 'script'", 'served with the CSP header');
    const { frame, doc } = await open('/test/browser/fixtures/csp.html');
    const english = doc.getElementById('en')!;
    await waitFor(() => titleOf(english) === expired(en), 'English banner rendered');
    await waitFor(() => titleOf(doc.getElementById('es')) === expired(es), 'Spanish fetched and rendered');
    // Styles came through adoptedStyleSheets (no inline <style>, which style-src 'self' would block).
    const root = english.shadowRoot!;
    assert.ok(root.adoptedStyleSheets.length > 0, 'adopted stylesheets');
    assert.equal(root.querySelectorAll('style').length, 0);
    const base = root.querySelector('[part~="base"]')!;
    assert.ok(parseFloat(frame.getComputedStyle(base).borderInlineStartWidth) > 1, 'styles applied');
    // Server text stayed text.
    const envelope = doc.getElementById('envelope')!;
    await waitFor(() => envelope.shadowRoot?.querySelector('[part~="server-message"]'), 'envelope rendered');
    assert.equal(envelope.shadowRoot!.querySelector('[part~="server-message"]')!.textContent, '<img src=x onerror=alert(1)>');
    assert.equal(envelope.shadowRoot!.querySelectorAll('img').length, 0);
    // The global API.
    assert.equal(frame.XtreamErrorUX.classify({ status: 401 })?.code, '401');
    assert.ok(frame.XtreamErrorUX.codes.includes('USER_EXPIRED'));
    const shown = frame.XtreamErrorUX.show('429')!;
    await waitFor(() => titleOf(shown), 'show() rendered a banner');
    assert.equal(shown.parentElement?.localName, 'xtream-error-stack');
    await frame.XtreamErrorUX.setLanguage('fr');
    await waitFor(() => titleOf(english) !== expired(en), 'setLanguage switched the banner');
    // Trusted Types were enforced, and nothing was blocked.
    assert.equal((frame as unknown as { trustedTypes?: { getPolicyNames?(): string[] } }).trustedTypes?.getPolicyNames?.().includes('lit-html') ?? true, true);
    assert.deepEqual(frame.__violations, [], 'no CSP violations');
  });

  it('shows the Spanish explanation in a plain page holding only the script and the element', async () => {
    const { doc } = await open('/test/browser/fixtures/plain-es.html');
    const banner = doc.querySelector('xtream-error-banner');
    await waitFor(() => titleOf(banner) === expired(es), 'Spanish title');
    const what = banner!.shadowRoot!.querySelector('[part~="what"]')!.textContent;
    assert.equal(what, (es as Record<string, { what: string }>).USER_EXPIRED!.what);
    const loaded = (doc.defaultView!.performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((entry) => new URL(entry.name).pathname);
    const locales = loaded.filter((path) => path.startsWith('/dist/locales/')).sort();
    // Beside the script, and only what this banner needs: the ui words and the Xtream error family.
    assert.deepEqual(locales, ['/dist/locales/es/errors-xtream.json', '/dist/locales/es/ui.json'], `fetched: ${loaded.join(', ')}`);
  });
});
