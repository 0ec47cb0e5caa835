// export.test.mjs: Copy as code > Copy as PyTorch / Copy as NumPy in the page header: the clipboard gets
// the lab's script (engine/labs/export.h; the page keeps the last copied text in
// Module.nnplayLastCopied), the header and the live region say so, and a lab without an
// exporter says why instead of copying.
//
//   node tests/browser/export.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { clickRect, layoutOf, openLab, runTests, settle, testArgs } from './harness.mjs';

const E3 = 'v1/softmax?x=3:2,1,0.1&t=1&check=';
const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const args = testArgs();

await runTests(args, async ({ server, browser, test }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const copied = () => page.evaluate(() => Module.nnplayLastCopied || '');
  const live = () => page.evaluate(() => document.getElementById('live').textContent);
  // "Copy as code" in the header, then the choice in its menu.
  const press = async (name) => {
    await clickRect(page, (await layoutOf(page)).buttons['copy-code']);
    await settle(page);
    const r = (await layoutOf(page)).buttons[name];
    assert.ok(r, `no menu item ${name}`);
    await clickRect(page, r);
    await settle(page);
  };

  await test('Copy as PyTorch on E3: the script rebuilds the logits and calls F.softmax', async () => {
    await openLab(page, `${server.url}#${E3}`);
    await press('copy-torch');
    const script = await copied();
    assert.match(script, /^# nnplay, softmax lab/);
    assert.match(script, /import torch\n/);
    assert.match(script, /x = torch\.tensor\(\[2, 1, 0\.1\], dtype=torch\.float64\)/);
    assert.match(script, /F\.softmax\(x \/ T, dim=0\)/);
    assert.match(script, /\nresults = \{/);
    assert.match(await live(), /PyTorch script copied/);
    const header = await layoutOf(page);
    assert.equal(header.buttons['copy-code'][1], header.buttons.theme[1], 'one header line');
  });

  await test('Copy as NumPy on E3: no torch, numpy only', async () => {
    await press('copy-numpy');
    const script = await copied();
    assert.match(script, /import numpy as np\n/);
    assert.doesNotMatch(script, /torch/);
    assert.match(await live(), /NumPy script copied/);
  });

  await test('the menu; the header stays on one line at 1280 px in the batch-norm lab', async () => {
    await openLab(page, `${server.url}#v1/batchnorm?x=1x2:1,2&eps=0&mode=infer&rv=1:0`);
    await clickRect(page, (await layoutOf(page)).buttons['copy-code']);
    await settle(page);
    const layout = await layoutOf(page);
    assert.ok(layout.buttons['copy-torch'] && layout.buttons['copy-numpy'], 'the menu is open');
    assert.equal(layout.buttons['copy-code'][1], layout.buttons.theme[1]);
    await page.screenshot({ path: join(args.out, 'export-menu.png') });
    await clickRect(page, layout.buttons['copy-numpy']);  // a choice closes the menu
    await settle(page);
    assert.match(await copied(), /sigma_inf = np\.sqrt\(running_var \+ eps\)/);
    assert.equal((await layoutOf(page)).buttons['copy-torch'], undefined, 'the menu is closed');
  });

  await test('the conv lab: a script, or a message saying it cannot be exported yet', async () => {
    await page.evaluate(() => { Module.nnplayLastCopied = ''; });
    await openLab(page, `${server.url}#${E9}`);
    await press('copy-torch');
    const script = await copied();
    if (script) {
      assert.match(script, /^# nnplay, /);
      assert.match(script, /import torch/);
    } else {
      assert.match(await live(), /Not copied: the conv lab cannot be exported to code yet/);
    }
  });

  await test('no page errors', async () => {
    assert.deepEqual(errors, []);
  });
});
