// web-test-runner plugin for the SIP browser tests: starts two Kamailios (plain, and one with digest auth) and a
// cuttable TCP proxy in front of the plain one before the tests, stops them by PID after, and answers the page's
// `executeServerCommand('sip-server', { action })` calls (stop/start Kamailio, cut or refuse the proxy, read the log).
import { networkInterfaces } from 'node:os';
import { startProxy } from '../faults/proxy.mjs';
import { startKamailio } from './start.mjs';

/** True when the only network interface is loopback (inside `unshare --net`). */
function onlyLoopback() {
  return Object.keys(networkInterfaces()).every((name) => name === 'lo');
}

export function sipServerPlugin({ stopAfterSeconds = 900 } = {}) {
  let plain;
  let auth;
  let proxy;
  return {
    name: 'cc-sip-server',
    async serverStart() {
      plain = await startKamailio({ stopAfterSeconds });
      auth = await startKamailio({ auth: true, stopAfterSeconds });
      proxy = await startProxy({ targetPort: plain.wsPort });
    },
    async serverStop() {
      await proxy?.close();
      await plain?.stop();
      await auth?.stop();
    },
    /** What the page gets as window.__CC_SIP__ (see test/sip/peer.ts SipTestServer). */
    get pageConfig() {
      if (!plain) return null;
      return {
        wsUrl: plain.wsUrl,
        proxyWsUrl: `ws://127.0.0.1:${proxy.port}`,
        authWsUrl: auth.wsUrl,
        domain: '127.0.0.1',
        isolatedNetwork: onlyLoopback(),
      };
    },
    async executeCommand({ command, payload }) {
      if (command !== 'sip-server') return undefined;
      switch (payload?.action) {
        case 'stop':
          await plain.stop();
          return true;
        case 'start':
          await plain.start();
          return true;
        case 'cut':
          return proxy.killAll();
        case 'refuse':
          proxy.refuse(payload.ms);
          return true;
        case 'accept':
          proxy.accept();
          return true;
        case 'log':
          return plain.log();
        default:
          throw new Error(`unknown sip-server action ${payload?.action}`);
      }
    },
  };
}
