// server.test.mjs: no request stops scripts/static-server.mjs. The server runs as its own
// process (as scripts/serve.sh runs it) on 127.0.0.1 over a temporary site, and gets a few
// hundred malformed requests over raw sockets: "//", "/%", "/..%2f", "/%2e%2e/" and other
// ways out of the root, 64 KB paths, bad methods, garbage request lines (seeded), NUL bytes,
// bad headers and truncated requests. Every answer's status is checked (400 for malformed,
// 405 for methods it does not serve, 431 for a head over node's size limit, 404 for a path
// that is well formed but absent), nothing outside the root leaks, and afterwards the server
// is still running and serves index.html, the favicon and a 404. Every answer is cross-origin
// isolated (COOP same-origin, COEP require-corp) unless the server runs with --no-isolate.
//
//   node tests/tools/server.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../scripts/static-server.mjs', import.meta.url));
const INDEX = '<!doctype html><title>server test</title><p>index-marker-7f3a</p>\n';
const SECRET = 'secret-marker-c41e';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n';
const ANSWER_TIMEOUT_MS = 5000;
const CONCURRENCY = 16;

// ---- a site to serve, with a file next to it that must never be served -------------------

const work = mkdtempSync(join(tmpdir(), 'nnplay-server-test-'));
const site = join(work, 'site');
mkdirSync(join(site, 'sub', 'dir'), { recursive: true });
writeFileSync(join(site, 'index.html'), INDEX);
writeFileSync(join(site, 'favicon.svg'), SVG);
writeFileSync(join(site, 'sub', 'dir', 'index.html'), INDEX);
writeFileSync(join(work, 'secret.txt'), SECRET);

function startServer(extra = []) {
  const child = spawn(process.execPath, [SERVER, '--root', site, '--port', '0', '--host', '127.0.0.1', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state = { child, exited: null, stderr: '' };
  child.on('exit', (code, signal) => { state.exited = { code, signal }; });
  child.stderr.on('data', (d) => { state.stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${state.stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        state.port = Number(m[1]);
        resolve(state);
      }
    });
    child.on('exit', () => reject(new Error(`server exited before listening: ${state.stderr}`)));
  });
}

// ---- raw requests ---------------------------------------------------------------------------

// Sends bytes, half-closes when `halfClose`, and collects everything until the server closes
// the connection. Resolves { status, head, body } (status null when it closed without a word).
function rawRequest(port, bytes, { halfClose = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
    socket.on('data', (d) => chunks.push(d));
    // A reset after the answer was sent (the server closing while we still write) is fine.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const body = split < 0 ? '' : text.slice(split + 4);
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(head);
      resolve({ status: m ? Number(m[1]) : null, head, body, raw: text });
    });
    socket.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1'), () => {
      if (halfClose) socket.end();
    });
  });
}

