// tips.test.mjs: control tooltips (engine/labs/help.cpp, shown by HelpTip in
// web/lab_widgets.cpp). Resting the pointer on a control shows its help, with the range the
// slider accepts; moving away hides it; a map shows its own once the pointer rests; on a
// phone, a finger held on a control shows it; in every lab the first controls each show a
// tip of their own. Screenshots go to the output folder.
//
//   node tests/browser/tips.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { openLab, settle, waitForLayout, waitForSteadyLayout, layoutOf, testArgs, runTests, closeGuides } from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const center = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];

await runTests(args, async ({ server, browser, test }) => {
  const errors = [];

  for (const [name, dpr] of [['dpr1', 1], ['dpr2', 2]]) {
    await test(`conv at 1280x800 ${name}: resting on stride shows its help, "from 1 to 4"`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: dpr });
      await closeGuides(page);  // stride and dilation stay above the fold
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

  // Every lab: its first controls (not the header's, not maps) each show a tip of their own.
  const LABS = {
    conv: E9,
    softmax: 'v1/softmax?x=3:2,1,0.1&t=1&check=',
    batchnorm: 'v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1',
    dropout: 'v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1&n=1000&unit=4&check=',
    mlp: 'v1/mlp?x=2:1,2&l1=relu&w1=2x2:0.1,-0.1,0.2,0.3',
    flow: 'v1/flow?a_act=sigmoid&a_depth=20&a_width=8&a_init=xavier&a_w=1&a_seed=1&a_res=1',
    cost: 'v1/cost?mode=single&h=28&w=28&c=192&k=1&n=32&r=16&pad=same&stride=1',
    train: 'v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,2&act=tanh&loss=mse&init=uniform&opt=sgd&lr=0.03&mom=0&batch=10&steps=0',
    cnn: 'v1/cnn?data=bars',
  };
  // Header buttons are listed in layout.buttons, the banner's and menu's in APP; the lab's own
  // controls are the rest.
  const APP = ['dismiss', 'copy-broken', 'copy-torch', 'copy-numpy'];
  await test('every lab: its first three controls each show their own tip', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}#${E9}`);
    await page.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun && Module._nnplay_layout_json);
    const own = (l) => Object.keys(l.controls).filter((id) => !(id in l.buttons) && !APP.includes(id) && !id.endsWith('-grid'));
    for (const [lab, link] of Object.entries(LABS)) {
      await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), link);
      await page.mouse.move(1275, 795);
      const layout = await waitForSteadyLayout(page, (l) => l.lab === lab && own(l).length >= 3);
      const seen = new Map();
      for (const id of own(layout).slice(0, 3)) {
        await page.mouse.move(1275, 795);  // away, so the tip starts over
        await waitForLayout(page, (l) => l.tooltip === '');
        const rect = (await waitForSteadyLayout(page, (l) => l.lab === lab && l.controls[id])).controls[id];
        await page.mouse.move(...center(rect));
        const shown = await waitForLayout(page, (l) => l.tooltip.length > 20, 20000)
          .catch((e) => { throw new Error(`${lab}/${id} at ${JSON.stringify(rect)} shows no tip: ${e.message}`); });
        assert.ok(!seen.has(shown.tooltip), `${lab}/${id} shows the tip of ${seen.get(shown.tooltip)}`);
        seen.set(shown.tooltip, id);
      }
    }
    await page.close();
  });

  await test('no page errors', async () => {
    assert.deepEqual(errors, []);
  });
});
