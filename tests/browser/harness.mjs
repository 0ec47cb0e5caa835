// harness.mjs: what every browser test needs: Debian's Chromium launched headless with
// the flags that work on these machines, and waits for the wasm app to be ready.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

import { startStaticServer } from '../../scripts/static-server.mjs';

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
