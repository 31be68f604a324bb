#!/usr/bin/env node
// Serves the built demo (`vite build --mode demo`, dist/demo by default) under a strict Content-Security-Policy
// with Trusted Types: the policy docs/security.md recommends to hosts, with a fresh style nonce in every HTML
// response. `/` is the strict page (strict.html). CSP violation reports are collected at /csp-reports (POST, as
// the browser sends them with report-uri; GET lists what arrived, for the tests).
//
//   node demo/strict-server.mjs [--root dist/demo] [--port 0] [--pid-file <file>] [--stop-after <seconds>]
//
// Binds 127.0.0.1 only. Prints `strict demo listening on http://127.0.0.1:<port>/` once ready; stop it by its PID
// (SIGTERM), or it stops by itself after --stop-after seconds.
import { randomBytes } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Trusted Types policies the desk creates: Lit's templates, and the email frame (which DOMPurify also uses). */
export const TRUSTED_TYPES_POLICIES = ['lit-html', 'cc-workspace-email'];

/** The page's policy for one response. `connect` lists where the desk's connector may reach. */
export function strictPolicy(nonce, { connect = ["'self'", 'http://127.0.0.1:*', 'ws://127.0.0.1:*'] } = {}) {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types ${TRUSTED_TYPES_POLICIES.join(' ')}`,
    // Style elements need the nonce (Lit's, where adoptedStyleSheets is missing, and the email frame's). The desk
    // writes no style attributes (it uses the CSSOM) and the email frame gets none (they become rules of its
    // nonce'd sheet); but sanitising an email parses its markup in the page, and Chromium checks every style
    // attribute it parses, in any document (DOMParser, <template>, …), against this directive. Attributes cannot
    // run script or select other elements; see docs/security.md for the variant without this line.
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    // https: for avatars, attachment thumbnails and (once the agent allows them) an email's remote images; the
    // email frame's own policy narrows that to data: until then.
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    // The email body is an about:srcdoc frame, which frame-src does not govern; nothing else is framed.
    "frame-src 'none'",
    "worker-src 'self'",
    "manifest-src 'self'",
    // report-uri, not report-to: Chromium ignores report-uri when report-to is present, and delivers Reporting
    // API reports in batches up to a minute later; report-uri posts each violation at once (what a test needs).
    'report-uri /csp-reports',
  ].join('; ');
}

/** The features the desk uses: the microphone and audio output for the softphone, autoplay for the ringer. */
export const PERMISSIONS_POLICY = 'microphone=(self), autoplay=(self), speaker-selection=(self), camera=(), geolocation=(), payment=(), usb=()';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

function option(args, name, fallback) {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
}

/** Starts the server; resolves `{ server, port, reports }` once it listens. */
export async function startStrictServer({ root = join(repository, 'dist/demo'), port = 0 } = {}) {
  const base = resolve(root);
  await stat(join(base, 'strict.html')).catch(() => {
    throw new Error(`${join(base, 'strict.html')} is missing: build the demo first (npx vite build --mode demo).`);
  });
  const reports = [];
  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(String(error));
    });
  });

  async function handle(request, response) {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/csp-reports') {
      if (request.method === 'POST') {
        let body = '';
        for await (const chunk of request) body += chunk;
        try {
          const parsed = JSON.parse(body);
          // report-uri sends one `{"csp-report": …}`; the Reporting API (report-to) a list of reports.
          for (const report of Array.isArray(parsed) ? parsed : [parsed]) reports.push(report);
        } catch {
          reports.push({ unparsable: body.slice(0, 2000) });
        }
        response.writeHead(204).end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(reports));
      }
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    const relative = url.pathname === '/' ? 'strict.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(base, relative));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(404).end();
      return;
    }
    let content;
    try {
      content = await readFile(file);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'x-content-type-options': 'nosniff' };
    if (extname(file) === '.html') {
      // A fresh nonce per response: it is only worth something if an attacker cannot know it in advance.
      const nonce = randomBytes(16).toString('base64');
      content = Buffer.from(content.toString('utf8').replaceAll('__CSP_NONCE__', nonce));
      Object.assign(headers, {
        'content-security-policy': strictPolicy(nonce),
        'permissions-policy': PERMISSIONS_POLICY,
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
    }
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : content);
  }

  await new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolvePromise);
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port, reports };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const root = resolve(option(args, 'root', join(repository, 'dist/demo')));
  const pidFile = option(args, 'pid-file', null);
  const stopAfter = Number(option(args, 'stop-after', '0'));
  const { server, port } = await startStrictServer({ root, port: Number(option(args, 'port', '0')) });
  if (pidFile) await writeFile(pidFile, String(process.pid));
  const stop = () => {
    server.close();
    server.closeAllConnections();
    const removed = pidFile ? rm(pidFile, { force: true }) : Promise.resolve();
    void removed.finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (stopAfter > 0) setTimeout(stop, stopAfter * 1000).unref();
  console.log(`strict demo listening on http://127.0.0.1:${port}/`);
}
