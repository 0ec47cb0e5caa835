#!/usr/bin/env node
// fashion_bench.mjs: Fashion-MNIST in the page (headless Chromium), ConvNetJS's MNIST network
// adapted to 28×28 (what picking the dataset sets up: conv 8 5×5, pool 2, conv 16 5×5, pool 2,
// dense 10; Adam lr 0.002, batch 32): wall-clock time from the first training step to ≥ 85 %
// and ≥ 88 % accuracy on the 2,000 held-out test images.
//
// Play stops at a link's step cap (64 steps for this network), so the bench drives training
// through the page's bench exports instead (nnplay_cnn_bench_steps, which runs the cnn view's
// own session past the cap, and nnplay_cnn_bench_test_accuracy: the whole test set), in
// chunks of --every steps, measuring after each chunk. The clock includes the measurements.
//
//   node bench/fashion_bench.mjs --site build/wasm/web/site [--every 100] [--max-steps 4000]
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';

import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium, settle } from '../tests/browser/harness.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    every: { type: 'string', default: '100' },
    'max-steps': { type: 'string', default: '4000' },
  },
});
if (!args.site) throw new Error('--site DIR is required');
const every = Number(args.every);
const maxSteps = Number(args['max-steps']);
const LINK = 'v1/cnn?data=fashion&noise=0&seed=1&blocks=2&f1=8&f2=16&k=5&opt=adam&lr=0.002&batch=32';

const server = await startStaticServer({ root: args.site, port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}#${LINK}`);
  await page.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun && Module._nnplay_layout_json &&
    JSON.parse(Module.ccall('nnplay_layout_json', 'string')).fashion?.ready, null, { timeout: 60000 });
  await settle(page, 10);
  const rows = [];
  const reached = {};
  let clock = 0;
  for (let steps = 0; steps < maxSteps;) {
    const r = await page.evaluate((n) => {
      const t0 = performance.now();
      const s = Module._nnplay_cnn_bench_steps(n);
      const t1 = performance.now();
      const acc = Module._nnplay_cnn_bench_test_accuracy();
      return { steps: s, train: t1 - t0, total: performance.now() - t0, acc };
    }, every);
    clock += r.total;
    steps = r.steps;
    rows.push({ steps, seconds: clock / 1000, acc: r.acc, stepMs: r.train / every });
    console.log(`step ${steps}: test accuracy ${(r.acc * 100).toFixed(2)} % at ${(clock / 1000).toFixed(1)} s ` +
      `(${(r.train / every).toFixed(2)} ms a step)`);
    for (const target of [0.85, 0.88]) if (r.acc >= target && !reached[target]) reached[target] = { steps, seconds: clock / 1000 };
    if (reached[0.88]) break;
  }
  const say = (t) => (reached[t] ? `${reached[t].seconds.toFixed(1)} s (${reached[t].steps} steps)` : `not within ${maxSteps} steps`);
  console.log(`\n≥ 85 %: ${say(0.85)}; ≥ 88 %: ${say(0.88)}; median step ${rows.map((r) => r.stepMs).sort((a, b) => a - b)[rows.length >> 1].toFixed(2)} ms; ` +
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
} finally {
  await browser.close();
  await server.close();
}
