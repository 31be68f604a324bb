// Stops the Kamailio that `node test/sip-server/start.mjs` left running, by the PID recorded in its run folder:
//   node test/sip-server/stop.mjs <runDir>
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { kamailioConfig } from './start.mjs';

const runDir = process.argv[2];
if (!runDir) {
  console.error('usage: node test/sip-server/stop.mjs <runDir printed by start.mjs>');
  process.exit(2);
}
const readPid = (name) => {
  try {
    return Number(readFileSync(join(runDir, name), 'utf8').trim());
  } catch {
    return null;
  }
};
const ours = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(kamailioConfig);
  } catch {
    return false;
  }
};
const pid = readPid('kamailio.bgpid');
const watchdog = readPid('watchdog.pid');
if (pid && ours(pid)) {
  process.kill(pid, 'SIGTERM');
  const started = Date.now();
  while (ours(pid) && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
  if (ours(pid)) process.kill(pid, 'SIGKILL');
}
if (watchdog) {
  try {
    process.kill(watchdog, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
rmSync(runDir, { recursive: true, force: true });
console.log(pid ? `kamailio ${pid} stopped` : 'no kamailio recorded there');
