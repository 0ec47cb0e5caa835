#!/usr/bin/env node
// cnn_bench.mjs: training ConvNetJS's MNIST and CIFAR-10 demo networks, ConvNetJS 0.3.0
// against nnplay's Network (engine/nn/network.h, in wasm), in one node process, one thread.
// Run through bench/run.sh, which builds what this loads:
//
//   node --no-experimental-fetch bench/cnn_bench.mjs [--markdown] [--reps N] [--min-ms MS]
//        [--wasm build/bench/wasm/bench/nnplay_bench.cjs]
//
// Method:
// - the nets and the trainer are ConvNetJS's demos' (SGDTrainer, method 'adadelta', ρ 0.95,
//   ε 1e-6; MNIST batch_size 20, l2_decay 0.001; CIFAR-10 batch_size 4, l2_decay 0.0001),
//   plus an MLP 784-256-256-10 (batch 32, l2_decay 0.001) for the dense layers; nnplay
//   builds the same layers and uses Adadelta with the same settings (nn/optimizer.h);
// - data: a pool of samples (values in [−0.5, 0.5), labels 0..9) from an LCG, made in JS
//   and copied into ConvNetJS Vols ((x, y, depth), depth fastest) and into wasm memory (CHW);
// - check first: ConvNetJS's initial weights are copied into nnplay (OIHW / CHW-flattened
//   dense inputs), both train the same batches for --check-steps steps; each step's
//   batch-mean loss and then every weight must agree (relative to the tensor's largest |w|)
//   to 1e-4, else the run fails. ConvNetJS computes in double (Float64Array), nnplay in float;
// - timing: each variant is a function of n that trains n batches; n grows until one call
//   lasts --min-ms (the warm-up), then --reps calls are timed round-robin (rotating order)
//   and the median time per example is reported as examples/s, on the wall clock and on the
//   process's CPU time (user + system: on a loaded machine the ratio to read). Variants: ConvNetJS
//   (trainer.train per sample), nnplay with the fast kernels (one JS→wasm call for n
//   batches), nnplay with the scalar reference kernels (set_reference_kernels(true)).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const opt = {
  reps: 7,
  minMs: 300,
  checkSteps: 3,
  markdown: false,
  wasm: path.join(root, 'build/bench/wasm/bench/nnplay_bench.cjs'),
};
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--markdown') opt.markdown = true;
    else if (a === '--reps') opt.reps = Math.max(1, parseInt(argv[++i], 10));
    else if (a === '--min-ms') opt.minMs = Math.max(1, parseFloat(argv[++i]));
    else if (a === '--check-steps') opt.checkSteps = Math.max(1, parseInt(argv[++i], 10));
    else if (a === '--wasm') opt.wasm = path.resolve(argv[++i]);
    else if (a === '--native' || a === '--no-native') {
      if (a === '--native') ++i;  // run.sh passes conv_bench's arguments along; not used here
    } else {
      console.error(`cnn_bench: unknown argument ${a}; see the header of bench/cnn_bench.mjs`);
      process.exit(2);
    }
  }
}

const nowS = () => Number(process.hrtime.bigint()) * 1e-9;

// ---- the nets -------------------------------------------------------------------------------
const NETS = [
  {
    name: 'MNIST demo',
    which: 0,
    shape: [1, 24, 24],  // C, H, W
    batch: 20,
    l2: 0.001,
    pool: 200,
    layers: [
      { type: 'input', out_sx: 24, out_sy: 24, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 3, stride: 3 },
      { type: 'softmax', num_classes: 10 },
    ],
  },
  {
    name: 'CIFAR-10 demo',
    which: 1,
    shape: [3, 32, 32],
    batch: 4,
    l2: 0.0001,
    pool: 40,
    layers: [
      { type: 'input', out_sx: 32, out_sy: 32, out_depth: 3 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 20, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 20, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'softmax', num_classes: 10 },
    ],
  },
  {
    // Not a ConvNetJS demo: dense layers only (the Network's GEMM path for large layers).
    name: 'MLP 784-256-256-10',
    which: 2,
    shape: [1, 28, 28],
    batch: 32,
    l2: 0.001,
    pool: 320,
    layers: [
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'fc', num_neurons: 256, activation: 'relu' },
      { type: 'fc', num_neurons: 256, activation: 'relu' },
      { type: 'softmax', num_classes: 10 },
    ],
  },
];

