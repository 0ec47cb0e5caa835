// ckpt.test.mjs: training runs past the replay cap, which links carry as a checkpoint
// (`ckpt`, docs/link-format.md "Checkpoints"). A link that fits an address bar opens from it;
// a longer one (the bars preset past its cap: 21,415 characters) opens from an exported state
// file through Import, the address bar keeping the last link that fit. Either way the page
// shows what `nnplay eval` prints for the same link, and Export JSON writes the checkpoint
// back. Play trains past the cap in both labs (no step cap; the link is not rebuilt while
// playing): Pause, Copy link, and a fresh page opens the same checkpoint bytes, as nnplay eval
// prints them; at 1 epoch a frame (the page's own thread) too.
//
//   node tests/browser/ckpt.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openLab, labState, settle, layoutOf, waitForLayout, clickRect, pickFile, testArgs, runTests, nativeCli, firstDifference } from './harness.mjs';

const args = testArgs();
const cli = nativeCli();

// The frozen corpus of checkpoint links (tests/engine/link_corpus_ckpt_2026-12.inc).
const corpus = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../engine/link_corpus_ckpt_2026-12.inc'), 'utf8')
  .split('\n').filter((l) => l.startsWith('"v1/')).map((l) => l.slice(1, l.lastIndexOf('"')));
