// train.test.mjs: the training lab in Debian's Chromium, driven by steps, never by the clock
// (a loaded machine draws fewer frames; timing lives in bench/).
// - TF Playground's preset opens; three presses of Step train exactly three steps and put
//   steps=3 in the address bar, which a fresh page replays to the very same loss and
//   boundary; Play trains at one epoch per frame (at most 20 steps a frame) until the step
//   count passes 100; Pause records the steps; that link replays exactly too.
// - A click on the boundary adds a point (state and link change, training restarts); a
//   right-click next to it removes it; a right-click on a generated point removes that one.
// - While paused, typing into the weight table changes the weight, the boundary and the
//   link (edit=step,index,value); the link reopens the same state in a fresh page.
// - Every preset opens; screenshots at desktop and phone width (390 px, pixel ratio 2).
//
//   node tests/browser/train.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { testArgs, runTests, openLab, settle, labState, layoutOf, waitForLayout, pressKey, closeGuides, clickRect } from './harness.mjs';

const PLAYGROUND = 'v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,2&act=tanh&loss=mse&init=uniform&opt=sgd&lr=0.03&mom=0&batch=10&steps=0';
const SPIRALS3 = 'v1/train?data=spirals&seed=1&noise=0&split=50&feat=x,y,x2,y2,xy,sinx,siny&layers=12,12,8&act=tanh&opt=adam&lr=0.01&mom=0.9&batch=10&steps=0';
const PRESETS = {
  circle: 2, xor: 2, spiral: 2, gauss3: 3, playground: 2, plane: 1, mgauss: 1, blobs5: 5, spirals3: 3, l2: 2,
};

const click = (page, r, button = 'left') => clickRect(page, r, { button });

// Clicks the boundary plot at plane coordinates (x, y) in [-6, 6]^2.
async function clickPlane(page, x, y, button = 'left') {
  const b = (await layoutOf(page)).boundary;
  const px = b[0] + ((x + 6) / 12) * b[2], py = b[1] + ((6 - y) / 12) * b[3];
  await click(page, [px, py, 0, 0], button);
}

// Training on a loaded machine may be slow: progress is waited for, never timed.
const TRAINING = 180000;

