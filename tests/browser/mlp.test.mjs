// mlp.test.mjs: the Neuron & MLP lab in Debian's Chromium (headless, playwright-core): every
// preset link opens on its exercise's correct numbers (exercises.md), a preset button opens
// its preset, a weight typed into a W cell on the canvas changes the output as computed by
// hand, clicking a node selects a unit, a bad link names its field, and a phone-width
// window at pixel ratio 2 keeps the grids on screen.
//
//   node tests/browser/mlp.test.mjs --site build/mlp-wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { openLab, labState, settle, waitForLayout, pressKey, layoutOf, testArgs, runTests, decodePng, closeGuides } from './harness.mjs';

const args = testArgs();

const X_E1 = 'x=4:0.2,-1.3,2,0.01';
const W_E1 = 'w1=1x4:0.001,0.01,-0.005,-1.2';
const E2 = (x4) => `v1/mlp?x=4:-2.4,1.2,-0.8,${x4}&l1=relu&w1=3x4:0.1*12&l2=relu&w2=2x3:0.001*6` +
  '&l3=softmax&w3=2x2:0.01*4&target=1&mode=fwd&check=';
const E4 = (w13, mode = 'fwd') => 'v1/mlp?x=2:0.5,-1&l1=relu&w1=2x2:0.1,-0.1,0.2,0.3&l2=relu' +
  `&w2=3x2:0.1,-0.5,0.3,0.2,0.4,-0.1&l3=softmax&w3=2x3:0.1,0.2,${w13},0.4,0.7,0.3&target=1&mode=${mode}&check=`;
const E4_STUDENT = E4(0.1) + 'z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.006;a2:0.015,0.045,0.005;' +
  'z3:0.011,0.040;a3:0.493';

const near = (got, want, tol, what) => {
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= tol, `${what}[${i}]: ${got[i]} vs ${w}`));
};
const layer = (s, l) => s.result.layers[l];

// Each preset: its link and what exercises.md says it must show.
const PRESETS = [
  ['E1 linear: z = -0.0348', `v1/mlp?${X_E1}&l1=linear&${W_E1}&target=1&mode=fwd&check=`, (s) => {
    near(layer(s, 0).z.values, [-0.0348], 1e-6, 'z1');
  }],
  ['E1 softmax: 1, and why', `v1/mlp?${X_E1}&l1=softmax&${W_E1}&target=1&mode=fwd&check=`, (s) => {
    near(layer(s, 0).a.values, [1], 0, 'a1');
    assert.ok(s.result.notes.some((n) => /single logit is always 1/.test(n) && /0\.4913/.test(n)), s.result.notes);
  }],
  ['E1 sigmoid: 0.4913', `v1/mlp?${X_E1}&l1=sigmoid&${W_E1}&target=1&mode=fwd&check=`, (s) => {
    near(layer(s, 0).a.values, [0.4913], 5e-5, 'a1');
  }],
  ['E1 student: softmax 0 flagged', `v1/mlp?${X_E1}&l1=softmax&${W_E1}&target=1&mode=fwd&check=z1:-0.0348;a1:0`, (s) => {
    assert.equal(s.check.first_wrong_step, 'a1');
    assert.deepEqual(s.check.steps.find((t) => t.id === 'z1').status, ['right']);
  }],
  ['E2 x4=1.1: [0.5, 0.5]', E2('1.1'), (s) => {
    near(layer(s, 0).z.values, [-0.09, -0.09, -0.09], 1e-6, 'z1');
    near(layer(s, 2).a.values, [0.5, 0.5], 1e-6, 'softmax');
    assert.ok(s.result.notes.some((n) => /symmetry/.test(n)));
  }],
  ['E2 x4=2.0: [0.5, 0.5]', E2('2'), (s) => {
    near(layer(s, 0).z.values, [0, 0, 0], 1e-6, 'z1');
    near(layer(s, 2).a.values, [0.5, 0.5], 1e-6, 'softmax');
  }],
  ['E4', E4('0.1'), (s) => {
    near(layer(s, 0).z.values, [0.15, -0.2], 1e-6, 'z1');
    near(layer(s, 1).z.values, [0.015, 0.045, 0.06], 1e-6, 'z2');
    near(layer(s, 2).z.values, [0.0165, 0.0555], 1e-6, 'z3');
    near(layer(s, 2).a.values, [0.49025, 0.50975], 1e-5, 'softmax');
  }],
  ['E4 w3_13 = -0.1', E4('-0.1'), (s) => {
    near(layer(s, 2).z.values, [0.0045, 0.0555], 1e-6, 'z3');
    near(layer(s, 2).a.values, [0.48725, 0.51275], 1e-5, 'softmax');
  }],
  ['E4 student: z2 the root cause, z3[1] and softmax right for their values', E4_STUDENT, (s) => {
    const st = (id) => s.check.steps.find((t) => t.id === id).status;
    assert.equal(s.check.first_wrong_step, 'z2');
    assert.deepEqual(st('z1'), ['right', 'right']);
    assert.deepEqual(st('a1'), ['right', 'right']);
    assert.deepEqual(st('z2'), ['right', 'right', 'wrong']);
    assert.deepEqual(st('a2'), ['right', 'right', 'wrong']);  // relu(0.006) is not 0.005
    assert.deepEqual(st('z3'), ['carried', 'wrong']);  // 0.011 from their a2; 0.039, not 0.040
    assert.deepEqual(st('a3'), ['carried', '']);  // softmax([0.011, 0.040])[1] = 0.49275
  }],
  ['E4 backward', E4('0.1', 'bwd'), (s) => {
    // dL/dz3 = p - y = [0.49025 - 1, 0.50975]; loss = -ln 0.49025.
    near(layer(s, 2).dz.values, [-0.50975, 0.50975], 1e-5, 'dz3');
    near([s.result.loss], [0.71284], 1e-5, 'loss');
  }],
];

