// train.test.mjs: the training lab in Debian's Chromium: open the circle preset, press Play
// (a click on the button's Layout rectangle), let it train ~2 s, Pause; the step count grew,
// the loss dropped, the address bar records the steps, and reopening that link replays to
// the very same loss. Screenshots at desktop and phone width.
//
//   node tests/browser/train.test.mjs --site build/train-wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { testArgs, runTests, openLab, settle, labState, layoutOf, waitForLayout } from './harness.mjs';

const CIRCLE = 'v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam&lr=0.03&mom=0.9&batch=10&steps=0';

async function click(page, r) {
  await page.mouse.move(r[0] + r[2] / 2, r[1] + r[3] / 2);
  await settle(page, 2);
  await page.mouse.down();
  await settle(page, 2);
  await page.mouse.up();
  await settle(page, 2);
}

const args = testArgs();
await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('circle: Play 2 s, Pause; steps grew, loss dropped, the link replays exactly', async () => {
    await openLab(page, `${server.url}#${CIRCLE}`);
    const before = await labState(page);
    assert.equal(before.lab, 'train');
    assert.equal(before.result.steps, 0);
    let layout = await layoutOf(page);
    await click(page, layout.play);
    await waitForLayout(page, (l) => l.playing);
    await page.waitForTimeout(250);
    const playing = await layoutOf(page);
    await page.waitForTimeout(1750);
    console.log(`while playing: ${playing.steps_per_frame} steps/frame, ${playing.train_ms.toFixed(2)} ms training, frame ${playing.frame_ms.toFixed(1)} ms, ${playing.steps} steps so far`);
    await page.screenshot({ path: join(args.out, 'train-playing.png') });
    layout = await layoutOf(page);
    // At this speed the circle may already have reached the 20000-step cap (training stops).
    if (layout.playing) await click(page, layout.play);
    await waitForLayout(page, (l) => !l.playing);
    await settle(page, 4);
    const after = await labState(page);
    await page.waitForTimeout(500);
    const idle = await layoutOf(page);
    console.log(`paused: frame ${idle.frame_ms.toFixed(1)} ms`);
    assert.ok(after.result.steps > 100, `steps ${after.result.steps}`);
    assert.ok(after.result.test_loss < before.result.test_loss, `${after.result.test_loss} !< ${before.result.test_loss}`);
    assert.ok(after.result.train_loss < before.result.train_loss);
    const url = page.url();
    assert.ok(url.includes(`steps=${after.result.steps}`), `${url} vs ${after.result.steps}`);
    await page.screenshot({ path: join(args.out, 'train-paused.png') });
    console.log(`after ${after.result.steps} steps: test loss ${after.result.test_loss}, test acc ${after.result.test_acc}`);

    const fresh = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openLab(fresh, url);
    const again = await labState(fresh);
    assert.equal(again.result.steps, after.result.steps);
    assert.equal(again.result.test_loss, after.result.test_loss);
    assert.equal(again.result.train_loss, after.result.train_loss);
    assert.deepEqual(again.result.grid.values, after.result.grid.values);
    await fresh.close();
  });

  await test('presets open; spiral and gauss3 show their boundaries', async () => {
    for (const id of ['xor', 'spiral', 'gauss3']) {
      const layout = await layoutOf(page);
      await click(page, layout.presets[id]);
      await settle(page, 4);
      const s = await labState(page);
      assert.equal(s.result.error, '');
      assert.equal(s.result.classes, id === 'gauss3' ? 3 : 2);
    }
    await page.screenshot({ path: join(args.out, 'train-gauss3.png') });
  });

  await test('phone width at pixel ratio 2', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, `${server.url}#${CIRCLE.replace('steps=0', 'steps=800')}`);
    const l = await layoutOf(phone);
    assert.ok(l.input.x + l.input.cols * l.input.cell <= 390.5, JSON.stringify(l.input));
    await phone.screenshot({ path: join(args.out, 'train-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
