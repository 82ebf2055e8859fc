/** Every catalog entry renders in every language, with that language's words and no missing-key text. */
import '../../components/define.js';
import { catalog, textKeyOf } from '../../core/catalog.js';
import { SUPPORTED_LANGUAGES } from '../../core/i18n.js';
import type { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import { afterEach, assert, cleanup, describe, fixture, it, part, parts, shadowText } from './harness.js';
import { errorsOf } from './locale-files.js';

type Entry = { title: string; what: string; who?: string; solutions?: string[] };

async function resources(lng: string): Promise<{ errors: Record<string, Entry>; ui: Record<string, Record<string, string>> }> {
  const [errors, ui] = await Promise.all([errorsOf(lng), import(`../../locales/${lng}/ui.json`)]);
  return { errors, ui: ui.default };
}

const MISSING_KEY = /xtream-(errors|ui):|\b(banner|severity|fixer|account|retry|guard|report|stack|fallback)\.[a-zA-Z]+|\{\{|\b[A-Z][A-Za-z0-9_]*\.(title|what|who|solutions)\b/;

describe('every catalog entry in every language', () => {
  afterEach(cleanup);

  for (const { code: lng, dir } of SUPPORTED_LANGUAGES) {
    it(`${lng}: all ${Object.keys(catalog).length} entries render in ${lng}, ${dir}, with no missing-key text`, async () => {
      const { errors, ui } = await resources(lng);
      const codes = Object.keys(catalog);
      const container = fixture<HTMLDivElement>(`<div lang="${lng}"></div>`);
      for (const code of codes) {
        const banner = document.createElement('xtream-error-banner');
        banner.code = code;
        banner.silent = true;
        container.append(banner);
      }
      const banners = [...container.children] as XtreamErrorBanner[];
      await Promise.all(banners.map((banner) => banner.updateComplete));
      banners.forEach((banner, index) => {
        const code = codes[index]!;
        const entry = errors[textKeyOf(code)]!;
        const text = shadowText(banner);
        assert.noMatch(text, MISSING_KEY, `${lng} ${code}: ${text}`);
        const base = part(banner, 'base')!;
        assert.equal(base.getAttribute('lang'), lng, `${lng} ${code} lang`);
        assert.equal(base.getAttribute('dir'), dir, `${lng} ${code} dir`);
        const title = part(banner, 'title')!.textContent!;
        assert.equal(title, `${ui.severity![banner.shown!.severity]}: ${entry.title}`, `${lng} ${code} title`);
        assert.equal(part(banner, 'what')?.textContent, entry.what, `${lng} ${code} what`);
        if (entry.solutions) {
          assert.deepEqual(parts(banner, 'solution').map((li) => li.textContent), entry.solutions, `${lng} ${code} solutions`);
          assert.includes(part(banner, 'who')!.textContent!, entry.who!, `${lng} ${code} who`);
          assert.equal(part(banner, 'dismiss-button')!.getAttribute('aria-label'), ui.banner!.dismiss, `${lng} ${code} dismiss`);
          assert.equal(part(banner, 'copy-button')!.textContent!.trim(), ui.banner!.copyDetails, `${lng} ${code} copy`);
        }
      });
    });
  }
});
