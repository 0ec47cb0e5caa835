// harness.mjs: what every browser test needs: Debian's Chromium launched headless with
// the flags that work on these machines, and waits for the wasm app to be ready.
import { chromium } from 'playwright-core';

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
