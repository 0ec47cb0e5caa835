// camera.test.mjs: the convolution lab's Camera source with Chromium's fake camera, fed a
// .y4m this test writes (64×48, 10 frames looped at 20 fps): the top half is bright on the
// left and dark on the right (the mirrored input shows it the other way round), the bottom
// half has a bright band that moves 6 columns per frame (the input changes from frame to
// frame), and the last 8 rows are noise (many grey levels: a 128×128 frame is too long for a
// link). Outputs are checked against a convolution computed here from the input the page
// reports; the live frame must never reach the link until it is frozen.
//
//   node tests/browser/camera.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
  openLab, labState, layoutOf, settle, waitForLayout, pressKey, clickRect as click, testArgs, runTests,
} from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
const E9_INPUT = Array.from({ length: 6 }, () => [10, 10, 10, 0, 0, 0]).flat();
const W = 64, H = 48, FRAMES = 10, BRIGHT = 220, DARK = 40;

// YUV4MPEG2, 4:2:0: a Y plane then quarter-size U and V planes (128: no colour).
function y4m() {
  let noise = 1;
  const parts = [Buffer.from(`YUV4MPEG2 W${W} H${H} F20:1 Ip A1:1 C420jpeg\n`)];
  for (let k = 0; k < FRAMES; k++) {
    const y = Buffer.alloc(W * H, DARK);
    for (let r = 0; r < H; r++)
      for (let c = 0; c < W; c++) {
        const top = r < H / 2;
        if ((top && c < W / 2) || (!top && c >= 6 * k && c < 6 * k + 6)) y[r * W + c] = BRIGHT;
        if (r >= H - 8) y[r * W + c] = 16 + (noise = (noise * 1103515245 + 12345) >>> 0) % 220;
      }
    parts.push(Buffer.from('FRAME\n'), y, Buffer.alloc((W / 2) * (H / 2) * 2, 128));
  }
  return Buffer.concat(parts);
}
const video = resolve(args.out, 'camera-test.y4m');
writeFileSync(video, y4m());

// The convolution of a [c, h, w] input with one c-channel kh×kw filter, no padding,
// stride 1: out[y][x] = Σ in[ch][y+i][x+j]·f[ch][i][j] (whole numbers: exact in float32).
function convValid(input, [c, h, w], filter, [kh, kw]) {
  const out = [];
  for (let y = 0; y + kh <= h; y++)
    for (let x = 0; x + kw <= w; x++) {
      let s = 0;
      for (let ch = 0; ch < c; ch++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) s += input[(ch * h + y + i) * w + x + j] * filter[(ch * kh + i) * kw + j];
      out.push(s);
    }
  return out;
}

function checkOutputs(s, what, channels = 1) {
  assert.deepEqual(s.state.input.shape, [channels, H, W], what);
  assert.deepEqual(s.result.output.shape, [1, H - 2, W - 2], what);
  assert.deepEqual(s.result.output.values, convValid(s.state.input.values, s.state.input.shape, s.state.filter.values, [3, 3]), what);
}

const mean = (values, w, rows, cols) => {
  let s = 0, n = 0;
  for (let y = rows[0]; y < rows[1]; y++) for (let x = cols[0]; x < cols[1]; x++) s += values[y * w + x], n++;
  return s / n;
};
const link = (page) => page.evaluate(() => Module.ccall('nnplay_link', 'string'));

