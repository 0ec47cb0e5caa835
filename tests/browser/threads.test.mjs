// threads.test.mjs: the page cross-origin isolated and not, side by side (two servers on two
// ports: scripts/static-server.mjs with its COOP/COEP headers, and with --no-isolate). Both
// load every resource without a console error; the isolated page has SharedArrayBuffer and
// sizes its training pool to the cores Chromium reports, and the other says plainly that it
// trains on one thread because it is not isolated. The trainer worker gives the same snapshot
// bytes on 1 and 2 threads (and falls back to 1 without isolation). Both pages train the cnn
// lab (Play, then Pause) to a link the other page opens to the same weights, and a link of 40
// steps opens to the same link, weights and maps in both, and as `nnplay eval` gives.
//
//   node tests/browser/threads.test.mjs --site build/wasm/web/site [--out DIR] [--nnplay PATH]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { startStaticServer } from '../../scripts/static-server.mjs';
import {
  testArgs, runTests, openLab, settle, labState, layoutOf, waitForLayout, clickRect, closeGuides, nativeCli,
  DEFAULT_NNPLAY, firstDifference,
} from './harness.mjs';

const args = testArgs({ nnplay: { type: 'string', default: DEFAULT_NNPLAY } });
// Two conv blocks on 16x16 digits: work for a pool to split in every kernel, and a replay
// that the native CLI's sanitizer build does in seconds.
const NET = 'v1/cnn?data=digits&size=16&noise=0.1&seed=3&blocks=2&f1=4&f2=8&k=3&opt=adam&lr=0.01&batch=16';
const REPLAYED = `${NET}&steps=40`;
// The fashion net (what picking Fashion-MNIST sets up), whose every kernel is large enough to
// be split over the pool: the trainer worker replays 40 steps of it on 1 and on 2+ threads.
const FASHION = 'v1/cnn?data=fashion&noise=0&seed=1&blocks=2&f1=8&f2=16&k=5&opt=adam&lr=0.002&batch=32&steps=40';
// Whether the threaded trainer (web/trainer, nnplay_trainer_mt) is built beside the page, as
// the page says; without it the isolated page trains on one thread too, and says why.
let THREADED_TRAINER = false;
// Training on a loaded machine may be slow: progress is waited for, never timed.
const TRAINING = 180000;

// The page's JSON against nnplay eval's: every field the page has, and the first layer's
// weights and the drawing's logits bit for bit (every later weight shapes them).
function checkAgainstNative(cli, shown) {
  const r = cli(['eval', shown.link]);
  assert.equal(r.status, 0, r.stderr);
  const native = JSON.parse(r.stdout);
  const pageKeys = new Set(Object.keys(shown.result));
  const nativeResult = Object.fromEntries(Object.entries(native.result).filter(([k]) => pageKeys.has(k)));
  const where = firstDifference(shown, { ...native, result: nativeResult });
  assert.ok(!where, `page and nnplay eval differ at ${where}`);
  assert.deepEqual(native.result.weights['conv0.weight'].flat(3), shown.result.filters.values);
  assert.deepEqual(native.result.maps.at(-1).values, shown.result.maps.at(-1).values);
}

