#!/usr/bin/env node
// conv_bench.mjs: nnplay's convolution and E9 recompute against @tensorflow/tfjs-backend-wasm,
// in one node process, one thread. Run through bench/run.sh, which builds what this loads:
//
//   node --no-experimental-fetch bench/conv_bench.mjs [--markdown] [--reps N] [--min-ms MS]
//        [--wasm build/bench/wasm/bench/nnplay_bench.cjs]
//        [--native build/bench/native/bench/conv_bench_native | --no-native]
//
// Method (the same for every column):
// - every measured thing is a function of n that runs n iterations; n is grown until one
//   batch lasts --min-ms (the growing batches are the warm-up), then --reps batches are
//   timed with process.hrtime.bigint and the median time per iteration is reported;
// - nnplay: the case's input, weights and output live in wasm memory, set up once; "per
//   call" makes one JS→wasm call per convolution (as tfjs makes one op call), "loop" runs
//   all n inside one call (kernel time only);
// - tfjs-wasm: tf.conv2d on NHWC / HWIO tensors made once from the same numbers, then
//   dataSync() (the result read back into JS) and dispose(), per iteration;
// - every output is checked against tfjs's before anything is timed.
// The peers are resolved from the repo root's node_modules (scripts/deps.sh installs them);
// NNPLAY_BENCH_MODULES_DIR=<dir> resolves them from <dir>/node_modules instead.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

// ---- options --------------------------------------------------------------------------------
const opt = {
  reps: 9,
  minMs: 25,
  markdown: false,
  wasm: path.join(root, 'build/bench/wasm/bench/nnplay_bench.cjs'),
  native: path.join(root, 'build/bench/native/bench/conv_bench_native'),
};
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--markdown') opt.markdown = true;
    else if (a === '--no-native') opt.native = null;
    else if (a === '--reps') opt.reps = Math.max(1, parseInt(argv[++i], 10));
    else if (a === '--min-ms') opt.minMs = Math.max(0.1, parseFloat(argv[++i]));
    else if (a === '--wasm') opt.wasm = path.resolve(argv[++i]);
    else if (a === '--native') opt.native = path.resolve(argv[++i]);
    else {
      console.error(`unknown argument ${a}; see the header of ${path.relative(process.cwd(), fileURLToPath(import.meta.url))}`);
      process.exit(2);
    }
  }
}

// ---- timing ---------------------------------------------------------------------------------
const nowS = () => Number(process.hrtime.bigint()) * 1e-9;
// The process's CPU time (user + system): on a shared machine it leaves out the time other
// processes held the core, which wall-clock medians cannot (measure() reports both).
const cpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e-6;
};

// Times several variants of the same work, interleaved so that a noisy neighbour slows all
// of them alike. variants: {name: run(n)}, where run(n) performs n iterations.
// Returns {name: {median, q1, q3}} in seconds per iteration.
function measure(variants) {
  const timeBatch = (run, n) => {
    const t0 = nowS();
    run(n);
    return nowS() - t0;
  };
  const minS = opt.minMs * 1e-3;
  const names = Object.keys(variants);
  const batch = {};
  for (const name of names) {
    // Grow n until one batch lasts minMs; the growing batches are the warm-up (JIT, XNNPACK
    // operator creation, first-call export binding).
    let n = 1;
    let t = timeBatch(variants[name], n);
    while (t < minS && n < 2 ** 30) {
      const grow = t > 0 ? Math.min(10, (1.2 * minS) / t) : 10;
      n = Math.max(n + 1, Math.floor(n * grow));
      t = timeBatch(variants[name], n);
    }
    batch[name] = n;
  }
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const cpuSamples = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < opt.reps; ++r) {
    for (let j = 0; j < names.length; ++j) {
      const name = names[(r + j) % names.length];  // rotate the order every round
      const c0 = cpuS();
      samples[name].push(timeBatch(variants[name], batch[name]) / batch[name]);
      cpuSamples[name].push((cpuS() - c0) / batch[name]);
    }
  }
  const q = (a, f) => a[Math.min(a.length - 1, Math.round(f * (a.length - 1)))];
  return Object.fromEntries(names.map((name) => {
    const a = samples[name].sort((x, y) => x - y);
    const c = cpuSamples[name].sort((x, y) => x - y);
    return [name, { median: q(a, 0.5), q1: q(a, 0.25), q3: q(a, 0.75), cpu: q(c, 0.5) }];
  }));
}

