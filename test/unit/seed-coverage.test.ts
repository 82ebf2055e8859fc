/**
 * Reads the two source documents and fails when any code, status, message or threshold in them
 * is missing from the catalog or differs from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalog, classify, panelFloodRules } from '../../core/index.js';

// The seeds are committed under test/seeds/ so that a clean clone tests alone; when the workspace's
// ../shared/seeds/ is beside the project, the copy must be identical to it.
const seeds = fileURLToPath(new URL('../seeds/', import.meta.url));
const upstream = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

test('test/seeds/ holds both documents, identical to ../shared/seeds/ when that is beside the project', () => {
  const names = readdirSync(seeds).sort();
  assert.deepEqual(names.filter((name) => name.endsWith('.txt')).map((name) => name.slice(0, 4)), ['000_', '003_']);
  if (!existsSync(upstream)) return; // a clone on its own: the committed copy is the source
  for (const name of readdirSync(upstream)) {
    assert.equal(readFileSync(seeds + name, 'utf8'), readFileSync(upstream + name, 'utf8'), `test/seeds/${name} differs from upstream`);
  }
});
const seedFile = (prefix: string) => {
  const name = readdirSync(seeds).find((file) => file.startsWith(prefix));
  assert.ok(name, `seed ${prefix}* is present in ${seeds}`);
  return readFileSync(seeds + name, 'utf8');
};
const xtream = seedFile('000_');
const streamApi = seedFile('003_');

/** Table rows of a markdown section as arrays of cells, header and separator rows dropped. */
function rows(section: string): string[][] {
  const lines = section.split('\n').filter((line) => line.includes('|'));
  const cells = lines.map((line) =>
    line
      .replace(/^\s*\|/, '')
      .replace(/\|\s*$/, '')
      .split('|')
      .map((cell) => cell.trim().replace(/^`|`$/g, '')),
  );
  return cells.filter((row, index) => index > 0 && !row.every((cell) => /^-*$/.test(cell)));
}