// Deterministic data: a 32-bit LCG (Numerical Recipes), top 24 bits as a float in [0, 1).
function makeData(net, seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) / 16777216;
  };
  const [c, h, w] = net.shape;
  const size = c * h * w;
  const x = new Float32Array(net.pool * size);  // CHW per sample (float values, exact in both)
  const y = new Int32Array(net.pool);
  for (let i = 0; i < x.length; ++i) x[i] = next() - 0.5;
  for (let i = 0; i < y.length; ++i) y[i] = Math.floor(next() * 10);
  return { x, y, size };
}

// ---- loading --------------------------------------------------------------------------------
async function loadNnplay() {
  if (!fs.existsSync(opt.wasm)) {
    console.error(`cnn_bench: ${opt.wasm} is missing; build it with bench/run.sh`);
    process.exit(1);
  }
  const create = createRequire(import.meta.url)(opt.wasm);
  const wasmBinary = fs.readFileSync(opt.wasm.replace(/\.cjs$/, '.wasm'));
  return create({ wasmBinary });
}

function loadConvnet() {
  const base = process.env.NNPLAY_BENCH_MODULES_DIR
    ? path.resolve(process.env.NNPLAY_BENCH_MODULES_DIR)
    : root;
  const req = createRequire(path.join(base, 'package.json'));
  try {
    return {
      convnetjs: req('convnetjs'),
      version: JSON.parse(fs.readFileSync(req.resolve('convnetjs/package.json'), 'utf8')).version,
    };
  } catch (e) {
    console.error(`cnn_bench: cannot load convnetjs (${e.message}); run scripts/deps.sh (npm ci)`);
    process.exit(1);
  }
}

// ---- one net --------------------------------------------------------------------------------
// ConvNetJS's conv and fc layers with their input geometry, in order (what nnplay's
// parameter tensors follow: weight, bias, weight, bias, ...).
function paramLayers(cnet) {
  const out = [];
  for (let i = 0; i < cnet.layers.length; ++i) {
    const L = cnet.layers[i];
    if (L.layer_type === 'conv' || L.layer_type === 'fc') {
      const prev = cnet.layers[i - 1];
      out.push({ L, inSx: prev.out_sx, inSy: prev.out_sy, inDepth: prev.out_depth });
    }
  }
  return out;
}

// ConvNetJS's weights in nnplay's layout, as one array per nnplay parameter tensor.
function convnetWeightsAsNnplay(cnet) {
  const tensors = [];
  for (const { L, inSx, inSy, inDepth } of paramLayers(cnet)) {
    const nOut = L.out_depth;
    if (L.layer_type === 'conv') {
      const k = L.sx, C = L.in_depth;
      const w = new Float64Array(nOut * C * k * k);  // OIHW
      for (let o = 0; o < nOut; ++o)
        for (let c = 0; c < C; ++c)
          for (let fy = 0; fy < k; ++fy)
            for (let fx = 0; fx < k; ++fx)
              w[((o * C + c) * k + fy) * k + fx] = L.filters[o].w[(k * fy + fx) * C + c];
      tensors.push(w);
    } else {
      const W = inSx, H = inSy, D = inDepth, nIn = W * H * D;
      const w = new Float64Array(nOut * nIn);  // [out, in], in = CHW-flattened
      for (let o = 0; o < nOut; ++o)
        for (let d = 0; d < D; ++d)
          for (let y = 0; y < H; ++y)
            for (let x = 0; x < W; ++x)
              w[o * nIn + (d * H + y) * W + x] = L.filters[o].w[(W * y + x) * D + d];
      tensors.push(w);
    }
    tensors.push(Float64Array.from(L.biases.w));
  }
  return tensors;
}

