// shell.test.mjs: the page around the app (web/shell.html, web/platform/pre.js): the title
// follows the lab and the preset, the loading screen shows progress and goes after the first
// frame, a browser without WebAssembly SIMD or WebGL 2 gets a message naming the browsers that
// work (and downloads nothing), the favicon; and on a phone (390x844, DPR 3, touch) a tap on a
// cell raises the keyboard through the relay input, and what is typed there reaches the cell.
//
//   node tests/browser/shell.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { openLab, labState, settle, waitForLayout, layoutOf, testArgs, runTests } from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const E3 = 'v1/softmax?x=3:2,1,0.1&t=1&check=';  // the softmax lab's E3 preset
const SOFTMAX_OWN = 'v1/softmax?x=3:4,-1,2&t=1&check=';  // no preset has these logits
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const rows = (values, w) => Array.from({ length: values.length / w }, (_, i) => values.slice(i * w, i * w + w));

// Console errors and page errors of a page, for "nothing went wrong" checks.
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return problems;
}

const waitForTitle = (page, predicate, what) =>
  page.waitForFunction(predicate, null, { timeout: 10000 }).catch(async () => {
    throw new Error(`the title is ${JSON.stringify(await page.title())}, not ${what}`);
  });

await runTests(args, async ({ server, browser, test }) => {
  await test('the title follows the lab and the preset', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    // E9 is a preset of the conv lab: "<lab> — <preset title> · nnplay".
    await openLab(page, `${server.url}#${E9}`);
    await waitForTitle(page, () => document.title.startsWith('Convolution \u2014 E9: vertical edge detection'),
      'the E9 preset');
    assert.ok((await page.title()).endsWith(' \u00b7 nnplay'), await page.title());
    // Another lab by link, not a preset: the lab's name only.
    await page.goto(`${server.url}#${SOFTMAX_OWN}`);
    await waitForTitle(page, () => document.title === 'Softmax \u00b7 nnplay', '"Softmax · nnplay"');
    // A preset of that lab, by link.
    await page.goto(`${server.url}#${E3}`);
    await waitForTitle(page, () => document.title.startsWith('Softmax \u2014 E3: softmax of the last FC layer'),
      'the E3 preset');
    // Back to the first lab in the same page (history), then an edit leaves the preset.
    await page.goBack();
    await page.goBack();
    await waitForTitle(page, () => document.title.startsWith('Convolution \u2014 E9'), 'E9 again');
    assert.equal(await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]),
      E9.replace('f=3x3:(1,0,-1)*3', 'f=3x3:(2,0,-1)*3')), 1);
    await waitForTitle(page, () => document.title === 'Convolution \u00b7 nnplay', '"Convolution · nnplay"');
    assert.deepEqual(problems, []);
    await page.close();
  });

  await test('meta description, favicon, and no console error on load', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await openLab(page, `${server.url}#${E9}`);
    const description = await page.getAttribute('meta[name="description"]', 'content');
    assert.match(description, /deep-learning playground/);
    const icon = await page.getAttribute('link[rel="icon"]', 'href');
    assert.equal(icon, 'favicon.svg');
    const response = await page.request.get(new URL(icon, server.url).href);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'image/svg+xml');
    assert.match(await response.text(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const ico = await page.request.get(`${server.url}favicon.ico`, { maxRedirects: 0 });
    assert.equal(ico.status(), 301);
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const colorScheme of ['light', 'dark']) {
    await test(`the loading screen shows progress (${colorScheme}), then goes after the first frame`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
      const page = await context.newPage();
      const problems = watch(page);
      // Hold the .wasm back until the loading screen has been seen.
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/index.wasm', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${server.url}#${E9}`);
      await page.waitForFunction(() => document.getElementById('loading-text')?.textContent.startsWith('Downloading'));
      const before = await page.evaluate(() => ({
        bar: document.getElementById('loading-bar')?.value,
        visible: getComputedStyle(document.getElementById('loading')).display !== 'none',
        background: getComputedStyle(document.getElementById('loading')).backgroundColor,
        frames: Module.calledRun ? 'started' : 'not yet',
      }));
      assert.equal(before.visible, true);
      assert.equal(before.bar, 0);
      assert.equal(before.frames, 'not yet');
      // Light page, dark page: the loading screen follows the colour scheme.
      assert.equal(before.background, colorScheme === 'light' ? 'rgb(246, 246, 243)' : 'rgb(27, 27, 31)');
      await page.screenshot({ path: join(args.out, `shell-loading-${colorScheme}.png`) });
      release();
      await openLab(page);
      const after = await page.evaluate(() => ({
        loading: document.getElementById('loading') !== null,
        mark: performance.getEntriesByName('nnplay-first-frame').length,
        frames: Module.ccall('nnplay_frame_count', 'number', [], []),
      }));
      assert.deepEqual({ loading: after.loading, mark: after.mark }, { loading: false, mark: 1 });
      assert.ok(after.frames >= 1);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  const noWebGL2 = () => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
    };
  };
  // [what is missing, init script, the message, whether the .wasm may be requested at all]
  const missingCases = [
    ['WebAssembly SIMD', () => { WebAssembly.validate = () => false; }, /needs WebAssembly SIMD, which/, false],
    // WebGL 2 is tried while the download starts; the download is then cancelled.
    ['WebGL 2', noWebGL2, /needs WebGL 2, which/, true],
    ['either', `(${noWebGL2})(); WebAssembly.validate = () => false;`, /needs WebAssembly SIMD and WebGL 2, which/, false],
  ];
  for (const [what, init, pattern, mayRequest] of missingCases) {
    await test(`without ${what}: a message naming the browsers that work${mayRequest ? '' : ', nothing downloaded'}`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(init);
      const page = await context.newPage();
      const problems = watch(page);
      const wasmRequests = [];
      page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmRequests.push(r.url()); });
      await page.goto(`${server.url}#${E9}`);
      await page.waitForFunction(() => document.getElementById('loading')?.getAttribute('role') === 'alert');
      const text = await page.textContent('#loading-text');
      assert.match(text, pattern);
      assert.match(text, /Chrome, Edge and Firefox, and in Safari 16\.4 or later/);
      assert.equal(await page.$('#loading-bar'), null, 'the progress bar goes with the message');
      await settle(page, 10);
      if (!mayRequest) assert.deepEqual(wasmRequests, [], 'the .wasm must not be downloaded');
      assert.equal(await page.evaluate(() => Boolean(Module.calledRun)), false, 'the app must not start');
      await page.screenshot({ path: join(args.out, `shell-no-${what.replace(/\s+/g, '-').toLowerCase()}.png`) });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  await test('phone: a tap on a filter cell raises the keyboard; typed digits change the cell', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = watch(page);
    await openLab(page, `${server.url}#${E9}`);
    assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true);
    const layout = await waitForLayout(page, (l) => l.filter && l.filter.cell > 0);
    const f = layout.filter;
    await page.screenshot({ path: join(args.out, 'shell-phone.png') });
    await page.touchscreen.tap(f.x + f.cell / 2, f.y + f.cell / 2);  // filter cell (0, 0), now 1
    await waitForLayout(page, (l) => l.text_input);
    await page.waitForFunction(() => document.activeElement?.id === 'textinput', null, { timeout: 5000 })
      .catch(async () => {
        throw new Error(`focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`);
      });
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'INPUT');
    await page.screenshot({ path: join(args.out, 'shell-phone-editing.png') });
    // "7" typed (key events), "5" as a virtual keyboard sends it (an input event, no keydown),
    // Backspace, Enter: the cell becomes 7 (the editor selected its old text: typing replaces it).
    await page.keyboard.type('7');
    await page.keyboard.insertText('5');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await waitForLayout(page, (l) => !l.text_input);
    await settle(page);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, [7, 0, -1, 1, 0, -1, 1, 0, -1]);
    // Filter rows [7,0,-1],[1,0,-1],[1,0,-1] over image rows [10,10,10,0,0,0]:
    // x=0: (70 − 10) + 2·(10 − 10) = 60; x=1: 70 + 2·10 = 90; x=2: 70 + 2·10 = 90; x=3: 0.
    for (const row of rows(s.result.output.values, 4)) assert.deepEqual(row, [60, 90, 90, 0]);
    // The editor is closed: the relay gives the keyboard back (the phone lowers it).
    await page.waitForFunction(() => document.activeElement?.id !== 'textinput');
    assert.deepEqual(problems, []);
    await context.close();
  });

  await test('phone: tap targets are at least 40 CSS px; painting does not scroll; a swipe on empty space does', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = watch(page);
    await openLab(page, `${server.url}#${E9}`);
    const layout = await layoutOf(page);
    const buttons = Object.entries(layout.buttons);
    assert.ok(buttons.length >= 5, JSON.stringify(layout.buttons));
    for (const [name, [, , w, h]] of buttons) {
      assert.ok(h >= 40, `${name} is ${h} px tall`);
      assert.ok(w >= 40, `${name} is ${w} px wide`);
    }
    assert.equal(await page.evaluate(() => getComputedStyle(Module.canvas).touchAction), 'none');
    const client = await context.newCDPSession(page);
    // A finger drag from (x0, y0) by (dx, dy) in 12 moves, a frame or two apart.
    const drag = async (x0, y0, dx, dy) => {
      await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: x0, y: y0 }] });
      await settle(page, 2);
      for (let k = 1; k <= 12; ++k) {
        await client.send('Input.dispatchTouchEvent', {
          type: 'touchMove', touchPoints: [{ x: x0 + (dx * k) / 12, y: y0 + (dy * k) / 12 }],
        });
        await settle(page, 1);
      }
      await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await settle(page, 4);
    };
    // Painting across the input grid (row 0, from column 3 to 5, zeros painted with the brush):
    // neither the page nor the lab's window moves.
    const i = layout.input;
    await drag(i.x + i.cell * 3.5, i.y + i.cell * 0.5, i.cell * 2, -i.cell * 0.2);
    const painted = await layoutOf(page);
    assert.equal(painted.input.y, i.y, 'painting scrolled the lab');
    const view = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY, scale: window.visualViewport.scale }));
    assert.deepEqual(view, { x: 0, y: 0, scale: 1 });
    // A swipe up on empty space right of the input grid scrolls the lab by the swipe's length.
    const emptyX = i.x + i.cell * i.cols + 8;
    assert.ok(emptyX < 390 - 30, `no empty space right of the grid (x ${emptyX})`);
    await drag(emptyX, i.y + i.cell * 3, 0, -200);
    const swiped = await layoutOf(page);
    const moved = i.y - swiped.input.y;
    assert.ok(moved > 150 && moved <= 200, `the swipe moved the lab by ${moved} px`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
