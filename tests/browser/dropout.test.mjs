// dropout.test.mjs: the dropout lab in Debian's Chromium: the E8 presets (p = 0.8,
// a = [1, 2, 3, 4, 5], standard and inverted) open with the expectations worked out by
// hand, an activation typed on the canvas changes them, many masks converge, and a
// phone-width screenshot.
//
//   node tests/browser/dropout.test.mjs --site build/wasm/web/site [--out DIR]
import { join } from 'node:path';

import { run, assert, openLab, labState, settle, typeIntoCell, near } from './norm_labs.mjs';

const INVERTED = 'v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1&n=1000&unit=4&check=';
const STANDARD = 'v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=standard&seed=1&n=1000&unit=4&check=';
const MANY = 'v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1&n=10000&unit=4&check=';
const HALF = 'v1/dropout?a=5:1,2,3,4,5&p=0.5&mode=inverted&seed=1&n=1000&unit=4&check=';

await run(async ({ server, browser, test, args }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('E8 inverted: kept a/0.8, E[y_train] = y_test = a', async () => {
    await openLab(page, `${server.url}#${INVERTED}`);
    const s = await labState(page);
    assert.equal(s.lab, 'dropout');
    near(s.result.expect_train.values, [1, 2, 3, 4, 5], 1e-6, 'E[y_train]');
    assert.deepEqual(s.result.test.values, [1, 2, 3, 4, 5]);
    const kept = [1.25, 2.5, 3.75, 5, 6.25];
    s.result.mask.values.forEach((m, i) => near([s.result.train.values[i]], [m ? kept[i] : 0], 1e-6, 'train'));
    await page.screenshot({ path: join(args.out, 'dropout-e8-inverted.png') });
  });

  await test('E8 standard: E[y_train] = y_test = 0.8 a', async () => {
    await openLab(page, `${server.url}#${STANDARD}`);
    const s = await labState(page);
    near(s.result.expect_train.values, [0.8, 1.6, 2.4, 3.2, 4], 1e-6, 'E[y_train]');
    near(s.result.test.values, [0.8, 1.6, 2.4, 3.2, 4], 1e-6, 'y_test');
    s.result.mask.values.forEach((m, i) => assert.equal(s.result.train.values[i], m * (i + 1)));
    await page.screenshot({ path: join(args.out, 'dropout-e8-standard.png') });
  });

  await test('10000 masks: the running mean of unit 5 is within 0.125 of 5', async () => {
    await openLab(page, `${server.url}#${MANY}`);
    const s = await labState(page);
    // y in {0, 6.25}: sd 2.5 per mask, 0.025 for the mean of 10000; 5 sd.
    assert.ok(Math.abs(s.result.curve_last - 5) < 0.125, String(s.result.curve_last));
    await page.screenshot({ path: join(args.out, 'dropout-many.png') });
  });

  await test('p = 0.5 inverted: kept units double', async () => {
    await openLab(page, `${server.url}#${HALF}`);
    const s = await labState(page);
    s.result.mask.values.forEach((m, i) => assert.equal(s.result.train.values[i], m * 2 * (i + 1)));
  });

  await test('type 10 into a1 of E8 standard: E[y_train] and y_test become 8', async () => {
    await openLab(page, `${server.url}#${STANDARD}`);
    await typeIntoCell(page, 'input', 0, 0, '10');
    const s = await labState(page);
    assert.deepEqual(s.state.activations.values, [10, 2, 3, 4, 5]);
    near([s.result.expect_train.values[0], s.result.test.values[0]], [8, 8], 1e-6, 'unit 1');
    await page.screenshot({ path: join(args.out, 'dropout-edited.png') });
  });

  await test('phone width at pixel ratio 2', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, `${server.url}#${INVERTED}`);
    const l = JSON.parse(await phone.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
    assert.ok(l.input.x + l.input.cols * l.input.cell <= 390.5, JSON.stringify(l.input));
    await settle(phone);
    await phone.screenshot({ path: join(args.out, 'dropout-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
