// harness.mjs: what every browser test needs: Debian's Chromium launched headless with
// the flags that work on these machines, and waits for the wasm app to be ready.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

import { startStaticServer } from '../../scripts/static-server.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The native CLI the test command builds first (scripts/test.sh: native, then wasm).
export const DEFAULT_NNPLAY = join(ROOT, 'build/native/tools/nnplay');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
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

// Serves the site, starts Chromium, runs body({ server, browser, test }), where
// test(name, fn) runs and reports one named test; then prints the tally and exits with the
// number of failures.
export async function runTests(args, body) {
  const server = await startStaticServer({ root: args.site, port: 0 });
  const browser = await launchChromium();
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
