// autolink.test.mjs: a share link pasted into Markdown or a chat stays whole. Every preset
// link (`nnplay presets`), and links whose check field has empty trailing entries (written
// by `nnplay eval` from states that have them, old links with a trailing `_` among them),
// go through linkify-it (what chat and Markdown-it autolink with) and marked (GitHub-
// flavoured Markdown's bare-URL autolinks): each must come out as one link, byte for byte,
// in plain text, before a space, at the end of a line and before a full stop of the
// sentence. GFM autolinks drop a trailing `_`, `.`, `,`, `:` and others (issue 12).
//
//   node tests/tools/autolink.test.mjs --nnplay build/native/tools/nnplay
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { LinkifyIt } from 'linkify-it';
import { marked } from 'marked';

const at = process.argv.indexOf('--nnplay');
assert.ok(at > 0 && process.argv[at + 1], 'usage: autolink.test.mjs --nnplay PATH');
const NNPLAY = process.argv[at + 1];
const BASE = 'https://nnplay.example/';

const nnplay = (...args) => execFileSync(NNPLAY, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

// The preset links, as the CLI lists them: "lab<TAB>id<TAB>#v1/...<TAB>title".
const presets = nnplay('presets')
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split('\t'))
  .map(([lab, id, link]) => ({ name: `${lab}/${id}`, link: link.replace(/^#/, '') }));
assert.ok(presets.length >= 50, `only ${presets.length} presets`);

// States with empty trailing entries: the link each is written as (the JSON's "link").
const E4 =
  'v1/mlp?x=2:0.5,-1&l1=relu&w1=2x2:0.1,-0.1,0.2,0.3&l2=relu&w2=3x2:0.1,-0.5,0.3,0.2,0.4,-0.1' +
  '&l3=softmax&w3=2x3:0.1,0.2,0.1,0.4,0.7,0.3&target=1&mode=fwd&check=';
const withEmpty = [
  E4 + 'z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.006;a2:0.015,0.045,0.005;z3:0.011,0.040;a3:0.493,_',
  E4 + 'z2:0.015,_,_',
  E4 + 'z2:_,_,0.06',
  E4 + 'z1:3.,_',
  'v1/softmax?x=3:2,1,0.1&t=1&check=sum:11.204;p:0.658,_,_',
  'v1/softmax?x=3:2,1,0.1&t=1&check=p:1/2,_,_',
  'v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1&eps=0&mom=0.1&mode=train&rm=1:0&rv=1:1' +
    '&check=mu:6;y:-3.308,_,_,_,_',
  // Assignment links (docs/link-format.md, "Assignment links"): entries, hints, a name.
  'v1/course?ex=1-13&name=Ann+O\'Neil-2&e4=z1:0.15,_;a3:0.493,_',
  'v1/course?ex=1-4,9&e9=row1:0,30,30,0.',
  'v1/course?ex=1-13&seed=7&e3=p:1/2,_,_&h3=p:2',
].map((link, i) => {
  const json = JSON.parse(nnplay('eval', link));
  assert.ok(typeof json.link === 'string', `no link for ${link}`);
  return { name: `trailing-empty-${i + 1}`, link: json.link };
});

const linkify = new LinkifyIt();
const unescape = (s) =>
  s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

let checked = 0;
const failures = [];
for (const { name, link } of [...presets, ...withEmpty]) {
  const url = BASE + '#' + link;
  if (/[_.,:;!?*~'")]$/.test(url)) failures.push(`${name}: ends in punctuation: ${url}`);
  for (const text of [url, `see ${url} now`, `${url}\nnext line`, `Open ${url}.`]) {
    const found = linkify.match(text) ?? [];
    if (found.length !== 1 || found[0].url !== url)
      failures.push(`${name}: linkify-it found ${JSON.stringify(found.map((m) => m.url))} in ${JSON.stringify(text)}`);
    const html = marked.parse(text, { gfm: true });
    const anchors = [...html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)];
    const href = anchors.length === 1 ? decodeURI(unescape(anchors[0][1])) : null;
    const shown = anchors.length === 1 ? unescape(anchors[0][2]) : null;
    if (href !== url || shown !== url)
      failures.push(`${name}: marked wrote ${html.trim()} for ${JSON.stringify(text)}`);
    ++checked;
  }
}
// The old E4 link (a3:0.493,_) is written without its trailing `_`.
assert.ok(withEmpty[0].link.endsWith('a3:0.493'), withEmpty[0].link);
assert.ok(withEmpty[3].link.endsWith('z1:3'), withEmpty[3].link);
assert.deepEqual(failures, [], failures.slice(0, 20).join('\n'));
console.log(`ok   ${presets.length} preset links and ${withEmpty.length} with empty trailing ` +
  `entries survive linkify-it and marked (${checked} texts)`);