const TRAIN = corpus.find((l) => l.startsWith('v1/train?data=xor'));
const SMALL = corpus.find((l) => l.includes('&f1=2&'));
const BARS = corpus.find((l) => l.length > 8192);
// The corpus's smallest train set-up (logistic regression on the circle, plain SGD, batch 1:
// its cap is 498,504 steps), from step 0.
const TRAIN_SMALL = 'v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=&act=tanh&opt=sgd&lr=0.03&mom=0&batch=1&steps=0';
// Training past a cap on a loaded machine may be slow: progress is waited for, never timed.
const TRAINING = 600000;

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
    await pickFile(page, (await layoutOf(page)).buttons.import, file);
    await page.waitForFunction((l) => Module.ccall('nnplay_link', 'string') === l, BARS, { timeout: 20000 });
    await settle(page);
    assert.equal(await page.evaluate(() => decodeURIComponent(location.hash.slice(1))), SMALL);
    assert.match((await layoutOf(page)).too_long, /21415 characters.*Export JSON/);
    const state = await labState(page);
    assert.equal(state.result.steps, 1830);
    const where = firstDifference(state, evaluate(BARS, 'ckpt-bars.txt'));
    assert.ok(!where, `the page and nnplay eval disagree at ${where}`);
    // Export JSON writes the checkpoint back: the same link, which opens again.
    const [download] = await Promise.all([page.waitForEvent('download'), clickRect(page, (await layoutOf(page)).buttons.export)]);
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

  // Play past the replay cap, Pause, Copy link: the link on the clipboard carries the
  // checkpoint and opens, in a fresh page, the very network (the same checkpoint bytes: the
  // weights, the optimizer's moments and the batch order, bit for bit), which nnplay eval of
  // that link prints too. Two set-ups whose links past the cap fit an address bar.
  const plays = [
    ['cnn', SMALL.replace(/&steps=\d+/, '&steps=0').replace(/&ckpt=.*$/, ''), 80],
    ['train', TRAIN_SMALL, 5000],
  ];
  for (const [name, setup, past] of plays) {
    await test(`${name}: Play trains past the replay cap; Pause, Copy link; a fresh page opens the same network`, async () => {
      const origin = server.url.replace(/\/$/, '');
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 1300 } });
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const player = await ctx.newPage();
      const playerErrors = [];
      player.on('pageerror', (e) => playerErrors.push(String(e)));
      try {
        await openLab(player, `${server.url}#${setup}`);
        let layout = await layoutOf(player);
        if (layout.pace_max) {
          await clickRect(player, layout.pace_max);  // the training lab: in the trainer worker
          await waitForLayout(player, (l) => l.pace_epochs === 0);
        }
        const cap = layout.max_steps;
        assert.ok(cap > 0, `cap ${cap}`);
        await clickRect(player, (await layoutOf(player)).play);
        await waitForLayout(player, (l) => l.playing || l.steps > 0);
        layout = await waitForLayout(player, (l) => l.steps > cap + past, TRAINING);
        assert.ok(layout.playing, 'Play stopped by itself');
        // While playing past the cap the link is not rebuilt (no checkpoint encoded every few
        // seconds): the page's link is still one written within the cap.
        assert.ok(!(await pageLink(player)).includes('ckpt='), 'a checkpoint link was built while playing');
        await clickRect(player, layout.play);  // Pause
        await waitForLayout(player, (l) => !l.playing, TRAINING);
        await settle(player, 4);
        const shown = await labState(player);
        assert.ok(shown.result.steps > cap + past, `paused at ${shown.result.steps}, cap ${cap}`);
        assert.ok(shown.link.includes(`&steps=${shown.result.steps}&`) && shown.link.includes('&ckpt='),
          shown.link.slice(0, 300));
        assert.ok(shown.link.length <= 8192, `${shown.link.length} characters`);
        // The address bar took it at Pause; Copy link copies it.
        assert.equal(await pageLink(player), shown.link);
        await clickRect(player, (await layoutOf(player)).buttons.copy);
        await settle(player, 2);
        const copied = await player.evaluate(() => navigator.clipboard.readText());
        assert.equal(decodeURIComponent(new URL(copied).hash.slice(1)), shown.link);
        assert.equal(copied, player.url());
        const fresh = await ctx.newPage();
        await openLab(fresh, copied);
        const again = await labState(fresh);
        // The fresh page's own link is made from its session's checkpoint: the same bytes.
        assert.equal(again.link, shown.link);
        assert.equal(again.result.steps, shown.result.steps);
        let where = firstDifference(again, shown);
        assert.ok(!where, `the fresh page and the player differ at ${where}`);
        const expected = evaluate(shown.link, `ckpt-played-${name}.txt`);
        where = firstDifference(again, expected);
        assert.ok(!where, `the page and nnplay eval disagree at ${where}`);
        if (name === 'cnn') {
          assert.deepEqual(expected.result.weights['conv0.weight'].flat(3), again.result.filters.values);
        } else {
          // The export option adds the weights to the page's JSON: nnplay eval's, bit for bit.
          await clickRect(fresh, (await layoutOf(fresh)).export_weights);
          const withWeights = await labState(fresh);
          assert.deepEqual(withWeights.result.weights, expected.result.weights);
        }
        console.log(`     paused at step ${shown.result.steps} (cap ${cap}); link ${shown.link.length} characters`);
        await fresh.close();
        assert.deepEqual(playerErrors, []);
      } finally {
        await ctx.close();
      }
    });
  }

  // The slower paces train on the page's own thread: past the cap too, and the paused link
  // carries the checkpoint as the worker's does.
  await test('train: a link past the cap plays on at 1 epoch a frame (the page\'s thread); Pause writes the checkpoint', async () => {
    await openLab(page, `${server.url}#${TRAIN}`);
    const start = await labState(page);
    let layout = await layoutOf(page);
    assert.equal(layout.pace_epochs, 1);
    assert.ok(start.result.steps > layout.max_steps, `steps ${start.result.steps}, cap ${layout.max_steps}`);
    await clickRect(page, layout.play);
    layout = await waitForLayout(page, (l) => l.steps >= start.result.steps + 500, TRAINING);
    assert.ok(layout.playing, 'Play stopped by itself');
    assert.equal(layout.worker.run, 0, 'trained in the worker at 1 epoch a frame');
    await clickRect(page, layout.play);  // Pause
    await waitForLayout(page, (l) => !l.playing);
    await settle(page, 4);
    const shown = await labState(page);
    assert.ok(shown.link.includes(`&steps=${shown.result.steps}&`) && shown.link.includes('&ckpt='), shown.link.slice(0, 300));
    assert.equal(await pageLink(page), shown.link);
    assert.equal(await page.evaluate(() => decodeURIComponent(location.hash.slice(1))), shown.link);
    const where = firstDifference(shown, evaluate(shown.link, 'ckpt-train-epoch.txt'));
    assert.ok(!where, `the page and nnplay eval disagree at ${where}`);
  });

  assert.deepEqual(errors, []);
});
