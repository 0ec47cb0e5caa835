// conv.test.mjs: the convolution lab in Debian's Chromium (headless, driven by
// playwright-core), as a user would use it: open a link, click a filter cell on the
// canvas and type a value, reload, open a malformed link. Expected values are computed
// by hand in the comments.
//
//   node tests/browser/conv.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  openLab, labState, settle, waitForLayout, pressKey, testArgs, runTests, decodePng, heatmapColor, colorDistance,
  closeGuides, layoutOf,
} from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const rows = (values, w) => Array.from({ length: values.length / w }, (_, i) => values.slice(i * w, i * w + w));

await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('the E9 link opens on the 4x4 output [0, 30, 30, 0]', async () => {
    await openLab(page, `${server.url}#${E9}`);
    const s = await labState(page);
    assert.deepEqual(s.result.output.shape, [1, 4, 4]);
    for (const row of rows(s.result.output.values, 4)) assert.deepEqual(row, [0, 30, 30, 0]);
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_message', 'string')), '');
  });

  await test('click a filter cell, type 2, Enter: output and URL follow', async () => {
    const historyBefore = await page.evaluate(() => history.length);
    const layout = JSON.parse(await page.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
    const f = layout.filter;
    assert.equal(f.rows, 3);
    await page.mouse.click(f.x + f.cell / 2, f.y + f.cell / 2);  // filter cell (0, 0)
    await waitForLayout(page, (l) => l.text_input);  // the cell editor has the keyboard
    await page.keyboard.type('2');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    await settle(page);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, [2, 0, -1, 1, 0, -1, 1, 0, -1]);
    // Filter rows [2,0,-1],[1,0,-1],[1,0,-1] over image rows [10,10,10,0,0,0]:
    // out[x] = (2·I[x] − I[x+2]) + 2·(I[x] − I[x+2]) → x=0: 10+0, x=1: 20+20, x=2: 20+20, x=3: 0.
    for (const row of rows(s.result.output.values, 4)) assert.deepEqual(row, [10, 40, 40, 0]);
    const hash = await page.evaluate(() => decodeURIComponent(location.hash));
    assert.ok(hash.includes('f=3x3:2,0,-1,(1,0,-1)*2'), hash);
    assert.equal(await page.evaluate(() => history.length), historyBefore, 'an edit must not add history entries');
  });

  await test('reload keeps the edited state', async () => {
    await page.reload();
    await openLab(page);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, [2, 0, -1, 1, 0, -1, 1, 0, -1]);
    for (const row of rows(s.result.output.values, 4)) assert.deepEqual(row, [10, 40, 40, 0]);
    await page.screenshot({ path: join(args.out, 'conv-edited.png') });
  });

  await test('hovering an output cell: every cell in its value\'s colour, the receptive field outlined', async () => {
    await page.mouse.move(5, 5);  // nothing hovered: no outline, no tooltip
    let l = await waitForLayout(page, (x) => x.hover.join() === '-1,-1,-1');
    await settle(page);
    let img = decodePng(await page.screenshot({ path: join(args.out, 'conv-edited-maps.png') }));
    const s = await labState(page);
    // Each grid is coloured on its own scale, saturating at its largest |value|: the
    // colour of a cell is the diverging map's (shaders/heatmap.frag) at value / absmax.
    // Sampled at 80 % across and down a cell: clear of the centred number, the grid lines
    // and the receptive field's outline and weight label (top-left corner).
    const check = (g, values, what) => {
      assert.ok(g.y + g.rows * g.cell <= img.height && g.x + g.cols * g.cell <= img.width, `${what} off screen`);
      const absmax = Math.max(...values.map(Math.abs)) || 1;
      for (let y = 0; y < g.rows; y++)
        for (let x = 0; x < g.cols; x++) {
          const v = values[y * g.cols + x], want = heatmapColor(v, absmax);
          const got = img.pixel(g.x + (x + 0.8) * g.cell, g.y + (y + 0.8) * g.cell);
          assert.ok(colorDistance(got, want) <= 3, `${what} (${y}, ${x}) = ${v}: drawn ${got}, the map gives ${want}`);
        }
    };
    check(l.output, s.result.output.values, 'output');  // rows [10, 40, 40, 0]
    check(l.input, s.state.input.values, 'input');      // rows [10, 10, 10, 0, 0, 0]
    check(l.filter, s.state.filter.values, 'filter');   // [2, 0, -1], [1, 0, -1] twice
    const o = l.output;
    await page.mouse.move(o.x + o.cell * 1.5, o.y + o.cell * 0.5);  // output (0, 1)
    l = await waitForLayout(page, (x) => x.hover.join() === '0,0,1');
    await settle(page);
    img = decodePng(await page.screenshot({ path: join(args.out, 'conv-hover.png') }));
    // Output (0, 1) reads input rows 0-2, columns 1-3 (3x3, stride 1, no padding): those
    // cells have an outline one pixel inside their left edge; the others show their colour
    // there. Input rows 3-5 repeat rows 0-2, so each outlined cell has an unmarked twin.
    const g = l.input;
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 6; x++) {
        const edge = img.pixel(g.x + x * g.cell + 1, g.y + (y + 0.6) * g.cell);
        const fill = heatmapColor(s.state.input.values[y * 6 + x], 10);
        const inField = y <= 2 && x >= 1 && x <= 3;
        if (inField) assert.ok(colorDistance(edge, fill) > 40, `input (${y}, ${x}) is not outlined: ${edge}`);
        else assert.ok(colorDistance(edge, fill) <= 3, `input (${y}, ${x}) is outlined: ${edge} vs ${fill}`);
      }
  });

  await test('a malformed link shows a message naming the field; the page still works', async () => {
    const bad = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const badErrors = [];
    bad.on('pageerror', (e) => badErrors.push(String(e)));
    await openLab(bad, `${server.url}#v1/conv?in=6x6:1,2&f=3x3:0*9`);
    const message = await bad.evaluate(() => Module.ccall('nnplay_message', 'string'));
    assert.match(message, /in: expected 36 values for 6x6, got 2/);
    const s = await labState(bad);
    for (const row of rows(s.result.output.values, 4)) assert.deepEqual(row, [0, 30, 30, 0]);
    // The broken link stays in the address bar so it can be copied.
    assert.ok((await bad.evaluate(() => location.hash)).includes('in=6x6:1,2'));
    await bad.screenshot({ path: join(args.out, 'conv-bad-link.png') });
    // Still alive: a good link opens.
    const ok = await bad.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]),
      'v1/conv?in=3x3:1*9&f=2x2:1*4&pad=valid&stride=1&dil=1');
    assert.equal(ok, 1);
    const t = await labState(bad);
    assert.deepEqual(t.result.output.values, [4, 4, 4, 4]);  // 2x2 ones over ones: 4 each
    assert.deepEqual(badErrors, []);
    await bad.close();
  });

  await test('a hostile link cannot hang or crash the page', async () => {
    const bad = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await openLab(bad, `${server.url}#v1/conv?in=64x64:(0*65536)*65536&f=1x1:1`);
    assert.match(await bad.evaluate(() => Module.ccall('nnplay_message', 'string')), /^This link could not be opened: in:/);
    const huge = 'v1/conv?in=' + '1,'.repeat(20000);
    const ok = await bad.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), huge);
    assert.equal(ok, 0);
    assert.match(await bad.evaluate(() => Module.ccall('nnplay_message', 'string')), /too long/);
    await bad.close();
  });

  await test('a phone-width window at pixel ratio 2 lays the lab out without overlap', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, `${server.url}#${E9}`);
    const layout = JSON.parse(await phone.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
    const box = (g) => ({ x0: g.x, y0: g.y, x1: g.x + g.cols * g.cell, y1: g.y + g.rows * g.cell });
    const [i, f, o] = [box(layout.input), box(layout.filter), box(layout.output)];
    const overlap = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    assert.ok(!overlap(i, f) && !overlap(f, o) && !overlap(i, o), JSON.stringify(layout));
    for (const g of [i, f, o]) assert.ok(g.x1 <= 390 + 0.5, `grid past the right edge: ${JSON.stringify(layout)}`);
    await phone.screenshot({ path: join(args.out, 'conv-phone.png') });
    await phone.close();
  });

  await test('the whole convolution arithmetic: a transposed link with output padding, its zero-stuffed view', async () => {
    // 3x3 input 1..9, a 3x3 filter of ones, stride 2, padding 1, output padding 1:
    // (3−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 6 per side (PyTorch's conv_transpose2d agrees).
    const tall = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await closeGuides(tall);
    await openLab(tall, `${server.url}#v1/conv?in=3x3:1,2,3,4,5,6,7,8,9&f=3x3:1*9&pad=1&stride=2&dil=1&mode=transposed&outpad=1`);
    const s = await labState(tall);
    assert.deepEqual(s.result.output.shape, [1, 6, 6]);
    assert.deepEqual(s.result.output_size.formula[0], 'rows: (3-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 6');
    // Output (0,0) reads only input (0,0) = 1; (1,1) reads 1, 2, 4, 5 = 12; the padded last
    // row and column (5) read row / column 2 of the input once each.
    assert.equal(s.result.output.values[0], 1);
    assert.equal(s.result.output.values[7], 12);
    let layout = await layoutOf(tall);
    for (const id of ['stride', 'dilation', 'output-padding', 'zero-stuffed', 'groups'])
      assert.ok(layout.controls[id], `the ${id} control is reported`);
    const [x, y, w, h] = layout.controls['zero-stuffed'];
    await tall.mouse.click(x + h / 2, y + h / 2);
    await settle(tall, 4);
    layout = await layoutOf(tall);
    // The view shows the stuffed input; the link does not change (it is a way of looking).
    assert.equal((await labState(tall)).link, s.link);
    await tall.screenshot({ path: join(args.out, 'conv-zero-stuffed.png') });
    // Depthwise with global average pooling: 27 weights, one pooled value per map.
    await openLab(tall, `${server.url}#v1/conv?in=3x6x6:(10*3,0*3)*6,10*18,0*18,(10,0*6)*5,10&f=3x1x3x3:(1,0,-1)*3,1*3,0*3,-1*3,(1,0,-1)*3&pad=valid&stride=1&dil=1&groups=3&act=relu&pool=gavg`);
    const d = await labState(tall);
    assert.equal(d.result.parameters, 27);
    assert.deepEqual(d.result.pooled.shape, [3, 1, 1]);
    assert.equal(d.result.pooled.values[0], 15);  // vertical edge of channel 0: rows [0,30,30,0]
    await tall.screenshot({ path: join(args.out, 'conv-depthwise.png') });
    await tall.close();
  });

  assert.deepEqual(errors, []);
});
