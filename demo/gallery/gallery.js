// The gallery: every catalog entry, rendered by the real elements from the script-tag build,
// in any language and theme, compact or not. State lives in the query string (?lang=ar&theme=dark&compact).
const { codes, languages } = window.XtreamErrorUX;
const params = new URLSearchParams(location.search);
const state = {
  lang: params.get('lang') || 'en',
  theme: params.get('theme') || 'light',
  compact: params.has('compact'),
};

const lang = document.getElementById('lang');
const theme = document.getElementById('theme');
const compact = document.getElementById('compact');
for (const language of languages) lang.append(new Option(language.name, language.code));
lang.value = state.lang;
theme.value = state.theme;
compact.checked = state.compact;

const day = 86_400_000;
/** Inputs beyond bare codes: what real responses carry (server text, account facts, unknown codes). */
const samples = [
  ['Login answered with an expired account', { status: 200, body: { user_info: { auth: 1, status: 'Expired', exp_date: String(Math.floor((Date.now() - 3 * day) / 1000)), active_cons: '2', max_connections: '2', is_trial: '1' } } }],
  ['Stream API envelope', { error: { code: 'INVOICE_FINALISED', message: 'Invoice is finalised and cannot undergo this action.', additional_info: 'invoice_id=inv_8f2a' } }],
  ['A code no catalog knows', 'PANEL_QUOTA_EXCEEDED'],
  ['Unreadable input', { status: 'teapot' }],
];

function banner(input, label) {
  const element = document.createElement('xtream-error-banner');
  if (typeof input === 'string') element.code = input;
  else if (input && input.error) element.envelope = input;
  else element.response = input;
  element.silent = true;
  element.theme = state.theme;
  element.compact = state.compact;
  if (label) element.title = label;
  return element;
}

/** A catalog entry: its code as the catalog names it (aliases such as `Expired` included), then its banner. */
function entry(code) {
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.append(Object.assign(document.createElement('code'), { textContent: code }));
  figure.append(caption, banner(code));
  return figure;
}

function render() {
  const main = document.getElementById('gallery');
  main.lang = state.lang;
  main.dir = languages.find((language) => language.code === state.lang)?.dir ?? 'ltr';
  document.documentElement.dataset.theme = state.theme;
  const heading = (text) => Object.assign(document.createElement('h2'), { textContent: text });
  main.replaceChildren(
    heading('Real responses'),
    ...samples.map(([label, input]) => banner(input, label)),
    heading(`Catalog (${codes.length} entries)`),
    ...codes.map((code) => entry(code)),
  );
  const query = new URLSearchParams({ lang: state.lang, theme: state.theme });
  if (state.compact) query.set('compact', '');
  history.replaceState(null, '', `?${query}`);
}

lang.addEventListener('change', () => ((state.lang = lang.value), render()));
theme.addEventListener('change', () => ((state.theme = theme.value), render()));
compact.addEventListener('change', () => ((state.compact = compact.checked), render()));
render();