await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await closeGuides(page);  // W3 and the diagram stay above the fold
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('the E4 link opens the mlp lab', async () => {
    await openLab(page, `${server.url}#${E4('0.1')}`);
    const s = await labState(page);
    assert.equal(s.lab, 'mlp');
    assert.equal(s.link, E4('0.1'));
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_message', 'string')), '');
  });

  for (const [name, link, expect] of PRESETS) {
    await test(`preset link: ${name}`, async () => {
      const ok = await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), link);
      assert.equal(ok, 1, await page.evaluate(() => Module.ccall('nnplay_message', 'string')));
      await settle(page);
      const s = await labState(page);
      assert.equal(s.link, link, 'the link is canonical');
      expect(s);
    });
  }

  await test('the E5 preset button opens 3-4-2 with 26 parameters', async () => {
    const layout = await layoutOf(page);
    const [x, y, w, h] = layout.presets.e5;
    await page.mouse.click(x + w / 2, y + h / 2);
    await settle(page);
    const s = await labState(page);
    assert.equal(s.result.parameters, 26);
    assert.deepEqual(s.state.layers.map((l) => [l.units, l.inputs, l.has_bias]), [[4, 3, true], [2, 4, true]]);
  });

  await test('type -0.1 into W3[1][3] of E4: the output follows, no history entry', async () => {
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), E4('0.1'));
    await settle(page);
    const historyBefore = await page.evaluate(() => history.length);
    const layout = await layoutOf(page);
    const w3 = layout.w3;
    assert.deepEqual([w3.rows, w3.cols], [2, 3]);
    assert.ok(w3.y + w3.cell <= 1100, `W3 is off screen: ${JSON.stringify(w3)}`);
    await page.mouse.click(w3.x + w3.cell * 2.5, w3.y + w3.cell * 0.5);  // W3[1][3]
    await waitForLayout(page, (l) => l.text_input);
    await page.keyboard.type('-0.1');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    await settle(page);
    const s = await labState(page);
    // z3[1] = 0.1x0.015 + 0.2x0.045 - 0.1x0.06 = 0.0015 + 0.009 - 0.006 = 0.0045;
    // softmax([0.0045, 0.0555]) = 1/(1 + e^0.051) = 0.48725.
    near(layer(s, 2).z.values, [0.0045, 0.0555], 1e-6, 'z3');
    near(layer(s, 2).a.values, [0.48725, 0.51275], 1e-5, 'softmax');
    const hash = await page.evaluate(() => decodeURIComponent(location.hash));
    assert.ok(hash.includes('w3=2x3:0.1,0.2,-0.1,0.4,0.7,0.3'), hash);
    assert.equal(await page.evaluate(() => history.length), historyBefore);
    const sel = (await layoutOf(page)).selection;
    assert.deepEqual([sel.weight_layer, sel.weight_unit, sel.weight_input], [2, 0, 2]);
  });

  await test('backward mode: click a node, see its gradients; screenshot', async () => {
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), E4('0.1', 'bwd'));
    await settle(page);
    let layout = await layoutOf(page);
    const [nx, ny] = layout.nodes.n2_2;  // layer 2, unit 3
    await page.mouse.click(nx, ny);
    await settle(page);
    layout = await layoutOf(page);
    assert.deepEqual([layout.selection.unit_layer, layout.selection.unit], [1, 2]);
    // Select W3[1][2] through its grid cell (the chain-rule product is shown).
    const w3 = layout.w3;
    await page.mouse.click(w3.x + w3.cell * 1.5, w3.y + w3.cell * 0.5);
    await settle(page);
    await pressKey(page, 'Escape');
    await settle(page);
    layout = await layoutOf(page);
    assert.deepEqual([layout.selection.weight_layer, layout.selection.weight_unit, layout.selection.weight_input], [2, 0, 1]);
    await page.screenshot({ path: join(args.out, 'mlp-backward.png') });
  });

  await test('the network diagram (E4 student link): a node per unit, red for positive, blue for negative', async () => {
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), E4_STUDENT);
    await settle(page);
    await page.mouse.move(5, 5);
    await settle(page);
    const layout = await layoutOf(page);
    const s = await labState(page);
    // 2 inputs, then 2, 3 and 2 units: 9 nodes, n<column>_<unit>.
    const columns = [[0.5, -1], ...s.result.layers.map((l) => l.a.values)];
    assert.deepEqual(columns.map((c) => c.length), [2, 2, 3, 2]);
    assert.deepEqual(Object.keys(layout.nodes).sort(),
      columns.flatMap((c, k) => c.map((_, i) => `n${k}_${i}`)).sort());
    const img = decodePng(await page.screenshot({ path: join(args.out, 'mlp-student.png') }));
    const d = layout.diagram;
    // x = [0.5, -1]; a1 = relu([0.15, -0.2]) = [0.15, 0]; a2 = [0.015, 0.045, 0.06];
    // a3 = softmax = [0.49025, 0.50975]. Each node is filled by its value's sign (README:
    // positive red, negative blue), as strongly as |value| against its column's largest.
    columns.forEach((values, k) => values.forEach((v, i) => {
      const [x, y] = layout.nodes[`n${k}_${i}`];
      assert.ok(x > d[0] && x < d[0] + d[2] && y > d[1] && y < d[1] + d[3], `n${k}_${i} outside the diagram`);
      const [r, , b] = img.pixel(x, y);
      const what = `node n${k}_${i} (${v}): drawn ${img.pixel(x, y)}`;
      if (v > 0) assert.ok(r > b + 20, what);
      else if (v < 0) assert.ok(b > r + 20, what);
      else assert.ok(Math.abs(r - b) <= 12, what);
    }));
  });

  await test('a bad link names its field; the page keeps working', async () => {
    const bad = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const badErrors = [];
    bad.on('pageerror', (e) => badErrors.push(String(e)));
    await openLab(bad, `${server.url}#${E4('0.1')}`);
    for (const [link, field] of [
      ['v1/mlp?x=2:1,2&l1=gelu&w1=1x2:0*2', /^This link could not be opened: l1: unknown activation/],
      ['v1/mlp?x=2:1,2&l1=relu&w1=1x3:0*3', /^This link could not be opened: w1: W1 needs 2 columns/],
      ['v1/mlp?x=17:0*17&l1=relu&w1=1x17:0*17', /^This link could not be opened: x:/],
      [E4('0.1').replace('target=1', 'target=3'), /^This link could not be opened: target:/],
    ]) {
      const ok = await bad.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), link);
      assert.equal(ok, 0, link);
      assert.match(await bad.evaluate(() => Module.ccall('nnplay_message', 'string')), field);
    }
    const s = await labState(bad);
    near(layer(s, 2).z.values, [0.0165, 0.0555], 1e-6, 'z3 unchanged');
    assert.deepEqual(badErrors, []);
    await bad.close();
  });

  await test('a phone-width window at pixel ratio 2 keeps every grid on screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, `${server.url}#${E4('0.1', 'bwd')}`);
    const layout = await layoutOf(phone);
    for (const key of ['input', 'w1', 'w2', 'w3', 'z3', 'a3']) {
      const g = layout[key];
      assert.ok(g.cell > 0 && g.x >= 0 && g.x + g.cols * g.cell <= 390 + 0.5, `${key}: ${JSON.stringify(g)}`);
    }
    assert.ok(layout.diagram[2] <= 390, JSON.stringify(layout.diagram));
    await phone.screenshot({ path: join(args.out, 'mlp-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
