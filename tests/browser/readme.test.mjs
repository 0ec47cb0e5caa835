// readme.test.mjs: the README's promises about every lab and the convolution lab's editing,
// each checked as a user meets it, positions taken from the layout export
// (nnplay_layout_json), never from fixed offsets:
// - Esc cancels an edit; Shift+Tab moves back (and wraps); Ctrl+Y redoes.
// - Drag across cells paints the brush value (the conv lab).
// - Copy link puts the page's URL with the state on the clipboard; it reopens the state.
// - The ARIA live region (#live) holds the results, and a broken link's message.
// - A lab picked in "Labs & presets" (the landing page's cards) is a browser-history
//   entry (back / forward).
// - A state too large for a link says so, the address bar keeps the last link that fit,
//   and Export JSON keeps the whole state (imported in a fresh page, it comes back).
//
//   node tests/browser/readme.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { openLab, labState, settle, waitForLayout, pressKey, layoutOf, testArgs, runTests } from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const E9_FILTER = [1, 0, -1, 1, 0, -1, 1, 0, -1];
const ZEROS = 'v1/conv?in=6x6:0*36&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';

const center = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];
const open = (page, link) => page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), link);
const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash.substring(1)));

async function clickCell(page, grid, y, x) {
  await page.mouse.click(grid.x + grid.cell * (x + 0.5), grid.y + grid.cell * (y + 0.5));
}

// The cell editor sits on filter cell (y, x) and has the keyboard (it moves at once; the
// keyboard reaches the new field a frame later).
async function editing(page, y, x) {
  await waitForLayout(page, (l) => l.text_input && l.filter.edit[0] === y && l.filter.edit[1] === x);
  await settle(page, 3);
}

async function chord(page, keys) {  // held across frames: ImGui reads key state per frame
  for (const k of keys) await page.keyboard.down(k);
  await settle(page, 2);
  for (const k of [...keys].reverse()) await page.keyboard.up(k);
  await settle(page, 2);
}

