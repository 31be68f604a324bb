// `npm run demo:server [-- server options]`: the reference server (default 127.0.0.1:8787, simulated traffic at 6
// events a minute, two standing work offers, data in .cache/server/cc-workspace.sqlite) and the demo page (vite,
// http://127.0.0.1:5173) running the desk on the HttpConnector against it. Options after `--` go to the server
// (`--reset`, `--port 9000`, `--traffic 0`, …; see `npm run server -- --help`). Ctrl+C stops both.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const serverArgs = ['--port', '8787', '--traffic', '6', '--offers', '2', ...process.argv.slice(2)];
const children = new Set();

function stopAll(code) {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  setTimeout(() => process.exit(code), 2_000).unref();
  if (children.size === 0) process.exit(code);
}

function run(args, options = {}) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', options.pipeStdout ? 'pipe' : 'inherit', 'inherit'], env: process.env });
  children.add(child);
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      console.error(`${options.name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
      stopping = true;
      stopAll(code ?? 1);
    } else if (children.size === 0) {
      process.exit(0);
    }
  });
  return child;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stopAll(0);
  });
}

const server = run([join(root, 'demo/server/run.mjs'), ...serverArgs], { name: 'The reference server', pipeStdout: true });
let output = '';
server.stdout.setEncoding('utf8');
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (output === null) return;
  output += chunk;
  const match = /listening on (http:\/\/\S+\/api\/v1)/.exec(output);
  if (!match) return;
  output = null;
  const baseUrl = match[1];
  const port = Number(process.env.PORT ?? 5173);
  run([join(root, 'node_modules/vite/bin/vite.js'), '--config', join(root, 'vite.config.ts')], { name: 'The demo (vite)' });
  console.log(`\nThe desk on the reference server: http://127.0.0.1:${port}/?server=${baseUrl}\n`);
});
