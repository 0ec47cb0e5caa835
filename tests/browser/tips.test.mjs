// tips.test.mjs: control tooltips (engine/labs/help.cpp, shown by HelpTip in
// web/lab_widgets.cpp). Resting the pointer on a control shows its help, with the range the
// slider accepts; moving away hides it; on a phone, a finger held on a control shows it.
// Screenshots of each go to the output folder.
//
//   node tests/browser/tips.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { openLab, settle, waitForLayout, layoutOf, testArgs, runTests } from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const center = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];

await runTests(args, async ({ server, browser, test }) => {
  const errors = [];

  for (const [name, dpr] of [['dpr1', 1], ['dpr2', 2]]) {
    await test(`conv at 1280x800 ${name}: resting on stride shows its help, "from 1 to 4"`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: dpr });
      page.on('pageerror', (e) => errors.push(String(e)));
      await openLab(page, `${server.url}#${E9}`);
      let layout = await layoutOf(page);
      assert.equal(layout.tooltip, '');
      assert.ok(layout.controls.stride, 'the stride slider is reported');
      await page.mouse.move(...center(layout.controls.stride));
      // Stride's limit is 1..4 (ConvLabLimits::kMaxStride).
      layout = await waitForLayout(page, (l) => l.tooltip !== '');
      assert.match(layout.tooltip, /filter moves/);
      assert.match(layout.tooltip, /from 1 to 4/);
      await page.screenshot({ path: join(args.out, `tips-conv-stride-${name}.png`) });

      // Another control: its own help (dilation 1..3).
      await page.mouse.move(...center(layout.controls.dilation));
      layout = await waitForLayout(page, (l) => /taps/.test(l.tooltip));
      assert.match(layout.tooltip, /from 1 to 3/);

      // Away from every control: no tip.
      await page.mouse.move(1270, 790);
      await settle(page, 4);
      assert.equal((await layoutOf(page)).tooltip, '');

      // A map shows its help once the pointer rests on it.
      const input = layout.input;
      await page.mouse.move(input.x + input.cell * 0.5, input.y + input.cell * 0.5);
      layout = await waitForLayout(page, (l) => /The input/.test(l.tooltip));
      await page.screenshot({ path: join(args.out, `tips-conv-input-${name}.png`) });
      await page.close();
    });
  }

  await test('phone 390x844 (touch): a finger held on a header button shows its help', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true,
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await openLab(page, `${server.url}#${E9}`);
    const layout = await layoutOf(page);
    const [x, y] = center(layout.controls.gallery);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    const held = await waitForLayout(page, (l) => l.tooltip !== '');
    assert.match(held.tooltip, /Every lab and every preset/);
    await page.screenshot({ path: join(args.out, 'tips-phone-gallery.png') });
    // Slide off before lifting, so the press does not open the gallery.
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: 380, y: 830 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await settle(page, 4);
    await page.close();
  });

  await test('no page errors', async () => {
    assert.deepEqual(errors, []);
  });
});
