// frame_time.mjs: frame times of the page in headless Chromium, in one of three scenarios:
// - paint (default): the user paints on a 128x128 input with 8 filters of 3x3 (every mouse
//   move is an edit: recompute, re-encode the link, redraw);
// - train: the training lab plays (time-sliced training steps every frame, the boundary
//   and neuron maps redrawn) on the spiral preset, 7 features, 6 hidden layers of 8 tanh;
// - cnn: the CNN training lab plays (--link to choose the state);
// - fashion: the CNN lab plays Fashion-MNIST with ConvNetJS's MNIST net (what picking the
//   dataset sets up), waiting for the asset first.
// The training labs train in the trainer worker (web/trainer/) while the page draws; the
// figures are the page's, on the UI thread. Reports the CPU time per frame the page measures
// itself (nnplay_frame_ms: app + ImGui + GL submission), the rAF interval, the training
// steps per second and the machine's load average.
//
// With --rest N the training scenarios first measure N frames of the same page at rest.
//
//   node bench/frame_time.mjs --site build/wasm/web/site [--frames 240] [--scenario train]
//        [--link v1/...] [--pace max|epoch] [--rest 100] [--width 1600 --height 1000]
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';

import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium, openLab, settle, layoutOf } from '../tests/browser/harness.mjs';
import { CONV_128_LINK, quantile, fmtMs } from './common.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    frames: { type: 'string', default: '240' },
    scenario: { type: 'string', default: 'paint' },
    link: { type: 'string' },
    pace: { type: 'string', default: 'max' },
    rest: { type: 'string', default: '0' },  // frames measured at rest before Play (0: none)
    width: { type: 'string', default: '1600' },
    height: { type: 'string', default: '1000' },
  },
});
if (!args.site) throw new Error('--site DIR is required');

const TRAIN_LINK = 'v1/train?data=spiral&seed=1&noise=0&split=50&feat=x,y,x2,y2,xy,sinx,siny&layers=8,8,8,8,8,8&act=tanh&opt=adam&lr=0.01&mom=0.9&batch=10&steps=0';
const CNN_LINK = 'v1/cnn';
const FASHION_LINK = 'v1/cnn?data=fashion&noise=0&seed=1&blocks=2&f1=8&f2=16&k=5&opt=adam&lr=0.002&batch=32';

const LINK = CONV_128_LINK;
const fmt = fmtMs;

// Clicks the centre of a layout rectangle ({x, y, w, h} or [x, y, w, h]), holding the button
// across frames (ImGui's SDL backend drops a press and release within one frame).
async function click(page, r) {
  const [x, y] = Array.isArray(r) ? [r[0] + r[2] / 2, r[1] + r[3] / 2] : [r.x + r.w / 2, r.y + r.h / 2];
  await page.mouse.move(x, y);
  await settle(page, 2);
  await page.mouse.down();
  await settle(page, 2);
  await page.mouse.up();
}

// Waits for n animation frames and returns the intervals between them in ms. With `paint`
// ({cx, cy, r}), each frame also moves the pressed mouse one step along a spiral.
function animationFrames(page, n, paint = null) {
  return page.evaluate(async ({ n, paint }) => {
    const out = [];
    let last = performance.now();
    for (let i = 0; i < n; i++) {
      await new Promise((res) => requestAnimationFrame(res));
      const now = performance.now();
      out.push(now - last);
      last = now;
      if (!paint) continue;
      const a = i * 0.35, d = (paint.r * i) / n;
      Module.canvas.dispatchEvent(new MouseEvent('mousemove', {
        clientX: paint.cx + d * Math.cos(a), clientY: paint.cy + d * Math.sin(a), buttons: 1, bubbles: true,
      }));
    }
    return out;
  }, { n, paint });
}

async function readFrames(page, before, intervals, what = 'CPU per frame (app+ImGui+GL submit)') {
  const after = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number'));
  const count = Math.min(after - before, 239);
  const cpu = await page.evaluate((k) => Array.from({ length: k }, (_, i) =>
    Module.ccall('nnplay_frame_ms', 'number', ['number'], [i])), count);
  console.log(`${what}: median ${fmt(quantile(cpu, 0.5))}, p95 ${fmt(quantile(cpu, 0.95))}, max ${fmt(Math.max(...cpu))} over ${count} frames`);
  console.log(`rAF interval: median ${fmt(quantile(intervals.slice(5), 0.5))}, p95 ${fmt(quantile(intervals.slice(5), 0.95))} (a 60 Hz frame is 16.7 ms)`);
}