const args = testArgs();
await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await closeGuides(page);  // the controls' foot stays within the test's viewports
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('playground preset: Step trains one step a press; Play and Pause; the links replay exactly', async () => {
    await openLab(page, `${server.url}#${PLAYGROUND}`);
    const before = await labState(page);
    assert.equal(before.lab, 'train');
    assert.equal(before.result.steps, 0);
    assert.equal(before.result.outputs, 1);
    assert.equal(before.result.grid.shape.join('x'), '100x100');
    for (let k = 1; k <= 3; ++k) {
      await click(page, (await layoutOf(page)).step);
      await waitForLayout(page, (l) => l.steps >= k);
      assert.equal((await layoutOf(page)).steps, k, 'a press of Step is one step');
    }
    await settle(page, 2);
    const stepped = await labState(page);
    assert.equal(stepped.result.steps, 3);
    assert.ok(page.url().includes('&steps=3'), page.url());
    assert.notDeepEqual(stepped.result.grid.values, before.result.grid.values);
    const replay = async (url, want) => {
      const fresh = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await openLab(fresh, url);
      const again = await labState(fresh);
      assert.equal(again.result.steps, want.result.steps);
      assert.equal(again.result.test_loss, want.result.test_loss);
      assert.deepEqual(again.result.grid.values, want.result.grid.values);
      await fresh.close();
    };
    await replay(page.url(), stepped);

    await click(page, (await layoutOf(page)).play);
    await waitForLayout(page, (l) => l.playing);
    // TF Playground's pace by default: one epoch per frame = 200 training points / batch 10.
    const playing = await waitForLayout(page, (l) => l.steps > 103, TRAINING);
    assert.equal(playing.pace_epochs, 1);
    assert.ok(playing.steps_per_frame <= 20, `${playing.steps_per_frame} steps in a frame at one epoch per frame`);
    await page.screenshot({ path: join(args.out, 'train-playing.png') });
    // "max": as many steps as fit the frame's training budget.
    await click(page, playing.pace_max);
    await waitForLayout(page, (l) => l.pace_epochs === 0);
    const layout = await layoutOf(page);
    if (layout.playing) await click(page, layout.play);
    await waitForLayout(page, (l) => !l.playing);
    await settle(page, 4);
    const after = await labState(page);
    assert.ok(after.result.steps > 103, `steps ${after.result.steps}`);
    assert.ok(after.result.test_loss < before.result.test_loss, `${after.result.test_loss} !< ${before.result.test_loss}`);
    const url = page.url();
    assert.ok(url.includes(`steps=${after.result.steps}`), `${url} vs ${after.result.steps}`);
    await page.screenshot({ path: join(args.out, 'train-paused.png') });
    await replay(url, after);
  });

  await test('a click adds a point, a right-click removes the nearest; both reach the link', async () => {
    await openLab(page, `${server.url}#${PLAYGROUND.replace('steps=0', 'steps=200')}`);
    const before = await labState(page);
    await clickPlane(page, -5, 5);  // an empty corner: class 1 (the default class of a click)
    await settle(page, 4);
    const added = await labState(page);
    assert.equal(added.state.added.length, 1);
    const [x, y, v] = added.state.added[0];
    assert.ok(Math.abs(x + 5) < 0.1 && Math.abs(y - 5) < 0.1 && v === 1, JSON.stringify(added.state.added));
    assert.equal(added.result.train_count, before.result.train_count + 1);
    assert.equal(added.result.steps, 0);  // the data changed: training starts over
    assert.ok(page.url().includes(`add=${x},${y},1`), page.url());
    await clickPlane(page, -5, 5, 'right');
    await settle(page, 4);
    const removed = await labState(page);
    assert.equal(removed.state.added.length, 0);
    assert.ok(!page.url().includes('add='), page.url());
    // Shift+click removes too.
    await clickPlane(page, 5, -5);
    await settle(page, 4);
    assert.equal((await labState(page)).state.added.length, 1);
    await page.keyboard.down('Shift');
    await settle(page, 2);
    await clickPlane(page, 5, -5);
    await page.keyboard.up('Shift');
    await settle(page, 4);
    assert.equal((await labState(page)).state.added.length, 0);
    // A generated point: the centre of the circle's class-1 disc holds about 10 points per
    // unit square, so the 10-pixel reach of a right-click (0.29 plane units) finds one.
    await clickPlane(page, 0, 0, 'right');
    await settle(page, 4);
    const gone = await labState(page);
    assert.equal(gone.state.removed.length, 1, JSON.stringify(gone.state.removed));
    assert.equal(gone.result.train_count + gone.result.test_count, 399);
    assert.ok(page.url().includes(`rm=${gone.state.removed[0]}`), page.url());
  });

  await test('editing a weight while paused changes the boundary and the link; the link reopens it', async () => {
    await page.setViewportSize({ width: 1280, height: 1400 });  // the weight table in view
    await openLab(page, `${server.url}#${PLAYGROUND.replace('steps=0', 'steps=300')}`);
    const before = await labState(page);
    const layout = await layoutOf(page);
    assert.equal(layout.playing, false);
    const w = layout.weights;
    assert.equal(w.cols, 3);  // layer 1: 2 inputs + the bias column
    await page.mouse.click(w.x + w.cell / 2, w.y + w.cell / 2);  // W1[0][0]
    await waitForLayout(page, (l) => l.text_input);
    await page.keyboard.type('3');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    await settle(page, 4);
    const after = await labState(page);
    assert.deepEqual(after.state.edits, [{ step: 300, index: 0, value: 3 }]);
    assert.equal(after.result.steps, 300);
    assert.notDeepEqual(after.result.grid.values, before.result.grid.values);
    const url = page.url();
    assert.ok(url.includes('edit=300,0,3'), url);
    await page.screenshot({ path: join(args.out, 'train-edited.png') });

    // A click on an edge selects its weight and puts the keyboard in its field.
    const edge = (await layoutOf(page)).first_edge;
    await click(page, [edge[0], edge[1], 0, 0]);
    await waitForLayout(page, (l) => l.text_input && l.selected[0] === 0);
    await page.keyboard.type('-2.5');
    await pressKey(page, 'Enter');
    await settle(page, 4);
    const byEdge = await labState(page);
    assert.deepEqual(byEdge.state.edits, [{ step: 300, index: 0, value: -2.5 }]);  // replaces the edit at this step
    assert.ok(page.url().includes('edit=300,0,-2.5'), page.url());
    // Hovering a neuron enlarges its map.
    const unit = (await layoutOf(page)).first_unit;
    await page.mouse.move(unit[0] + unit[2] / 2, unit[1] + unit[3] / 2);
    await settle(page, 4);
    await page.screenshot({ path: join(args.out, 'train-hover.png') });
    await page.mouse.move(5, 700);
    await settle(page, 2);

    const fresh = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await openLab(fresh, page.url());
    const again = await labState(fresh);
    assert.deepEqual(again.state, byEdge.state);
    assert.deepEqual(again.result.grid.values, byEdge.result.grid.values);
    assert.equal(again.result.test_loss, byEdge.result.test_loss);
    await fresh.close();
  });

  await test('a larger network trains live: spirals3 (7 features, 12-12-8)', async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await openLab(page, `${server.url}#${SPIRALS3}`);
    await click(page, (await layoutOf(page)).play);
    await waitForLayout(page, (l) => l.playing);
    await waitForLayout(page, (l) => l.steps > 100, TRAINING);
    const l = await layoutOf(page);
    if (l.playing) await click(page, l.play);
    await waitForLayout(page, (x) => !x.playing);
    await settle(page, 2);
    const s = await labState(page);
    assert.ok(s.result.steps > 100, `steps ${s.result.steps}`);
    assert.ok(s.link.includes(`&steps=${s.result.steps}`), s.link.slice(0, 300));
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_link', 'string')), s.link);
    // Play has no step cap. Within the replay cap the address bar holds the steps; past it
    // (the worker may train past it before the Pause arrives) the link carries the weights,
    // here longer than an address bar may hold: the header says so.
    const { max_steps: cap, too_long: tooLong } = await layoutOf(page);
    if (s.result.steps <= cap) {
      assert.ok(page.url().includes(`steps=${s.result.steps}`), page.url());
      assert.ok(!s.link.includes('ckpt='), s.link.slice(0, 300));
    } else {
      assert.ok(s.link.includes('&ckpt='), s.link.slice(0, 300));
      if (s.link.length > 8192) assert.match(tooLong, /Export JSON/);
      else assert.ok(page.url().includes(`steps=${s.result.steps}&ckpt=`), page.url().slice(0, 300));
    }
  });

  await test('the export option adds the trained weights to the JSON', async () => {
    // Tall enough that the option at the foot of the controls is on screen with 15 px type.
    await page.setViewportSize({ width: 1280, height: 1300 });
    await settle(page);
    assert.equal((await labState(page)).result.weights, undefined);
    await click(page, (await layoutOf(page)).export_weights);
    const s = await labState(page);
    assert.equal(s.result.weights.length, s.state.layers.length + 1);
    const first = s.result.weights[0];
    assert.equal(first.W.length, first.in * first.out);
    assert.equal(first.offset, 0);
    await click(page, (await layoutOf(page)).export_weights);
    assert.equal((await labState(page)).result.weights, undefined);
  });

  await test('every preset opens', async () => {
    for (const [id, classes] of Object.entries(PRESETS)) {
      const layout = await layoutOf(page);
      assert.ok(layout.presets[id], `no preset button ${id}`);
      await click(page, layout.presets[id]);
      await settle(page, 4);
      const s = await labState(page);
      assert.equal(s.result.error, '', id);
      assert.equal(s.result.classes, classes, id);
      if (id === 'blobs5' || id === 'mgauss' || id === 'l2') await page.screenshot({ path: join(args.out, `train-${id}.png`) });
    }
  });

  await test('phone width at pixel ratio 2', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, `${server.url}#${PLAYGROUND.replace('steps=0', 'steps=800')}`);
    const l = await layoutOf(phone);
    assert.ok(l.boundary[0] + l.boundary[2] <= 390.5, JSON.stringify(l.boundary));
    assert.ok(l.diagram[0] + l.diagram[2] <= 390.5, JSON.stringify(l.diagram));
    await phone.screenshot({ path: join(args.out, 'train-phone.png') });
    await phone.mouse.wheel(0, 700);
    await settle(phone, 6);
    await phone.screenshot({ path: join(args.out, 'train-phone-scrolled.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
