// history.test.mjs: no edit is ever lost. Undo/redo (keyboard and buttons), browser
// back/forward between presets (not between keystrokes), and the state surviving a visit
// to the bare URL through local storage.
//
//   node tests/browser/history.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { openLab, labState, settle, waitForLayout, pressKey, layoutOf, testArgs, runTests } from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const E9_FILTER = [1, 0, -1, 1, 0, -1, 1, 0, -1];
const SOBEL_X = [1, 0, -1, 2, 0, -2, 1, 0, -1];


// Types `text` into filter cell (y, x) through the canvas.
async function typeIntoFilter(page, y, x, text) {
  const f = (await layoutOf(page)).filter;
  await page.mouse.click(f.x + f.cell * (x + 0.5), f.y + f.cell * (y + 0.5));
  await waitForLayout(page, (l) => l.text_input);
  await page.keyboard.type(text);
  await pressKey(page, 'Enter');
  await waitForLayout(page, (l) => !l.text_input);
}

async function chord(page, keys) {  // e.g. ['Control', 'Shift', 'z'], held across frames
  for (const k of keys) await page.keyboard.down(k);
  await settle(page, 2);
  for (const k of [...keys].reverse()) await page.keyboard.up(k);
  await settle(page, 2);
}

await runTests(args, async ({ server, browser, test }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('undo and redo an edit with the keyboard and the buttons', async () => {
    await openLab(page, `${server.url}#${E9}`);
    await typeIntoFilter(page, 0, 0, '5');
    await page.waitForTimeout(700);  // edits further apart than 0.6 s undo separately
    await typeIntoFilter(page, 0, 2, '-3');
    assert.deepEqual((await labState(page)).state.filter.values, [5, 0, -3, 1, 0, -1, 1, 0, -1]);
    await chord(page, ['Control', 'z']);
    assert.deepEqual((await labState(page)).state.filter.values, [5, 0, -1, 1, 0, -1, 1, 0, -1]);
    await chord(page, ['Control', 'z']);
    const back = await labState(page);
    assert.deepEqual(back.state.filter.values, E9_FILTER);
    assert.deepEqual(back.result.output.values.slice(0, 4), [0, 30, 30, 0]);
    assert.equal(await page.evaluate(() => decodeURIComponent(location.hash.substring(1))), E9);
    await chord(page, ['Control', 'Shift', 'z']);
    assert.deepEqual((await labState(page)).state.filter.values, [5, 0, -1, 1, 0, -1, 1, 0, -1]);
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_redo', 'number')), 1);
    assert.deepEqual((await labState(page)).state.filter.values, [5, 0, -3, 1, 0, -1, 1, 0, -1]);
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_redo', 'number')), 0);  // nothing left
  });

  await test('keyboard: arrows and Tab move the cell editor, committing as they go', async () => {
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), E9);
    await settle(page);
    const f = (await layoutOf(page)).filter;
    await page.mouse.click(f.x + f.cell / 2, f.y + f.cell / 2);  // (0, 0)
    await waitForLayout(page, (l) => l.text_input);
    // The editor moves at once; the keyboard reaches the new field a frame later.
    const editing = async (y, x) => {
      await waitForLayout(page, (l) => l.text_input && l.filter.edit[0] === y && l.filter.edit[1] === x);
      await settle(page, 3);
    };
    await editing(0, 0);
    await page.keyboard.type('5');
    await pressKey(page, 'ArrowRight');  // commits 5, edits (0, 1)
    await editing(0, 1);
    await page.keyboard.type('6');
    await pressKey(page, 'ArrowDown');   // commits 6, edits (1, 1)
    await editing(1, 1);
    await page.keyboard.type('7');
    await pressKey(page, 'Tab');         // commits 7, edits (1, 2)
    await editing(1, 2);
    await page.keyboard.type('8');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    assert.deepEqual((await labState(page)).state.filter.values, [5, 6, -1, 1, 7, 8, 1, 0, -1]);
  });

  await test('presets add history entries; back and forward move between them', async () => {
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), E9);
    await settle(page);
    const before = await page.evaluate(() => history.length);
    const r = (await layoutOf(page)).presets['filter-sobel-x'];
    await page.mouse.click(r[0] + r[2] / 2, r[1] + r[3] / 2);
    await settle(page);
    assert.deepEqual((await labState(page)).state.filter.values, SOBEL_X);
    assert.equal(await page.evaluate(() => history.length), before + 1);
    await page.goBack();
    await waitForLayout(page, () => true);
    await settle(page);
    assert.deepEqual((await labState(page)).state.filter.values, E9_FILTER);
    await page.goForward();
    await waitForLayout(page, () => true);
    await settle(page);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, SOBEL_X);
    // Sobel x on the E9 image: every output row is (1+2+1)·[0, 10, 10, 0] = [0, 40, 40, 0].
    assert.deepEqual(s.result.output.values.slice(0, 4), [0, 40, 40, 0]);
  });

  await test('the last state survives opening the bare URL (local storage)', async () => {
    await typeIntoFilter(page, 1, 1, '7');
    const expected = (await labState(page)).state.filter.values;
    assert.equal(expected[4], 7);
    const again = await context.newPage();
    await openLab(again, server.url);  // no fragment at all
    assert.deepEqual((await labState(again)).state.filter.values, expected);
    assert.ok((await again.evaluate(() => location.hash)).includes('f=3x3:'));
    await again.screenshot({ path: join(args.out, 'history-restored.png') });
    await again.close();
  });

  assert.deepEqual(errors, []);
  await context.close();
});
