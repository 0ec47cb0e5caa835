#!/usr/bin/env node
// page_threads.mjs: the fashion net's training speed in the page (headless Chromium) served
// cross-origin isolated (COOP/COEP: the threaded trainer, as many threads as cores, at most 8)
// and not (one thread), through Play as a learner trains: steps a second and the speed-up.
//
// The network is what picking Fashion-MNIST sets up (ConvNetJS's MNIST net adapted to 28×28:
// conv 8 5×5, pool, conv 16 5×5, pool, dense 10; Adam, batch 32). Each round opens the link in
// a fresh page on each server, presses Play, lets --warmup seconds pass (the trainer starts,
// its threads load), then counts the steps the page shows over --seconds of wall clock.
// Rounds alternate the two servers (isolated, plain, isolated, ...) so that a change in the
// machine's load hits both alike; the figures are medians over --rounds.
//
//   node bench/page_threads.mjs --site build/wasm/web/site [--rounds 3] [--seconds 12] [--warmup 4]
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium, settle } from '../tests/browser/harness.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '12' },
    warmup: { type: 'string', default: '4' },
  },
});
if (!args.site) throw new Error('--site DIR is required');
const LINK = 'v1/cnn?data=fashion&noise=0&seed=1&blocks=2&f1=8&f2=16&k=5&opt=adam&lr=0.002&batch=32';
const layout = (page) => page.evaluate(() => JSON.parse(Module.ccall('nnplay_layout_json', 'string')));

async function clickRect(page, r) {
  await page.mouse.move(r[0] + r[2] / 2, r[1] + r[3] / 2);
  await settle(page, 2);
  await page.mouse.down();
  await settle(page, 2);
  await page.mouse.up();
  await settle(page, 2);
}

// One round on one server: { stepsPerSecond, threads, text }.
async function round(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`${url}#${LINK}`);
    await page.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun && Module._nnplay_layout_json &&
      JSON.parse(Module.ccall('nnplay_layout_json', 'string')).fashion?.ready, null, { timeout: 120000 });
    await settle(page, 10);
    await clickRect(page, (await layout(page)).play);
    await page.waitForTimeout(Number(args.warmup) * 1000);
    const a = await layout(page);
    const t0 = Date.now();
    await page.waitForTimeout(Number(args.seconds) * 1000);
    const b = await layout(page);
    const t1 = Date.now();
    if (!b.playing) throw new Error(`Play stopped at step ${b.steps} (of at most ${b.max_steps}): lower --seconds`);
    return { stepsPerSecond: (b.steps - a.steps) / ((t1 - t0) / 1000), threads: b.threads.count, text: b.threads.text };
  } finally {
    await page.close();
  }
}

const isolated = await startStaticServer({ root: args.site, port: 0 });
const plain = await startStaticServer({ root: args.site, port: 0, isolate: false });
const browser = await launchChromium();
const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
try {
  const runs = { isolated: [], plain: [] };
  for (let r = 0; r < Number(args.rounds); ++r) {
    for (const [name, server] of [['isolated', isolated], ['plain', plain]]) {
      const got = await round(browser, server.url);
      runs[name].push(got);
      console.log(`round ${r + 1}, ${name}: ${got.stepsPerSecond.toFixed(2)} steps/s ("${got.text}"), ` +
        `load ${loadavg()[0].toFixed(1)}`);
    }
  }
  const a = median(runs.isolated.map((x) => x.stepsPerSecond));
  const b = median(runs.plain.map((x) => x.stepsPerSecond));
  console.log(`\nfashion net through Play: isolated (${runs.isolated[0].threads} threads) ${a.toFixed(2)} steps/s, ` +
    `not isolated (${runs.plain[0].threads} thread) ${b.toFixed(2)} steps/s: ${(a / b).toFixed(2)}x; ` +
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
} finally {
  await browser.close();
  await isolated.close();
  await plain.close();
}