function section(doc: string, heading: string): string {
  const start = doc.indexOf(heading);
  assert.notEqual(start, -1, `seed has a "${heading}" section`);
  const rest = doc.slice(start + heading.length);
  const next = rest.search(/\n#{2,3} /);
  return next === -1 ? rest : rest.slice(0, next);
}

test('every Xtream HTTP status in the seed is in the catalog with its reason and meaning', () => {
  const table = rows(section(xtream, '## HTTP Status Codes'));
  assert.equal(table.length, 9);
  for (const [code, status, description] of table) {
    const entry = catalog[code!];
    assert.ok(entry, `status ${code} in catalog`);
    assert.equal(entry.kind, 'http-status');
    assert.equal(entry.statusText, status, `${code} reason phrase`);
    assert.equal(entry.reference?.description, description, `${code} meaning`);
    assert.ok(entry.httpStatus.includes(Number(code)));
    assert.equal(entry.severity === 'success', Number(code) < 300, `${code} is an error exactly when >= 400`);
  }
});

test('every client log code in the seed is in the catalog with its description and solution', () => {
  const headings = ['### Authentication Errors', '### Connection Errors', '### Stream Errors', '### Security Errors', '### MAG/Stalker Errors'];
  const seen: string[] = [];
  for (const heading of headings) {
    for (const [code, description, solution] of rows(section(xtream, heading))) {
      seen.push(code!);
      const entry = catalog[code!];
      assert.ok(entry, `${code} in catalog`);
      assert.equal(entry.kind, 'log-code');
      assert.equal(entry.documented, true);
      assert.equal(entry.reference?.description, description, `${code} description`);
      assert.equal(entry.reference?.solution, solution, `${code} solution`);
      assert.ok(entry.fixer.length > 0, `${code} says who can fix it`);
    }
  }
  assert.equal(seen.length, 19);
});

test('the seed user_info examples classify as documented and keep the server message', () => {
  const blocks = [...xtream.matchAll(/### ([^\n]+)\n+```json\n([\s\S]*?)```/g)].map(([, title, json]) => ({ title: title!.trim(), body: JSON.parse(json!) }));
  const expected: Record<string, string | null> = {
    'Successful Authentication': null,
    'Failed Authentication': 'USER_EXPIRED',
    'Expired Account Response': 'USER_EXPIRED',
    'Banned Account Response': 'USER_BAN',
  };
  assert.deepEqual(blocks.map((block) => block.title), Object.keys(expected));
  for (const { title, body } of blocks) {
    for (const input of [body, { status: 200, body }, { status: '200', body: JSON.stringify(body) }]) {
      const diagnosis = classify(input);
      assert.equal(diagnosis?.code ?? null, expected[title], title);
      if (diagnosis) {
        assert.equal(diagnosis.serverMessage, body.user_info.message, `${title} keeps the message`);
        assert.equal(diagnosis.serverCode, body.user_info.status);
        assert.equal(diagnosis.source, 'xtream');
      }
    }
    const status = body.user_info.status as string;
    assert.ok(catalog[status], `account status ${status} in catalog`);
  }
  for (const status of ['Active', 'Expired', 'Banned', 'Disabled']) assert.equal(catalog[status]?.kind, 'account-status');
});

test('the seed flood-protection thresholds are the catalog panel rules', () => {
  const table = rows(section(xtream, '## Flood Protection'));
  const parsed = table.map(([threshold, action]) => ({ failures: Number(/(\d+) failures/.exec(threshold!)?.[1]), action: action! }));
  assert.deepEqual(parsed.map((row) => row.failures), [panelFloodRules.warn, panelFloodRules.block, panelFloodRules.extended]);
  assert.match(parsed[0]!.action, /Warning/);
  assert.equal(Number(/(\d+) minutes/.exec(parsed[1]!.action)?.[1]) * 60_000, panelFloodRules.blockMs);
  assert.equal(Number(/(\d+) hour/.exec(parsed[2]!.action)?.[1]) * 3_600_000, panelFloodRules.extendedMs);
});

test('the seed error-handling examples (401, 403, 406) classify to the statuses they check', () => {
  for (const status of [...xtream.matchAll(/status_code == (\d{3})/g)].map((match) => Number(match[1]))) {
    // A body is present: an empty-body 403 is the masked panel block, covered in classify.test.ts.
    const diagnosis = classify({ status, url: 'http://panel.test/player_api.php', body: 'Forbidden' });
    assert.equal(diagnosis?.httpStatus, status);
    assert.equal(diagnosis?.code, String(status));
    assert.equal(diagnosis?.source, 'xtream');
  }
});

test('every Stream API exception class in the seed is in the catalog with its HTTP status', () => {
  const table = rows(streamApi.slice(streamApi.indexOf('Exception class'), streamApi.indexOf('Stream error codes')));
  const pairs = table.filter((row) => /Error$/.test(row[0]!));
  assert.equal(pairs.length, 8);
  for (const [name, status] of pairs) {
    const entry = catalog[name!];
    assert.ok(entry, `${name} in catalog`);
    assert.equal(entry.kind, 'exception-class');
    assert.equal(entry.httpStatus[0], Number(status), `${name} status`);
    const diagnosis = classify({ status: Number(status), body: { error: { code: name, message: 'm' } } });
    assert.equal(diagnosis?.code, name);
    assert.equal(diagnosis?.known, true);
    assert.equal(diagnosis?.source, 'stream-api');
  }
});

test('every Stream API code in the seed is in the catalog with its canonical message', () => {
  const table = rows(streamApi.slice(streamApi.indexOf('| Code | Message |')));
  assert.equal(table.length, 12);
  for (const [code, message] of table) {
    const entry = catalog[code!];
    assert.ok(entry, `${code} in catalog`);
    assert.equal(entry.kind, 'stream-api-code');
    assert.equal(entry.canonicalMessage, message, `${code} message`);
    const diagnosis = classify({ error: { code, message } });
    assert.equal(diagnosis?.code, code);
    assert.equal(diagnosis?.serverMessage, message);
  }
});

test('the seed Stream API envelope example classifies with its code, message and additional_info', () => {
  const json = /\{\s*"error":\s*\{[\s\S]*?\}\s*\}/.exec(streamApi)?.[0];
  assert.ok(json);
  const envelope = JSON.parse(json);
  for (const input of [envelope, JSON.stringify(envelope), { status: 500, body: envelope }, { status: 500, body: JSON.stringify(envelope) }]) {
    const diagnosis = classify(input);
    assert.equal(diagnosis?.code, 'STREAM_ERROR');
    assert.equal(diagnosis?.source, 'stream-api');
    assert.equal(diagnosis?.serverMessage, envelope.error.message);
    assert.equal(diagnosis?.details, envelope.error.additional_info);
  }
});
