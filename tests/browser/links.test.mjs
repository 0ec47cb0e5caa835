// links.test.mjs: malformed share links cannot hurt the page. At least 200 bad links
// (truncated presets, seeded mutations, oversized, wrong versions, NaN/Inf, bad sizes and
// repeat counts, nesting, broken binary tensors, broken % escapes, bad fields) go through
// nnplay_open_link, and a few through real navigation (location.hash, which the page
// follows). Each link must either be refused (0, a message in the banner, the state
// exactly as before) or, as some mutations happen to be valid links, open (1, no message,
// a consistent state). The page must then still work: the E9 link opens on rows
// [0, 30, 30, 0], and there was no page error.
//
// Every link is also decided by the native CLI (`nnplay eval`; --nnplay PATH, by default
// build/native/tools/nnplay, which the test command builds first), and the page must agree:
// the same verdict, the same JSON, the same error text, on links made from every preset
// `nnplay presets` lists. A missing CLI, or one older than the engine sources, fails the
// test (it would judge other code than the page's).
//
//   node tests/browser/links.test.mjs --site build/wasm/web/site [--out DIR] [--nnplay PATH]
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { openLab, labState, settle, runTests, nativeCli, DEFAULT_NNPLAY, firstDifference } from './harness.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    out: { type: 'string', default: 'browser-out' },
    nnplay: { type: 'string', default: DEFAULT_NNPLAY },
  },
});
assert.ok(args.site, '--site DIR is required');
mkdirSync(args.out, { recursive: true });

const MAX_LINK = 8192;
const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const SOBEL_PAD1_STRIDE2 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:1,0,-1,2,0,-2,1,0,-1&pad=1&stride=2&dil=1';

// ---- the native oracle ------------------------------------------------------------------

