// A small TCP proxy on 127.0.0.1 for the fault tests: every connection (HTTP keep-alive, WebSocket) goes through
// it, so the tests can cut them all at once (`killAll()`) and refuse new ones for a while (`refuse(ms)`).
import net from 'node:net';

export async function startProxy({ targetPort, maxConnections = 256 }) {
  let target = targetPort;
  let refuseUntil = 0;
  const pairs = new Set();
  const server = net.createServer((client) => {
    if (Date.now() < refuseUntil || pairs.size >= maxConnections) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: target });
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.maxConnections = maxConnections;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const port = server.address().port;
  return {
    port,
    get open() {
      return pairs.size;
    },
    setTarget(next) {
      target = next;
    },
    /** Cuts every open connection (both sides, at once); returns how many. */
    killAll() {
      const count = pairs.size;
      for (const { client, upstream } of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      return count;
    },
    /** New connections are closed at once for `ms` (open ones are left alone; combine with killAll()). */
    refuse(ms) {
      refuseUntil = Date.now() + ms;
    },
    accept() {
      refuseUntil = 0;
    },
    close() {
      for (const { client, upstream } of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