// ---- the peers ------------------------------------------------------------------------------
function loadPeers() {
  const base = process.env.NNPLAY_BENCH_MODULES_DIR
    ? path.resolve(process.env.NNPLAY_BENCH_MODULES_DIR)
    : root;
  const req = createRequire(path.join(base, 'package.json'));
  let tf, tfwasm;
  // tfjs-core greets node users on load with advice to install tfjs-node; keep the table clean.
  const warn = console.warn;
  console.warn = (...a) => {
    if (!String(a[0]).includes('TensorFlow.js in Node.js')) warn(...a);
  };
  try {
    tf = req('@tensorflow/tfjs-core');
    tfwasm = req('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    console.error(`conv_bench: cannot load @tensorflow/tfjs-core / tfjs-backend-wasm from ${base}/node_modules (${e.code || e.message}).
Install the repo's npm dependencies first:  scripts/deps.sh   (or: npm ci, at the repo root)`);
    process.exit(1);
  } finally {
    console.warn = warn;
  }
  const pkgDir = path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  // The .wasm binaries ship in the package: load them from disk, no network.
  tfwasm.setWasmPaths(path.join(pkgDir, 'dist') + path.sep);
  return { tf, version };
}

async function loadNnplay() {
  if (!fs.existsSync(opt.wasm)) {
    console.error(`conv_bench: ${opt.wasm} is missing; build it with bench/run.sh`);
    process.exit(1);
  }
  const create = createRequire(import.meta.url)(opt.wasm);
  // Handing over the bytes avoids the loader's fetch() path (see docs: node 20 pitfall).
  const wasmBinary = fs.readFileSync(opt.wasm.replace(/\.cjs$/, '.wasm'));
  return create({ wasmBinary });
}

// ---- formatting -----------------------------------------------------------------------------
const fmtTime = (s) =>
  s >= 1 ? `${s.toPrecision(3)} s`
    : s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms`
    : s >= 1e-8 ? `${(s * 1e6).toPrecision(3)} µs` : `${(s * 1e9).toPrecision(3)} ns`;
const fmtGf = (macs, s) => `${((2 * macs) / s / 1e9).toFixed(macs < 1e4 ? 2 : 1)}`;
const fmtRatio = (r) => `${r.toFixed(2)}×`;

function printTable(title, headers, rows, notes = []) {
  console.log();
  if (opt.markdown) {
    console.log(`**${title}**\n`);
    console.log(`| ${headers.join(' | ')} |`);
    console.log(`|${headers.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    if (notes.length) console.log();
    for (const n of notes) console.log(`- ${n}`);
    return;
  }
  console.log(title);
  const width = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(width[i]) : String(c).padStart(width[i]))).join('  ');
  console.log(line(headers));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const n of notes) console.log(`  ${n}`);
}

// ---- main -----------------------------------------------------------------------------------
const KERNEL = { ref: 0, simd: 1, dispatch: 2 };