function nativeOracle(path) {
  const run = nativeCli(path);  // throws when missing or stale
  const verdict = (status, stdout, stderr) => {
    if (status === 0) return { ok: true, json: JSON.parse(stdout) };
    if (status === 1) return { ok: false, error: stderr.replace(/^nnplay: bad link: /, '').trim() };
    throw new Error(`nnplay eval exited with ${status}: ${stderr.slice(0, 2000)}`);
  };
  const evalAsync = (link) => new Promise((resolve) => {
    execFile(path, ['eval', link], { maxBuffer: 64 << 20, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } },
      (error, stdout, stderr) => {
        try {
          // Not run, or killed by a signal: once more in sync (retries, or the report).
          if (error && typeof error.code !== 'number') resolve(oracleEval(link));
          else resolve(verdict(error ? error.code : 0, stdout, stderr));
        } catch (e) {
          resolve({ failed: e });
        }
      });
  });
  const oracleEval = (link) => {
    const r = run(['eval', link]);
    return verdict(r.status ?? r.signal, r.stdout, r.stderr);
  };
  return {
    eval: oracleEval,
    // Every link, four processes at a time; resolves to the verdicts in order.
    async evalAll(links) {
      const out = new Array(links.length);
      let next = 0;
      const worker = async () => {
        while (next < links.length) {
          const i = next++;
          out[i] = await evalAsync(links[i]);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      return out;
    },
    presets() {
      const r = run(['presets']);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim().split('\n').map((line) => line.split('\t')[2].replace(/^#/, ''));
    },
  };
}

// ---- the bad links ----------------------------------------------------------------------

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// No NUL: a C string ends there, in ccall as in argv. Non-ASCII is whole code points.
const ALPHABET = [...'0123456789,,,**((()))xx::&&==?/%%#v-..eE+ abcfinpsdlt_', '\t', '\x01', '\x7f', 'é', '\u00ff', '\u2603', '😀'];
const TOKENS = ['(', ')', ')*2', '*65536', '*0', '%', '%2', '%G1', 'nan', 'inf', '64x64:', '&f=', '&in=', '&pad=same',
  '-', 'e39', '.', '1e-45', '999999999999', 'x', ':', '&', '='];

function mutate(link, rand) {
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const chars = [...link];  // code points
  const ops = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < ops; ++k) {
    const at = Math.floor(rand() * (chars.length + 1));
    switch (Math.floor(rand() * 6)) {
      case 0: chars[Math.min(at, chars.length - 1)] = pick(ALPHABET); break;  // replace
      case 1: chars.splice(at, 0, pick(ALPHABET)); break;  // insert
      case 2: chars.splice(at, 1 + Math.floor(rand() * 8)); break;  // delete
      case 3: chars.splice(at, 0, ...pick(TOKENS)); break;  // insert a token
      case 4: {  // duplicate a slice
        const n = 1 + Math.floor(rand() * 12);
        chars.splice(at, 0, ...chars.slice(at, at + n));
        break;
      }
      default: {  // flip a bit of a character (stays ASCII and non-NUL when it was)
        const i = Math.min(at, chars.length - 1);
        const c = chars[i].codePointAt(0);
        if (c < 0x80) chars[i] = String.fromCodePoint((c ^ (1 << Math.floor(rand() * 7))) || 0x20);
      }
    }
  }
  return chars.join('');
}

function badLinks(presets) {
  const links = [];
  const add = (kind, link) => links.push({ kind, link });
  // Truncated prefixes: E9 at the edges of its structure, every other preset at one point
  // (seeded) past its "v1/<lab>?" (some prefixes are valid links: fields have defaults).
  const cutRand = mulberry32(9);
  for (const p of presets) {
    const from = p.indexOf('?') + 1;
    const cuts = p === E9 ? [1, 3, 7, 8, 11, 26, 30, 44, p.length - 5, p.length - 1]
      : [from + Math.floor(cutRand() * (p.length - from))];
    for (const c of cuts.filter((c) => c > 0 && c < p.length)) add('truncated', p.slice(0, c));
  }
  // Oversized: over the limit after decoding, or before it (up to 3x for % escapes).
  const ones = (n) => Array(n).fill('1').join(',');
  add('oversized', 'v1/conv?in=' + '1,'.repeat(20000));
  add('oversized', `v1/conv?in=64x64:${ones(4096)}&f=1x1:1`);  // 8,216 characters
  add('oversized', E9 + '&x=' + 'a'.repeat(MAX_LINK - E9.length - 2));  // 8,193
  add('oversized', `v1/conv?in=64x64:${ones(4096).replaceAll(',', '%2C')}&f=1x1:1`);
  add('oversized', '%41'.repeat(MAX_LINK + 1));
  add('oversized', '#'.repeat(30000) + E9.slice(0, 20));
  // Versions.
  for (const v of ['v0/', 'v2/', 'v1000001/', 'v99999999999/', 'V1/', 'v/', 'v1.0/', 'v-1/', 'vv1/', 'v 1/', '1/', 'v1'])
    add('version', v + E9.slice(3));
  add('version', '');
  add('version', 'conv?in=6x6:0*36&f=1x1:1');
  // Numbers that are not finite floats, or not numbers.
  for (const v of ['nan', 'NaN', 'inf', '-inf', 'Infinity', '1e39', '-1e39', '3.5e38', '0x10', '+1', '1e', '.', '-', '--1',
    '1..2', '1e+-3', '1,,2', '1' + '0'.repeat(40)])
    add('number', `v1/conv?in=2x2:${v},1,1,1&f=1x1:1`);
  add('number', 'v1/conv?in=1x1:1&f=1x1:' + '9'.repeat(39) + 'e-38');  // 41 characters
  // Sizes, repeat counts and settings out of range.
  for (const shape of ['-6x6', '0x6', '6x0', '65x64', '64x65', '2147483648x1', '99999999999x1', '1x1x1', '6', 'x6', '6x',
    '6x6x', '6xx6', '6X6', '4294967297x1'])
    add('size', `v1/conv?in=${shape}:0*36&f=1x1:1`);
  add('size', 'v1/conv?in=6x6:0*36&f=8x8:0*64');
  add('size', 'v1/conv?in=6x6:0*36&f=0x3:0');
  for (const items of ['0*0', '0*-1', '0*65537', '0*4294967332', '(0)*65537', '(0*4096)*2', '(0*36)*0', '0*36,0', '0*35',
    '(0,0)*18*2', '0*18*2', '0*3.5'])
    add('repeat', `v1/conv?in=6x6:${items}&f=1x1:1`);
  add('repeat', 'v1/conv?in=64x64:(0*65536)*65536&f=1x1:1');
  for (const s of ['pad=4', 'pad=-1', 'pad=SAME', 'pad=', 'pad=same&pad=same', 'stride=0', 'stride=5', 'stride=-1',
    'stride=1.0', 'dil=0', 'dil=4', 'dil=2147483648'])
    add('setting', `${E9.slice(0, E9.indexOf('&pad'))}&${s}`);
  // Nesting and unbalanced groups.
  add('nesting', `v1/conv?in=1x1:${'('.repeat(1000)}1${')*1'.repeat(1000)}&f=1x1:1`);
  add('nesting', `v1/conv?in=6x6:${'('.repeat(5000)}&f=1x1:1`);
  add('nesting', `v1/conv?in=6x6:0*36${')'.repeat(100)}&f=1x1:1`);
  add('nesting', 'v1/conv?in=2x2:(1,(2)*2)*2&f=1x1:1');
  add('nesting', 'v1/conv?in=2x2:)*2,0*4&f=1x1:1');
  add('nesting', 'v1/conv?in=3x3:(1,0,-1)&f=1x1:1');
  add('nesting', 'v1/conv?in=3x3:(1,0,-1*3&f=1x1:1');
  add('nesting', 'v1/conv?in=3x3:()*9&f=1x1:1');
  // The binary tensor form (SHAPE~base64url; format 1 palette, 2 raw), broken.
  const f32 = (...v) => [...Buffer.from(new Float32Array(v).buffer)];
  const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
  for (const [shape, bytes] of [
    ['2x2', [2, ...f32(1, 2, 3, NaN)]],  // raw, a NaN
    ['2x2', [2, ...f32(1, 2, 3, Infinity)]],  // raw, an infinity
    ['2x2', [2, ...f32(1, 2, 3, 4)].slice(0, -1)],  // raw, a byte short
    ['2x2', [2, ...f32(1, 2, 3, 4), 0]],  // raw, a byte over
    ['2x2', [1, 2, ...f32(0, 1, 2), 0b11000000]],  // palette of 3, index 3
    ['2x2', [1, 1, ...f32(0, 1), 0b00001111]],  // palette of 2, padding bits set
    ['2x2', [1, 255, ...f32(0)]],  // palette of 256, 1 value given
    ['2x2', [3, ...f32(1, 2, 3, 4)]],  // unknown format
    ['2x2', [0]],
    ['2x2', []],
    ['64x64', [2, ...Array(4000).fill(0)]],  // raw, short of 4096 floats
  ]) add('binary', `v1/conv?in=${shape}~${b64(bytes)}&f=1x1:1`);
  for (const payload of ['AQ=', 'Ag+A', 'A/A', '!!!!', 'A', 'AQB', '~', ''])
    add('binary', `v1/conv?in=2x2~${payload}&f=1x1:1`);
  // Broken or hostile % escapes.
  for (const e of ['%', '%4', '%GG', '%%', '%zz', '%00', '%0A', '%20', '%C3%A9', '%7F', '%2', '%-1', '%+1'])
    add('escape', `v1/conv?in=6x6:0*36&f=1x1:1${e}`);
  add('escape', 'v1/conv?in=6x6:0*36%26f=1x1:1%26f=1x1:2');  // %26 is '&': f twice
  // Fields and characters.
  for (const l of [
    'v1/conv?in=6x6:0*36&f=1x1:1&unknown=1', 'v1/conv?in=6x6:0*36&f=1x1:1&f=1x1:1', 'v1/conv?f=1x1:1',
    'v1/conv?in=6x6:0*36', 'v1/conv', 'v1/conv?', 'v1/conv?&', 'v1/conv?in=6x6:0*36&f=1x1:1&', 'v1/conv?=1',
    'v1/conv?in', 'v1/conv?IN=6x6:0*36&f=1x1:1', 'v1/nope?in=1', 'v1/?in=1', `v1/${'c'.repeat(33)}?in=1`,
    'v1/conv?in=6x6:0*36&f=1x1: 1', 'v1/conv?in=6x6:0*36&f=1x1:1\t', 'v1/conv?in=6x6:0*36&f=1x1:é',
    'v1/conv?in=6x6:0*36&f=1x1:1😀', 'v1/conv?in=6x6:0*36&f=1x1:1\n',
  ]) add('field', l);
  // Seeded byte mutations of the presets: at least 40, and 200 links in all (more when
  // the labs have so many presets that the rest already make more than 160).
  const rand = mulberry32(20261126);
  const total = Math.max(200, links.length + 40);
  while (links.length < total) add('mutation', mutate(presets[Math.floor(rand() * presets.length)], rand));
  return links;
}

// Links that go through real navigation: each different, none valid.
const NAVIGATION_LINKS = [
  'v2/conv?in=1x1:1&f=1x1:1',
  'v1/conv?in=6x6:nan*36&f=1x1:1',
  'v1/conv?in=6x6:%GG',
  'v1/conv?in=6x6:((1))*36&f=1x1:1',
  'v1/conv?in=' + '1,'.repeat(20000),
  'v1/conv?in=6x6:0*36&f=1x1:é',
  'v1/conv?in=6x6:0*36&f=1x1:1 2',
  E9.slice(0, 40),
];

// ---- the test ---------------------------------------------------------------------------

const oracle = nativeOracle(args.nnplay);
const presets = [...new Set(oracle.presets())];
// Every lab's presets, not only the conv lab's.
for (const lab of ['conv', 'mlp', 'softmax', 'batchnorm', 'dropout', 'flow', 'cost', 'train', 'cnn'])
  assert.ok(presets.some((p) => p.startsWith(`v1/${lab}?`)), `nnplay presets lists no ${lab} preset`);
assert.ok(presets.includes(E9), 'E9 is a preset');
const links = badLinks(presets);
const show = (link) => JSON.stringify(link.length > 240 ? `${link.slice(0, 200)}…(${link.length} characters)` : link);
const rows = (values, w) => Array.from({ length: values.length / w }, (_, i) => values.slice(i * w, i * w + w));

// The native verdicts, computed while the browser starts.
const verdicts = oracle.evalAll(links.map((l) => l.link));
await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('crash', () => errors.push('the page crashed'));
  const open = (l) => page.evaluate((s) => Module.ccall('nnplay_open_link', 'number', ['string'], [s]), l);
  const message = () => page.evaluate(() => Module.ccall('nnplay_message', 'string'));
  const stateText = () => page.evaluate(() => Module.ccall('nnplay_state_json', 'string'));
  await openLab(page, `${server.url}#${E9}`);

  // One link through ccall: refused with a message and no change, or opened consistently.
  // Returns 'opened' or 'refused'; throws what went wrong.
  async function check(link, expected) {
    // One round trip to the page: open, read, and let it draw a frame with the banner.
    const { before, ret, msg, after } = await page.evaluate(async (l) => {
      const r = { before: Module.ccall('nnplay_state_json', 'string') };
      r.ret = Module.ccall('nnplay_open_link', 'number', ['string'], [l]);
      r.msg = Module.ccall('nnplay_message', 'string');
      r.after = Module.ccall('nnplay_state_json', 'string');
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return r;
    }, link);
    assert.ok(expected, 'no native verdict');
    if (expected.failed) throw expected.failed;
    if (ret === 0) {
      assert.ok(msg.length > 0, 'refused without a message');
      assert.equal(after, before, 'a refused link changed the state');
      assert.ok(!expected.ok, 'the page refuses a link that nnplay eval opens');
      assert.ok(msg.includes(expected.error), `the page says "${msg}", nnplay eval "${expected.error}"`);
      return 'refused';
    }
    assert.equal(ret, 1, `nnplay_open_link returned ${ret}`);
    assert.equal(msg, '', 'an opened link left a message');
    const state = JSON.parse(after);
    assert.ok(expected.ok, `the page opens a link that nnplay eval refuses: ${expected.error}`);
    const where = firstDifference(state, expected.json);
    assert.ok(!where, `the page and nnplay eval disagree on the state at ${where}`);
    if (state.link.length <= MAX_LINK) {
      // The state's own link reopens to the same state.
      assert.equal(await open(state.link), 1, `its canonical link ${show(state.link)} is refused`);
      assert.equal(await stateText(), after, 'its canonical link opens a different state');
    }
    return 'opened';
  }

  await test(`${links.length} malformed links through nnplay_open_link`, async () => {
    const counts = {};
    const problems = [];
    const expected = await verdicts;
    for (const [i, { kind, link }] of links.entries()) {
      try {
        const verdict = await check(link, expected[i]);
        counts[`${kind} ${verdict}`] = (counts[`${kind} ${verdict}`] || 0) + 1;
      } catch (e) {
        problems.push(`#${i} ${kind} ${show(link)}: ${e.message}`);
      }
    }
    console.log(`     ${Object.entries(counts).map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    assert.deepEqual(problems, []);
    assert.ok(Object.keys(counts).some((k) => k.endsWith('refused')), 'nothing was refused');
  });

  await test(`${NAVIGATION_LINKS.length} malformed links through location.hash`, async () => {
    const problems = [];
    for (const link of NAVIGATION_LINKS) {
      try {
        assert.equal(await open(E9), 1);  // a known state, no message
        const before = await stateText();
        await page.evaluate((l) => { location.hash = '#' + l; }, link);
        await page.waitForFunction(() => Module.ccall('nnplay_message', 'string') !== '', null, { timeout: 5000 });
        await settle(page, 2);
        assert.equal(await stateText(), before, 'a refused link changed the state');
        const fragment = await page.evaluate(() => location.hash.substring(1));  // as the page read it
        const expected = oracle.eval(fragment);
        assert.ok(!expected.ok, 'nnplay eval opens it');
        assert.ok((await message()).includes(expected.error), `nnplay eval says "${expected.error}"`);
      } catch (e) {
        problems.push(`${show(link)}: ${e.message}`);
      }
    }
    assert.deepEqual(problems, []);
    // A good link through navigation still opens.
    await page.evaluate((l) => { location.hash = '#' + l; }, SOBEL_PAD1_STRIDE2);
    await page.waitForFunction(() => Module.ccall('nnplay_message', 'string') === '', null, { timeout: 5000 });
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, [1, 0, -1, 2, 0, -2, 1, 0, -1]);
    assert.deepEqual(s.result.output.shape.slice(-2), [3, 3]);  // (6 + 2 - 3) / 2 + 1
  });

  await test('the page still works: E9 opens on rows [0, 30, 30, 0], no page error', async () => {
    assert.equal(await open(E9), 1);
    await settle(page);
    const s = await labState(page);
    assert.deepEqual(s.result.output.shape.slice(-2), [4, 4]);
    for (const row of rows(s.result.output.values, 4)) assert.deepEqual(row, [0, 30, 30, 0]);
    assert.equal(await message(), '');
    const layout = JSON.parse(await page.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
    assert.ok(layout.output.cell > 0, JSON.stringify(layout));
    await page.screenshot({ path: join(args.out, 'links-after.png') });
    assert.deepEqual(errors, []);
  });
});
