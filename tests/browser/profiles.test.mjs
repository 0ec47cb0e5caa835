// profiles.test.mjs: the page as a new user meets it on a laptop (1280×800), a 2× laptop
// screen and a phone (390×844, pixel ratio 3, touch). Per profile: a first visit shows the
// landing page (a card per lab in a grid of several columns, one on the phone; E1–E13), a
// card opens its lab, and every lab opens by its link, draws, reports its guide panel and
// is saved as a screenshot (<profile>-<lab>.png, <profile>-landing.png in --out). On the
// laptop also: an exercise row opens its preset, the guide's "Show me" opens a preset, and
// the guide's collapsed state survives a reload without entering the link.
//
//   node tests/browser/profiles.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { labState, layoutOf, settle, testArgs, runTests, waitForLayout } from './harness.mjs';

const PROFILES = [
  { name: 'laptop', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  { name: 'laptop2x', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 },
  { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
];
// Each lab's first preset (the course's exercise where it has one), as `nnplay presets` lists.
const LINKS = {
  conv: 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1',
  softmax: 'v1/softmax?x=3:2,1,0.1&t=1&check=',
  batchnorm: 'v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1&eps=0&mom=0.1&mode=train&rm=1:0&rv=1:1&check=',
  dropout: 'v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1&n=1000&unit=4&check=',
  mlp: 'v1/mlp?x=2:0.5,-1&l1=relu&w1=2x2:0.1,-0.1,0.2,0.3&l2=relu&w2=3x2:0.1,-0.5,0.3,0.2,0.4,-0.1' +
    '&l3=softmax&w3=2x3:0.1,0.2,0.1,0.4,0.7,0.3&target=1&mode=fwd&check=',
  flow: 'v1/flow?a_act=sigmoid&a_depth=20&a_width=8&a_init=xavier&a_w=1&a_seed=1&a_res=1&b_act=sigmoid' +
    '&b_depth=20&b_width=8&b_init=xavier&b_w=1&b_seed=1&b_res=0&xseed=1&block=10&curve=sigmoid&check=',
  cost: 'v1/cost?mode=single&h=28&w=28&c=192&k=1&n=32&r=16&pad=same&stride=1&br=135p&n1=64&r3=96&n3=128' +
    '&r5=16&n5=32&np=32&bias=1&check=',
  train: 'v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam&lr=0.03' +
    '&mom=0.9&batch=10&steps=0',
  cnn: 'v1/cnn?data=bars&size=16&noise=0.1&seed=1&blocks=1&f1=4&f2=8&k=5&opt=adam&lr=0.01&mom=0.9' +
    '&batch=16&steps=0',
};
const LABS = Object.keys(LINKS);
const EXERCISES = Array.from({ length: 13 }, (_, i) => `E${i + 1}`);

async function ready(page) {
  await page.waitForFunction(
    () => typeof Module !== 'undefined' && Module.calledRun && !!Module._nnplay_layout_json, null,
    { timeout: 30000 });
}

const center = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];

// A tap on the touch profile, a click elsewhere.
async function press(page, profile, r) {
  const [x, y] = center(r);
  if (profile.hasTouch) await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
  await settle(page, 4);
}

// The lab's guide panel as drawn this frame, checked against the viewport.
function checkGuide(layout, lab, width) {
  const g = layout.guide;
  assert.ok(g, 'the layout reports the guide');
  assert.equal(g.lab, lab);
  assert.equal(g.drawn, true, `${lab}: the guide was drawn`);
  assert.ok(g.steps >= 2 && g.steps <= 4, `${lab}: ${g.steps} steps`);
  const [x, y, w, h] = g.rect;
  assert.ok(x >= 0 && y >= 0 && w > 100 && x + w <= width + 1, `${lab}: guide rect ${g.rect}`);
  if (g.open) assert.ok(h > 100, `${lab}: an open guide has its text (${h} px)`);
  else assert.ok(h > 30 && h < 140, `${lab}: a closed guide is its header and one step (${h} px)`);
}

const args = testArgs();
await runTests(args, async ({ server, browser, test }) => {
  for (const profile of PROFILES) {
    const { name, viewport } = profile;
    const context = await browser.newContext({
      viewport, deviceScaleFactor: profile.deviceScaleFactor, isMobile: !!profile.isMobile,
      hasTouch: !!profile.hasTouch,
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await test(`${name}: a first visit shows the landing page, cards in a grid, E1–E13`, async () => {
      await page.goto(server.url);
      await ready(page);
      const layout = await waitForLayout(page, (l) => l.landing.open && l.landing.thumbnails === LABS.length, 20000);
      await settle(page, 2);
      assert.equal(await page.evaluate(() => location.hash), '', 'the landing page has no link');
      assert.equal(await page.title(), 'nnplay \u00b7 labs and course exercises');
      const cards = layout.landing.cards;
      assert.deepEqual(Object.keys(cards), LABS);
      assert.deepEqual(Object.keys(layout.landing.exercises), EXERCISES);
      const columns = new Set(Object.values(cards).map((r) => Math.round(r[0]))).size;
      if (viewport.width >= 1000) assert.ok(columns >= 3, `${columns} columns at ${viewport.width} px`);
      else assert.equal(columns, 1, `one column on a ${viewport.width}-px phone`);
      for (const [lab, r] of Object.entries(cards)) {
        assert.ok(r[0] >= 0 && r[0] + r[2] <= viewport.width + 1, `${lab} card ${r} fits the width`);
        assert.ok(r[2] >= 280, `${lab} card is ${r[2]} px wide`);
      }
      await page.screenshot({ path: join(args.out, `${name}-landing.png`) });
    });

    await test(`${name}: the first card opens the convolution lab`, async () => {
      const layout = await layoutOf(page);
      await press(page, profile, layout.landing.cards.conv);
      const l = await waitForLayout(page, (x) => !x.landing.open && x.lab === 'conv');
      checkGuide(l, 'conv', viewport.width);
      assert.match(await page.evaluate(() => location.hash), /^#v1\/conv\?/);
      await page.waitForFunction(() => document.title.startsWith('Convolution'));
      assert.equal((await labState(page)).lab, 'conv');
    });

    for (const lab of LABS) {
      await test(`${name}: ${lab} opens by its link, draws, shows its guide`, async () => {
        await page.goto(`${server.url}#${LINKS[lab]}`);
        const before = await waitForLayout(page, (l) => l.lab === lab && l.guide.lab === lab && l.guide.drawn);
        await page.screenshot({ path: join(args.out, `${name}-${lab}.png`) });
        const after = await layoutOf(page);
        assert.ok(after.frame > before.frame, `frames ${before.frame} -> ${after.frame}`);
        assert.equal((await labState(page)).lab, lab);
        checkGuide(after, lab, viewport.width);
        // Open on a laptop; on a phone closed to its first step, so the lab is on screen.
        assert.equal(after.guide.open, viewport.width >= 1000, `the guide's first state at ${viewport.width} px`);
      });
    }

    if (name === 'laptop') {
      await test(`${name}: the landing page's E9 row opens the E9 preset`, async () => {
        await page.goto(`${server.url}#${LINKS.softmax}`);
        await waitForLayout(page, (l) => l.lab === 'softmax' && l.guide.drawn);
        const header = (await layoutOf(page)).buttons.gallery;
        await press(page, profile, header);
        let layout = await waitForLayout(page, (l) => l.landing.open);
        // Scroll the page until the row is on screen.
        for (let i = 0; i < 20; i++) {
          const r = layout.landing.exercises.E9;
          if (r[1] > 40 && r[1] + r[3] < viewport.height) break;
          await page.mouse.move(viewport.width / 2, viewport.height / 2);
          await page.mouse.wheel(0, 200);
          await settle(page, 3);
          layout = await layoutOf(page);
        }
        await press(page, profile, layout.landing.exercises.E9);
        await waitForLayout(page, (l) => !l.landing.open && l.lab === 'conv');
        const s = await labState(page);
        // E9: rows [10,10,10,0,0,0] against [1,0,-1]: every output row is [0, 30, 30, 0].
        assert.deepEqual(s.result.output.values.slice(0, 4), [0, 30, 30, 0]);
        assert.deepEqual(s.result.output.values.slice(12, 16), [0, 30, 30, 0]);
      });

      await test(`${name}: "Show me" opens the step's preset as a history entry`, async () => {
        const layout = await layoutOf(page);
        const r = layout.guide.show_me['filter-horizontal-edge'];
        assert.ok(r, `conv's guide has a Show me for the horizontal edge: ${JSON.stringify(layout.guide)}`);
        const length = await page.evaluate(() => history.length);
        await press(page, profile, r);
        await waitForLayout(page, (l) => l.lab === 'conv');
        const s = await labState(page);
        assert.deepEqual(s.state.filter.values, [1, 1, 1, 0, 0, 0, -1, -1, -1]);
        // A horizontal filter on vertical stripes: every output is 0.
        assert.ok(s.result.output.values.every((v) => v === 0), String(s.result.output.values));
        assert.equal(await page.evaluate(() => history.length), length + 1);
      });

      await test(`${name}: a collapsed guide stays collapsed after a reload, not in the link`, async () => {
        let layout = await layoutOf(page);
        const [x, y, , openHeight] = layout.guide.rect;
        await page.mouse.click(x + 40, y + 8);  // the header line
        layout = await waitForLayout(page, (l) => l.guide.open === false);
        const hash = await page.evaluate(() => location.hash);
        assert.ok(!/guide/.test(hash), hash);
        assert.ok(layout.guide.rect[3] < openHeight / 2, `collapsed: ${layout.guide.rect[3]} of ${openHeight} px`);
        await page.reload();
        await ready(page);
        layout = await waitForLayout(page, (l) => l.lab === 'conv' && l.guide.drawn);
        assert.equal(layout.guide.open, false, 'still collapsed after the reload');
        // Another lab's guide is still open; conv's opens again on a click.
        await page.goto(`${server.url}#${LINKS.dropout}`);
        layout = await waitForLayout(page, (l) => l.lab === 'dropout' && l.guide.drawn);
        assert.equal(layout.guide.open, true);
        await page.goto(`${server.url}#${LINKS.conv}`);
        layout = await waitForLayout(page, (l) => l.lab === 'conv' && l.guide.drawn);
        await page.mouse.click(layout.guide.rect[0] + 40, layout.guide.rect[1] + 8);
        await waitForLayout(page, (l) => l.guide.open === true);
      });
    }

    await test(`${name}: no page errors`, async () => assert.deepEqual(errors, []));
    await context.close();
  }
});
