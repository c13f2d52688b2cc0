#!/usr/bin/env bash
# Disk full (security-checklist "Faults", Hardening item 12). NOT part of the test suite. Needs root (mount).
#
# Runs the server with its SQLite database on a small loop-mounted ext4 file system (SIZE_MB, default 32; falls back
# to a tmpfs with size= when loop devices are unavailable), fills most of it with a filler file, then puts a write
# load of every kind on the server (audit entries padded to fill fast) until writes are refused, and checks:
#   - refused writes are answered cleanly: 5xx in the wire error format {message, code, requestId}, no crash,
#     reads and /health keep answering;
#   - every write acknowledged before (and while) the disk filled is intact, the audit chain verifies, integrity ok;
#   - after the filler file is deleted, writes of every kind succeed again; check again; restart; check again.
# Logs, data-protection keys and the ledger stay on the normal disk in the printed temp directory.
# Usage: benchmarks/fault/diskfull.sh     settings: SIZE_MB (32), LEAVE_MB (6 MB left free after the filler), PORT (5192)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-32}
PORT=${PORT:-5192}
DIR=$(mktemp -d /tmp/grantex-diskfull.XXXXXX)
MNT=$DIR/mnt
IMG=$DIR/fs.img
mkdir -p "$MNT"
need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v python3 >/dev/null || need+=(python3)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
if ((${#need[@]})); then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi

cleanup() {
  # Only the server this script started (its pid file), then the mount.
  if [[ -f $DIR/server.pid ]]; then kill -9 "$(cat "$DIR/server.pid")" 2>/dev/null || true; fi
  sleep 0.5
  mountpoint -q "$MNT" && umount "$MNT" || true
  rm -f "$IMG"
}
trap cleanup EXIT

truncate -s "${SIZE_MB}M" "$IMG"
mkfs.ext4 -q -F "$IMG"
if mount -o loop "$IMG" "$MNT" 2>/dev/null; then FS="ext4 on a loop device, ${SIZE_MB} MB image"
else rm -f "$IMG"; mount -t tmpfs -o size="${SIZE_MB}m" tmpfs "$MNT"; FS="tmpfs size=${SIZE_MB}m (no loop device)"; fi
echo "database file system: $FS; $(df -h "$MNT" | tail -1)"
[[ -n ${NO_BUILD:-} ]] || dotnet build Grantex.Console -c Release -nologo -v q >/dev/null
echo "load: $(uptime)"
set +e
python3 benchmarks/fault/faultload.py diskfull --app "dotnet Grantex.Console/bin/Release/net10.0/Grantex.Console.dll" \
  --dir "$DIR" --mount "$MNT" --port "$PORT" --leave-mb "${LEAVE_MB:-6}"
rc=$?
echo "load: $(uptime)"
echo "data in $DIR (the database itself is on the unmounted image, which is deleted)"
exit $rc
