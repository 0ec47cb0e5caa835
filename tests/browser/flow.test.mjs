// flow.test.mjs: the gradient-flow lab (E7, E11) in Debian's Chromium: every preset link
// opens with the qualitative facts worked out by hand; a preset button and a typed weight
// change the result as computed by hand in the comments; wide and phone screenshots.
//
// The preset links must be the ones the native CLI lists (--nnplay PATH, by default
// build/native/tools/nnplay, which the test command builds first; missing or stale fails).
//
//   node tests/browser/flow.test.mjs --site build/wasm/web/site [--out DIR] [--nnplay PATH]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  labState, settle, waitForLayout, pressKey, layoutOf, testArgs, runTests, nativeCli, DEFAULT_NNPLAY, decodePng,
  colorDistance,
} from './harness.mjs';

const args = testArgs({ nnplay: { type: 'string', default: DEFAULT_NNPLAY } });

const base = 'v1/flow?a_act=sigmoid&a_depth=20&a_width=8&a_init=xavier&a_w=1&a_seed=1&a_res=1' +
  '&b_act=sigmoid&b_depth=20&b_width=8&b_init=xavier&b_w=1&b_seed=1&b_res=0&xseed=1&block=10&curve=sigmoid&check=';
const PRESETS = {
  'e11-residual-20': base,
  'e7-sigmoid-20': base.replace('a_res=1', 'a_res=0').replace('b_act=sigmoid', 'b_act=tanh'),
  'e7-relu-20': base.replace('a_act=sigmoid', 'a_act=relu').replace('a_init=xavier', 'a_init=he')
    .replace('a_res=1', 'a_res=0').replace('curve=sigmoid', 'curve=relu'),
  'e7-sigmoid-by-hand': base.replace(/a_width=8&a_init=xavier/, 'a_width=1&a_init=const').replace('a_res=1', 'a_res=0')
    .replace(/b_width=8&b_init=xavier/, 'b_width=1&b_init=const').replace('b_res=0', 'b_res=1'),
  'e11-zero-block': base.replace('a_act=sigmoid', 'a_act=relu').replace('a_init=xavier&a_w=1', 'a_init=const&a_w=0')
    .replace('b_act=sigmoid', 'b_act=relu').replace('b_init=xavier&b_w=1', 'b_init=const&b_w=0')
    .replace('curve=sigmoid', 'curve=relu'),
};
const SQRT8 = Math.sqrt(8);
// JSON numbers are the shortest decimals of floats: compare to float precision.
const near = (x, y) => Math.abs(x - y) <= 1e-6 * Math.abs(y);


