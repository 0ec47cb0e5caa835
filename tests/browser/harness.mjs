// harness.mjs: what every browser test needs: Debian's Chromium launched headless with
// the flags that work on these machines, and waits for the wasm app to be ready.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inflateSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { startStaticServer } from '../../scripts/static-server.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The native CLI the test command builds first (scripts/test.sh: native, then wasm).
export const DEFAULT_NNPLAY = join(ROOT, 'build/native/tools/nnplay');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Chromium's fake camera (options.camera): a test pattern, or options.camera.file (a .y4m)
// looped, instead of a real device. getUserMedia then works in a context granted the
// 'camera' permission (browser.newContext({ permissions: ['camera'] })) and is refused in one
// without it; options.camera.fakeUi accepts every prompt instead (no context is refused).
export function cameraArgs(camera) {
  if (!camera) return [];
  const out = ['--use-fake-device-for-media-stream'];
  if (camera.fakeUi) out.push('--use-fake-ui-for-media-stream');
  if (camera.file) out.push(`--use-file-for-fake-video-capture=${camera.file}`);
  return out;
}

export function launchChromium(options = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...cameraArgs(options.camera)],
  });
}

// Navigates (when url is given) and waits until the app has drawn frames and laid out its grids.
export async function openLab(page, url) {
  if (url) await page.goto(url);
  await page.waitForFunction(() => {
    if (typeof Module === 'undefined' || !Module.calledRun || !Module._nnplay_layout_json) return false;
    const layout = JSON.parse(Module.ccall('nnplay_layout_json', 'string'));
    return layout.input.cell > 0;
  }, null, { timeout: 20000 });
  await settle(page);
}

// Lets the app draw a few frames (ImGui applies input over the next frames).
export async function settle(page, frames = 6) {
  await page.evaluate((n) => new Promise((resolve) => {
    const step = (k) => (k === 0 ? resolve() : requestAnimationFrame(() => step(k - 1)));
    step(n);
  }), frames);
}

// Clicks the middle of a rectangle [x, y, w, h] from nnplay_layout_json, a few frames
// between move, press and release so ImGui sees hover, press and release separately.
export async function clickRect(page, r, { button = 'left', after = 2 } = {}) {
  await page.mouse.move(r[0] + r[2] / 2, r[1] + r[3] / 2);
  await settle(page, 2);
  await page.mouse.down({ button });
  await settle(page, 2);
  await page.mouse.up({ button });
  await settle(page, after);
}

export async function labState(page) {
  return JSON.parse(await page.evaluate(() => Module.ccall('nnplay_state_json', 'string')));
}

// Waits until predicate(layout) holds, layout being the app's nnplay_layout_json.
export async function waitForLayout(page, predicate, timeout = 10000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const layout = JSON.parse(await page.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
    if (predicate(layout)) return layout;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the layout: ${JSON.stringify(layout)}`);
    await settle(page, 2);
  }
}

// Waits until predicate(layout) holds and the layout has stopped moving: the rectangles of
// every control, button and preset are the same in two reads `frames` frames apart. A lab just
// opened can still move on its next frames (a guide measured a frame late pushes the controls
// down), so a test that points at a control first waits for this.
export async function waitForSteadyLayout(page, predicate, { timeout = 20000, frames = 4 } = {}) {
  const deadline = Date.now() + timeout;
  const shape = (l) => JSON.stringify([l.lab, l.controls, l.buttons,
    Object.entries(l).filter(([k]) => k.startsWith('preset-'))]);
  let last = null;
  for (;;) {
    const layout = await layoutOf(page);
    if (predicate(layout)) {
      if (last !== null && shape(layout) === last) return layout;
      last = shape(layout);
    } else {
      last = null;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for a steady layout: ${JSON.stringify(layout)}`);
    await settle(page, frames);
  }
}

