// fashion.test.mjs: Fashion-MNIST in the CNN training lab, in Debian's Chromium. The first
// load never asks for the asset; picking the dataset in the list fetches it (progress in the
// layout) while frames keep coming, and sets up ConvNetJS's MNIST network on 28x28 with the
// ten class names. Play trains a few hundred steps of a small fashion network in the trainer
// worker while every frame keeps coming (the frame count rising, no gap of 4 s, the UI
// thread's CPU per frame bounded); the paused link evaluates natively (nnplay eval,
// reading the build's asset) to the same weights, metrics and maps as the page. A test image
// clicked in the class grid is classified with every feature map. A missing asset (404) is a
// message, and the page keeps drawing. Screenshots at 1280x800 DPR 2 and on a 390-px phone.
//
//   node tests/browser/fashion.test.mjs --site build/wasm/web/site [--out DIR] [--nnplay CLI]
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  testArgs, runTests, openLab, settle, labState, layoutOf, waitForLayout, clickRect, closeGuides, nativeCli,
  DEFAULT_NNPLAY, firstDifference,
} from './harness.mjs';

const args = testArgs({ nnplay: { type: 'string', default: DEFAULT_NNPLAY } });
const ASSET = 'data/fashion-v1.bin';
const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
// A small fashion network, whose link replays well over 300 steps (its cap: 1515).
const SMALL = 'v1/cnn?data=fashion&noise=0&blocks=1&f1=4&k=3&batch=8&lr=0.01';
const frames = (page) => page.evaluate(() => Module._nnplay_frame_count());