// The shared harness's openLab waits for a conv-style `input` grid; this lab has none.
async function openFlow(page, url) {
  if (url) await page.goto(url);
  await page.waitForFunction(() => {
    if (typeof Module === 'undefined' || !Module.calledRun || !Module._nnplay_layout_json) return false;
    const layout = JSON.parse(Module.ccall('nnplay_layout_json', 'string'));
    return layout.lab === 'flow' && Array.isArray(layout.grad_plot);
  }, null, { timeout: 20000 });
  await settle(page);
}
const center = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];
// Distance from point p to the segment a-b (all [x, y]).
function segmentDistance(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
const maxOverMin = (v) => Math.max(...v) / Math.min(...v);

await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('the preset links are the ones `nnplay presets` lists', async () => {
    const r = nativeCli(args.nnplay)(['presets']);
    assert.equal(r.status, 0, r.stderr);
    const listed = r.stdout.trim().split('\n').map((line) => line.split('\t')).filter((f) => f[0] === 'flow');
    // The same ids with the same links, no more, no fewer.
    assert.deepEqual(Object.fromEntries(listed.map((f) => [f[1], f[2]])),
      Object.fromEntries(Object.entries(PRESETS).map(([id, link]) => [id, `#${link}`])));
  });

  await test('every preset opens with the facts computed by hand', async () => {
    for (const [id, link] of Object.entries(PRESETS)) {
      await openFlow(page, `${server.url}#${link}`);
      assert.equal(await page.evaluate(() => Module.ccall('nnplay_message', 'string')), '', id);
      const s = await labState(page);
      assert.equal(s.link, link, id);
      const a = s.result.a, b = s.result.b;
      // The top: dL/da_L = (1, ..., 1), norm sqrt(width).
      assert.ok(near(a.grad_norm[s.state.a.depth], Math.sqrt(s.state.a.width)), id);
      if (id === 'e11-residual-20') {
        assert.ok(maxOverMin(a.grad_norm.slice(1)) < 10, `${id}: residual within a decade ${a.grad_norm}`);
        assert.ok(b.ratio_first_last < 1e-6, `${id}: plain sigmoid vanishes ${b.ratio_first_last}`);
      } else if (id === 'e7-sigmoid-20') {
        assert.ok(a.grad_norm[1] < 1e-6 * a.grad_norm[20], `${id}: ${a.grad_norm[1]}`);
        assert.equal(s.result.curve.dy_at_0, 0.25);  // sigma'(0) = 0.5 * 0.5
        assert.ok(s.result.curve.dy.every((d) => d <= 0.25));
      } else if (id === 'e7-sigmoid-by-hand') {
        // Product of 19 factors sigma'(z) in (0.219, 0.2350]: (2.9e-13, 1.12e-12].
        assert.ok(a.ratio_first_last > 0.219 ** 19 && a.ratio_first_last <= 0.235 ** 19, String(a.ratio_first_last));
        assert.ok(b.ratio_first_last > 1 && b.ratio_first_last <= 1.25 ** 19, String(b.ratio_first_last));
      } else if (id === 'e11-zero-block') {
        // W = 0, ReLU, residual: F = relu(0) = 0, every gradient (1,...,1); plain: 0 below the top.
        assert.ok(a.grad_norm.every((g) => near(g, SQRT8)), String(a.grad_norm));
        assert.ok(b.grad_norm.slice(0, 20).every((g) => g === 0), String(b.grad_norm));
        assert.equal(a.block.dx0, 1);
        assert.equal(a.block.fpath0, 0);
      } else if (id === 'e7-relu-20') {
        assert.equal(s.result.curve.dy_at_0, 0);  // relu'(0) taken as 0
      }
    }
  });

  await test('a preset button opens its preset', async () => {
    await openFlow(page, `${server.url}#${PRESETS['e11-residual-20']}`);
    const layout = await layoutOf(page);
    const [x, y] = center(layout['preset-e11-zero-block']);
    await page.mouse.click(x, y);
    await settle(page);
    const s = await labState(page);
    assert.equal(s.link, PRESETS['e11-zero-block']);
  });

  await test('type w = 0 into B (residual, width 1): every gradient becomes exactly 1', async () => {
    // Tall enough that B's w field (below the guide and A's controls) is on screen with 15 px type.
    await page.setViewportSize({ width: 1280, height: 1200 });
    await openFlow(page, `${server.url}#${PRESETS['e7-sigmoid-by-hand']}`);
    const layout = await layoutOf(page);
    const [x, y] = center(layout.b_w);
    await page.mouse.click(x, y);
    await waitForLayout(page, (l) => l.text_input);
    await page.keyboard.down('Control');  // select all, whatever the field held
    await pressKey(page, 'a');
    await page.keyboard.up('Control');
    await page.keyboard.type('0');
    await pressKey(page, 'Enter');
    await settle(page);
    const s = await labState(page);
    assert.equal(s.state.b.w, 0);
    // w = 0: z = 0, F(x) = sigmoid(0) = 0.5, so a_l = a_(l-1) + 0.5 and a_20 = x + 10;
    // dL/dx = dL/dy * (sigmoid'(0) * 0 + 1) = dL/dy: every |dL/da_l| = 1.
    assert.ok(s.result.b.grad_norm.every((g) => g === 1), String(s.result.b.grad_norm));
    const x0 = s.result.b.input.values[0];
    assert.ok(Math.abs(s.result.b.a.values[19] - (x0 + 10)) < 1e-5, `${s.result.b.a.values[19]} vs ${x0} + 10`);
    assert.match(s.result.b.block.text[2], /dL\/dx = dL\/dy\*\(dF\/dx \+ 1\) = 1\*\(0 \+ 1\) = 1\*1 = 1/);
    assert.ok(decodeURIComponent(await page.evaluate(() => location.hash)).includes('b_w=0&'));
    await page.mouse.move(5, 5);
    await settle(page);
    await page.screenshot({ path: join(args.out, 'flow-edited.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await test('the residual preset\'s plot: A level, B falling to the left, each in its colour', async () => {
    await openFlow(page, `${server.url}#${PRESETS['e11-residual-20']}`);
    await page.mouse.move(5, 5);
    await settle(page);
    const layout = await layoutOf(page);
    const s = await labState(page);
    const [A, B] = layout.series;
    assert.equal(A.length, 20);  // layers 1..20
    assert.equal(B.length, 20);
    const plot = layout.grad_plot;
    for (const p of [...A, ...B])
      assert.ok(p[0] >= plot[0] && p[0] <= plot[0] + plot[2] && p[1] >= plot[1] && p[1] <= plot[1] + plot[3], String(p));
    for (const pts of [A, B]) for (let i = 1; i < 20; i++) assert.ok(pts[i][0] > pts[i - 1][0], 'layers left to right');
    // Heights are log10 of the norms: the same at the top (sqrt 8 both), B's layer 1 more
    // than 6 decades below A's (its ratio < 1e-6 while A stays within a decade).
    assert.ok(Math.abs(A[19][1] - B[19][1]) < 1, `${A[19]} vs ${B[19]}`);
    const decade = (B[0][1] - B[19][1]) / -Math.log10(s.result.b.ratio_first_last);
    assert.ok(decade > 0, 'B falls to the left');
    assert.ok(Math.abs(A[0][1] - A[19][1]) < decade, `A within a decade: ${A[0]} ${A[19]}`);
    assert.ok(B[0][1] - A[0][1] > 6 * decade, `B's layer 1 is not 6 decades below A's: ${B[0]} ${A[0]}`);
    // The picture: every marker in its series' colour, two different colours, neither the
    // plot's background (markers the other series' line or markers pass near are skipped).
    const img = decodePng(await page.screenshot({ path: join(args.out, 'flow-wide.png') }));
    const near = (p, pts) => pts.some((q, i) => i > 0 && segmentDistance(p, pts[i - 1], q) < 6);
    const colours = [A, B].map((pts, k) => pts.filter((p) => !near(p, k ? A : B)).map((p) => img.pixel(p[0], p[1])));
    for (const c of colours) {
      assert.ok(c.length >= 8, `only ${c.length} markers clear of the other series`);
      for (const p of c) assert.ok(colorDistance(p, c[0]) <= 12, `markers of one series in different colours: ${p} vs ${c[0]}`);
    }
    assert.ok(colorDistance(colours[0][0], colours[1][0]) > 60, `A ${colours[0][0]} and B ${colours[1][0]} look alike`);
    // Background: half way between two decade lines, left of the first markers.
    const bg = img.pixel(plot[0] + (A[0][0] - plot[0]) * 0.9, (A[0][1] + B[0][1]) / 2 + decade / 2);
    for (const c of colours) assert.ok(colorDistance(c[0], bg) > 60, `a marker ${c[0]} like the background ${bg}`);
  });

  await test('a phone-width window at pixel ratio 2 stacks the panels', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openFlow(phone, `${server.url}#${PRESETS['e7-sigmoid-20']}`);
    const layout = await layoutOf(phone);
    const plot = layout.grad_plot;
    assert.ok(plot[0] >= 0 && plot[0] + plot[2] <= 390 + 0.5, JSON.stringify(plot));
    await phone.screenshot({ path: join(args.out, 'flow-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
