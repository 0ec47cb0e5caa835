// worker.js: the trainer's dedicated Web Worker (web/trainer/trainer.cpp, built as
// trainer/nnplay_trainer.{js,wasm} beside the page). The page (web/platform/trainer_client.cpp)
// posts it a lab's link and checkpoint; it trains in slices as fast as it can and posts back
// snapshots (engine/labs/runner.h: the checkpoint and, for the cnn lab, the test set) a few
// times a second, as transferable ArrayBuffers.
//
// Messages in:
//   {type: 'start', id, link, checkpoint: ArrayBuffer|null, replayTo, play, stopAt}
//       opens the run; with play it trains until 'pause' (or until step stopAt when > 0,
//       then posts a final snapshot); otherwise it replays until the
//       link's steps (replayTo) with 'progress' messages, then posts a final snapshot;
//   {type: 'pause', id}  stops training and posts a final snapshot (with the test set);
//   {type: 'stop'}       drops the run (nothing more is posted for it).
// Flavours: trainer/worker.js?threads=N with N > 1 (the page asks only when it is cross-origin
// isolated, web/platform/threads.h) loads the threaded module nnplay_trainer_mt (-pthread) with
// a pool of N threads: this worker and N − 1 more Web Workers. When that module does not start,
// the 1-thread module runs instead; 'ready' says how many threads training uses.
//
// Messages out:
//   {type: 'ready', threads}; {type: 'failed', message} (the module did not load: the page trains on
//   its own thread); {type: 'snapshot', id, final, steps, bytes}; {type: 'progress', id, done,
//   total}; {type: 'error', id, message} (the run could not open).
'use strict';

// The modules this worker may run.
const TRAINER_MODULE = 'nnplay_trainer.js';
const THREADED_MODULE = 'nnplay_trainer_mt.js';
const MAX_THREADS = 8;  // platform/threads.h, kMaxTrainingThreads
const THREADED_START_MS = 30000;  // the threaded module and its Workers, else the 1-thread one
const WANTED_THREADS = Math.min(MAX_THREADS, Math.max(1, Number(new URLSearchParams(self.location.search).get('threads')) | 0));
const FASHION_URL = '../data/fashion-v1.bin';  // the page's asset (same URL: the HTTP cache)
const SLICE_MS = 40;         // training between looks at the message queue (pause latency)
const SNAPSHOT_MS = 250;     // checkpoints to the page this often while playing
const TEST_SET_MS = 1000;    // the cnn lab's whole test set measured this often
const PROGRESS_MS = 100;     // replay progress this often

let M = null;
let run = null;  // {id, playing, lastSnapshot, lastTest, lastProgress}
let wanted = null;  // the id of the run the page last started (null after 'stop')
const pending = [];
let fashion = null;  // a promise, once fetched

// A zero-delay yield (setTimeout clamps nested calls to 4 ms).
const tick = new MessageChannel();
tick.port1.onmessage = () => loop();
const schedule = () => tick.port2.postMessage(0);

// The module's memory as bytes. In the threaded module another thread may grow the memory, and
// then M.HEAPU8 is a view of the old, shorter buffer: wasmMemory.buffer is always the whole.
function heap() {
  return M.wasmMemory ? new Uint8Array(M.wasmMemory.buffer) : M.HEAPU8;
}

function copyOut(ptr, size) {
  return heap().slice(ptr, ptr + size).buffer;
}

function lastText() {
  return new TextDecoder().decode(new Uint8Array(copyOut(M._nnplay_trainer_data(), M._nnplay_trainer_size())));
}

function withBytes(bytes, f) {
  const n = bytes ? bytes.byteLength : 0;
  const p = M._malloc(Math.max(1, n));
  if (n) heap().set(new Uint8Array(bytes), p);
  try {
    return f(p, n);
  } finally {
    M._free(p);
  }
}

function withString(s, f) {
  return withBytes(new TextEncoder().encode(s + '\0').buffer, f);
}

function loadFashion() {
  if (!fashion) {
    fashion = fetch(FASHION_URL).then((r) => {
      if (!r.ok) throw new Error('the server answered ' + r.status + ' for ' + FASHION_URL);
      return r.arrayBuffer();
    }).then((b) => {
      if (withBytes(b, (p, n) => M._nnplay_trainer_set_fashion(p, n)) !== 0) throw new Error(lastText());
    });
    fashion.catch(() => { fashion = null; });
  }
  return fashion;
}

