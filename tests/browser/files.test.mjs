// files.test.mjs: the state as a file and an image from disk. Export JSON downloads the
// state; importing that file restores it; a picked image becomes the conv lab's input,
// decoded in the browser (expected pixel values computed by hand below).
//
//   node tests/browser/files.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

import { openLab, labState, settle, layoutOf, clickRect, pickFile, waitForLayout, testArgs, runTests } from './harness.mjs';

const args = testArgs();

const SOBEL = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:1,0,-1,2,0,-2,1,0,-1&pad=1&stride=2&dil=1';
const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';

// A 24-bit BMP, rows bottom-up, each padded to 4 bytes. pixels[y][x] = [r, g, b].
function bmp(pixels) {
  const h = pixels.length, w = pixels[0].length, row = Math.ceil((w * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * h);
  buf.write('BM', 0);
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = pixels[y][x], o = 54 + (h - 1 - y) * row + x * 3;
      buf[o] = b, buf[o + 1] = g, buf[o + 2] = r;
    }
  return buf;
}

await runTests(args, async ({ server, browser, test }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('Export JSON downloads the state; Import opens it again', async () => {
    await openLab(page, `${server.url}#${SOBEL}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      clickRect(page, (await layoutOf(page)).buttons.export),
    ]);
    assert.equal(download.suggestedFilename(), 'nnplay-conv.json');
    const path = join(args.out, 'nnplay-conv.json');
    await download.saveAs(path);
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(saved.link, SOBEL);
    // Somewhere else, then import the file.
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), E9);
    await settle(page);
    await pickFile(page, (await layoutOf(page)).buttons.import, path);
    await page.waitForFunction((l) => Module.ccall('nnplay_link', 'string') === l, SOBEL);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, [1, 0, -1, 2, 0, -2, 1, 0, -1]);
    // A broken file says so and changes nothing.
    await pickFile(page, (await layoutOf(page)).buttons.import,
      { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"link":"v1/conv?in=2x2:1&f=1x1:1"}') });
    await page.waitForFunction(() => Module.ccall('nnplay_message', 'string') !== '');
    assert.match(await page.evaluate(() => Module.ccall('nnplay_message', 'string')), /in: expected 4 values/);
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_link', 'string')), SOBEL);
  });

  await test('a picked image becomes the input (grey levels by hand)', async () => {
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), E9);
    await settle(page);
    // 3x2 image: white, black, red / green, blue, grey(128). Luma = round(.299R + .587G + .114B):
    // 255, 0, round(76.245) = 76 / round(149.685) = 150, round(29.07) = 29, 128.
    const image = bmp([[[255, 255, 255], [0, 0, 0], [255, 0, 0]], [[0, 255, 0], [0, 0, 255], [128, 128, 128]]]);
    await pickFile(page, (await layoutOf(page)).presets['load-image'], { name: 'tiny.bmp', mimeType: 'image/bmp', buffer: image });
    await page.waitForFunction(() => JSON.parse(Module.ccall('nnplay_state_json', 'string')).state.input.shape[2] === 3);
    const s = await labState(page);
    assert.deepEqual(s.state.input.shape, [1, 2, 3]);
    assert.deepEqual(s.state.input.values, [255, 0, 76, 150, 29, 128]);
    assert.match(s.result.error, /No output/);  // a 3x3 filter does not fit 2x3: says why
    await page.screenshot({ path: join(args.out, 'files-image.png') });
  });

  await test('right-click a map, Save as PNG: the colours as drawn, top row first', async () => {
    // Horizontal edge: rows 0..2 are 10 (red), rows 3..5 are 0 (neutral).
    const link = 'v1/conv?in=6x6:10*18,0*18&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
    await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), link);
    await settle(page);
    const g = (await layoutOf(page)).input;
    assert.deepEqual(g.menu_item, [0, 0, 0, 0], 'no menu before the right-click');
    await page.mouse.click(g.x + g.cell, g.y + g.cell, { button: 'right' });
    const item = (await waitForLayout(page, (l) => l.input.menu_item[2] > 0)).input.menu_item;  // "Save as PNG"
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      clickRect(page, item),
    ]);
    assert.equal(download.suggestedFilename(), 'nnplay-input.png');
    const path = join(args.out, 'input-map.png');
    await download.saveAs(path);
    const png = readFileSync(path);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    const w = png.readUInt32BE(16), h = png.readUInt32BE(20);
    assert.equal(w, h);
    assert.equal(w % 6, 0);  // whole cells
    let at = 8, idat = [];
    while (at < png.length) {
      const len = png.readUInt32BE(at), type = png.subarray(at + 4, at + 8).toString();
      if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
      at += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const pixel = (x, y) => raw.subarray(y * (1 + 4 * w) + 1 + 4 * x, y * (1 + 4 * w) + 5 + 4 * x);
    const [tr, , tb] = pixel(1, 1), [br, bg, bb] = pixel(1, h - 2);
    assert.ok(tr > tb + 60, `top row should be red, got ${[...pixel(1, 1)]}`);
    assert.ok(Math.abs(br - bb) < 30 && bg > 150, `bottom row should be neutral, got ${[...pixel(1, h - 2)]}`);
  });

  assert.deepEqual(errors, []);
  await context.close();
});