// A complete request for `target` that asks the server to close afterwards.
const get = (target, method = 'GET') => `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;

// ---- the cases --------------------------------------------------------------------------------

// Deterministic garbage (xorshift32), so a failure can be replayed.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

function buildCases() {
  const cases = [];
  const add = (name, bytes, expect, options = {}) => cases.push({ name, bytes, expect, ...options });

  // Paths a browser never sends: 400 each, under every directory of the site and with a
  // query or a fragment after them.
  const badPaths = [
    '//', '///', '//index.html', '//127.0.0.1/index.html', '//evil.example/', '/%', '/%2', '/%zz', '/%%', '/%u0041',
    '/%e2%82', '/%c0%af', '/%ff', '/..%2f', '/..%2fsecret.txt', '/..%2F..%2Fsecret.txt', '/%2e%2e/',
    '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/.%2e/secret.txt', '/%2e./secret.txt', '/../secret.txt',
    '/../../../../etc/passwd', '/a/../../secret.txt', '/..', '/..\\secret.txt', '/\\..\\secret.txt',
    '/%5c..%5csecret.txt', '/..%5csecret.txt', '/%00', '/index.html%00', '/index.html%00.txt', '/%00/../secret.txt',
  ];
  const prefixes = ['', '/sub', '/sub/dir'];
  const suffixes = ['', '?q=1', '?%zz', '#top'];
  for (const path of badPaths) {
    for (const prefix of prefixes) {
      // "//" after a prefix is an empty segment, not a scheme-relative URL: only at the start.
      if (prefix && path.startsWith('//')) continue;
      for (const suffix of suffixes) add(`GET ${prefix}${path}${suffix}`, get(prefix + path + suffix), 400);
    }
  }
  // Request targets that are not origin-form paths.
  for (const target of ['*', 'index.html', 'http://127.0.0.1/', 'http://evil.example/../secret.txt', 'a:b', '?', '#', '%2f']) {
    add(`GET target ${target}`, get(target), 400);
  }

  // Over node's 16 KB limit for a request head: 431; under it, well formed but absent: 404.
  add('GET 64 KB path', get(`/${'a'.repeat(65536)}`), 431);
  add('GET 64 KB of %2e%2e/', get(`/${'%2e%2e/'.repeat(9363)}`), 431);
  add('GET 64 KB of //', get('/'.repeat(65536)), 431);
  add('GET 64 KB of %', get(`/${'%'.repeat(65536)}`), 431);
  add('64 KB header', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(65536)}\r\nConnection: close\r\n\r\n`, 431);
  add('GET 8 KB path', get(`/${'a'.repeat(8192)}`), 404);
  add('GET 8 KB path of %2e%2e/', get(`/${'%2e%2e/'.repeat(1170)}`), 400);

  // Methods: node's parser refuses names it does not know (400); the ones it knows but the
  // server does not serve get 405.
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'PURGE']) {
    add(`${method} /`, get('/', method), 405);
  }
  add('CONNECT', 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n', 405);
  for (const method of ['FOO', 'get', 'Get', 'G@T', 'GETT', 'GE', 'G', 'X'.repeat(100), 'GET\0', '\0GET', 'GÉT']) {
    add(`method ${JSON.stringify(method)}`, get('/', method), 400);
  }

  // Garbage request lines.
  const fixedGarbage = [
    'garbage', ' ', ' GET / HTTP/1.1', 'GET / HTTP/1.1 extra', 'GET / HTTP/9.9',
    'GET / HTTP/1', 'GET / HTTP/1.1.1', 'GET / FTP/1.1', 'GET / http/1.1', 'GET\t/\tHTTP/1.1', 'GET /\x7f HTTP/1.1',
    'GET /\x01 HTTP/1.1', 'GET /\x1b[31m HTTP/1.1', 'GET /a b HTTP/1.1', '\x16\x03\x01\x02\x00\x01\x00', 'SSH-2.0-OpenSSH_9.2',
    'PRI * HTTP/2.0', '\xff\xfe\xfd', 'GET /\n\r HTTP/1.1', '\r\n\r\nGET',
  ];
  for (const line of fixedGarbage) add(`garbage ${JSON.stringify(line)}`, `${line}\r\nHost: x\r\n\r\n`, 400);
  const random = rng(20261201);
  for (let i = 0; i < 120; ++i) {
    const length = 1 + Math.floor(random() * 200);
    const bytes = Buffer.alloc(length);
    for (let k = 0; k < length; ++k) bytes[k] = Math.floor(random() * 256);
    // Start with a byte no method starts with, so the line can never become a valid request.
    bytes[0] = [0x00, 0x20, 0x7e, 0x80, 0xff, 0x3f][i % 6];
    add(`random garbage #${i}`, Buffer.concat([bytes, Buffer.from('\r\n\r\n')]), 400);
  }

  // NUL and control bytes in the request line and the headers.
  add('NUL in path', get('/\0'), 400);
  add('NUL inside path', get('/index\0.html'), 400);
  add('NUL in version', 'GET / HTTP/1.1\0\r\nHost: x\r\n\r\n', 400);
  add('NUL in header value', 'GET / HTTP/1.1\r\nHost: a\0b\r\nConnection: close\r\n\r\n', 400);
  add('NUL in header name', 'GET / HTTP/1.1\r\nHo\0st: x\r\nConnection: close\r\n\r\n', 400);
  add('NUL line', '\0\0\0\0\r\n\r\n', 400);
  add('header without colon', 'GET / HTTP/1.1\r\nHost x\r\nConnection: close\r\n\r\n', 400);
  add('space before colon', 'GET / HTTP/1.1\r\nHost : x\r\nConnection: close\r\n\r\n', 400);
  add('bad Content-Length', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n', 400);
  add('two Content-Lengths', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400);
  add('bad chunked body', 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n', 400, { halfClose: true });
  add('header with bare CR', 'GET / HTTP/1.1\r\nHost: x\rX: y\r\nConnection: close\r\n\r\n', 400);

  // Truncated requests: every prefix of a valid request, then the client stops sending.
  const full = 'GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  for (let cut = 1; cut < full.length - 1; cut += 2) {
    add(`truncated after ${cut} bytes`, full.slice(0, cut), 400, { halfClose: true });
  }
  add('nothing sent', '', null, { halfClose: true });

  // Well formed, to show the answers above are not just "400 for everything".
  add('GET / (control)', get('/'), 200, { body: INDEX });
  add('GET /index.html (control)', get('/index.html'), 200, { body: INDEX });
  add('GET /sub/dir/ (control)', get('/sub/dir/'), 200, { body: INDEX });
  add('GET /sub/./dir/ (control, resolved by the URL parser)', get('/sub/./dir/'), 200, { body: INDEX });
  add('GET /index.html?x=%zz (control: the query is not a path)', get('/index.html?x=%zz'), 200, { body: INDEX });
  add('GET /%69ndex.html (control: a valid escape)', get('/%69ndex.html'), 200, { body: INDEX });
  add('GET /nope (control)', get('/nope'), 404);
  add('GET /secret.txt (control: not in the site)', get('/secret.txt'), 404);
  add('HEAD / (control)', get('/', 'HEAD'), 200, { body: '' });
  add('GET / HTTP/1.0 (control)', 'GET / HTTP/1.0\r\n\r\n', 200, { body: INDEX });
  return cases;
}

// ---- the run ------------------------------------------------------------------------------------

let failures = 0;
function check(name, fn) {
  try {
    fn();
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n${e.message}`);
  }
}

async function runAll(port, cases) {
  const results = new Array(cases.length);
  let next = 0;
  async function worker() {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index];
      results[index] = await rawRequest(port, c.bytes, c).catch((e) => ({ error: e }));
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

const server = await startServer();
try {
  const cases = buildCases();
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  const results = await runAll(server.port, cases);
  const tally = {};
  cases.forEach((c, i) => {
    const r = results[i];
    check(c.name, () => {
      assert.ok(!r.error, `${r.error?.message}`);
      assert.equal(r.status, c.expect, `status: ${JSON.stringify(r.head.slice(0, 120))}`);
      assert.ok(!r.raw.includes(SECRET), 'the file outside the root leaked');
      if (c.body !== undefined) assert.equal(r.body, c.body);
      if (c.expect === 400) assert.ok(!r.raw.includes(INDEX), 'a malformed request was answered with a page');
    });
    tally[c.expect] = (tally[c.expect] ?? 0) + 1;
  });
  console.log(`${cases.length} requests: ${Object.entries(tally).map(([s, n]) => `${n}× ${s}`).join(', ')}`);

  // The crash the issue names, many at once, then the server must still be there.
  const burst = await Promise.all(Array.from({ length: 64 }, () => rawRequest(server.port, get('//'))));
  check('64 concurrent GET //', () => assert.deepEqual(burst.map((r) => r.status), new Array(64).fill(400)));

  check('the server is still running', () => assert.equal(server.exited, null, `exited ${JSON.stringify(server.exited)}: ${server.stderr}`));
  check('nothing on the server\'s stderr', () => assert.equal(server.stderr, ''));
  const base = `http://127.0.0.1:${server.port}`;
  const index = await fetch(`${base}/`);
  check('index.html afterwards', () => {
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  });
  const indexBody = await index.text();
  check('index.html body afterwards', () => assert.equal(indexBody, INDEX));
  const svg = await fetch(`${base}/favicon.svg`);
  check('favicon.svg is served as SVG', () => {
    assert.equal(svg.status, 200);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  });
  const svgBody = await svg.text();
  check('favicon.svg body', () => assert.equal(svgBody, SVG));
  const ico = await fetch(`${base}/favicon.ico`, { redirect: 'manual' });
  check('/favicon.ico points at favicon.svg', () => {
    assert.equal(ico.status, 301);
    assert.equal(ico.headers.get('location'), '/favicon.svg');
  });
  const missing = await fetch(`${base}/missing.js`);
  check('a missing file is 404 afterwards', () => assert.equal(missing.status, 404));

  // Cross-origin isolation: on the page, on what it loads and on errors alike.
  const isolated = (r) => [r.headers.get('cross-origin-opener-policy'), r.headers.get('cross-origin-embedder-policy')];
  for (const [name, r] of [['index.html', index], ['favicon.svg', svg], ['the 301', ico], ['the 404', missing]]) {
    check(`${name} is sent cross-origin isolated`, () => assert.deepEqual(isolated(r), ['same-origin', 'require-corp']));
  }
  const bad = results[cases.findIndex((c) => c.expect === 400)];
  check('a 400 is sent cross-origin isolated', () => {
    assert.match(bad.head, /\r\nCross-Origin-Opener-Policy: same-origin\r\n/i);
    assert.match(bad.head, /\r\nCross-Origin-Embedder-Policy: require-corp\r\n/i);
  });
  const plainServer = await startServer(['--no-isolate']);
  try {
    const r = await fetch(`http://127.0.0.1:${plainServer.port}/`);
    check('--no-isolate: index.html is served', () => assert.equal(r.status, 200));
    check('--no-isolate: no COOP/COEP', () => assert.deepEqual(isolated(r), [null, null]));
    await r.text();
  } finally {
    plainServer.child.kill();
  }
} finally {
  server.child.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(failures ? `${failures} server check(s) failed` : 'all server checks passed');
process.exit(failures ? 1 : 0);
