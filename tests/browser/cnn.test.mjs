// cnn.test.mjs: the CNN training lab in Debian's Chromium, driven by steps, never by the
// clock (timing lives in bench/): open the bars preset, press Step twice (two steps, steps=2
// in the address bar), press Play (a click on the button's Layout rectangle) until 20 more
// steps are done, Pause: the address bar records the steps. Then the bars network after 100
// steps (a link): above chance; paint on the canvas (drag across cells): a vertical and a
// horizontal bar get their classes; reopening the link gives the same weights, drawing and
// prediction. Every preset opens at its step cap, replayed in the trainer worker while the
// page keeps drawing (a progress bar); Play trains in the worker, and without a Worker on the
// page's own thread. Screenshots at desktop and phone width.
//
//   node tests/browser/cnn.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { testArgs, runTests, openLab, settle, labState, layoutOf, waitForLayout, clickRect } from './harness.mjs';

const BARS_PREFIX = 'v1/cnn?data=bars&size=16&noise=0.1&seed=1&blocks=1&f1=4&f2=8&k=5&opt=adam&lr=0.01&mom=0.9&batch=16&steps=0&draw=';

const click = (page, r) => clickRect(page, r);

// Drags across cells (y, x) of a grid rectangle from nnplay_layout_json, a frame per cell.
async function paint(page, grid, cells) {
  const at = ([y, x]) => [grid.x + (x + 0.5) * grid.cell, grid.y + (y + 0.5) * grid.cell];
  await page.mouse.move(...at(cells[0]));
  await settle(page, 2);
  await page.mouse.down();
  await settle(page, 2);
  for (const c of cells.slice(1)) {
    await page.mouse.move(...at(c));
    await settle(page, 1);
  }
  await page.mouse.up();
  await settle(page, 3);
}

// Training on a loaded machine may be slow: progress is waited for, never timed.
const TRAINING = 180000;

