// cost.test.mjs: the cost calculator (E10, E12, E13) in Debian's Chromium: every preset
// link opens on the course's correct figures (exercises.md); the student presets pass
// check my work; typing a filter count changes the counts as computed by hand below;
// wide and phone screenshots.
//
//   node tests/browser/cost.test.mjs --site build/flow-wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { labState, settle, waitForLayout, pressKey, layoutOf, testArgs, runTests } from './harness.mjs';

const args = testArgs();

const tail = '&br=135p&n1=64&r3=96&n3=128&r5=16&n5=32&np=32&bias=1&check=';
const E10 = 'v1/cost?mode=single&h=28&w=28&c=192&k=1&n=32&r=16&pad=same&stride=1' + tail;
const E12 = 'v1/cost?mode=single&h=28&w=28&c=192&k=5&n=32&r=16&pad=same&stride=1' + tail;
const E12B = 'v1/cost?mode=bneck&h=28&w=28&c=192&k=5&n=32&r=16&pad=same&stride=1' + tail;
const E13A = 'v1/cost?mode=incep&h=32&w=32&c=192&k=1&n=32&r=16&pad=same&stride=1&br=35&n1=64&r3=0&n3=128&r5=0&n5=32&np=32&bias=1&check=';
const E13B = E13A.replace('r3=0', 'r3=96').replace('r5=0', 'r5=16');
// Expected multiplications (exercises.md, "correct").
const CASES = [
  ['E10', E10, (r) => {
    assert.equal(r.params, 6176);
    assert.equal(r.mults, 4816896);
    assert.equal(r.fc.mults, 3776446464);
    assert.equal(r.fc.mults_formatted, '3,776,446,464');
    assert.equal(r.mult_ratio, 784);
  }],
  ['E12 5x5', E12, (r) => assert.equal(r.mults, 120422400)],
  ['E12 bottleneck', E12B, (r) => {
    assert.deepEqual(r.branches[0].steps.map((s) => s.mults), [2408448, 10035200]);
    assert.equal(r.mults, 12443648);
    assert.equal(r.without_reductions.mults, 120422400);
  }],
  ['E13 (a)', E13A, (r) => {
    assert.deepEqual(r.branches.map((b) => b.mults), [226492416, 157286400]);
    assert.equal(r.mults, 383778816);
    assert.deepEqual(r.out, [32, 32, 160]);
  }],
  ['E13 (b)', E13B, (r) => assert.equal(r.mults, 148373504)],
];


// The shared harness's openLab waits for a conv-style `input` grid; this lab has none.
async function openCost(page, url) {
  if (url) await page.goto(url);
  await page.waitForFunction(() => {
    if (typeof Module === 'undefined' || !Module.calledRun || !Module._nnplay_layout_json) return false;
    const layout = JSON.parse(Module.ccall('nnplay_layout_json', 'string'));
    return layout.lab === 'cost' && Array.isArray(layout['preset-e10-1x1-vs-fc']);
  }, null, { timeout: 20000 });
  await settle(page);
}
const center = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];

await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('every exercise link opens on the correct figures', async () => {
    for (const [name, link, expect] of CASES) {
      await openCost(page, `${server.url}#${link}`);
      assert.equal(await page.evaluate(() => Module.ccall('nnplay_message', 'string')), '', name);
      const s = await labState(page);
      assert.equal(s.link, link, name);
      expect(s.result);
    }
    // The last (E13 b) as drawn: every field on screen, none over another.
    const entries = Object.entries(await layoutOf(page)).filter(([k]) => k.startsWith('field-'));
    // The input's H, W, C and the two branches E13 has (br=35): reductions and filters.
    assert.deepEqual(entries.map(([k]) => k).sort(),
      ['field-c', 'field-h', 'field-n3', 'field-n5', 'field-r3', 'field-r5', 'field-w']);
    const fields = entries.map(([, r]) => r);
    for (const f of fields) assert.ok(f[0] >= 0 && f[1] >= 0 && f[0] + f[2] <= 1280.5 && f[1] + f[3] <= 900.5, String(f));
    const overlap = (a, b) => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    fields.forEach((f, i) => fields.slice(i + 1).forEach((g) => assert.ok(!overlap(f, g), `${f} over ${g}`)));
    await page.screenshot({ path: join(args.out, 'cost-wide.png') });
  });

  await test("the student's E10 and E13 answers are all accepted", async () => {
    for (const [link, check, right] of [[E10, 'mults:4.8e6;fc:3.78e9;ratio:784', 3],
      [E13A, 'b3:226492416;b5:157286400;mults:383778816', 3]]) {
      await openCost(page, `${server.url}#${link.replace('check=', 'check=' + check)}`);
      const s = await labState(page);
      assert.equal(s.check.right, right, JSON.stringify(s.check));
      assert.equal(s.check.wrong, 0);
      assert.equal(s.check.first_wrong_step, null);
    }
    await page.screenshot({ path: join(args.out, 'cost-e13-student.png') });
  });

  await test('the student preset button opens the student preset', async () => {
    await openCost(page, `${server.url}#${E10}`);
    const [x, y] = center((await layoutOf(page))['preset-e10-student']);
    await page.mouse.click(x, y);
    await settle(page);
    const s = await labState(page);
    assert.ok(s.link.endsWith('check=mults:4.8e6;fc:3.78e9;ratio:784'), s.link);
    assert.equal(s.check.right, 3);
  });

  await test('type 64 filters into E10: counts follow', async () => {
    await openCost(page, `${server.url}#${E10}`);
    const [x, y] = center((await layoutOf(page))['field-n']);
    await page.mouse.click(x, y);
    await waitForLayout(page, (l) => l.text_input);
    await page.keyboard.down('Control');  // select all, whatever the field held
    await pressKey(page, 'a');
    await page.keyboard.up('Control');
    await page.keyboard.type('64');
    await pressKey(page, 'Enter');
    await settle(page);
    const s = await labState(page);
    assert.equal(s.state.n, 64);
    // 64 filters 1x1x192: params 64*192 + 64 = 12,352; mults 784*64*192 = 9,633,792;
    // fully connected 150,528 * 50,176 = 7,552,892,928, still 784 times more.
    assert.equal(s.result.params, 12352);
    assert.equal(s.result.mults, 9633792);
    assert.equal(s.result.fc.mults, 7552892928);
    assert.equal(s.result.mult_ratio, 784);
    assert.ok(decodeURIComponent(await page.evaluate(() => location.hash)).includes('&n=64&'));
    await page.mouse.move(5, 5);
    await settle(page);
    await page.screenshot({ path: join(args.out, 'cost-edited.png') });
  });

  await test('a phone-width window at pixel ratio 2 stacks the panels', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openCost(phone, `${server.url}#${E12B}`);
    const layout = await layoutOf(phone);
    const f = layout['field-n'];
    assert.ok(f[0] >= 0 && f[0] + f[2] <= 390 + 0.5, JSON.stringify(f));
    await phone.screenshot({ path: join(args.out, 'cost-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
