// ckpt.test.mjs: training runs past the replay cap, which links carry as a checkpoint
// (`ckpt`, docs/link-format.md "Checkpoints"). A link that fits an address bar opens from it;
// a longer one (the bars preset past its cap: 21,415 characters) opens from an exported state
// file through Import, the address bar keeping the last link that fit. Either way the page
// shows what `nnplay eval` prints for the same link, and Export JSON writes the checkpoint
// back.
//
//   node tests/browser/ckpt.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openLab, labState, settle, layoutOf, testArgs, runTests, nativeCli, firstDifference } from './harness.mjs';

const args = testArgs();
const cli = nativeCli();

// The frozen corpus of checkpoint links (tests/engine/link_corpus_ckpt_2026-12.inc).
const corpus = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../engine/link_corpus_ckpt_2026-12.inc'), 'utf8')
  .split('\n').filter((l) => l.startsWith('"v1/')).map((l) => l.slice(1, l.lastIndexOf('"')));
const TRAIN = corpus.find((l) => l.startsWith('v1/train?data=xor'));
const SMALL = corpus.find((l) => l.includes('&f1=2&'));
const BARS = corpus.find((l) => l.length > 8192);

// nnplay eval of a link, through a file (a long link is no command-line argument).
function evaluate(link, name) {
  const path = join(args.out, name);
  writeFileSync(path, link + '\n');
  const r = cli(['eval', path]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function pageLink(page) {
  return page.evaluate(() => Module.ccall('nnplay_link', 'string'));
}

async function click(page, rect) {
  await page.mouse.click(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
}

await runTests(args, async ({ server, browser, test }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  assert.ok(TRAIN && SMALL && BARS, 'the corpus has its links');

  for (const [name, link] of [['train', TRAIN], ['cnn', SMALL]]) {
    await test(`a ${name} link past the cap opens from the address bar as nnplay eval prints it`, async () => {
      await openLab(page, `${server.url}#${link}`);
      assert.equal(await pageLink(page), link);
      assert.equal(await page.evaluate(() => decodeURIComponent(location.hash.slice(1))), link);
      const state = await labState(page);
      const expected = evaluate(link, `ckpt-${name}.txt`);
      assert.ok(state.result.steps > 400 || name === 'cnn', `steps ${state.result.steps}`);
      const where = firstDifference(state, expected);
      assert.ok(!where, `the page and nnplay eval disagree at ${where}`);
    });
  }

  await test('a longer one opens from its state file; the address bar keeps the last link that fit', async () => {
    await openLab(page, `${server.url}#${SMALL}`);
    const file = join(args.out, 'nnplay-cnn-bars-ckpt.json');
    writeFileSync(file, JSON.stringify({ lab: 'cnn', version: 1, link: BARS }));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, (await layoutOf(page)).buttons.import)]);
    await chooser.setFiles(file);
    await page.waitForFunction((l) => Module.ccall('nnplay_link', 'string') === l, BARS, { timeout: 20000 });
    await settle(page);
    assert.equal(await page.evaluate(() => decodeURIComponent(location.hash.slice(1))), SMALL);
    assert.match((await layoutOf(page)).too_long, /21415 characters.*Export JSON/);
    const state = await labState(page);
    assert.equal(state.result.steps, 1830);
    const where = firstDifference(state, evaluate(BARS, 'ckpt-bars.txt'));
    assert.ok(!where, `the page and nnplay eval disagree at ${where}`);
    // Export JSON writes the checkpoint back: the same link, which opens again.
    const [download] = await Promise.all([page.waitForEvent('download'), click(page, (await layoutOf(page)).buttons.export)]);
    const saved = join(args.out, 'nnplay-cnn-export.json');
    await download.saveAs(saved);
    assert.equal(JSON.parse(readFileSync(saved, 'utf8')).link, BARS);
  });

  await test('a damaged checkpoint is refused with what is wrong, and nothing changes', async () => {
    assert.equal(await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), SMALL), 1);
    await settle(page);
    const at = SMALL.length - 30, bad = SMALL.slice(0, at) + (SMALL[at] === 'A' ? 'B' : 'A') + SMALL.slice(at + 1);
    const opened = await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), bad);
    assert.equal(opened, 0);
    assert.match(await page.evaluate(() => Module.ccall('nnplay_message', 'string')), /ckpt: .*(CRC|damaged)/);
    assert.equal(await pageLink(page), SMALL);
  });

  assert.deepEqual(errors, []);
});
