// camera_frame.mjs: the convolution lab fed by a camera, in headless Chromium with its fake
// camera (640×480 at 20 fps, the test pattern): a 128×128 input, 8 filters of 3×3, same
// padding, ReLU and 2×2 max pooling, live. Reports the page's own CPU time per frame
// (nnplay_frame_ms: app + ImGui + GL submission, on the UI thread) for the frames that took
// a new camera frame (capture: drawImage + getImageData; conversion; recompute; 25 heatmap
// uploads; drawing) and for all frames while live, and the camera frames per second.
//
//   node bench/camera_frame.mjs --site build/wasm/web/site [--frames 200] [--width 1280 --height 800]
import { parseArgs } from 'node:util';

import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium, openLab, settle, layoutOf, clickRect, waitForLayout } from '../tests/browser/harness.mjs';
import { CONV_128_LINK, quantile, fmtMs } from './common.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    frames: { type: 'string', default: '200' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
  },
});
if (!args.site) throw new Error('--site DIR is required');

const LINK = CONV_128_LINK;
const fmt = fmtMs;
const stats = (xs) => `median ${fmt(quantile(xs, 0.5))}, p95 ${fmt(quantile(xs, 0.95))}, max ${fmt(Math.max(...xs))} over ${xs.length} frames`;

const server = await startStaticServer({ root: args.site, port: 0 });
const browser = await launchChromium({ camera: {} });
try {
  const context = await browser.newContext({
    viewport: { width: Number(args.width), height: Number(args.height) }, permissions: ['camera'],
  });
  await context.addInitScript(() => localStorage.setItem('nnplay.guide.conv', 'closed'));
  const page = await context.newPage();
  await openLab(page, `${server.url}#${LINK}`);
  await clickRect(page, (await layoutOf(page)).presets.camera);
  await waitForLayout(page, (l) => l.camera.live && l.camera.frames >= 10, 20000);
  const n = Math.min(Number(args.frames), 239);
  const before = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number'));
  const grabbedBefore = await page.evaluate(() => Module.nnplayCamera.grabbed);
  const t0 = Date.now();
  await settle(page, n);
  const seconds = (Date.now() - t0) / 1000;
  const r = await page.evaluate(({ before, n }) => {
    const after = Module.ccall('nnplay_frame_count', 'number');
    const grabs = new Set(Module.nnplayCamera.grabFrames);
    const all = [], grabbed = [];
    for (let f = Math.max(before, after - n); f < after; f++) {
      const ms = Module.ccall('nnplay_frame_ms', 'number', ['number'], [after - 1 - f]);
      if (ms < 0) continue;
      all.push(ms);
      if (grabs.has(f)) grabbed.push(ms);
    }
    const capture = Module.nnplayCamera.grabMs.slice(-grabbed.length);
    return { all, grabbed, capture, after, grabbedTotal: Module.nnplayCamera.grabbed };
  }, { before, n });
  const state = JSON.parse(await page.evaluate(() => Module.ccall('nnplay_state_json', 'string')));
  console.log(`camera frames into a ${state.state.input.shape.join('x')} input, ${state.state.filter.shape[0]} filters 3x3, ReLU, 2x2 max pool; ${args.width}x${args.height}`);
  console.log(`camera frames taken: ${r.grabbedTotal - grabbedBefore} in ${seconds.toFixed(2)} s (${((r.grabbedTotal - grabbedBefore) / seconds).toFixed(1)} fps; the fake camera sends 20)`);
  console.log(`CPU per frame with a new camera frame (capture+convert+recompute+upload+draw): ${stats(r.grabbed)}`);
  console.log(`  of which the capture (drawImage + getImageData + copy into wasm): ${stats(r.capture)}`);
  console.log(`CPU per frame, all frames while live: ${stats(r.all)}`);
} finally {
  await browser.close();
  await server.close();
}
