// norm_labs.mjs: what the softmax, batch-norm and dropout browser tests share: a runner
// that opens the site, runs named tests, reports, and a cell edit through the canvas.
import assert from 'node:assert/strict';

import { openLab, labState, settle, waitForLayout, pressKey, layoutOf, testArgs, runTests } from './harness.mjs';

export { assert, openLab, labState, settle, layoutOf };

// Runs body({ server, browser, test, args }) and exits with the number of failures.
export async function run(body) {
  const args = testArgs();
  await runTests(args, (ctx) => body({ ...ctx, args }));
}

// Clicks cell (row, col) of the grid `name` in the layout, types `text`, presses Enter.
export async function typeIntoCell(page, name, row, col, text) {
  const g = (await layoutOf(page))[name];
  assert.ok(g && g.cell > 0, `no grid ${name}`);
  await page.mouse.click(g.x + g.cell * (col + 0.5), g.y + g.cell * (row + 0.5));
  await waitForLayout(page, (l) => l.text_input);
  await page.keyboard.type(text);
  await pressKey(page, 'Enter');
  await waitForLayout(page, (l) => !l.text_input);
  await settle(page);
}

// Clicks the preset button `id` (its rectangle from the layout).
export async function clickPreset(page, id) {
  const r = (await layoutOf(page)).presets[id];
  assert.ok(r, `no preset button ${id}`);
  await page.mouse.click(r[0] + r[2] / 2, r[1] + r[3] / 2);
  await settle(page);
}

export function near(actual, expected, tol, what = '') {
  assert.equal(actual.length, expected.length, `${what}: ${actual} vs ${expected}`);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}
