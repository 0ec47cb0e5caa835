// softmax.test.mjs: the softmax lab in Debian's Chromium: every preset link opens with the
// course's values (E1, E3), a logit typed on the canvas changes p as computed by hand, a
// preset button, check my work, and a phone-width screenshot.
//
//   node tests/browser/softmax.test.mjs --site build/wasm/web/site [--out DIR]
import { join } from 'node:path';

import { run, assert, openLab, labState, settle, typeIntoCell, clickPreset, near } from './norm_labs.mjs';

const E3 = 'v1/softmax?x=3:2,1,0.1&t=1&check=';
const E3_STUDENT = 'v1/softmax?x=3:2,1,0.1&t=1&check=sum:11.204;p:0.658,0.2418,0.0986';
const E1 = 'v1/softmax?x=1:-0.0348&t=1&check=';
const E1_STUDENT = 'v1/softmax?x=1:-0.0348&t=1&check=p:0';
const LARGE = 'v1/softmax?x=3:1000,1001,1002&t=1&check=';

await run(async ({ server, browser, test, args }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('E3 opens: sum 11.2125, p [0.6590, 0.2424, 0.0986]', async () => {
    await openLab(page, `${server.url}#${E3}`);
    const s = await labState(page);
    assert.equal(s.lab, 'softmax');
    near([s.result.sum], [11.2125], 5e-5, 'sum');
    near(s.result.p.values, [0.659, 0.2424, 0.0986], 5e-5, 'p');
  });

  await test("E3 with the student's answers: sum and p1, p2 flagged, p3 accepted", async () => {
    await openLab(page, `${server.url}#${E3_STUDENT}`);
    const s = await labState(page);
    assert.equal(s.check.first_wrong_step, 'sum');
    const p = s.check.steps.find((x) => x.id === 'p');
    assert.deepEqual(p.status, ['wrong', 'wrong', 'right']);
    assert.deepEqual(s.check.steps.find((x) => x.id === 'sum').status, ['wrong']);
    await page.screenshot({ path: join(args.out, 'softmax-e3-student.png') });
  });

  await test('E1 single logit: softmax 1, sigmoid 0.4913; the student 0 is flagged', async () => {
    await openLab(page, `${server.url}#${E1}`);
    let s = await labState(page);
    assert.deepEqual(s.result.p.values, [1]);
    near([s.result.sigmoid], [0.4913], 5e-5, 'sigmoid');
    assert.match(s.result.trace.single, /always 1/);
    await openLab(page, `${server.url}#${E1_STUDENT}`);
    s = await labState(page);
    assert.equal(s.check.first_wrong_step, 'p');
    assert.deepEqual(s.check.steps.find((x) => x.id === 'p').status, ['wrong']);
    await page.screenshot({ path: join(args.out, 'softmax-e1-student.png') });
  });

  await test('large logits: the naive form overflows, p is still [0.0900, 0.2447, 0.6652]', async () => {
    await openLab(page, `${server.url}#${LARGE}`);
    const s = await labState(page);
    assert.equal(s.result.overflow, true);
    near(s.result.p.values, [0.090031, 0.244728, 0.665241], 1e-6, 'p');
    await page.screenshot({ path: join(args.out, 'softmax-large.png') });
  });

  await test('type 1 into the third logit of E3: p = [0.576117, 0.211942, 0.211942]', async () => {
    await openLab(page, `${server.url}#${E3}`);
    await typeIntoCell(page, 'input', 0, 2, '1');
    const s = await labState(page);
    assert.deepEqual(s.state.logits.values, [2, 1, 1]);
    // e^2/(e^2 + 2e) = 7.389056/12.825620 = 0.576117; e/12.825620 = 0.211942.
    near(s.result.p.values, [0.576117, 0.211942, 0.211942], 1e-6, 'p');
    const hash = await page.evaluate(() => decodeURIComponent(location.hash));
    assert.ok(hash.includes('x=3:2,1,1'), hash);
    await page.screenshot({ path: join(args.out, 'softmax-edited.png') });
  });

  await test('the e1-single-logit preset button opens E1', async () => {
    await clickPreset(page, 'e1-single-logit');
    const s = await labState(page);
    assert.deepEqual(s.state.logits.values, [-0.0348]);
    assert.deepEqual(s.result.p.values, [1]);
  });

  await test('phone width at pixel ratio 2', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, `${server.url}#${E3_STUDENT}`);
    const l = JSON.parse(await phone.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
    assert.ok(l.input.x + l.input.cols * l.input.cell <= 390.5, JSON.stringify(l.input));
    await settle(phone);
    await phone.screenshot({ path: join(args.out, 'softmax-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
