/** Server-supplied text — messages, additional_info, codes, what was seen — is text, never markup, never code. */
import '../../components/define.js';
import { classify } from '../../core/classify.js';
import type { XtreamErrorBanner } from '../../components/error-banner/error-banner.js';
import { afterEach, assert, cleanup, describe, fixture, it, nextFrame } from './harness.js';

declare global {
  interface Window {
    __xss?: number;
  }
}

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1"></svg>',
  "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
  '<a href="javascript:window.__xss=1">x</a>',
  '{{constructor.constructor("window.__xss=1")()}}',
  '$t(xtream-ui:banner.dismiss) ${window.__xss=1}',
  '<style>*{display:none}</style>',
];

/** Every way server text reaches a banner, each carrying `payload`. */
function inputs(payload: string): Array<[string, (element: XtreamErrorBanner) => void]> {
  return [
    ['envelope message, additional_info and code', (e) => (e.envelope = { error: { code: payload, message: payload, additional_info: payload } })],
    ['envelope attribute', (e) => e.setAttribute('envelope', JSON.stringify({ error: { code: 'INVALID_PARAMETERS', message: payload, additional_info: payload } }))],
    ['user_info message', (e) => (e.response = { status: 200, body: { user_info: { auth: 0, status: payload, message: payload } } })],
    ['Stalker msg', (e) => (e.response = { status: 200, url: 'http://p.example/stalker_portal/server/load.php?type=stb&action=handshake', body: { js: { token: null, msg: payload } } })],
    ['short text body of a 5xx', (e) => (e.response = { status: 503, body: payload.replace(/</g, '‹') + ' ' + payload })],
    ['unknown code attribute', (e) => e.setAttribute('code', payload)],
    ['unreadable input (seen)', (e) => (e.response = { status: payload } as never)],
    ['URL', (e) => (e.response = { status: 401, url: `http://p.example/player_api.php?x=${encodeURIComponent(payload)}` })],
    [
      'a hand-made diagnosis',
      (e) =>
        (e.diagnosis = {
          ...classify('AUTH_FAILED')!,
          code: payload,
          serverCode: payload,
          serverMessage: payload,
          details: payload,
          seen: payload,
        }),
    ],
  ];
}

/** No element in the shadow root that isn't ours, and no handler attributes anywhere. */
function assertNoInjectedMarkup(element: XtreamErrorBanner, context: string): void {
  const ours = new Set(['section', 'span', 'svg', 'path', 'div', 'p', 'ul', 'ol', 'li', 'button', 'code']);
  for (const node of element.shadowRoot!.querySelectorAll('*')) {
    assert.ok(ours.has(node.localName), `${context}: unexpected <${node.localName}>`);
    for (const attribute of node.getAttributeNames()) assert.ok(!attribute.startsWith('on'), `${context}: ${attribute} on <${node.localName}>`);
  }
}

describe('untrusted server text', () => {
  afterEach(() => {
    cleanup();
    delete window.__xss;
  });

  for (const [index, payload] of PAYLOADS.entries()) {
    it(`payload ${index + 1} (${payload.slice(0, 24)}…) is shown as text in every field and never runs`, async () => {
      for (const [name, apply] of inputs(payload)) {
        const element = fixture<XtreamErrorBanner>('<xtream-error-banner silent></xtream-error-banner>');
        apply(element);
        await element.updateComplete;
        await nextFrame();
        assertNoInjectedMarkup(element, name);
        assert.equal(window.__xss, undefined, `${name}: the payload ran`);
        cleanup();
      }
    });
  }

  it('shows the server’s words verbatim, as text', async () => {
    const payload = PAYLOADS[0]!;
    const element = fixture<XtreamErrorBanner>('<xtream-error-banner silent></xtream-error-banner>');
    element.envelope = { error: { code: 'INVALID_PARAMETERS', message: payload, additional_info: payload } };
    await element.updateComplete;
    const message = element.shadowRoot!.querySelector('[part~="server-message"]')!;
    assert.equal(message.textContent, payload);
    assert.equal(message.children.length, 0);
  });
});