await runTests(args, async ({ server, browser, test }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openLab(page, `${server.url}#${E9}`);

  await test('Esc cancels an edit: the value, the link and the undo list stay', async () => {
    assert.equal(await open(page, E9), 1);
    await settle(page);
    const undo = (await layoutOf(page)).undo;
    await clickCell(page, (await layoutOf(page)).filter, 0, 0);
    await editing(page, 0, 0);
    await page.keyboard.type('9');
    await pressKey(page, 'Escape');
    const l = await waitForLayout(page, (x) => !x.text_input);
    assert.deepEqual(l.filter.edit, [-1, -1]);
    await settle(page);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, E9_FILTER);
    assert.deepEqual(s.result.output.values.slice(0, 4), [0, 30, 30, 0]);
    assert.equal(await hash(page), E9);
    assert.equal((await layoutOf(page)).undo, undo, 'a cancelled edit is no undo step');
  });

  await test('Shift+Tab commits and moves to the previous cell, wrapping from the first to the last', async () => {
    assert.equal(await open(page, E9), 1);
    await settle(page);
    await clickCell(page, (await layoutOf(page)).filter, 1, 1);
    await editing(page, 1, 1);
    await page.keyboard.type('4');
    const shiftTab = async () => {
      await page.keyboard.down('Shift');
      await pressKey(page, 'Tab');
      await page.keyboard.up('Shift');
    };
    await shiftTab();  // commits 4 at (1, 1), edits (1, 0)
    await editing(page, 1, 0);
    await page.keyboard.type('3');
    await shiftTab();  // commits 3 at (1, 0), edits (0, 2): the end of the row above
    await editing(page, 0, 2);
    await page.keyboard.type('2');
    await shiftTab();  // (0, 1)
    await editing(page, 0, 1);
    await shiftTab();  // (0, 0)
    await editing(page, 0, 0);
    await shiftTab();  // before the first cell: the last one
    await editing(page, 2, 2);
    await page.keyboard.type('-5');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    assert.deepEqual((await labState(page)).state.filter.values, [1, 0, 2, 3, 4, -1, 1, 0, -5]);
  });

  await test('Ctrl+Y redoes what Ctrl+Z undid', async () => {
    assert.equal(await open(page, E9), 1);
    await settle(page);
    await clickCell(page, (await layoutOf(page)).filter, 0, 0);
    await editing(page, 0, 0);
    await page.keyboard.type('5');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    const edited = [5, 0, -1, 1, 0, -1, 1, 0, -1];
    assert.deepEqual((await labState(page)).state.filter.values, edited);
    assert.equal((await layoutOf(page)).redo, 0);
    await chord(page, ['Control', 'z']);
    assert.deepEqual((await labState(page)).state.filter.values, E9_FILTER);
    assert.equal((await layoutOf(page)).redo, 1);
    await chord(page, ['Control', 'y']);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, edited);
    // Filter rows [a,0,-1] with a = 5, 1, 1 over image rows [10,10,10,0,0,0]: each row adds
    // a*I[x] - I[x+2]: x=0: 40 + 0 + 0, x=1: 50 + 10 + 10, x=2: the same, x=3: 0.
    assert.deepEqual(s.result.output.values.slice(0, 4), [40, 70, 70, 0]);
    assert.equal((await layoutOf(page)).redo, 0);
    assert.ok((await hash(page)).includes('f=3x3:5,0,-1,(1,0,-1)*2'), await hash(page));
  });

  await test('drag across input cells paints the brush value (typed into its field)', async () => {
    assert.equal(await open(page, ZEROS), 1);
    await settle(page);
    // The brush: -3, typed into its field (the control's rectangle from the layout).
    let brush = (await layoutOf(page)).controls?.brush;
    assert.ok(brush, 'the layout has no brush control');
    if (brush[1] + brush[3] > 790) {  // below the fold (the controls column scrolls): a taller window
      await page.setViewportSize({ width: 1280, height: Math.ceil(brush[1] + brush[3] + 60) });
      await settle(page);
      brush = (await layoutOf(page)).controls.brush;
      assert.ok(brush[1] + brush[3] <= (await page.evaluate(() => innerHeight)), `brush off screen: ${brush}`);
    }
    await page.mouse.click(...center(brush));
    await waitForLayout(page, (l) => l.text_input);
    await page.keyboard.down('Control');
    await pressKey(page, 'a');
    await page.keyboard.up('Control');
    await page.keyboard.type('-3');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    // Press on input (1, 0), drag along row 1 to (1, 4), down to (2, 4), release.
    const g = (await layoutOf(page)).input;
    const at = (y, x) => [g.x + g.cell * (x + 0.5), g.y + g.cell * (y + 0.5)];
    await page.mouse.move(...at(1, 0));
    await settle(page, 2);
    await page.mouse.down();
    await settle(page, 2);
    for (const [y, x] of [[1, 1], [1, 2], [1, 3], [1, 4], [2, 4]]) {
      await page.mouse.move(...at(y, x));
      await settle(page, 1);
    }
    await page.mouse.up();
    await settle(page, 3);
    assert.equal((await layoutOf(page)).text_input, false, 'a drag opens no cell editor');
    const s = await labState(page);
    const painted = new Set(['1,0', '1,1', '1,2', '1,3', '1,4', '2,4']);
    const want = [];
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) want.push(painted.has(`${y},${x}`) ? -3 : 0);
    assert.deepEqual(s.state.input.values, want);
    // Output (0, 0): rows 0..2 of columns 0..2 against [1, 0, -1]: -3*1 + -3*(-1) = 0 (row 1),
    // output (0, 2): columns 2..4: row 1 -3 - (-3) = 0, row 2 0 - (-3) = 3.
    assert.equal(s.result.output.values[2], 3);
    assert.ok((await hash(page)).includes('in=6x6:'), await hash(page));
    await page.setViewportSize({ width: 1280, height: 800 });
    await settle(page);
  });

  await test('Copy link: the clipboard holds the page URL with the state; it reopens it', async () => {
    assert.equal(await open(page, E9), 1);
    await settle(page);
    await page.mouse.click(...center((await layoutOf(page)).buttons.copy));
    await settle(page);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, page.url());
    assert.equal(decodeURIComponent(new URL(copied).hash.substring(1)), E9);
    const fresh = await context.newPage();
    await openLab(fresh, copied);
    assert.deepEqual((await labState(fresh)).state.filter.values, E9_FILTER);
    await fresh.close();
  });

  await test('the ARIA live region holds the results, and a broken link\'s message', async () => {
    assert.equal(await open(page, E9), 1);
    await settle(page);
    const live = () => page.evaluate(() => document.getElementById('live').textContent);
    assert.equal(await page.evaluate(() => document.getElementById('live').getAttribute('aria-live')), 'polite');
    let text = await live();
    assert.match(text, /4 by 4/, text);
    assert.match(text, /\b0 30 30 0\b/, text);
    assert.equal(await open(page, 'v1/conv?in=6x6:1,2&f=3x3:0*9'), 0);
    await settle(page);
    text = await live();
    assert.match(text, /in: expected 36 values for 6x6, got 2/, text);
    // An edit changes what it says: the Sobel x filter gives rows [0, 40, 40, 0].
    assert.equal(await open(page, E9.replace('f=3x3:(1,0,-1)*3', 'f=3x3:1,0,-1,2,0,-2,1,0,-1')), 1);
    await settle(page);
    text = await live();
    assert.match(text, /\b0 40 40 0\b/, text);
    assert.doesNotMatch(text, /could not be opened/, text);
  });

  await test('a lab picked in Labs & presets is a history entry: back and forward', async () => {
    assert.equal(await open(page, E9), 1);
    await settle(page);
    const before = await page.evaluate(() => history.length);
    await page.mouse.click(...center((await layoutOf(page)).buttons.gallery));
    const cards = (await waitForLayout(page, (l) => l.landing.open && Object.keys(l.landing.cards).length > 1))
      .landing.cards;
    // The first card of another lab that is on screen.
    const [lab, rect] = Object.entries(cards).find(([id, r]) => id !== 'conv' && r[1] + r[3] / 2 < 800);
    await page.mouse.click(...center(rect));
    await waitForLayout(page, (l) => l.lab === lab && !l.landing.open);
    await settle(page);
    const there = (await labState(page)).link;
    assert.ok(there.startsWith(`v1/${lab}?`), there);
    assert.equal(await hash(page), there);
    assert.equal(await page.evaluate(() => history.length), before + 1);
    await page.goBack();
    await waitForLayout(page, (l) => l.lab === 'conv' && !l.landing.open);
    await settle(page);
    assert.equal((await labState(page)).link, E9);
    await page.goForward();
    await waitForLayout(page, (l) => l.lab === lab && !l.landing.open);
    await settle(page);
    assert.equal((await labState(page)).link, there, lab);
  });

  await test('too large for a link: the notice, the last link kept, Export JSON keeps it all', async () => {
    assert.equal(await open(page, E9), 1);
    await settle(page);
    // A 128x128 photo-like image (seeded noise, every grey level): far over 8,192 characters.
    let seed = 7;
    const rgba = [];
    for (let i = 0; i < 128 * 128; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const v = (seed >>> 16) & 255;
      rgba.push(v, v, v, 255);
    }
    await page.evaluate((px) => Module.ccall('nnplay_file_image', null, ['array', 'number', 'number'],
      [new Uint8Array(px), 128, 128]), rgba);
    const l = await waitForLayout(page, (x) => x.too_long !== '');
    const s = await labState(page);
    assert.deepEqual(s.state.input.shape.slice(-2), [128, 128]);
    assert.ok(s.link.length > 8192, `${s.link.length} characters`);
    assert.match(l.too_long, new RegExp(`needs ${s.link.length} characters, more than a link may hold \\(8192\\)`));
    assert.match(l.too_long, /address bar keeps the last state/);
    assert.match(l.too_long, /Export JSON/);
    assert.equal(await hash(page), E9, 'the address bar keeps the last link that fit');
    await page.screenshot({ path: join(args.out, 'readme-too-long.png') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.mouse.click(...center(l.buttons.export)),
    ]);
    const path = join(args.out, 'readme-too-long.json');
    await download.saveAs(path);
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(saved.link, s.link);
    // Import it in a fresh page: the whole state is back.
    const fresh = await context.newPage();
    await openLab(fresh, `${server.url}#${E9}`);
    const [chooser] = await Promise.all([
      fresh.waitForEvent('filechooser'),
      fresh.mouse.click(...center((await layoutOf(fresh)).buttons.import)),
    ]);
    await chooser.setFiles(path);
    await fresh.waitForFunction((n) => Module.ccall('nnplay_link', 'string').length === n, s.link.length);
    const again = await labState(fresh);
    assert.deepEqual(again.state.input.values, s.state.input.values);
    assert.notEqual((await layoutOf(fresh)).too_long, '');
    await fresh.close();
  });

  assert.deepEqual(errors, []);
  await context.close();
});
