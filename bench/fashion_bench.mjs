#!/usr/bin/env node
// fashion_bench.mjs: Fashion-MNIST in the page (headless Chromium), ConvNetJS's MNIST network
// adapted to 28×28 (what picking the dataset sets up: conv 8 5×5, pool 2, conv 16 5×5, pool 2,
// dense 10; Adam lr 0.002, batch 32): wall-clock time from pressing Play to the page showing
// ≥ 85 % and ≥ 88 % accuracy on the 2,000 held-out test images.
//
// Play trains in the trainer worker until Pause (no step cap: past the link's replay cap, 64
// steps for this net, the link carries the checkpoint); the worker measures the whole test set
// about once a second and the page shows it ("Test accuracy", the cnn layout's
// worker.test_acc, at worker.test_steps). The clock starts at the release of the mouse on
// Play (the press ImGui acts on). The bench polls the layout every --poll ms, so a time is
// late by at most that much plus the worker's measuring interval. It also reports the UI
// thread's CPU per frame meanwhile (nnplay_frame_ms over the last frames), and pauses at the
// end: the paused link's length (it carries the checkpoint).
//
//   node bench/fashion_bench.mjs --site build/wasm/web/site [--limit 180] [--poll 250]
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';

import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium, settle, layoutOf, clickRect } from '../tests/browser/harness.mjs';
import { quantile, fmtMs } from './common.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    limit: { type: 'string', default: '180' },  // seconds of training at most
    poll: { type: 'string', default: '250' },
  },
});
if (!args.site) throw new Error('--site DIR is required');
const LINK = 'v1/cnn?data=fashion&noise=0&seed=1&blocks=2&f1=8&f2=16&k=5&opt=adam&lr=0.002&batch=32';

const server = await startStaticServer({ root: args.site, port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}#${LINK}`);
  await page.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun && Module._nnplay_layout_json &&
    JSON.parse(Module.ccall('nnplay_layout_json', 'string')).fashion?.ready, null, { timeout: 60000 });
  await settle(page, 10);
  const load0 = loadavg();
  let layout = await layoutOf(page);
  // clickRect's press, with the clock started at the release (ImGui's click).
  const [x, y, w, h] = layout.play;
  await page.mouse.move(x + w / 2, y + h / 2);
  await settle(page, 2);
  await page.mouse.down();
  await settle(page, 2);
  const t0 = Date.now();
  await page.mouse.up();
  const frames0 = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number'));
  const reached = {};
  let last = -1;
  while ((Date.now() - t0) / 1000 < Number(args.limit)) {
    await page.waitForTimeout(Number(args.poll));
    layout = await layoutOf(page);
    const w = layout.worker;
    if (!w || w.run === 0) throw new Error(`not training in the worker: ${JSON.stringify(w)}`);
    const seconds = (Date.now() - t0) / 1000;
    if (w.test_steps !== last && w.test_steps >= 0) {
      last = w.test_steps;
      console.log(`${seconds.toFixed(1)} s: step ${w.test_steps}, test accuracy ${(w.test_acc * 100).toFixed(2)} % ` +
        `(${Math.round(w.steps_per_s)} steps/s)`);
      for (const t of [0.85, 0.88])
        if (w.test_acc >= t && !reached[t]) reached[t] = { steps: w.test_steps, seconds };
    }
    if (reached[0.88]) break;
  }
  const frames1 = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number'));
  const count = Math.min(frames1 - frames0, 239);
  const cpu = await page.evaluate((k) => Array.from({ length: k }, (_, i) =>
    Module.ccall('nnplay_frame_ms', 'number', ['number'], [i])), count);
  const seconds = (Date.now() - t0) / 1000;
  await clickRect(page, layout.play);  // Pause
  await page.waitForFunction(() => !JSON.parse(Module.ccall('nnplay_layout_json', 'string')).playing, null,
    { timeout: 60000 });
  await settle(page, 4);
  const steps = (await layoutOf(page)).steps;
  const link = await page.evaluate(() => Module.ccall('nnplay_link', 'string'));
  const say = (t) => (reached[t] ? `${reached[t].seconds.toFixed(1)} s (step ${reached[t].steps})` : `not within ${args.limit} s`);
  console.log(`\n≥ 85 %: ${say(0.85)}; ≥ 88 %: ${say(0.88)}; ${steps} steps in ${seconds.toFixed(1)} s ` +
    `(${(steps / seconds).toFixed(1)} steps/s); the paused link: ${link.length} characters` +
    `${link.includes('&ckpt=') ? ' (with its checkpoint)' : ''}`);
  console.log(`UI thread CPU per frame while training (last ${count} of ${frames1 - frames0} frames): median ${fmtMs(quantile(cpu, 0.5))}, ` +
    `p95 ${fmtMs(quantile(cpu, 0.95))}, max ${fmtMs(Math.max(...cpu))}`);
  const la = (l) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(`load average ${la(load0)} before, ${la(loadavg())} after, on ${cpus().length} cores`);
} finally {
  await browser.close();
  await server.close();
}
