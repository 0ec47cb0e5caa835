#!/usr/bin/env node
// page_threads.mjs: the fashion net's training speed in the page (headless Chromium) served
// cross-origin isolated (COOP/COEP: the threaded trainer, as many threads as cores, at most 8)
// and not (one thread): steps a second and the speed-up.
//
// The network is what picking Fashion-MNIST sets up (ConvNetJS's MNIST net adapted to 28×28:
// conv 8 5×5, pool, conv 16 5×5, pool, dense 10; Adam, batch 32). Each round opens a fresh
// page on each server and trains, lets --warmup seconds pass (the trainer starts, its threads
// load, the asset arrives), then counts the steps over --seconds of wall clock:
//   --via worker (default): the page's trainer worker (web/trainer/worker.js, asked for the
//     threads the page would ask for: pre.js's Module.nnplayThreadSupport.threads) playing the
//     link, its snapshots' step counts;
//   --via play: the cnn lab's Play button, the steps the page shows.
// Rounds alternate the two servers (isolated, plain, isolated, ...) so that a change in the
// machine's load hits both alike; the figures are medians over --rounds.
//
//   node bench/page_threads.mjs --site build/wasm/web/site [--via worker|play] [--rounds 3] [--seconds 12] [--warmup 4]
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
    via: { type: 'string', default: 'worker' },
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

// The trainer worker playing LINK for warmup + seconds: { stepsPerSecond, threads }.
function inWorker(page) {
  return page.evaluate(([link, warmup, seconds]) => new Promise((resolve, reject) => {
    const threads = Module.nnplayThreadSupport.threads;
    const w = new Worker(`trainer/worker.js${threads > 1 ? `?threads=${threads}` : ''}`);
    let ready = null, started = null, first = null, last = null;
    w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
    w.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'ready') {
        ready = m.threads;
        w.postMessage({ type: 'start', id: 1, link, checkpoint: null, replayTo: 0, play: true });
      } else if (m.type === 'failed' || m.type === 'error') {
        reject(new Error(`${m.type}: ${m.message}`));
      } else if (m.type === 'snapshot') {
        const now = performance.now();
        if (started === null) started = now;
        if (first === null && now - started >= warmup * 1000) first = { now, steps: m.steps };
        if (first && now - first.now >= seconds * 1000) {
          last = { now, steps: m.steps };
          w.terminate();
          resolve({ stepsPerSecond: (last.steps - first.steps) / ((last.now - first.now) / 1000), threads: ready,
                    text: `trainer worker on ${ready} thread(s)` });
        }
      }
    };
  }), [LINK, Number(args.warmup), Number(args.seconds)]);
}

// One round on one server: { stepsPerSecond, threads, text }.
async function round(browser, url) {
  if (args.via === 'worker') {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`${url}#v1/cnn?data=bars`);
      await page.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun, null, { timeout: 120000 });
      return await inWorker(page);
    } finally {
      await page.close();
    }
  }
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
  console.log(`\nfashion net (${args.via === "play" ? "Play" : "the trainer worker"}): isolated (${runs.isolated[0].threads} threads) ${a.toFixed(2)} steps/s, ` +
    `not isolated (${runs.plain[0].threads} thread) ${b.toFixed(2)} steps/s: ${(a / b).toFixed(2)}x; ` +
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
} finally {
  await browser.close();
  await isolated.close();
  await plain.close();
}