// Press Play, then count frames and training steps for --frames animation frames.
async function playScenario(page) {
  const link = args.link ||
    { cnn: CNN_LINK, fashion: FASHION_LINK }[args.scenario] || TRAIN_LINK;
  await openLab(page, `${server.url}#${link}`);
  if (link.includes('data=fashion')) {
    await page.waitForFunction(() => JSON.parse(Module.ccall('nnplay_layout_json', 'string')).fashion?.ready,
      null, { timeout: 60000 });
    await settle(page, 10);
  }
  const play = (await layoutOf(page)).play;
  if (!play) throw new Error('the lab reports no "play" rectangle in its layout');
  // The training lab's speed: "max" (as many steps as fit the frame's budget: the heaviest
  // frames) unless --pace epoch.
  const paceMax = (await layoutOf(page)).pace_max;
  if (paceMax && args.pace === 'max') await click(page, paceMax);
  const steps = async () => (await layoutOf(page)).steps;
  if (Number(args.rest) > 0) {
    // The same page at rest first: what the page's frames cost without training (on a
    // shared machine most of a frame's wall clock is the GL calls waiting on the rasteriser).
    const rest0 = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number'));
    const restIntervals = await animationFrames(page, Number(args.rest));
    await readFrames(page, rest0, restIntervals, 'at rest, CPU per frame');
  }
  const s0 = await steps();
  const before = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number'));
  await click(page, play);
  const n = Number(args.frames);
  const t0 = Date.now();
  const load0 = loadavg();
  const intervals = await animationFrames(page, n);
  const seconds = (Date.now() - t0) / 1000;
  const layout = await layoutOf(page);
  const worker = layout.worker ? ` (worker: ${layout.worker.run ? 'yes' : 'no'}, snapshots ${layout.worker.snapshots})` : '';
  const p = layout.play || play;
  await click(page, p);  // pause
  await settle(page);
  const s1 = await steps();
  console.log(`frame times while training: ${link}`);
  console.log(`steps: ${s0} -> ${s1} in ${seconds.toFixed(2)} s (${Math.round((s1 - s0) / seconds)} steps/s)${worker}`);
  await readFrames(page, before, intervals);
  const la = (l) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(`load average ${la(load0)} before, ${la(loadavg())} after, on ${cpus().length} cores`);
}

async function paintScenario(page) {
  await openLab(page, `${server.url}#${LINK}`);
  const g = (await layoutOf(page)).input;
  const n = Number(args.frames);
  // Paint: press inside the input, then one mouse move per frame along a spiral.
  const cx = g.x + g.cell * 64, cy = g.y + g.cell * 64;
  const before = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number'));
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const intervals = await animationFrames(page, n, { cx, cy, r: g.cell * 60 });
  await page.mouse.up();
  await settle(page);
  const state = JSON.parse(await page.evaluate(() => Module.ccall('nnplay_state_json', 'string')));
  const painted = state.state.input.values.filter((v) => v !== 0).length;
  console.log(`frame times while painting a 128x128 input, 8 filters 3x3 + ReLU + 2x2 max pool`);
  console.log(`painted cells: ${painted}; link: ${(await page.evaluate(() => Module.ccall('nnplay_link', 'string'))).length} chars`);
  await readFrames(page, before, intervals);
}

const server = await startStaticServer({ root: args.site, port: 0 });
const browser = await launchChromium();
try {
  // Headless Chromium rasterises WebGL in software (SwiftShader): the rAF interval grows
  // with the canvas (an idle page here: 77 ms at 1600x1000, 23 ms at 800x600, 16.7 ms at
  // 400x300), so compare the CPU per frame, or measure rAF at a small --width/--height.
  const page = await browser.newPage({ viewport: { width: Number(args.width), height: Number(args.height) } });
  if (args.scenario !== 'paint') {
    await playScenario(page);
  } else {
    await paintScenario(page);
  }
} finally {
  await browser.close();
  await server.close();
}