// Presses a key across two frames: ImGui 1.86's SDL backend keeps only the last key state
// of a frame, so a keydown and keyup inside one frame would be lost.
export async function pressKey(page, key) {
  await page.keyboard.down(key);
  await settle(page, 2);
  await page.keyboard.up(key);
  await settle(page, 2);
}

export async function layoutOf(page) {
  return JSON.parse(await page.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
}

// The command line every browser test takes: --site DIR (required), --out DIR, and any
// `extra` parseArgs options. Creates the output folder.
export function testArgs(extra = {}) {
  const { values } = parseArgs({
    options: { site: { type: 'string' }, out: { type: 'string', default: 'browser-out' }, ...extra },
  });
  if (!values.site) throw new Error('--site DIR is required');
  mkdirSync(values.out, { recursive: true });
  return values;
}

// Serves the site, starts Chromium (with launchChromium's `options`), runs
// body({ server, browser, test }), where test(name, fn) runs and reports one named test;
// then prints the tally and exits with the number of failures. The site is served cross-origin
// isolated (COOP/COEP, as scripts/serve.sh does) unless options.isolate is false.
export async function runTests(args, body, options = {}) {
  const server = await startStaticServer({ root: args.site, port: 0, isolate: options.isolate ?? true });
  const browser = await launchChromium(options);
  let failures = 0;
  async function test(name, fn) {
    const started = Date.now();
    try {
      await fn();
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failures++;
      console.log(`FAIL ${name}\n${e.stack || e}`);
    }
  }
  try {
    await body({ server, browser, test });
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(failures ? `${failures} browser test(s) failed` : 'all browser tests passed');
  process.exit(failures ? 1 : 0);
}

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(cpp|h|inc)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

// The native nnplay CLI at `path`, checked: it must exist and be newer than every engine
// source and tools/nnplay.cpp (else it would judge other code than the page's). Throws
// with what to run otherwise; a test that needs the CLI fails, it never skips.
// Returns run(argv) -> spawnSync's result (retried while a build next door relinks it).
export function nativeCli(path = DEFAULT_NNPLAY) {
  const rebuild = `build it: cmake --preset native && cmake --build build/native --target nnplay`;
  if (!existsSync(path)) throw new Error(`the native CLI ${path} does not exist; ${rebuild}`);
  const sources = Math.max(newestSource(join(ROOT, 'engine')), statSync(join(ROOT, 'tools/nnplay.cpp')).mtimeMs);
  if (sources > statSync(path).mtimeMs)
    throw new Error(`the native CLI ${path} is older than the engine sources; ${rebuild}`);
  return (argv) => {
    for (let attempt = 0; ; ++attempt) {
      const r = spawnSync(path, argv, {
        encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
      });
      if (!r.error) return r;
      // Being relinked by a build next door: wait a moment.
      if (attempt === 5 || !['ETXTBSY', 'ENOENT', 'EACCES'].includes(r.error.code)) throw r.error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  };
}

// ---- pictures: what a screenshot shows ---------------------------------------------------

// Decodes an 8-bit RGB or RGBA PNG, not interlaced (what Chromium's screenshots are).
// Returns { width, height, pixel(x, y) -> [r, g, b] } in image pixels.
export function decodePng(png) {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let at = 8, width = 0, height = 0, channels = 0;
  const idat = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at), type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0), height = data.readUInt32BE(4);
      const [depth, color, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (color !== 2 && color !== 6))
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${color}, interlace ${interlace}`);
      channels = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels, px = Buffer.alloc(stride * height);
  // Undo each row's filter (PNG spec 9.2): none, sub, up, average, Paeth.
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)], src = y * (stride + 1) + 1, dst = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[dst + i - channels] : 0;
      const b = y > 0 ? px[dst - stride + i] : 0;
      const c = i >= channels && y > 0 ? px[dst - stride + i - channels] : 0;
      let p = raw[src + i];
      if (filter === 1) p += a;
      else if (filter === 2) p += b;
      else if (filter === 3) p += (a + b) >> 1;
      else if (filter === 4) {
        const q = a + b - c, pa = Math.abs(q - a), pb = Math.abs(q - b), pc = Math.abs(q - c);
        p += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`PNG filter ${filter}`);
      px[dst + i] = p & 255;
    }
  }
  return {
    width, height,
    pixel(x, y) {
      const o = Math.round(y) * stride + Math.round(x) * channels;
      return [px[o], px[o + 1], px[o + 2]];
    },
  };
}

// The diverging colormap of shaders/heatmap.frag, computed from the constants in that file
// (so a new palette needs no change here): v in [-absmax, absmax] -> [r, g, b] in 0..255.
export function heatmapColor(v, absmax) {
  const source = readFileSync(join(ROOT, 'shaders/heatmap.frag'), 'utf8');
  const k = {};
  for (const m of source.matchAll(/const vec3 (k\w+) = vec3\(([^)]*)\);/g)) k[m[1]] = m[2].split(',').map(Number);
  for (const name of ['kNeutral', 'kPosMid', 'kPosEnd', 'kNegMid', 'kNegEnd'])
    if (!k[name] || k[name].length !== 3) throw new Error(`shaders/heatmap.frag has no ${name}`);
  const t = Math.max(-1, Math.min(1, v / absmax)), a = Math.abs(t);
  const mid = t >= 0 ? k.kPosMid : k.kNegMid, end = t >= 0 ? k.kPosEnd : k.kNegEnd;
  const mix = (p, q, f) => p.map((x, i) => x + (q[i] - x) * f);
  const c = a < 0.5 ? mix(k.kNeutral, mid, a * 2) : mix(mid, end, a * 2 - 1);
  return c.map((x) => Math.round(Math.max(0, Math.min(1, x)) * 255));
}

// What only `nnplay eval` prints for the training labs, so that an outside tool can replay a
// run (docs/link-format.md): the page's frames compute none of it.
export const CLI_ONLY = new Set(['$.result.weights', '$.result.points', '$.result.initial_weights', '$.result.trace', '$.result.trace_images']);

// The path of the first difference between the page's JSON `a` and nnplay eval's `b`,
// numbers to a relative 1e-5 (native and wasm use different maths libraries: exp, tanh),
// everything else exact; '' when they agree. A CLI-only field the page lacks is no
// difference.
export function firstDifference(a, b, path = '$') {
  if (a === b) return '';
  if (a === undefined && CLI_ONLY.has(path)) return '';
  if (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b)))
    return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b))
    return `${path}: page ${JSON.stringify(a)?.slice(0, 80)}, nnplay eval ${JSON.stringify(b)?.slice(0, 80)}`;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d) return d;
  }
  return '';
}

export const colorDistance = (p, q) => Math.max(...p.map((x, i) => Math.abs(x - q[i])));

// Starts every lab with its guide panel closed (as a returning user leaves it, remembered in
// local storage), for tests about controls that the open panel pushes below the fold. Applies
// from the page's next navigation on; tests/browser/profiles.test.mjs covers the open panel.
export const LAB_IDS = ['conv', 'softmax', 'batchnorm', 'dropout', 'mlp', 'flow', 'cost', 'train', 'cnn'];
export async function closeGuides(page) {
  await page.addInitScript((labs) => {
    for (const lab of labs) localStorage.setItem(`nnplay.guide.${lab}`, 'closed');
  }, LAB_IDS);
}

// Clicks `rect` (a control that opens the page's file picker: Import..., Import CSV..., Load
// image) and hands the chooser `files`: a path, or { name, mimeType, buffer }. The chooser is
// awaited with the click, so a slow frame between them loses nothing.
export async function pickFile(page, rect, files, timeout = 60000) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser', { timeout }),
    page.mouse.click(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2),
  ]);
  await chooser.setFiles(files);
}
