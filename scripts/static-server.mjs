// Minimal static file server for the built site (and for browser tests), with the MIME types
// WebAssembly needs: instantiateStreaming() refuses .wasm served as anything but application/wasm.
//
// CLI:     node scripts/static-server.mjs [--root DIR] [--port N] [--host H] [--isolate]
// Module:  import { startStaticServer } from './scripts/static-server.mjs';
//          const { url, close } = await startStaticServer({ root: 'build/wasm/web/site', port: 0 });
//
// port 0 picks a free port (tests); --isolate adds COOP/COEP headers, which a future threaded
// build needs for SharedArrayBuffer. Never sends caching headers that would hide a rebuild.
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

async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  // normalize() collapses "..", and the prefix check keeps requests inside root.
  let file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root + sep)) return null;
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  return info?.isFile() ? { file, size: info.size } : null;
}

export function startStaticServer({ root, port = 8080, host = '127.0.0.1', isolate = false } = {}) {
  if (!root) throw new Error('startStaticServer: root is required');
  const rootDir = resolve(root);
  const server = createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (isolate) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url, 'http://localhost').pathname;
    const found = await resolveFile(rootDir, path);
    if (!found && path === '/favicon.ico') {
      // Browsers ask for it unprompted; the page has none (its CSP blocks a data: icon), and a
      // 404 would be the one console error in every browser test.
      res.writeHead(204, headers).end();
      return;
    }
    if (!found) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`404 ${path}\n`);
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
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function parseArgs(argv) {
  const options = { root: '.', port: 8080, host: '127.0.0.1', isolate: false };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === '--root') options.root = argv[++i];
    else if (arg === '--port') options.port = Number(argv[++i]);
    else if (arg === '--host') options.host = argv[++i];
    else if (arg === '--isolate') options.isolate = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/static-server.mjs [--root DIR] [--port N] [--host H] [--isolate]');
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
    ({ url }) => console.log(`Serving ${resolve(options.root)} at ${url}  (Ctrl+C to stop)`),
    (err) => {
      console.error(`static-server: ${err.message}`);
      process.exit(1);
    },
  );
}
