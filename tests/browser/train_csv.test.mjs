// train_csv.test.mjs: the learner's own data in the training lab, in Debian's Chromium.
// - "Import CSV..." (the page's file picker) with a broken file shows the bad line's number
//   and keeps the points and the link as they were.
// - Pasting a good CSV and pressing "Use pasted CSV" makes those points the data (the link
//   holds them: add=..., imp=3, rm=0,...,399), split into train and test by the seed (1 and 2
//   of 3 at split 50); a fresh page opened on that link trains on the same points.
// - Dragging on the plot paints points of the chosen class, one every 12 px.
//
//   node tests/browser/train_csv.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { testArgs, runTests, openLab, settle, labState, layoutOf, waitForLayout, closeGuides, clickRect, pickFile } from './harness.mjs';

const CIRCLE = 'v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam&lr=0.03&mom=0.9&batch=10&steps=0';

const args = testArgs();
await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await closeGuides(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('a broken CSV file names its line and keeps the points', async () => {
    await openLab(page, `${server.url}#${CIRCLE}`);
    const before = await labState(page);
    const url = page.url();
    assert.equal(before.result.train_count, 200);
    const file = join(args.out, 'train-broken.csv');
    writeFileSync(file, 'x,y,label\n1,2,0\n3,4,1\n5,oops,1\n');
    await pickFile(page, (await layoutOf(page)).import_csv, file);
    const l = await waitForLayout(page, (x) => x.message.includes('line'));
    assert.equal(l.message, 'CSV not imported: line 4: y "oops" is not a number. The points are as they were.');
    const after = await labState(page);
    assert.equal(after.result.train_count, 200);
    assert.equal(after.result.test_count, 200);
    assert.equal(page.url(), url, 'the link is unchanged');
    await page.screenshot({ path: join(args.out, 'train-csv-error.png') });
  });

  await test('a pasted CSV becomes the data, and its link reopens it', async () => {
    await clickRect(page, (await layoutOf(page)).csv_paste);
    await page.keyboard.type('x,y,label\n-3,-3,0\n3,3,1\n-2.5,1.256,1\n', { delay: 20 });
    await settle(page, 4);
    await clickRect(page, (await layoutOf(page)).use_paste);
    await waitForLayout(page, (x) => x.message === '');
    await settle(page, 4);
    const s = await labState(page);
    // Split like generated data (split=50): 3 * 50 / 100 = 1 point trains, 2 are test points,
    // so the page shows a test loss for them.
    assert.equal(s.result.train_count, 1);
    assert.equal(s.result.test_count, 2);
    assert.equal(s.state.imported, 3);
    assert.ok(s.result.test_loss > 0, `test loss ${s.result.test_loss}`);
    const url = page.url();
    assert.ok(url.includes('&add=-3,-3,0;3,3,1;-2.5,1.26,1&imp=3'), url);  // 1.256 rounded to 2 decimals
    assert.ok(url.includes('&rm=0,1,2,'), url);
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await openLab(fresh, url);
    const again = await labState(fresh);
    assert.equal(again.result.train_count, 1);
    assert.equal(again.result.test_count, 2);
    assert.deepEqual(again.state, s.state);
    await fresh.close();
    await page.screenshot({ path: join(args.out, 'train-csv-imported.png') });
  });

  await test('dragging on the plot paints points', async () => {
    await openLab(page, `${server.url}#${CIRCLE}`);
    const b = (await layoutOf(page)).boundary;
    const y = b[1] + b[3] / 2, x0 = b[0] + b[2] * 0.3;
    await page.mouse.move(x0, y);
    await settle(page, 2);
    await page.mouse.down();
    await settle(page, 2);
    // 6 moves of 10 px; a point when the mouse is 12 px from the last one: at 0, 20, 40, 60 px.
    for (let k = 1; k <= 6; ++k) {
      await page.mouse.move(x0 + 10 * k, y);
      await settle(page, 2);
    }
    await page.mouse.up();
    await settle(page, 4);
    const s = await labState(page);
    assert.equal(s.result.train_count, 200 + 4);
    assert.ok(page.url().includes('&add='), page.url());
  });

  assert.deepEqual(errors, []);
});