const args = testArgs();
await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let trainedUrl = '';
  let barsLink = '';  // the bars preset's link

  await test('bars: Step trains one step a press; Play trains; Pause records the steps', async () => {
    await openLab(page, `${server.url}#v1/cnn?data=bars`);
    let layout = await layoutOf(page);
    await click(page, layout.presets.bars);
    await settle(page, 4);
    const before = await labState(page);
    assert.equal(before.lab, 'cnn');
    assert.ok(before.link.startsWith(BARS_PREFIX), before.link);
    barsLink = before.link;
    assert.equal(before.result.steps, 0);
    assert.equal(before.result.classes, 4);
    for (let k = 1; k <= 2; ++k) {
      await click(page, (await layoutOf(page)).step);
      await waitForLayout(page, (l) => l.steps >= k);
      assert.equal((await layoutOf(page)).steps, k, 'a press of Step is one step');
    }
    await settle(page, 2);
    assert.ok(page.url().includes('&steps=2&'), page.url());
    layout = await layoutOf(page);
    await click(page, layout.play);
    await waitForLayout(page, (l) => l.playing);
    await waitForLayout(page, (l) => l.steps >= 22, TRAINING);
    await page.screenshot({ path: join(args.out, 'cnn-playing.png') });
    layout = await layoutOf(page);
    if (layout.playing) await click(page, layout.play);
    await waitForLayout(page, (l) => !l.playing);
    await settle(page, 4);
    const after = await labState(page);
    assert.ok(after.result.steps >= 22, `steps ${after.result.steps}`);
    assert.ok(after.link.includes(`&steps=${after.result.steps}&`), after.link);
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_link', 'string')), after.link);
    // Play has no step cap. Within the replay cap the address bar holds the steps; past it
    // (a fast machine trains past 1,829 steps before the Pause arrives) the link carries
    // the weights, longer than an address bar may hold: the header says so.
    if (after.result.steps <= after.result.max_steps) {
      assert.ok(page.url().includes(`steps=${after.result.steps}&`), page.url());
      assert.ok(!after.link.includes('ckpt='), after.link.slice(0, 300));
    } else {
      assert.ok(after.link.includes('&ckpt='), after.link.slice(0, 300));
      assert.match((await layoutOf(page)).too_long, new RegExp(`needs ${after.link.length} characters.*Export JSON`));
    }
  });

  await test('bars after 100 steps (a link): above chance', async () => {
    // 100 Adam steps of batch 16 (nnplay eval: test accuracy 0.94 from 0.25 at step 0).
    const link = barsLink.replace('&steps=0&', '&steps=100&');
    const opened = await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), link);
    assert.equal(opened, 1, await page.evaluate(() => Module.ccall('nnplay_message', 'string')));
    await settle(page, 4);
    const s = await labState(page);
    assert.equal(s.result.steps, 100);
    assert.ok(s.result.test_acc > 0.5, `test acc ${s.result.test_acc}`);
    assert.ok(s.result.test_loss < Math.log(4), `test loss ${s.result.test_loss} vs chance ln 4`);
  });

  await test('drawing: a vertical and a horizontal bar are told apart, live', async () => {
    let layout = await layoutOf(page);
    await click(page, layout.clear);
    const grid = layout.input;
    assert.equal(grid.rows, 16);
    const vertical = [];
    for (let y = 2; y <= 13; y++) vertical.push([y, 7]);
    await paint(page, grid, vertical);
    const v = await labState(page);
    const drawn = v.state.draw.values;
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++)
        assert.equal(drawn[y * 16 + x], x === 7 && y >= 2 && y <= 13 ? 1 : 0, `pixel ${y},${x}`);
    layout = await layoutOf(page);
    await click(page, layout.clear);
    const horizontal = [];
    for (let x = 2; x <= 13; x++) horizontal.push([8, x]);
    await paint(page, grid, horizontal);
    const h = await labState(page);
    // The network of the 100-step link (nnplay eval: vertical 0.999, horizontal 0.992).
    assert.equal(v.result.steps, 100);
    assert.equal(v.result.predicted_name, 'vertical');
    assert.equal(h.result.predicted_name, 'horizontal');
    assert.notDeepEqual(h.result.maps[0].values, v.result.maps[0].values);
    assert.ok(page.url().includes('&draw=16x16:'), page.url());
    await page.screenshot({ path: join(args.out, 'cnn-drawing.png') });
    trainedUrl = page.url();
  });

  await test('the link reopens the same weights, drawing and prediction', async () => {
    const here = await labState(page);
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openLab(fresh, trainedUrl);
    const again = await labState(fresh);
    assert.equal(again.link, here.link);
    assert.equal(again.result.steps, here.result.steps);
    assert.deepEqual(again.result.filters, here.result.filters);
    assert.equal(again.result.test_loss, here.result.test_loss);
    assert.deepEqual(again.result.confusion, here.result.confusion);
    assert.deepEqual(again.result.probs, here.result.probs);
    assert.deepEqual(again.state.draw, here.state.draw);
    await fresh.close();
  });

  await test('digits: the two-block network trains while playing', async () => {
    let layout = await layoutOf(page);
    await click(page, layout.presets.digits);
    await settle(page, 3);
    layout = await layoutOf(page);
    const s0 = layout.steps;
    await click(page, layout.play);
    await waitForLayout(page, (l) => l.playing);
    const l = await waitForLayout(page, (x) => x.steps > s0, TRAINING);
    await page.screenshot({ path: join(args.out, 'cnn-digits-playing.png') });
    if (l.playing) await click(page, l.play);
    await waitForLayout(page, (x) => !x.playing);
    assert.ok((await layoutOf(page)).steps > s0);
  });

  // Replay time is a measurement (bench/), not an assertion: this machine is shared.
  await test('links at their step cap open and replay every step', async () => {
    for (const id of ['bars', 'shapes', 'digits', 'digits24-sgd', 'edges', 'biggest']) {
      // 'biggest': every size at its limit (24x24, two blocks of 16 filters 5x5, batch 32).
      const layout = await layoutOf(page);
      await click(page, layout.presets[id === 'biggest' ? 'digits' : id]);
      await settle(page, 3);
      if (id === 'biggest') {
        await page.goto(`${server.url}#v1/cnn?data=digits&size=24&blocks=2&f1=16&f2=16&k=5&batch=32`);
        await openLab(page);
      }
      const s = await labState(page);
      assert.equal(s.result.error, '');
      const cap = s.result.max_steps;
      const fresh = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // openLab waits for the canvas, which the view shows once the worker's replay is in.
      await openLab(fresh, `${server.url}#${s.link.replace('steps=0', `steps=${cap}`)}`);
      const r = await labState(fresh);
      assert.equal(r.result.steps, cap);
      const w = (await layoutOf(fresh)).worker;
      assert.equal(w.replays, 1, `replayed in the worker: ${JSON.stringify(w)}`);
      assert.ok(r.link.includes(`steps=${cap}&`), r.link);
      if (id === 'digits') await fresh.screenshot({ path: join(args.out, 'cnn-digits-trained.png') });
      if (id === 'edges') {
        // Weight decay: every first-layer filter a stripe (the engine test measures it).
        assert.equal(r.state.decay, 0.05);
        assert.ok(r.result.test_acc >= 0.95, `edges test acc ${r.result.test_acc}`);
        await fresh.screenshot({ path: join(args.out, 'cnn-edges-trained.png') });
      }
      await fresh.close();
    }
  });

  await test('a long replay runs in the worker: a progress bar, frames keep coming', async () => {
    const big = 'v1/cnn?data=digits&size=24&blocks=2&f1=16&f2=16&k=5&batch=32';
    const probe = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openLab(probe, `${server.url}#${big}`);
    const cap = (await labState(probe)).result.max_steps;
    await probe.close();
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await fresh.goto(`${server.url}#${big}&steps=${cap}`);
    await fresh.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun && Module._nnplay_layout_json,
      null, { timeout: 20000 });
    let l = await layoutOf(fresh);
    const n0 = await fresh.evaluate(() => Module._nnplay_frame_count());
    let seen = 0;
    while (l.worker.replaying) {
      if (++seen === 2) await fresh.screenshot({ path: join(args.out, 'cnn-replaying.png') });
      await settle(fresh, 2);
      l = await layoutOf(fresh);
    }
    const n1 = await fresh.evaluate(() => Module._nnplay_frame_count());
    assert.ok(seen === 0 || n1 > n0 + 2 * seen, `frames while replaying: ${n1 - n0} over ${seen} looks`);
    await openLab(fresh);
    assert.equal((await labState(fresh)).result.steps, cap);
    assert.equal((await layoutOf(fresh)).worker.replays, 1);
    await fresh.close();
  });

  await test('without a Worker, Play trains on the page\'s thread (a quiet note, no error)', async () => {
    const bare = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await bare.addInitScript(() => { delete window.Worker; });
    const bareErrors = [];
    bare.on('pageerror', (e) => bareErrors.push(String(e)));
    await openLab(bare, `${server.url}#${barsLink}`);
    let l = await layoutOf(bare);
    await click(bare, l.play);
    l = await waitForLayout(bare, (x) => x.playing && x.steps >= 30, TRAINING);
    assert.equal(l.worker.available, false);
    assert.equal(l.worker.run, 0);
    assert.ok(l.worker.note.length > 0, 'a note says where training runs');
    await click(bare, l.play);
    l = await waitForLayout(bare, (x) => !x.playing);
    const s = await labState(bare);
    assert.ok(bare.url().includes(`steps=${s.result.steps}&`), bare.url());
    assert.deepEqual(bareErrors, []);
    await bare.close();
  });

  await test('phone width at pixel ratio 2', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, trainedUrl);
    const l = await layoutOf(phone);
    assert.ok(l.input.x + l.input.cols * l.input.cell <= 390.5, JSON.stringify(l.input));
    await phone.screenshot({ path: join(args.out, 'cnn-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
