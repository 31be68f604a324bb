// A second client for the fault run: a raw WebSocket (the `ws` package) on the event socket, through the proxy,
// that resumes with `since` after every drop and counts, per stream, the seq gaps and duplicates it was sent.
import { WebSocket } from 'ws';

export function startWatcher({ eventsUrl, token, since: initialSince, log = () => {} }) {
  const since = new Map(Object.entries(initialSince));
  const stats = { events: 0, gaps: 0, duplicates: 0, tooOld: 0, connects: 0, drops: 0 };
  let stopped = false;
  let socket = null;
  let timer = null;

  const connect = () => {
    if (stopped) return;
    socket = new WebSocket(eventsUrl, { handshakeTimeout: 3000 });
    socket.on('open', () => {
      stats.connects += 1;
      socket.send(JSON.stringify({ type: 'auth', token }));
      socket.send(JSON.stringify({ type: 'subscribe', since: Object.fromEntries(since) }));
    });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      else if (message.type === 'too-old') {
        stats.tooOld += 1;
        log(`watcher: too-old ${message.streams}`);
      } else if (message.type === 'event') {
        const { stream, seq } = message.event;
        const last = since.get(stream) ?? 0;
        if (seq <= last) {
          stats.duplicates += 1;
          return;
        }
        if (seq > last + 1) {
          stats.gaps += 1;
          log(`watcher: gap on ${stream}: ${last} → ${seq}`);
        }
        since.set(stream, seq);
        stats.events += 1;
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      stats.drops += 1;
      socket = null;
      if (!stopped) timer = setTimeout(connect, 100 + Math.random() * 200);
    });
  };
  connect();
  return {
    stats,
    since,
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket?.terminate();
    },
  };
}