await runTests(args, async ({ server, browser, test }) => {
  // runTests' server is the isolated one (the default); the second leaves the headers out.
  const plain = await startStaticServer({ root: args.site, port: 0, isolate: false });
  const cli = nativeCli(args.nnplay);
  const sides = {};
  try {
    for (const [name, url] of [['isolated', server.url], ['not isolated', plain.url]]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
      await closeGuides(context);
      const page = await context.newPage();
      const side = { name, page, errors: [], failed: [] };
      page.on('pageerror', (e) => side.errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') side.errors.push(m.text()); });
      page.on('requestfailed', (r) => side.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
      sides[name] = side;
    }
    const isolated = sides.isolated, notIsolated = sides['not isolated'];

    for (const side of [isolated, notIsolated]) {
      await test(`${side.name}: the page loads every resource${side === isolated ? ', with SharedArrayBuffer' : ''}`, async () => {
        const { page } = side;
        await openLab(page, `${side === isolated ? server.url : plain.url}#${NET}&steps=0`);
        // The data asset too (fetched by the page when Fashion-MNIST is picked).
        const asset = await page.evaluate(() => fetch('data/fashion-v1.bin').then((r) => r.arrayBuffer().then((b) => [r.status, b.byteLength])));
        assert.deepEqual(asset, [200, 7850024], `${side.name}: the data asset`);
        const seen = await page.evaluate(() => ({
          isolated: self.crossOriginIsolated === true,
          sab: typeof SharedArrayBuffer === 'function',
          support: Module.nnplayThreadSupport,
          cores: navigator.hardwareConcurrency,
        }));
        side.seen = seen;
        THREADED_TRAINER = (await layoutOf(page)).threads.threaded_trainer;
        assert.equal(seen.isolated, side === isolated, `${side.name}: crossOriginIsolated ${seen.isolated}`);
        assert.equal(seen.sab, side === isolated, `${side.name}: SharedArrayBuffer`);
        assert.equal(seen.support.isolated, side === isolated);
        assert.equal(seen.support.cores, seen.cores);
        assert.equal(seen.support.threads, side === isolated ? Math.min(seen.cores, 8) : 1);
        assert.deepEqual(side.failed, [], `${side.name}: failed requests`);
        assert.deepEqual(side.errors, [], `${side.name}: console errors`);
      });
    }

    await test('the page says how many threads training uses, and why only one', async () => {
      const here = (await layoutOf(isolated.page)).threads;
      const there = (await layoutOf(notIsolated.page)).threads;
      console.log(`     isolated: "${here.text}"; not isolated: "${there.text}"` +
                  ` (${isolated.seen.cores} cores, threaded trainer ${THREADED_TRAINER ? 'built' : 'not built'})`);
      assert.deepEqual(there, {
        count: 1, isolated: false, cores: notIsolated.seen.cores, threaded_trainer: THREADED_TRAINER,
        text: 'Training on 1 thread: this page is not cross-origin isolated',
      });
      assert.equal(here.isolated, true);
      if (THREADED_TRAINER && isolated.seen.cores > 1) {
        assert.ok(here.count > 1, `the isolated page trains on ${here.count} thread(s)`);
        assert.equal(here.count, Math.min(isolated.seen.cores, 8));
        assert.equal(here.text, `Training on ${here.count} threads`);
      } else {
        assert.equal(here.count, 1);
        assert.match(here.text, /^Training on 1 thread: /);
      }
      for (const side of [isolated, notIsolated])
        await side.page.screenshot({ path: join(args.out, `threads-${side === isolated ? 'isolated' : 'plain'}.png`) });
    });

    // The trainer worker itself (web/trainer/worker.js), asked for threads in each page: a
    // replay of 40 steps of the fashion net, whose final snapshot (the checkpoint: weights,
    // Adam's moments, the batch order; and the 2,000 test images' loss, accuracy, confusion and
    // mistakes) must be the same bytes on every thread count. Without isolation the threaded module cannot start (no
    // shared memory) and the worker falls back to one thread.
    const replayIn = (page, threads) => page.evaluate(([link, threads]) => new Promise((resolve, reject) => {
      const w = new Worker(`trainer/worker.js${threads > 1 ? `?threads=${threads}` : ''}`);
      const got = {};
      const timer = setTimeout(() => reject(new Error(`no final snapshot: ${JSON.stringify(got)}`)), 170000);
      w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      w.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'ready') got.threads = m.threads;
        else if (m.type === 'failed' || m.type === 'error') reject(new Error(`${m.type}: ${m.message}`));
        else if (m.type === 'snapshot' && m.final) {
          clearTimeout(timer);
          w.terminate();
          resolve({ threads: got.threads, steps: m.steps, bytes: Array.from(new Uint8Array(m.bytes)) });
        }
      };
      w.postMessage({ type: 'start', id: 1, link, checkpoint: null, replayTo: 40, play: false });
    }), [FASHION, threads]);
    await test('the trainer worker: threaded when isolated, the same snapshot bytes on 1 and 2 threads', async () => {
      const cores = isolated.seen.cores;
      const one = await replayIn(isolated.page, 1);
      const many = await replayIn(isolated.page, Math.min(cores, 8));
      const fallback = await replayIn(notIsolated.page, 2);
      console.log(`     isolated: ${one.threads} and ${many.threads} thread(s); not isolated, asked for 2: ` +
                  `${fallback.threads}; snapshot ${one.bytes.length} bytes at step ${one.steps}`);
      assert.equal(one.threads, 1);
      assert.equal(many.threads, THREADED_TRAINER ? Math.min(cores, 8) : 1);
      if (THREADED_TRAINER && cores > 1) assert.ok(many.threads > 1);
      assert.equal(fallback.threads, 1);
      for (const r of [one, many, fallback]) assert.equal(r.steps, 40);
      assert.ok(one.bytes.length > 200, `${one.bytes.length} bytes`);
      assert.ok(Buffer.from(one.bytes).equals(Buffer.from(many.bytes)), '1 and several threads differ');
      assert.ok(Buffer.from(one.bytes).equals(Buffer.from(fallback.bytes)), 'the fallback differs');
      for (const side of [isolated, notIsolated]) assert.deepEqual(side.errors, [], `${side.name}: console errors`);
    });

    // Play, then Pause: wherever each page stops, the other page opens its link to the same
    // link, weights, maps and test results (the 40-step link below is the one nnplay eval
    // replays too: a paused run is often hundreds of steps, minutes for the sanitizer build).
    const opened = async (page, link) => {
      if (link.length <= 8192) {
        assert.equal(await page.evaluate((l) => Module.ccall('nnplay_open_link', 'number', ['string'], [l]), link), 1);
      } else {
        // Past the replay cap the link carries its checkpoint, longer than an address bar
        // holds here: it opens as an imported state file does (Import..., held to 1 MiB).
        await page.evaluate((l) => Module.ccall('nnplay_file_text', null, ['number', 'string'], [1, l]), link);
        assert.equal(await page.evaluate(() => Module.ccall('nnplay_message', 'string')), '');
      }
      const steps = Number(/[?&]steps=(\d+)(?:&|$)/.exec(link)[1]);
      await waitForLayout(page, (l) => l.steps === steps && !l.playing, TRAINING);
      await settle(page, 4);
      return labState(page);
    };
    const same = (a, b) => {
      assert.equal(a.link, b.link);
      assert.deepEqual(a.result.filters, b.result.filters);
      assert.deepEqual(a.result.maps, b.result.maps);
      assert.equal(a.result.test_loss, b.result.test_loss);
      assert.deepEqual(a.result.confusion, b.result.confusion);
    };
    for (const side of [isolated, notIsolated]) {
      await test(`${side.name}: Play trains, Pause; the link opens to the same weights in the other page`, async () => {
        const { page } = side;
        await opened(page, `${NET}&steps=0`);  // the other page's test may have left it at the cap
        let layout = await layoutOf(page);
        await clickRect(page, layout.play);
        // On a quiet machine the worker trains hundreds of steps between two polls, so
        // "training started" is playing or steps already taken.
        await waitForLayout(page, (l) => l.playing || l.steps > 0);
        layout = await waitForLayout(page, (l) => l.steps >= 24, TRAINING);
        if (layout.playing) await clickRect(page, layout.play);
        await waitForLayout(page, (l) => !l.playing);
        await settle(page, 4);
        const shown = await labState(page);
        assert.ok(shown.result.steps >= 24, `steps ${shown.result.steps}`);
        assert.ok(shown.link.includes(`&steps=${shown.result.steps}&`), shown.link);
        // When Play trained in the trainer worker, the line says what the worker reported.
        if (await page.evaluate(() => Module.nnplayTrainerReady === true)) {
          const { threads } = await layoutOf(page);
          const cores = side.seen.cores;
          assert.equal(threads.count, side === isolated && THREADED_TRAINER ? Math.min(cores, 8) : 1, threads.text);
          assert.equal(await page.evaluate(() => Module.nnplayTrainingThreads), threads.count);
        }
        const other = side === isolated ? notIsolated : isolated;
        same(shown, await opened(other.page, shown.link));
        console.log(`     paused at step ${shown.result.steps}; reopened in the ${other.name} page`);
      });
    }

    await test('a link of 40 steps: the same link, weights and maps isolated or not, and natively', async () => {
      const shown = [];
      for (const side of [isolated, notIsolated]) {
        shown.push(await opened(side.page, REPLAYED));
        assert.deepEqual(side.errors, [], `${side.name}: console errors`);
      }
      const [a, b] = shown;
      assert.equal(a.result.steps, 40);
      same(a, b);
      checkAgainstNative(cli, a);
    });
  } finally {
    for (const side of Object.values(sides)) await side.page.context().close();
    await plain.close();
  }
});