function setupNet(M, convnetjs, net) {
  const { x, y, size } = makeData(net, 12345 + net.which);
  const [C, H, W] = net.shape;
  // ConvNetJS
  const cnet = new convnetjs.Net();
  cnet.makeLayers(net.layers.map((l) => ({ ...l })));
  const trainer = new convnetjs.SGDTrainer(cnet, {
    method: 'adadelta', batch_size: net.batch, l2_decay: net.l2,
  });
  const vols = [];
  for (let i = 0; i < net.pool; ++i) {
    const v = new convnetjs.Vol(W, H, C, 0.0);
    for (let c = 0; c < C; ++c)
      for (let yy = 0; yy < H; ++yy)
        for (let xx = 0; xx < W; ++xx)
          v.w[(W * yy + xx) * C + c] = x[i * size + (c * H + yy) * W + xx];
    vols.push(v);
  }
  let cursor = 0;
  const convnetStep = () => {  // one batch; returns the batch-mean cross-entropy
    let sum = 0;
    for (let i = 0; i < net.batch; ++i) {
      const j = cursor * net.batch + i;
      sum += trainer.train(vols[j], y[j]).cost_loss;
    }
    cursor = (cursor + 1) % (net.pool / net.batch);
    return sum / net.batch;
  };
  // nnplay: slot 0 fast kernels, slot 1 reference kernels; same data, same initial weights.
  const heapF = () => M.HEAPF32;
  const views = [];
  for (const slot of [0, 1]) {
    const n = M._cnn_setup(slot, net.which, net.batch, net.pool, net.l2);
    if (n < 0) throw new Error(`cnn_setup failed for ${net.name}`);
    M._cnn_set_reference(slot, slot);
    heapF().set(x, M._cnn_x(slot) >> 2);
    new Int32Array(heapF().buffer, M._cnn_y(slot), net.pool).set(y);
    const tensors = [];
    for (let t = 0; t < M._cnn_num_tensors(slot); ++t)
      tensors.push({ offset: M._cnn_tensor_field(slot, t, 0), size: M._cnn_tensor_field(slot, t, 1) });
    views.push({ slot, count: n, tensors });
  }
  const init = convnetWeightsAsNnplay(cnet);
  for (const v of views) {
    if (init.length !== v.tensors.length) throw new Error(`${net.name}: tensor count differs`);
    const params = heapF().subarray(M._cnn_params(v.slot) >> 2, (M._cnn_params(v.slot) >> 2) + v.count);
    init.forEach((w, t) => {
      if (w.length !== v.tensors[t].size) throw new Error(`${net.name}: tensor ${t} size differs`);
      params.set(w, v.tensors[t].offset);
    });
  }
  const readParams = (slot) => {
    const p = M._cnn_params(slot) >> 2;
    return views[slot].tensors.map((t) => heapF().slice(p + t.offset, p + t.offset + t.size));
  };
  return { cnet, trainer, convnetStep, views, readParams, resetCursor: () => { cursor = 0; } };
}

// Trains checkSteps batches on all three; returns the worst differences.
function check(M, net, s) {
  const rows = [];
  let worstLoss = 0;
  for (let step = 0; step < opt.checkSteps; ++step) {
    const lc = s.convnetStep();
    const lf = M._cnn_train(0, 1);
    const lr = M._cnn_train(1, 1);
    const d = Math.max(Math.abs(lf - lc), Math.abs(lr - lc)) / Math.abs(lc);
    worstLoss = Math.max(worstLoss, d);
    rows.push(`step ${step + 1}: loss ConvNetJS ${lc.toFixed(7)}, nnplay ${lf.toFixed(7)} (fast) ${lr.toFixed(7)} (reference)`);
  }
  const want = convnetWeightsAsNnplay(s.cnet);
  let worstW = 0, worstFR = 0;
  for (const slot of [0, 1]) {
    const got = s.readParams(slot);
    want.forEach((w, t) => {
      let scale = 0, diff = 0;
      for (let i = 0; i < w.length; ++i) {
        scale = Math.max(scale, Math.abs(w[i]));
        diff = Math.max(diff, Math.abs(got[t][i] - w[i]));
      }
      worstW = Math.max(worstW, diff / scale);
    });
  }
  const f = s.readParams(0), r = s.readParams(1);
  f.forEach((w, t) => {
    let scale = 0, diff = 0;
    for (let i = 0; i < w.length; ++i) {
      scale = Math.max(scale, Math.abs(r[t][i]));
      diff = Math.max(diff, Math.abs(w[i] - r[t][i]));
    }
    worstFR = Math.max(worstFR, diff / scale);
  });
  return { rows, worstLoss, worstW, worstFR };
}