await runTests(args, async ({ server, browser, test }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  await closeGuides(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const asked = [];
  page.on('request', (r) => { if (r.url().includes(ASSET)) asked.push(r.url()); });

  await test('picking Fashion-MNIST fetches it (never the first load), frames keep coming', async () => {
    await openLab(page, `${server.url}#v1/cnn?data=bars`);
    await settle(page, 10);
    assert.deepEqual(asked, [], 'the first load asked for the Fashion-MNIST asset');
    let layout = await layoutOf(page);
    assert.equal(layout.fashion.state, 0);
    await clickRect(page, layout.dataset);
    layout = await waitForLayout(page, (l) => l.dataset_items.length === 4);
    // A slow line (4 MB/s), so the download's progress can be seen.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 4e6, uploadThroughput: 1e6 });
    await clickRect(page, layout.dataset_items[3]);
    const before = await frames(page);
    layout = await waitForLayout(page, (l) => l.fashion.state === 1 && l.fashion.loaded > 0, 30000);
    assert.ok(layout.fashion.loaded < layout.fashion.total, JSON.stringify(layout.fashion));
    assert.equal(layout.fashion.total, 7850024);
    assert.ok(layout.fetch[2] > 0, 'no progress bar');
    await page.screenshot({ path: join(args.out, 'fashion-fetching.png') });
    layout = await waitForLayout(page, (l) => l.fashion.ready, 60000);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.equal(asked.length, 1, 'the asset is fetched once');
    assert.equal(layout.fashion.loaded, 7850024);
    assert.ok((await frames(page)) > before + 2, 'no frames while fetching');
    await settle(page, 4);
    const s = await labState(page);
    assert.equal(s.result.error, '');
    assert.deepEqual(s.result.class_names, NAMES);
    assert.deepEqual([s.result.train_count, s.result.test_count], [8000, 2000]);
    assert.deepEqual([s.state.data, s.state.size, s.state.blocks, s.state.f1, s.state.f2, s.state.k, s.state.batch],
      ['fashion', 28, 2, 8, 16, 5, 32]);
    assert.ok(s.link.includes('data=fashion&size=28&'), s.link);
    assert.equal(s.result.max_steps, 64);
    // Untrained: about chance on the 2,000 test images, and mistakes to show.
    assert.ok(s.result.test_acc < 0.35, `${s.result.test_acc}`);
    assert.equal(s.result.mistakes.length, 8);
    await page.screenshot({ path: join(args.out, 'fashion-picked.png') });
  });

  let trained = null;
  await test('Play trains 300 steps of fashion; frames keep coming', async () => {
    assert.equal(await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), SMALL), 1);
    await settle(page, 4);
    let layout = await layoutOf(page);
    assert.ok(layout.max_steps >= 300, `cap ${layout.max_steps}`);
    await clickRect(page, layout.play);
    const count0 = await frames(page);
    // The gaps between animation frames, measured in the page.
    await page.evaluate(() => {
      window.fashionGaps = [];
      let last = performance.now();
      const tick = (t) => {
        window.fashionGaps.push(t - last);
        last = t;
        if (window.fashionGaps) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const deadline = Date.now() + 240000;
    for (;;) {
      await page.waitForTimeout(200);
      layout = await layoutOf(page);
      // A few hundred steps, and frames drawn meanwhile (the worker may train faster than
      // the page draws).
      if (layout.steps >= 300 && (await frames(page)) >= count0 + 12) break;
      assert.ok(layout.playing, `Play stopped at ${layout.steps} steps`);  // no step cap
      assert.ok(Date.now() < deadline, `only ${layout.steps} steps in 4 minutes`);
    }
    const gaps = await page.evaluate(() => window.fashionGaps.slice(1));
    const count1 = await frames(page);
    const cpu = await page.evaluate((k) => Array.from({ length: k }, (_, i) => Module._nnplay_frame_ms(i)),
      Math.min(count1 - count0, 239));
    assert.ok(layout.worker.snapshots > 0, `trained in the worker: ${JSON.stringify(layout.worker)}`);
    if (layout.playing) await clickRect(page, layout.play);  // Pause
    await waitForLayout(page, (l) => !l.playing);
    await settle(page, 4);
    trained = await labState(page);
    const sorted = [...gaps].sort((a, b) => a - b);
    const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
    const cpuSorted = [...cpu].sort((a, b) => a - b);
    const cpuQ = (p) => cpuSorted[Math.min(cpuSorted.length - 1, Math.floor(p * cpuSorted.length))];
    console.log(`     ${trained.result.steps} steps, test accuracy ${trained.result.test_acc}; ${gaps.length} frames, ` +
      `gap median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms; UI CPU a frame median ` +
      `${cpuQ(0.5).toFixed(1)} ms, p95 ${cpuQ(0.95).toFixed(1)} ms`);
    assert.ok(count1 - count0 >= 5, `${count1 - count0} frames while training`);
    // The UI thread only restores snapshots, probes and draws (bench/frame_time.mjs measures
    // its p95 against 12 ms). On this shared machine a frame's wall clock includes the time
    // other processes hold the cores, so the bound is the median, and loose.
    assert.ok(cpuQ(0.5) < 50, `UI CPU median ${cpuQ(0.5)} ms a frame`);
    // Frames keep coming: on a 2-core machine shared by a dozen busy processes (where this
    // runs) the median gap was 100-570 ms and the longest 1.2-2.3 s, so the bound is loose: 4 s.
    assert.ok(gaps.length >= 5, `${gaps.length} frames while training`);
    assert.ok(sorted.at(-1) < 4000, `a gap of ${sorted.at(-1)} ms between frames`);
    assert.ok(trained.result.steps >= 300);
    assert.ok(trained.link.includes(`steps=${trained.result.steps}&`), trained.link);
    assert.ok(trained.result.test_acc > 0.6, `test accuracy ${trained.result.test_acc} after ${trained.result.steps} steps`);
  });

  await test('the paused link evaluates natively (nnplay eval) to what the page shows', async () => {
    assert.ok(trained, 'nothing trained');
    // Through a file: past the replay cap (1515 steps) the link carries its checkpoint and is
    // longer than a command-line argument may be.
    const path = join(args.out, 'fashion-paused-link.txt');
    writeFileSync(path, trained.link + '\n');
    const r = nativeCli(args.nnplay)(['eval', path]);
    assert.equal(r.status, 0, r.stderr);
    const native = JSON.parse(r.stdout);
    // The CLI's replay adds every weight tensor and the first steps' trace (the page's JSON
    // has neither): everything the page has must agree.
    const pageKeys = new Set(Object.keys(trained.result));
    const nativeResult = Object.fromEntries(Object.entries(native.result).filter(([k]) => pageKeys.has(k)));
    const where = firstDifference(trained, { ...native, result: nativeResult });
    assert.ok(!where, `page and nnplay eval differ at ${where}`);
    // The first layer's weights, bit for bit (the filters), and the logits of the drawing,
    // which every later weight shapes.
    assert.deepEqual(native.result.weights['conv0.weight'].flat(3), trained.result.filters.values);
    assert.deepEqual(native.result.maps.at(-1).values, trained.result.maps.at(-1).values);
  });

  await test('a test image clicked in the class grid is classified, every feature map shown', async () => {
    let layout = await layoutOf(page);
    // Scroll the results until the class grid is on screen.
    for (let i = 0; i < 40 && layout.samples.y + 200 > 800; ++i) {
      await page.mouse.move(900, 500);
      await page.mouse.wheel(0, 200);
      await settle(page, 2);
      layout = await layoutOf(page);
    }
    const g = layout.samples;
    assert.ok(g.y + 200 <= 800 && g.y >= 0, `the class grid is off screen at y ${g.y}`);
    assert.ok(g.cell > 0 && g.rows === 10 * 29 - 1 && g.cols === 8 * 29 - 1, JSON.stringify(g));
    // Row "Trouser" (class 1), third image: its centre pixel.
    const y = 1 * 29 + 14, x = 2 * 29 + 14;
    await page.mouse.move(g.x + (x + 0.5) * g.cell, g.y + (y + 0.5) * g.cell);
    await settle(page, 2);
    await page.mouse.down();
    await settle(page, 2);
    await page.mouse.up();
    await settle(page, 4);
    const s = await labState(page);
    const ink = s.state.draw.values.filter((v) => v > 0.1).length;
    assert.ok(ink > 50, `the drawing has ${ink} inked pixels`);
    assert.equal(s.result.maps.length, 4);  // conv, relu, maxpool, dense
    assert.deepEqual(s.result.maps[0].shape, [4, 28, 28]);
    assert.equal(s.result.predicted_name, 'Trouser');
    await page.screenshot({ path: join(args.out, 'fashion-trained.png') });
  });

  await test('a missing asset is a message; the page keeps drawing', async () => {
    const fresh = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    let tries = 0;
    await fresh.route(`**/${ASSET}`, (route) => { tries++; route.fulfill({ status: 404, body: 'no' }); });
    await fresh.goto(`${server.url}#${SMALL}&steps=5`);
    await fresh.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun && Module._nnplay_layout_json, null, { timeout: 20000 });
    const layout = await waitForLayout(fresh, (l) => l.fashion && l.fashion.state === 3, 20000);
    assert.ok(layout.fashion.error.includes('404'), layout.fashion.error);
    const n = await frames(fresh);
    await settle(fresh, 6);
    assert.ok((await frames(fresh)) >= n + 6);
    assert.equal(tries, 1, 'a failed download is not retried by itself');
    const s = await labState(fresh);
    assert.ok(s.link.includes('steps=5'), 'the link keeps its steps');
    await fresh.screenshot({ path: join(args.out, 'fashion-missing-phone.png') });
    await fresh.close();
  });

  await test('phone: the fashion lab at 390 px', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.goto(`${server.url}#${SMALL}&steps=20`);
    await phone.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun && Module._nnplay_layout_json, null, { timeout: 20000 });
    await waitForLayout(phone, (l) => l.fashion && l.fashion.ready, 60000);
    await settle(phone, 6);
    const s = await labState(phone);
    assert.equal(s.result.steps, 20);
    await phone.screenshot({ path: join(args.out, 'fashion-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