function post(id, final, testSet) {
  const size = M._nnplay_trainer_snapshot(testSet ? 1 : 0);
  const bytes = copyOut(M._nnplay_trainer_data(), size);
  postMessage({ type: 'snapshot', id, final, steps: M._nnplay_trainer_steps(), bytes }, [bytes]);
}

function open(msg) {
  const code = withString(msg.link, (lp) =>
    withBytes(msg.checkpoint, (cp, cn) => M._nnplay_trainer_open(lp, cp, cn, msg.replayTo | 0)));
  return code === 0 ? null : code === 1 ? 'asset' : lastText();
}

function start(msg) {
  run = null;
  let why = open(msg);
  const go = () => {
    const now = performance.now();
    run = { id: msg.id, playing: !!msg.play, stopAt: msg.stopAt | 0, lastSnapshot: now, lastTest: now,
            lastProgress: 0 };
    schedule();
  };
  if (why === 'asset') {
    const id = msg.id;
    loadFashion().then(() => {
      if (wanted !== id) return;
      why = open(msg);
      if (why) postMessage({ type: 'error', id, message: why });
      else go();
    }, (e) => wanted === id && postMessage({ type: 'error', id, message: String((e && e.message) || e) }));
    return;
  }
  if (why) {
    postMessage({ type: 'error', id: msg.id, message: why });
    return;
  }
  go();
}

function loop() {
  if (!run) return;
  const now = performance.now();
  if (run.playing) {
    const left = run.stopAt > 0 ? run.stopAt - M._nnplay_trainer_steps() : 1 << 30;
    if (left <= 0) {
      post(run.id, true, true);
      run = null;
      return;
    }
    M._nnplay_trainer_run(left, SLICE_MS);
    const t = performance.now();
    if (t - run.lastSnapshot >= SNAPSHOT_MS) {
      const test = t - run.lastTest >= TEST_SET_MS;
      post(run.id, false, test);
      run.lastSnapshot = performance.now();
      if (test) run.lastTest = run.lastSnapshot;
    }
    schedule();
    return;
  }
  // Replaying to the link's steps.
  const left = M._nnplay_trainer_to_replay();
  if (left > 0) {
    M._nnplay_trainer_run(left, SLICE_MS);
    if (now - run.lastProgress >= PROGRESS_MS) {
      postMessage({ type: 'progress', id: run.id, done: M._nnplay_trainer_steps(),
                    total: M._nnplay_trainer_steps() + M._nnplay_trainer_to_replay() });
      run.lastProgress = now;
    }
    schedule();
    return;
  }
  post(run.id, true, true);
  run = null;
}

function handle(msg) {
  if (msg.type === 'start') {
    wanted = msg.id;
    start(msg);
  } else if (msg.type === 'pause') {
    if (run && run.id === msg.id) {
      post(run.id, true, true);
      run = null;
    }
  } else if (msg.type === 'stop') {
    wanted = null;
    run = null;
  }
}

onmessage = (e) => (M ? handle(e.data) : pending.push(e.data));

// Loads a module and resolves [module, threads]. The threaded one gets its pool's Workers
// (PTHREAD_POOL_SIZE = Module.nnplayPoolSize, web/CMakeLists.txt) before it runs.
function load(threads) {
  return Promise.resolve().then(() => {
    if (threads === 1) {
      importScripts(TRAINER_MODULE);
      return createNnplayTrainer().then((m) => [m, 1]);
    }
    importScripts(THREADED_MODULE);
    const late = new Promise((_, fail) => setTimeout(() => fail(new Error('the threaded trainer did not start')), THREADED_START_MS));
    // mainScriptUrlOrBlob: what the pool's Workers load (a worker has no currentScript to say).
    const made = createNnplayTrainer({
      nnplayPoolSize: threads - 1,
      mainScriptUrlOrBlob: new URL(THREADED_MODULE, self.location.href).href,
    });
    return Promise.race([made, late])
      .then((m) => [m, m._nnplay_trainer_set_threads(threads)]);
  });
}

(WANTED_THREADS > 1 ? load(WANTED_THREADS).catch(() => load(1)) : load(1)).then(([m, threads]) => {
  M = m;
  postMessage({ type: 'ready', threads });
  pending.splice(0).forEach(handle);
}, (e) => postMessage({ type: 'failed', message: String((e && e.message) || e) }));