await runTests(args, async ({ server, browser, test }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['camera'] });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('Camera: the input follows the frames, mirrored; the outputs follow; the link keeps the image', async () => {
    await openLab(page, `${server.url}#${E9}`);
    const before = await link(page);
    const undoBefore = (await layoutOf(page)).undo;
    await click(page, (await layoutOf(page)).presets.camera);
    await waitForLayout(page, (l) => l.camera.live && l.camera.frames >= 2);
    const a = await labState(page);
    checkOutputs(a, 'first frame');
    // Mirrored: the video's bright left half is the input's right half.
    const left = mean(a.state.input.values, W, [2, 22], [2, 30]), right = mean(a.state.input.values, W, [2, 22], [34, 62]);
    assert.ok(right > left + 100, `top half: left ${left}, right ${right} (the mirror puts the bright half right)`);
    // Another frame: the band has moved, and the outputs are those of the new input.
    const framesA = (await layoutOf(page)).camera.frames;
    let b;
    for (let i = 0; i < 40; i++) {
      await waitForLayout(page, (l) => l.camera.frames > framesA + i);
      b = await labState(page);
      if (b.state.input.values.join() !== a.state.input.values.join()) break;
    }
    assert.notDeepEqual(b.state.input.values, a.state.input.values, 'the input never changed');
    checkOutputs(b, 'a later frame');
    // No frame reaches the link, the history or the undo stack while live.
    assert.equal(await link(page), before);
    assert.equal((await layoutOf(page)).undo, undoBefore);
    assert.ok(decodeURIComponent(await page.evaluate(() => location.hash)).includes('in=6x6:'));
    await page.screenshot({ path: join(args.out, 'camera-live.png') });
  });

  await test('typing a filter value while live: the outputs follow at once, the link keeps the image', async () => {
    const f = (await layoutOf(page)).filter;
    await page.mouse.click(f.x + f.cell / 2, f.y + f.cell / 2);  // filter cell (0, 0)
    await waitForLayout(page, (l) => l.text_input);
    await page.keyboard.type('2');
    await pressKey(page, 'Enter');
    await waitForLayout(page, (l) => !l.text_input);
    const frames = (await layoutOf(page)).camera.frames;
    await waitForLayout(page, (l) => l.camera.frames > frames);
    const s = await labState(page);
    assert.deepEqual(s.state.filter.values, [2, 0, -1, 1, 0, -1, 1, 0, -1]);
    checkOutputs(s, 'the edited filter over a live frame');
    const l = await link(page);
    assert.ok(l.startsWith('v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:2,0,-1,(1,0,-1)*2'), l);
  });

  let frozenLink = '', frozen = null;
  await test('Space freezes: a stable input, a link that reopens the same numbers, undo returns', async () => {
    await page.locator('canvas').focus();
    await pressKey(page, 'Space');
    const l = await waitForLayout(page, (x) => x.camera.frozen && !x.camera.live);
    assert.equal(l.too_long, '');
    frozen = await labState(page);
    checkOutputs(frozen, 'the frozen frame');
    await settle(page, 20);
    assert.deepEqual((await labState(page)).state.input.values, frozen.state.input.values, 'the frozen input moved');
    assert.ok(l.presets.camera, 'Resume is offered');
    // The receptive-field arithmetic works on the frozen frame: hover output (5, 7).
    const o = (await layoutOf(page)).output;
    await page.mouse.move(o.x + o.cell * 7.5, o.y + o.cell * 5.5);
    await waitForLayout(page, (x) => x.hover.join() === '0,5,7');
    await page.screenshot({ path: join(args.out, 'camera-frozen-hover.png') });
    await page.mouse.move(5, 5);
    frozenLink = await link(page);
    assert.ok(frozenLink.startsWith('v1/conv?in=48x64'), frozenLink.slice(0, 80));
    assert.equal(decodeURIComponent((await page.evaluate(() => location.hash)).slice(1)), frozenLink);
    assert.equal(frozen.link, frozenLink);
    await page.screenshot({ path: join(args.out, 'camera-frozen.png') });
    // The link, opened in a new page, gives the same input and outputs.
    const other = await context.newPage();
    await openLab(other, `${server.url}#${frozenLink}`);
    const t = await labState(other);
    assert.deepEqual(t.state.input.values, frozen.state.input.values);
    assert.deepEqual(t.result.output.values, frozen.result.output.values);
    await other.close();
    // Undo: the image from before the camera (with the edited filter).
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_undo', 'number')), 1);
    await settle(page);
    const u = await labState(page);
    assert.deepEqual(u.state.input.values, E9_INPUT);
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_redo', 'number')), 1);
    await settle(page);
    assert.equal(await link(page), frozenLink);
  });

  await test('Resume, then the camera stops: a plain message, the lab keeps its image', async () => {
    const l = await layoutOf(page);
    await click(page, l.presets.camera);
    await waitForLayout(page, (x) => x.camera.live && x.camera.frames >= 2);
    // The track ends as when the camera is unplugged.
    await page.evaluate(() => Module.nnplayCamera.stream.getVideoTracks()[0].dispatchEvent(new Event('ended')));
    const e = await waitForLayout(page, (x) => !x.camera.live && x.camera.status === 6);
    assert.match(e.camera.message, /camera stopped.*keeps its image/);
    const s = await labState(page);
    assert.deepEqual(s.state.input.values, frozen.state.input.values);
    assert.equal(await link(page), frozenLink);
  });

  await test('a frame too large for a link: the notice offers Export JSON, the address bar keeps the last link', async () => {
    const big = 'v1/conv?in=128x128:0*16384&f=3x3:(1,0,-1)*3&pad=same&stride=1&dil=1&act=relu&pool=max:2:2';
    await page.evaluate((x) => Module.ccall('nnplay_open_link', 'number', ['string'], [x]), big);
    await settle(page);
    await click(page, (await layoutOf(page)).presets.camera);
    const l = await waitForLayout(page, (x) => x.camera.live && x.camera.frames >= 2);
    await click(page, l.presets.freeze);
    const f = await waitForLayout(page, (x) => x.camera.frozen);
    assert.match(f.too_long, /more than a link may hold.*Export JSON/);
    const s = await labState(page);
    assert.deepEqual(s.state.input.shape, [1, 128, 128]);
    assert.ok(decodeURIComponent(await page.evaluate(() => location.hash)).includes('in=128x128:0*16384'));
    await page.screenshot({ path: join(args.out, 'camera-too-long.png') });
  });

  await test('three input channels take R, G and B; leaving the lab turns the camera off', async () => {
    await page.evaluate((x) => Module.ccall('nnplay_open_link', 'number', ['string'], [x]),
      'v1/conv?in=3x6x6:0*108&f=1x3x3x3:(1,0,-1)*9&pad=valid&stride=1&dil=1');
    await settle(page);
    await click(page, (await layoutOf(page)).presets.camera);
    await waitForLayout(page, (l) => l.camera.live && l.camera.frames >= 2);
    const s = await labState(page);
    checkOutputs(s, 'three channels', 3);
    // A grey video (U = V = 128): R, G and B agree within the colour conversion's rounding,
    // and the mirrored top half is bright on the right in each.
    const plane = H * W, v = s.state.input.values;
    for (let i = 0; i < (H / 2) * W; i++)
      assert.ok(Math.abs(v[i] - v[plane + i]) <= 3 && Math.abs(v[i] - v[2 * plane + i]) <= 3, `pixel ${i}: ${v[i]}, ${v[plane + i]}, ${v[2 * plane + i]}`);
    for (let c = 0; c < 3; c++)
      assert.ok(mean(v.slice(c * plane), W, [2, 22], [34, 62]) > mean(v.slice(c * plane), W, [2, 22], [2, 30]) + 100);
    // Another lab: the conv lab is no longer drawn, and the camera goes off within 2 s.
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_open_link', 'number', ['string'], ['v1/softmax?x=3:2,1,0.1&t=1'])), 1);
    await page.waitForFunction(() => Module.nnplayCamera.stream === null && Module.nnplayCamera.status === 0, null, { timeout: 6000 });
    assert.equal(await page.evaluate(() => Module.ccall('nnplay_undo', 'number')), 1);  // back to the conv lab
    await settle(page);
    const back = await waitForLayout(page, (l) => l.lab === 'conv');
    assert.equal(back.camera.live, false);
    assert.deepEqual((await labState(page)).state.input.shape, [3, 6, 6], 'the image from before the camera');
  });

  await test('screenshots: live at 1280x800 and pixel ratio 2, and on a 390-px phone', async () => {
    for (const [name, viewport, scale] of [['camera-dpr2.png', { width: 1280, height: 800 }, 2], ['camera-phone.png', { width: 390, height: 844 }, 2]]) {
      const ctx = await browser.newContext({ viewport, deviceScaleFactor: scale, permissions: ['camera'] });
      const p = await ctx.newPage();
      await p.addInitScript(() => localStorage.setItem('nnplay.guide.conv', 'closed'));
      await openLab(p, `${server.url}#${E9}`);
      // On a phone the controls are below the maps: scroll a button into view, then press it.
      const press = async (id, tap = true) => {
        const inView = (r) => r && r[1] >= 0 && r[1] + r[3] < viewport.height - 20;
        await p.mouse.move(viewport.width - 30, viewport.height / 2);  // clear of the grids
        for (let i = 0; i < 30 && !inView((await layoutOf(p)).presets[id]); i++) {
          await p.mouse.wheel(0, (await layoutOf(p)).presets[id][1] > 0 ? 100 : -100);  // one notch
          await settle(p, 3);
        }
        if (tap) await click(p, (await layoutOf(p)).presets[id]);
      };
      await press('camera');
      const l = await waitForLayout(p, (x) => x.camera.live && x.camera.frames >= 2);
      for (const id of ['freeze', 'camera-stop']) {
        const r = l.presets[id];
        assert.ok(r && r[0] >= 0 && r[0] + r[2] <= viewport.width + 0.5, `${id} off screen: ${JSON.stringify(r)}`);
      }
      await p.screenshot({ path: join(args.out, name) });
      if (viewport.width < 760) {
        await press('freeze', false);  // scroll the camera's buttons into view
        await p.screenshot({ path: join(args.out, name.replace('.png', '-controls.png')) });
      }
      await press('camera-stop');
      const s = await waitForLayout(p, (x) => !x.camera.live);
      assert.equal(s.camera.status, 0);
      assert.deepEqual((await labState(p)).state.input.values, E9_INPUT, 'Stop puts the image back');
      await ctx.close();
    }
  });

  assert.deepEqual(errors, []);
  await context.close();

  await test('without the camera permission: the message, and the lab keeps its image', async () => {
    const denied = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await denied.newPage();
    const pageErrors = [];
    p.on('pageerror', (e) => pageErrors.push(String(e)));
    await openLab(p, `${server.url}#${E9}`);
    await click(p, (await layoutOf(p)).presets.camera);
    const l = await waitForLayout(p, (x) => x.camera.status === 3);
    assert.equal(l.camera.live, false);
    assert.match(l.camera.message, /not allowed, so the lab keeps its image/);
    const s = await labState(p);
    assert.deepEqual(s.state.input.values, E9_INPUT);
    assert.equal(await link(p), E9);
    await p.screenshot({ path: join(args.out, 'camera-denied.png') });
    // No camera at all: its own message.
    await p.evaluate(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('none', 'NotFoundError'));
    });
    await click(p, (await layoutOf(p)).presets.camera);
    const n = await waitForLayout(p, (x) => x.camera.status === 4);
    assert.match(n.camera.message, /No camera was found/);
    assert.deepEqual((await labState(p)).state.input.values, E9_INPUT);
    assert.deepEqual(pageErrors, []);
    await denied.close();
  });
}, { camera: { file: video } });
