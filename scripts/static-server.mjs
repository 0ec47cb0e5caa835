// Minimal static file server for the built site (and for browser tests), with the MIME types
// WebAssembly needs: instantiateStreaming() refuses .wasm served as anything but application/wasm.
//
// CLI:     node scripts/static-server.mjs [--root DIR] [--port N] [--host H] [--no-isolate]
// Module:  import { startStaticServer } from './scripts/static-server.mjs';
//          const { url, close } = await startStaticServer({ root: 'build/wasm/web/site', port: 0 });
//
// port 0 picks a free port (tests). Every answer carries Cross-Origin-Opener-Policy:
// same-origin and Cross-Origin-Embedder-Policy: require-corp, which make the page cross-origin
// isolated: only then does the browser give it SharedArrayBuffer, and so the threaded trainer
// (README, "Hosting"). --no-isolate (isolate: false) leaves them out, to see the page as a host
// without them serves it: training on one thread. Never sends caching headers that would hide
// a rebuild.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

// A request the server will not look up: its answer is 400 and the reason.
class BadRequest extends Error {}

// The path of a request target, decoded and checked; throws BadRequest for anything that is
// not an origin-form path a browser would send ("/a/b?q"): "//", "/%", NUL, a ".." segment
// (also spelt %2e%2e, ..%2f or with backslashes; browsers resolve those before sending).
export function requestPath(target) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) {
    throw new BadRequest('the request target must be a path starting with one /');
  }
  const rawPath = target.split(/[?#]/, 1)[0];
  let rawDecoded;
  try {
    rawDecoded = decodeURIComponent(rawPath);
  } catch {
    throw new BadRequest('the path has a malformed %-escape');
  }
  if (rawDecoded.includes('\0')) throw new BadRequest('the path holds a NUL byte');
  if (rawDecoded.split(/[\\/]/).includes('..')) throw new BadRequest('the path has a .. segment');
  let pathname;
  let decoded;
  try {
    pathname = new URL(target, 'http://localhost').pathname;
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new BadRequest('the request target is not a URL path');
  }
  return { pathname, decoded };
}

async function resolveFile(root, decoded) {
  // normalize() collapses what is left, and the prefix check keeps requests inside root.
  let file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root + sep)) return null;
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  return info?.isFile() ? { file, size: info.size } : null;
}

function plain(res, status, headers, text) {
  const body = `${status} ${text}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

// The headers that make a page cross-origin isolated. On every answer, the page's and the
// workers' scripts alike: a dedicated worker under a require-corp page must itself be served
// with require-corp, or the browser refuses to start it.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function baseHeaders(isolate) {
  return { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...(isolate ? ISOLATION_HEADERS : {}) };
}

async function handle(rootDir, isolate, req, res) {
  const headers = baseHeaders(isolate);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Length': 0 }).end();
    return;
  }
  let path;
  try {
    path = requestPath(req.url);
  } catch (e) {
    if (!(e instanceof BadRequest)) throw e;
    plain(res, 400, headers, `Bad Request: ${e.message}`);
    return;
  }
  const found = await resolveFile(rootDir, path.decoded);
  if (!found && path.pathname === '/favicon.ico') {
    // Browsers may ask for it unprompted; the page's icon is favicon.svg (linked from
    // index.html), so point there when the site has one.
    const svg = await resolveFile(rootDir, '/favicon.svg');
    if (svg) {
      res.writeHead(301, { ...headers, Location: '/favicon.svg', 'Content-Length': 0 }).end();
    } else {
      res.writeHead(204, headers).end();
    }
    return;
  }
  if (!found) {
    plain(res, 404, headers, `Not Found: ${path.pathname}`);
    return;
  }
  headers['Content-Type'] = MIME_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
  headers['Content-Length'] = found.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
}

export function startStaticServer({ root, port = 8080, host = '127.0.0.1', isolate = true } = {}) {
  if (!root) throw new Error('startStaticServer: root is required');
  const rootDir = resolve(root);
  // Every request is caught on its own: no request, however malformed, stops the server.
  const server = createServer((req, res) => {
    handle(rootDir, isolate, req, res).catch((e) => {
      if (!res.headersSent) {
        try {
          plain(res, 500, baseHeaders(isolate), 'Internal Server Error');
          return;
        } catch {
          // fall through: the socket is beyond answering
        }
      }
      res.destroy(e);
    });
  });
  // Requests node's HTTP parser refuses (garbage request lines, bad header bytes, a head
  // larger than --max-http-header-size) never reach the handler: answer them here.
  server.on('clientError', (err, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  // CONNECT has no handler of its own (node would drop the socket without a word).
  server.on('connect', (req, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actualPort } = server.address();
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolvePromise({
        server,
        port: actualPort,
        url: `http://${shownHost}:${actualPort}/`,
        close: () => new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections?.();
        }),
      });
    });
  });
}

function parseArgs(argv) {
  const options = { root: '.', port: 8080, host: '127.0.0.1', isolate: true };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === '--root') options.root = argv[++i];
    else if (arg === '--port') options.port = Number(argv[++i]);
    else if (arg === '--host') options.host = argv[++i];
    else if (arg === '--isolate') options.isolate = true;  // the default; kept for old scripts
    else if (arg === '--no-isolate') options.isolate = false;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/static-server.mjs [--root DIR] [--port N] [--host H] [--no-isolate]');
      process.exit(0);
    } else {
      console.error(`static-server: unknown argument ${arg}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error('static-server: --port needs a number from 0 to 65535');
    process.exit(2);
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  startStaticServer(options).then(
    ({ url }) => console.log(`Serving ${resolve(options.root)} at ${url}  ` +
                             `(${options.isolate ? 'cross-origin isolated' : 'not cross-origin isolated'}; Ctrl+C to stop)`),
    (err) => {
      console.error(`static-server: ${err.message}`);
      process.exit(1);
    },
  );
}