async function main() {
  const loadStart = os.loadavg()[0];
  const t0 = nowS();
  const { tf, version } = loadPeers();
  await tf.setBackend('wasm');
  await tf.ready();
  const M = await loadNnplay();

  const heap = () => M.HEAPF32;  // re-read: memory growth replaces the view
  const view = (ptr, len) => heap().subarray(ptr >> 2, (ptr >> 2) + len);

  const cases = [];
  for (let i = 0; i < M._bench_case_count(); ++i) {
    const f = (k) => M._bench_case_field(i, k);
    cases.push({ in_c: f(0), h: f(1), w: f(2), out_c: f(3), k: f(4), stride: f(5), pad: f(6) });
  }

  const results = [];
  const checks = [];
  const spreads = [];  // every measurement's quartiles, for the noise note
  for (const [ci, c] of cases.entries()) {
    const label = `(${String.fromCharCode(97 + ci)}) ${c.h}×${c.w}×${c.in_c}→${c.out_c}`;
    const outLen = M._bench_conv_setup(c.in_c, c.h, c.w, c.out_c, c.k, c.stride, c.pad);
    if (outLen < 0) throw new Error(`bad case ${label}`);
    const oh = M._bench_conv_out_h(), ow = M._bench_conv_out_w();
    const macs = M._bench_conv_macs();

    // The same numbers for tfjs: CHW → NHWC, OIHW → HWIO.
    const inCHW = view(M._bench_conv_input(), c.in_c * c.h * c.w);
    const wOIHW = view(M._bench_conv_weights(), c.out_c * c.in_c * c.k * c.k);
    const nhwc = new Float32Array(inCHW.length);
    for (let ch = 0; ch < c.in_c; ++ch)
      for (let p = 0; p < c.h * c.w; ++p) nhwc[p * c.in_c + ch] = inCHW[ch * c.h * c.w + p];
    const hwio = new Float32Array(wOIHW.length);
    for (let o = 0; o < c.out_c; ++o)
      for (let i = 0; i < c.in_c; ++i)
        for (let t = 0; t < c.k * c.k; ++t)
          hwio[(t * c.in_c + i) * c.out_c + o] = wOIHW[(o * c.in_c + i) * c.k * c.k + t];
    const x = tf.tensor4d(nhwc, [1, c.h, c.w, c.in_c]);
    const filt = tf.tensor4d(hwio, [c.k, c.k, c.in_c, c.out_c]);
    const padArg = c.pad === 0 ? 'valid' : [[0, 0], [c.pad, c.pad], [c.pad, c.pad], [0, 0]];
    const tfConv = () => {
      const y = tf.conv2d(x, filt, c.stride, padArg);
      const data = y.dataSync();
      y.dispose();
      return data;
    };

    // Check every kernel's output against tfjs (NHWC → CHW) before timing.
    const expect = tfConv();
    const outputs = {};
    for (const [name, id] of Object.entries(KERNEL)) {
      view(M._bench_conv_output(), outLen).fill(NaN);  // so an unwritten output fails the check
      M._bench_conv_call(id);
      outputs[name] = Float32Array.from(view(M._bench_conv_output(), outLen));
      let maxRel = 0;
      for (let o = 0; o < c.out_c; ++o)
        for (let p = 0; p < oh * ow; ++p) {
          const e = expect[p * c.out_c + o], a = outputs[name][o * oh * ow + p];
          maxRel = Math.max(maxRel, Math.abs(a - e) / Math.max(1, Math.abs(e)));
        }
      if (!(maxRel < 1e-4)) throw new Error(`${label}: ${name} differs from tfjs by ${maxRel}`);
      checks.push(maxRel);
    }
    const bitwise = outputs.ref.every((v, i) => Object.is(v, outputs.simd[i]));

    const variants = {
      tfjs: (n) => {
        for (let i = 0; i < n; ++i) tfConv();
      },
    };
    for (const [name, id] of Object.entries(KERNEL)) {
      variants[`${name}Call`] = (n) => {
        const f = M._bench_conv_call;  // the raw wasm export after its first call
        for (let i = 0; i < n; ++i) f(id);
      };
      variants[`${name}Loop`] = (n) => M._bench_conv_run(id, n);
    }
    const m = measure(variants);
    spreads.push(...Object.entries(m).map(([k, v]) => ({ what: `${label} ${k}`, ...v })));
    const r = { label, macs, bitwise, cpu: {} };
    for (const [k, v] of Object.entries(m)) r[k] = v.median, r.cpu[k] = v.cpu;
    x.dispose();
    filt.dispose();
    results.push(r);
    process.stderr.write(`  measured ${label}\n`);
  }

  // E9: one EvaluateConvLab per JS→wasm call, as the page does per edit.
  M._bench_e9_setup();
  const e9Variants = {
    evalCall: (n) => {
      const f = M._bench_e9_call;
      for (let i = 0; i < n; ++i) f();
    },
    evalLoop: (n) => M._bench_e9_run(n),
    noop: (n) => {
      const f = M._bench_noop;
      let s = 0;
      for (let i = 0; i < n; ++i) s = f(s);
      return s;
    },
  };
  for (const [name, id] of Object.entries(KERNEL)) {
    e9Variants[`${name}Call`] = (n) => {
      const f = M._bench_e9_kernel_call;
      for (let i = 0; i < n; ++i) f(id);
    };
    e9Variants[`${name}Loop`] = (n) => M._bench_e9_kernel_run(id, n);
  }
  const e9m = measure(e9Variants);
  spreads.push(...Object.entries(e9m).map(([k, v]) => ({ what: `E9 ${k}`, ...v })));
  const e9 = Object.fromEntries(Object.entries(e9m).map(([k, v]) => [k, v.median]));

  // One edit of a 128x128 input with 8 filters: recompute (+ link), as the page per stroke.
  M._bench_edit128_setup();
  const editm = measure({
    evaluate: (n) => {
      const f = M._bench_edit128_evaluate_call;
      for (let i = 0; i < n; ++i) f();
    },
    evaluateAndLink: (n) => {
      const f = M._bench_edit128_call;
      for (let i = 0; i < n; ++i) f();
    },
  });
  spreads.push(...Object.entries(editm).map(([k, v]) => ({ what: `edit128 ${k}`, ...v })));

  // Training: steps of the training lab's session (forward + backward + Adam, batch 10).
  const trainRows = [];
  for (const [name, preset] of [['circle: x,y, 4-4 tanh', 0], ['spiral: 7 features, 6x8 tanh', 2]]) {
    const batch = M._bench_train_setup(preset);
    const tm = measure({
      step: (n) => M._bench_train_steps(n),
      boundary: (n) => {
        for (let i = 0; i < n; ++i) M._bench_train_measure();
      },
    });
    trainRows.push([name, fmtTime(tm.step.median), `${Math.round(batch / tm.step.median).toLocaleString('en')}`,
      fmtTime(tm.boundary.median)]);
  }

  // TensorFlow Playground's configurations (a) and (b): Mlp and Network on the same run.
  // Playground's own figures were measured in Chromium elsewhere (single thread); they are
  // constants here, set beside nnplay's.
  const playground = [
    { name: '(a) circle, x,y, 4-2 tanh, batch 10', exs: 2.26e6, b100: 3.1e-3 },
    { name: '(b) spiral, 7 features, 6x8 tanh, batch 10', exs: 211e3, b100: 25.8e-3 },
  ];
  const pgRows = [];
  const pgAgree = [];
  for (let c = 0; c < playground.length; ++c) {
    // Agreement first: 2,000 steps each from the same initial weights, then the losses.
    if (M._bench_pg_setup(c) < 0) throw new Error(`bench_pg_setup(${c}) failed`);
    const l0 = M._bench_pg_loss(0);
    M._bench_pg_steps(0, 2000);
    M._bench_pg_setup(c);
    M._bench_pg_steps(1, 2000);
    const lossNet = M._bench_pg_loss(1);
    M._bench_pg_setup(c);
    M._bench_pg_steps(0, 2000);
    const lossMlp = M._bench_pg_loss(0);
    pgAgree.push(`${playground[c].name}: loss ${l0.toFixed(4)} → after 2,000 steps Mlp ${lossMlp.toFixed(6)}, Network ${lossNet.toFixed(6)}`);
    const tm = measure({
      mlp: (n) => M._bench_pg_steps(0, n),
      network: (n) => M._bench_pg_steps(1, n),
      b100: (n) => {
        for (let i = 0; i < n; ++i) M._bench_pg_boundary(100);
      },
      b256: (n) => {
        for (let i = 0; i < n; ++i) M._bench_pg_boundary(256);
      },
    });
    spreads.push(...Object.entries(tm).map(([k, v]) => ({ what: `playground ${c} ${k}`, ...v })));
    const p = playground[c];
    const exs = 10 / tm.mlp.median;
    const exsNet = 10 / tm.network.median;
    pgRows.push([p.name, `${Math.round(exs).toLocaleString('en')}`, `${Math.round(exsNet).toLocaleString('en')}`,
      fmtRatio(exs / exsNet), `${Math.round(p.exs).toLocaleString('en')}`, fmtRatio(exs / p.exs),
      fmtTime(tm.b100.median), fmtTime(p.b100), fmtRatio(p.b100 / tm.b100.median), fmtTime(tm.b256.median)]);
  }

  // Matmul n×n×n: tf.matMul + dataSync against the GEMM kernels (bench_cases.h ids).
  const GEMM = { ref: 0, simd: 1, packed: 2, packedAB: 3 };
  // The SIMD128 multiply-add peak (peak_exports.cpp), measured interleaved with each matmul
  // size, so that the packed GEMM's share of it compares figures taken under the same load.
  // The last variant is the former loop (y from a fixed address: the products are hoisted, so
  // it adds only); it is listed for comparison and left out of the peak (bench_peak_is_mul_add).
  const PEAK_NAMES = ['4 chains (2×2 outer product)', '6 chains (3×2)', '8 chains (4×2)', '9 chains (3×3)',
    '12 chains (4×3)', 'former loop, fixed y (adds only)'];
  const peakIters = 1 << 14;
  const mmResults = [];
  const peakResults = [];
  for (let si = 0; si < M._bench_mm_size_count(); ++si) {
    const n = M._bench_mm_size(si);
    M._bench_mm_setup(n);
    const a = tf.tensor2d(Float32Array.from(view(M._bench_mm_a(), n * n)), [n, n]);
    const b = tf.tensor2d(Float32Array.from(view(M._bench_mm_b(), n * n)), [n, n]);
    const tfMm = () => {
      const y = tf.matMul(a, b);
      const data = y.dataSync();
      y.dispose();
      return data;
    };
    const expect = tfMm();
    const kernels = Object.entries(GEMM).filter(([name]) => name !== 'ref' || n <= 256);
    for (const [name, id] of kernels) {
      view(M._bench_mm_c(), n * n).fill(NaN);
      M._bench_mm_call(id);
      const got = view(M._bench_mm_c(), n * n);
      let maxRel = 0;
      for (let i = 0; i < n * n; ++i)
        maxRel = Math.max(maxRel, Math.abs(got[i] - expect[i]) / Math.max(1, Math.abs(expect[i])));
      if (!(maxRel < 1e-4)) throw new Error(`matmul ${n}: ${name} differs from tfjs by ${maxRel}`);
      checks.push(maxRel);
    }
    const variants = { tfjs: (k) => { for (let i = 0; i < k; ++i) tfMm(); } };
    for (const [name, id] of kernels) {
      variants[name] = (k) => {
        const f = M._bench_mm_call;
        for (let i = 0; i < k; ++i) f(id);
      };
    }
    for (let i = 0; i < M._bench_peak_count(); ++i) variants[`peak${i}`] = (k) => M._bench_peak_run(i, k * peakIters);
    // n packed GEMMs inside one call: the kernel's own speed, no JS→wasm call per matmul.
    variants.packedABLoop = (k) => M._bench_mm_run(GEMM.packedAB, k);
    const m = measure(variants);
    spreads.push(...Object.entries(m).map(([k, v]) => ({ what: `matmul ${n} ${k}`, ...v })));
    {
      const peaks = [];
      for (let i = 0; i < M._bench_peak_count(); ++i) {
        const f = M._bench_peak_flops(i) * peakIters;
        peaks.push({ name: PEAK_NAMES[i] || `peak ${i}`, mulAdd: M._bench_peak_is_mul_add(i) === 1, gfs: f / m[`peak${i}`].median / 1e9, cpuGfs: f / m[`peak${i}`].cpu / 1e9 });
      }
      peakResults.push({ n, peaks });
    }
    const r = { n, flops: 2 * n * n * n, cpu: {} };
    for (const [k, v] of Object.entries(m)) r[k] = v.median, r.cpu[k] = v.cpu;
    mmResults.push(r);
    a.dispose();
    b.dispose();
    process.stderr.write(`  measured matmul ${n}\n`);
  }

  // MLP 4→3→2 (dense, ReLU, dense, softmax), one sample: one wasm call per forward pass vs.
  // tfjs ops in a tidy + dataSync.
  const mlpP = (i, len) => Float32Array.from(view(M._bench_mlp_param(i), len));
  const [mx, mw1, mb1, mw2, mb2] = [mlpP(0, 4), mlpP(1, 12), mlpP(2, 3), mlpP(3, 6), mlpP(4, 2)];
  const transpose = (w, out, inp) => {  // [out, in] → [in, out]
    const t = new Float32Array(w.length);
    for (let o = 0; o < out; ++o) for (let i = 0; i < inp; ++i) t[i * out + o] = w[o * inp + i];
    return t;
  };
  const tx = tf.tensor2d(mx, [1, 4]);
  const tw1 = tf.tensor2d(transpose(mw1, 3, 4), [4, 3]), tb1 = tf.tensor1d(mb1);
  const tw2 = tf.tensor2d(transpose(mw2, 2, 3), [3, 2]), tb2 = tf.tensor1d(mb2);
  const tfMlp = () => {
    const y = tf.tidy(() => tf.softmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tx, tw1), tb1)), tw2), tb2)));
    const data = y.dataSync();
    y.dispose();
    return data;
  };
  {
    const expect = tfMlp();
    M._bench_mlp_call();
    const got = view(M._bench_mlp_param(5), 2);
    for (let i = 0; i < 2; ++i)
      if (!(Math.abs(got[i] - expect[i]) < 1e-5)) throw new Error(`MLP: p[${i}] ${got[i]} vs tfjs ${expect[i]}`);
  }
  const mlpm = measure({
    tfjs: (k) => { for (let i = 0; i < k; ++i) tfMlp(); },
    call: (k) => {
      const f = M._bench_mlp_call;
      for (let i = 0; i < k; ++i) f();
    },
    loop: (k) => M._bench_mlp_run(k),
  });
  spreads.push(...Object.entries(mlpm).map(([k, v]) => ({ what: `MLP ${k}`, ...v })));
  const mlp = Object.fromEntries(Object.entries(mlpm).map(([k, v]) => [k, v.median]));
  for (const t of [tx, tw1, tb1, tw2, tb2]) t.dispose();

  let native = null;
  if (opt.native) {
    if (fs.existsSync(opt.native)) {
      const out = execFileSync(opt.native, ['--json', '--reps', String(opt.reps), '--min-ms', String(opt.minMs)]);
      native = JSON.parse(out.toString());
    } else {
      process.stderr.write(`  (no native figures: ${opt.native} is missing)\n`);
    }
  }
  const nat = (i, key) => (native ? fmtTime(native.cases[i][key]) : '—');

  // ---- report ----
  const cpu = (os.cpus()[0] || {}).model || 'unknown CPU';
  console.log(`nnplay conv bench — node ${process.version}, ${os.cpus().length} cores (${cpu}), one thread`);
  console.log(`tfjs-backend-wasm ${version} (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'on' : 'off'}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'on' : 'off'}); nnplay wasm: em++ -O3 -msimd128`);
  console.log(`median of ${opt.reps} repetitions, each ≥ ${opt.minMs} ms, after warm-up, variants interleaved; 3×3 filters, stride 1, valid`);
  console.log(`load average (1 min) ${loadStart.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end; ${(nowS() - t0).toFixed(0)} s of measuring`);

  printTable(
    'Convolution, time per conv (nnplay: one JS→wasm call per conv; tfjs: conv2d + dataSync)',
    ['case', 'MACs', 'tfjs-wasm', 'nnplay ref', 'nnplay simd', 'GF/s tfjs', 'GF/s ref', 'GF/s simd',
      'tfjs/ref', 'tfjs/simd', 'native ref', 'native simd'],
    results.map((r, i) => [
      r.label, r.macs, fmtTime(r.tfjs), fmtTime(r.refCall), fmtTime(r.simdCall),
      fmtGf(r.macs, r.tfjs), fmtGf(r.macs, r.refCall), fmtGf(r.macs, r.simdCall),
      fmtRatio(r.tfjs / r.refCall), fmtRatio(r.tfjs / r.simdCall),
      nat(i, 'ref_s'), nat(i, 'simd_s'),
    ]),
    ['tfjs/x > 1: nnplay is faster. GF/s = 2·MACs / time. native = the same engine code, g++ -O3, SIMD128 through SIMDe (SSE2).'],
  );

  printTable(
    'nnplay kernels: one call per conv vs. n convs inside one call (kernel time), and the dispatcher',
    ['case', 'ref call', 'ref loop', 'simd call', 'simd loop', 'dispatch call', 'dispatch loop',
      'native dispatch', 'ref == simd bitwise'],
    results.map((r, i) => [
      r.label, fmtTime(r.refCall), fmtTime(r.refLoop), fmtTime(r.simdCall), fmtTime(r.simdLoop),
      fmtTime(r.dispatchCall), fmtTime(r.dispatchLoop), nat(i, 'dispatch_s'), r.bitwise ? 'yes' : 'NO',
    ]),
    [`dispatch = conv2d_forward (what the engine calls). All outputs match tfjs within ${Math.max(...checks).toExponential(1)} (relative).`],
  );

  const target = 0.5e-6;
  printTable(
    'E9 recompute (EvaluateConvLab on ConvLabDefault: 6×6 input, 3×3 vertical-edge filter)',
    ['what', 'wasm', 'native', 'target'],
    [
      ['EvaluateConvLab, one JS→wasm call each', fmtTime(e9.evalCall), native ? fmtTime(native.e9_eval_s) : '—',
        `≤ 0.5 µs: ${e9.evalCall <= target ? 'met' : 'NOT met'}`],
      ['EvaluateConvLab, n inside one call', fmtTime(e9.evalLoop), '', ''],
      ...Object.entries({ dispatch: 'conv2d_forward (what it runs)', ref: 'conv2d_forward_ref', simd: 'conv2d_forward_simd128' })
        .map(([k, fn]) => [`its kernel alone, ${fn}: one call each / n in one call`,
          `${fmtTime(e9[`${k}Call`])} / ${fmtTime(e9[`${k}Loop`])}`,
          native ? fmtTime(native[`e9_${k}_s`]) : '—', '']),
      ['empty export (JS→wasm→JS)', fmtTime(e9.noop), '', ''],
      ['tfjs-wasm conv2d + dataSync, same shape (case a)', fmtTime(results[0].tfjs), '', ''],
    ],
  );

  printTable(
    'An edit on the conv lab at 128x128 with 8 filters 3x3, same padding, ReLU, 2x2 max pool',
    ['what', 'wasm', 'budget'],
    [
      ['EvaluateConvLab after one pixel changes', fmtTime(editm.evaluate.median), '16.7 ms (one 60 Hz frame)'],
      ['... and EncodeConvLab (the link in the address bar)', fmtTime(editm.evaluateAndLink.median), ''],
    ],
  );

  printTable(
    'Training lab session (wasm): one step = forward + backward + Adam on a batch of 10',
    ['network', 'per step', 'examples/s', '64x64 boundary + losses on 400 points'],
    trainRows,
  );

  printTable(
    "TensorFlow Playground's configurations: training examples/s and the decision boundary (wasm)",
    ['configuration', 'nnplay Mlp ex/s', 'nnplay Network ex/s', 'Mlp / Network', 'TF Playground ex/s*', 'Mlp / Playground',
      'boundary 100x100', 'Playground 100x100*', 'Playground / nnplay', 'boundary 256x256'],
    pgRows,
    ['* Playground measured in Chromium on another machine (single thread), not in this run. One step = forward, ' +
      'half squared error on a tanh output, backward, SGD lr 0.03 on a batch of 10. Boundary = features of every cell, ' +
      "every neuron's output (the thumbnails) and the output.", ...pgAgree],
  );

  const gf = (flops, t) => (flops / t / 1e9).toFixed(1);
  printTable(
    'Matmul n×n×n (nnplay: one JS→wasm call per matmul; tfjs: matMul + dataSync)',
    ['case', 'tfjs-wasm', 'nnplay ref', 'gemm_4x8_simd128', 'B pre-packed', 'GF/s tfjs', 'GF/s 4x8', 'GF/s pre-packed',
      'tfjs/4x8', 'tfjs/pre-packed', 'native 4x8', 'native pre-packed'],
    mmResults.map((r, i) => {
      const nm = native && native.matmul ? native.matmul[i] : null;
      return [`matmul ${r.n}³`, fmtTime(r.tfjs), r.ref ? fmtTime(r.ref) : '—', fmtTime(r.simd), fmtTime(r.packed),
        gf(r.flops, r.tfjs), gf(r.flops, r.simd), gf(r.flops, r.packed),
        fmtRatio(r.tfjs / r.simd), fmtRatio(r.tfjs / r.packed),
        nm ? `${fmtTime(nm.simd_s)} (${gf(r.flops, nm.simd_s)} GF/s)` : '—',
        nm ? `${fmtTime(nm.packed_s)} (${gf(r.flops, nm.packed_s)} GF/s)` : '—'];
    }),
    ['gemm_4x8_simd128 packs A and B on every call; "B pre-packed" packs B once (weights) and A per call. ' +
      'The scalar reference is timed at 256 only. GF/s = 2n³ / time.'],
  );

  // The packed GEMM against the peak measured in the same interleaved rounds, on CPU time.
  const peakRows = [];
  mmResults.forEach((r, i) => {
    const pk = peakResults[i].peaks;
    const best = Math.max(...pk.filter((x) => x.mulAdd).map((x) => x.cpuGfs));
    const cell = (k) => {
      const g = r.flops / r.cpu[k] / 1e9;
      return `${g.toFixed(1)} (${((100 * g) / best).toFixed(0)} %)`;
    };
    peakRows.push([`matmul ${r.n}³`, pk.map((x) => x.cpuGfs.toFixed(1)).join(' / '), best.toFixed(1),
      cell('packedABLoop'), cell('packedAB'), cell('packed'), cell('simd')]);
  });
  {
    const e = results[results.length - 1];
    const best = Math.max(...peakResults[0].peaks.filter((x) => x.mulAdd).map((x) => x.cpuGfs));
    const cell = (k) => {
      const g = (2 * e.macs) / e.cpu[k] / 1e9;
      return `${g.toFixed(1)} (${((100 * g) / best).toFixed(0)} %)`;
    };
    peakRows.push([`conv ${e.label}`, '(the 256³ rounds\' peak)', best.toFixed(1), cell('simdLoop'), cell('simdCall'), '', '']);
  }
  printTable(
    'SIMD128 peak (independent mul+add chains, this build) and the packed GEMM: GF/s on CPU time (% of the peak)',
    ['case', `peak variants: ${PEAK_NAMES.join(' / ')}`, 'peak', 'packed A+B, n in one call', 'packed A+B, one call each',
      'B pre-packed (A packed per call)', 'gemm_4x8_simd128 (packs both)'],
    peakRows,
    ['peak = the fastest multiply-add variant (peak_exports.cpp: y streamed from L1, as the GEMM loads B; not the former loop), measured interleaved with the matmuls of its row. CPU time = the ' +
      "process's user + system time per iteration (median), which leaves out the time other processes held the core. " +
      'conv: its simd loop / simd call against the peak of the 256³ rounds.'],
  );

  // The ratios against tfjs on CPU time too (same rounds as the wall-clock tables above).
  const cpuRatio = (r, k) => fmtRatio(r.cpu.tfjs / r.cpu[k]);
  printTable(
    'tfjs / nnplay on CPU time (the same interleaved rounds as the tables above)',
    ['case', 'tfjs/simd call', 'tfjs/dispatch call', 'tfjs/4x8 (packs both)', 'tfjs/B pre-packed'],
    [
      ...results.map((r) => [r.label, cpuRatio(r, 'simdCall'), cpuRatio(r, 'dispatchCall'), '', '']),
      ...mmResults.map((r) => [`matmul ${r.n}³`, '', '', cpuRatio(r, 'simd'), cpuRatio(r, 'packed')]),
    ],
  );

  printTable(
    'MLP 4→3→2 forward (dense, ReLU, dense, softmax), one sample',
    ['what', 'time per forward', 'tfjs / this'],
    [
      ['tfjs-wasm: matMul/add/relu/matMul/add/softmax in tidy + dataSync', fmtTime(mlp.tfjs), '1.00×'],
      ['nnplay: one JS→wasm call per forward (result read through a HEAPF32 view)', fmtTime(mlp.call), fmtRatio(mlp.tfjs / mlp.call)],
      ['nnplay: n forwards inside one call', fmtTime(mlp.loop), fmtRatio(mlp.tfjs / mlp.loop)],
      ['nnplay native', native && native.mlp_s ? fmtTime(native.mlp_s) : '—', ''],
    ],
  );

  // Noise: the interquartile range of the repetitions, relative to the median.
  const rel = spreads.map((x) => ({ what: x.what, r: (x.q3 - x.q1) / x.median }));
  rel.sort((a, b) => b.r - a.r);
  const noisy = rel.filter((x) => x.r > 0.1).length;
  console.log();
  console.log(`noise: ${noisy} of ${rel.length} measurements have an interquartile range above 10 % of their median; ` +
    `the widest: ${rel.slice(0, 3).map((x) => `${x.what} ${(100 * x.r).toFixed(0)} %`).join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
