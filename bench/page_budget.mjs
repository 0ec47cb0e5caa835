// page_budget.mjs: the page's budgets (issue 11), measured on the built site.
// - weight: every file the page loads (html, js, wasm, fonts, the icon), gzip -9 each, summed;
//   budget 750 KB (KB = 1000 bytes here; KiB shown beside). The trainer (site/trainer/: the
//   worker and its module) is fetched when training starts, not by the page: listed apart;
// - first frame: navigation start to the app's first laid-out frame (performance mark
//   'nnplay-first-frame') in headless Chromium from a server on 127.0.0.1, a fresh browser
//   context per run (nothing cached), median of --runs; budget 1.2 s;
// - frame CPU: the page's own nnplay_frame_ms (app + ImGui + GL submission) over --frames frames
//   of each lab at rest (its default state, nothing playing), median; budget 4 ms.
// Exits 1 when a budget is exceeded. Timing varies with the machine's load: run it on a quiet
// machine and report the figures with the machine.
//
//   node bench/page_budget.mjs --site build/wasm/web/site [--runs 7] [--frames 240] [--markdown]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium, openLab, settle } from '../tests/browser/harness.mjs';
import { quantile } from './common.mjs';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    runs: { type: 'string', default: '7' },
    frames: { type: 'string', default: '240' },
    markdown: { type: 'boolean', default: false },
  },
});
if (!args.site) throw new Error('--site DIR is required');

const BUDGET = { weightKB: 750, firstFrameMs: 1200, frameMs: 4 };
const LABS = ['conv', 'softmax', 'batchnorm', 'dropout', 'mlp', 'flow', 'cost', 'train', 'cnn'];
// What the page downloads: everything in the site but text files (licences) and source maps.
const PAGE_FILES = new Set(['.html', '.js', '.wasm', '.ttf', '.otf', '.woff', '.woff2', '.svg', '.css', '.json', '.png']);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function listFiles(dir, prefix = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, `${prefix}${name}/`));
    else if (PAGE_FILES.has(extname(name).toLowerCase())) out.push({ name: `${prefix}${name}`, path });
  }
  return out;
}

const TRAINER_DIR = 'trainer/';

function weight() {
  const all = listFiles(args.site).map(({ name, path }) => {
    const bytes = readFileSync(path);
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const sum = (rows) => rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const rows = all.filter((r) => !r.name.startsWith(TRAINER_DIR));
  const trainer = all.filter((r) => r.name.startsWith(TRAINER_DIR));
  return { rows, total: sum(rows), trainer, trainerTotal: sum(trainer) };
}

async function firstFrames(browser, url) {
  const times = [];
  for (let i = 0; i < Number(args.runs); ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await openLab(page, url);
    const t = await page.evaluate(() => {
      const mark = performance.getEntriesByName('nnplay-first-frame')[0];
      return mark ? mark.startTime : NaN;  // ms since the navigation started
    });
    times.push(t);
    await context.close();
  }
  return times;
}

async function frameCpu(browser, url, lab) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}#v1/${lab}`);
  await page.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun &&
    Module.ccall('nnplay_frame_count', 'number', [], []) > 10, null, { timeout: 20000 });
  await settle(page, 30);  // past start-up (font atlas, first layouts)
  const n = Math.min(Number(args.frames), 239);
  const before = await page.evaluate(() => Module.ccall('nnplay_frame_count', 'number', [], []));
  await settle(page, n);
  const ms = await page.evaluate(({ n, before }) => {
    const count = Math.min(n, Module.ccall('nnplay_frame_count', 'number', [], []) - before);
    return Array.from({ length: count }, (_, i) => Module.ccall('nnplay_frame_ms', 'number', ['number'], [i]));
  }, { n, before });
  await page.close();
  return ms;
}

