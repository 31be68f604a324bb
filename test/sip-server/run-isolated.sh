#!/usr/bin/env bash
# Runs a command in a private network namespace that has only the loopback interface (`unshare --net`): WebRTC can
# then only pair 127.0.0.1 candidates, so the SIP tests' media path is the same on every machine, and nothing can
# leave it. Where unshare is not allowed (no root, a locked-down container), the command runs on the host network:
# media still stays on this machine (every candidate is a local address), only the chosen ICE pair may differ.
#   bash test/sip-server/run-isolated.sh npx web-test-runner --config web-test-runner.sip.config.mjs
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
if unshare --net true 2>/dev/null && command -v ip >/dev/null 2>&1; then
  exec unshare --net -- bash -c 'ip link set lo up && exec "$@"' run-isolated "$@"
fi
echo "run-isolated: unshare --net is not permitted here; running on the host network" >&2
exec "$@"