function measure(variants) {
  // Wall clock (the warm-up's measure) and the process's CPU time (user + system), which
  // leaves out the time other processes held the core on a loaded machine.
  const timeCall = (run, n) => {
    const c0 = process.cpuUsage();
    const t0 = nowS();
    run(n);
    const t = nowS() - t0;
    const c = process.cpuUsage(c0);
    timeCall.cpu = (c.user + c.system) * 1e-6;
    return t;
  };
  const minS = opt.minMs * 1e-3;
  const names = Object.keys(variants);
  const count = {};
  for (const name of names) {
    let n = 1;
    let t = timeCall(variants[name].run, n);
    while (t < minS) {
      const grow = t > 0 ? Math.min(10, (1.2 * minS) / t) : 10;
      n = Math.max(n + 1, Math.floor(n * grow));
      t = timeCall(variants[name].run, n);
    }
    count[name] = n;
  }
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const cpuSamples = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < opt.reps; ++r)
    for (let j = 0; j < names.length; ++j) {
      const name = names[(r + j) % names.length];
      const t = timeCall(variants[name].run, count[name]);
      samples[name].push((count[name] * variants[name].examplesPerRun) / t);
      cpuSamples[name].push((count[name] * variants[name].examplesPerRun) / Math.max(timeCall.cpu, 1e-9));
    }
  const q = (a, f) => a[Math.min(a.length - 1, Math.round(f * (a.length - 1)))];
  return Object.fromEntries(names.map((name) => {
    const a = samples[name].sort((x, y) => x - y);
    const c = cpuSamples[name].sort((x, y) => x - y);
    return [name, { median: q(a, 0.5), q1: q(a, 0.25), q3: q(a, 0.75), cpu: q(c, 0.5), n: count[name] }];
  }));
}

// ---- main -----------------------------------------------------------------------------------
async function main() {
  const load0 = os.loadavg()[0];
  const t0 = nowS();
  const { convnetjs, version } = loadConvnet();
  const M = await loadNnplay();
  const results = [];
  let failed = false;
  for (const net of NETS) {
    const s = setupNet(M, convnetjs, net);
    const c = check(M, net, s);
    console.log(`${net.name}: check over ${opt.checkSteps} training steps (batch ${net.batch})`);
    for (const r of c.rows) console.log(`  ${r}`);
    console.log(`  worst loss difference ${c.worstLoss.toExponential(2)} (relative); weights vs ConvNetJS ` +
      `${c.worstW.toExponential(2)}, fast vs reference ${c.worstFR.toExponential(2)} (relative to each tensor's largest |w|)`);
    if (!(c.worstLoss < 1e-4 && c.worstW < 1e-4)) {
      console.error(`cnn_bench: ${net.name}: nnplay and ConvNetJS disagree beyond 1e-4`);
      failed = true;
      continue;
    }
    const m = measure({
      convnetjs: { run: (n) => { for (let i = 0; i < n; ++i) s.convnetStep(); }, examplesPerRun: net.batch },
      nnplay: { run: (n) => M._cnn_train(0, n), examplesPerRun: net.batch },
      nnplayRef: { run: (n) => M._cnn_train(1, n), examplesPerRun: net.batch },
    });
    results.push({ net, m });
  }
  const load1 = os.loadavg()[0];
  const f0 = (v) => v.toFixed(0);
  const rows = results.map(({ net, m }) => [
    `${net.name} (batch ${net.batch})`,
    f0(m.convnetjs.median), f0(m.nnplayRef.median), f0(m.nnplay.median),
    `${(m.nnplay.median / m.convnetjs.median).toFixed(1)}×`,
    `${(m.nnplay.median / m.nnplayRef.median).toFixed(1)}×`,
    f0(m.convnetjs.cpu), f0(m.nnplay.cpu), `${(m.nnplay.cpu / m.convnetjs.cpu).toFixed(1)}×`,
  ]);
  const headers = ['net', `ConvNetJS ${version} ex/s`, 'nnplay reference ex/s', 'nnplay ex/s',
    'nnplay / ConvNetJS', 'fast / reference', 'ConvNetJS ex/s (CPU time)', 'nnplay ex/s (CPU time)',
    'nnplay / ConvNetJS (CPU time)'];
  console.log('');
  if (opt.markdown) {
    console.log(`| ${headers.join(' | ')} |`);
    console.log(`|${headers.map((_, i) => (i ? '---:' : '---')).join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } else {
    const width = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r) => r.map((c, i) => (i ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ');
    console.log(line(headers));
    console.log(width.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
  }
  for (const { net, m } of results) {
    const iq = (v) => `${f0(v.q1)}..${f0(v.q3)}`;
    console.log(`  ${net.name}: interquartile ex/s ConvNetJS ${iq(m.convnetjs)}, nnplay ${iq(m.nnplay)}, ` +
      `reference ${iq(m.nnplayRef)}; batches per timed call ${m.convnetjs.n} / ${m.nnplay.n} / ${m.nnplayRef.n}`);
  }
  console.log(`  median of ${opt.reps} timed calls of ≥ ${opt.minMs} ms each; node ${process.version}; ` +
    `load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on ${os.cpus().length} cores; ${(nowS() - t0).toFixed(0)} s`);
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