const server = await startStaticServer({ root: args.site, port: 0 });
const browser = await launchChromium();
let over = 0;
const lines = [];
const say = (s) => lines.push(s);
try {
  const w = weight();
  const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
  const weightOk = w.total.gzip <= BUDGET.weightKB * 1000;
  over += weightOk ? 0 : 1;

  const e9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
  const first = await firstFrames(browser, `${server.url}#${e9}`);
  const firstOk = median(first) <= BUDGET.firstFrameMs;
  over += firstOk ? 0 : 1;

  const perLab = [];
  for (const lab of LABS) {
    const ms = await frameCpu(browser, server.url, lab);
    perLab.push({ lab, median: median(ms), p90: quantile(ms, 0.9), n: ms.length });
  }
  const conv = perLab.find((r) => r.lab === 'conv');
  const worst = perLab.reduce((a, r) => (r.median > a.median ? r : a));
  const frameOk = conv.median <= BUDGET.frameMs;
  over += frameOk ? 0 : 1;

  const verdict = (ok) => (ok ? 'within budget' : '**over budget**');
  if (args.markdown) {
    say(`| file | bytes | gzip -9 |`);
    say(`|---|---:|---:|`);
    for (const r of w.rows) say(`| \`${r.name}\` | ${r.raw.toLocaleString('en')} | ${r.gzip.toLocaleString('en')} |`);
    say(`| **total** | ${w.total.raw.toLocaleString('en')} | **${w.total.gzip.toLocaleString('en')}** |`);
    say('');
    say(`| fetched when training starts | bytes | gzip -9 |`);
    say(`|---|---:|---:|`);
    for (const r of w.trainer) say(`| \`${r.name}\` | ${r.raw.toLocaleString('en')} | ${r.gzip.toLocaleString('en')} |`);
    say(`| **trainer total** | ${w.trainerTotal.raw.toLocaleString('en')} | **${w.trainerTotal.gzip.toLocaleString('en')}** |`);
    say('');
    say(`| budget | measured | limit | |`);
    say(`|---|---:|---:|---|`);
    say(`| page weight, gzip | ${kb(w.total.gzip)} (${(w.total.gzip / 1024).toFixed(1)} KiB) | ${BUDGET.weightKB} KB | ${verdict(weightOk)} |`);
    say(`| first frame after navigation (E9, 1280×800), median of ${first.length} | ${median(first).toFixed(0)} ms (min ${Math.min(...first).toFixed(0)}, max ${Math.max(...first).toFixed(0)}) | ${BUDGET.firstFrameMs} ms | ${verdict(firstOk)} |`);
    say(`| frame CPU, conv lab at rest, median of ${conv.n} | ${conv.median.toFixed(2)} ms | ${BUDGET.frameMs} ms | ${verdict(frameOk)} |`);
    say('');
    say(`| lab at rest (default state) | frame CPU median | p90 |`);
    say(`|---|---:|---:|`);
    for (const r of perLab) say(`| ${r.lab} | ${r.median.toFixed(2)} ms | ${r.p90.toFixed(2)} ms |`);
  } else {
    say('page weight (gzip -9 per file):');
    for (const r of w.rows) say(`  ${r.name.padEnd(28)} ${String(r.raw).padStart(9)} B  ->  ${String(r.gzip).padStart(8)} B`);
    say(`  total ${kb(w.total.gzip)} (${(w.total.gzip / 1024).toFixed(1)} KiB) of ${BUDGET.weightKB} KB: ${verdict(weightOk)}`);
    say('fetched when training starts (not counted above):');
    for (const r of w.trainer) say(`  ${r.name.padEnd(28)} ${String(r.raw).padStart(9)} B  ->  ${String(r.gzip).padStart(8)} B`);
    say(`  trainer total ${kb(w.trainerTotal.gzip)}`);
    say(`first frame after navigation (E9 link, 1280x800, fresh context each run): ` +
        `median ${median(first).toFixed(0)} ms [${first.map((t) => t.toFixed(0)).join(', ')}] of ${BUDGET.firstFrameMs} ms: ${verdict(firstOk)}`);
    say(`frame CPU at rest (nnplay_frame_ms, median / p90 over ${conv.n} frames):`);
    for (const r of perLab) say(`  ${r.lab.padEnd(10)} ${r.median.toFixed(2)} ms / ${r.p90.toFixed(2)} ms`);
    say(`  conv ${conv.median.toFixed(2)} ms of ${BUDGET.frameMs} ms: ${verdict(frameOk)}; the heaviest lab at rest: ${worst.lab} ${worst.median.toFixed(2)} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(lines.join('\n'));
process.exit(over ? 1 : 0);
