// train_settings.test.mjs: the training lab's rule for typed weights (README, link-format.md):
// "adding or removing a point, or changing any setting, restarts training from step 0 and
// drops the typed weights" (their parameter numbers and steps no longer apply), while
// stepping keeps them.
// - A paused run at step 300 with W1[0][0] typed in as 3: Step keeps the edit (step 301).
// - Ticking the x² feature (a setting: the first layer gets a third input) starts over at
//   step 0 with no edit, in the state and in the address bar.
// - A click on the boundary (a point added) does the same.
//
//   node tests/browser/train_settings.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';

import { testArgs, runTests, openLab, settle, labState, layoutOf, clickRect } from './harness.mjs';

// TF Playground's preset, 300 steps, W1[0][0] = 3 typed in at step 300.
const EDITED = 'v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,2&act=tanh&loss=mse&init=uniform&opt=sgd&lr=0.03&mom=0&batch=10&steps=300&edit=300,0,3';

const click = (page, r) => clickRect(page, r, { after: 4 });

async function openEdited(page, url) {
  await openLab(page, `${url}#${EDITED}`);
  const s = await labState(page);
  assert.deepEqual(s.state.edits, [{ step: 300, index: 0, value: 3 }]);
  assert.equal(s.result.steps, 300);
  assert.deepEqual(s.state.features, ['x', 'y']);
  assert.equal((await layoutOf(page)).playing, false);
  return s;
}

const args = testArgs();
await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('Step keeps the typed weight: step 301, the edit stays in the link', async () => {
    await openEdited(page, server.url);
    await click(page, (await layoutOf(page)).step);
    const s = await labState(page);
    assert.equal(s.result.steps, 301);
    assert.deepEqual(s.state.edits, [{ step: 300, index: 0, value: 3 }]);
    assert.ok(page.url().includes('edit=300,0,3'), page.url());
  });

  await test('ticking x² drops the typed weight and starts over at step 0', async () => {
    const before = await openEdited(page, server.url);
    await click(page, (await layoutOf(page)).feature_x2);
    const s = await labState(page);
    assert.deepEqual(s.state.features, ['x', 'y', 'x2']);
    assert.equal(s.result.param_count, before.result.param_count + 4);  // a third input to 4 units
    assert.equal(s.state.steps, 0);
    assert.equal(s.result.steps, 0);
    assert.deepEqual(s.state.edits, []);
    assert.ok(!page.url().includes('edit='), page.url());
    assert.ok(page.url().includes('feat=x,y,x2&'), page.url());
  });

  await test('adding a point drops the typed weight and starts over at step 0', async () => {
    await openEdited(page, server.url);
    const b = (await layoutOf(page)).boundary;
    await click(page, [b[0] + b[2] / 2, b[1] + b[3] / 2, 0, 0]);  // (0, 0)
    const s = await labState(page);
    assert.equal(s.state.added.length, 1);
    assert.equal(s.result.steps, 0);
    assert.deepEqual(s.state.edits, []);
    assert.ok(!page.url().includes('edit='), page.url());
  });

  assert.deepEqual(errors, []);
});
