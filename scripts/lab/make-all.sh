#!/usr/bin/env bash
# Regenerate every capture in fixtures/ (needs root: sudo scripts/lab/make-all.sh).
# About three minutes, most of it the 5-second timeouts of the failure scenarios; make-go.sh
# needs the Go toolchain (golang-go), make-musl.sh musl-gcc (musl-tools).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for s in externalname formats tcp failures threads diff go musl; do
  echo "== make-$s.sh" >&2
  "$here/make-$s.sh"
done
python3 "$here/stats.py" "$here/../../fixtures" > /dev/null
echo "done; compare with fixtures/README.md: python3 scripts/lab/stats.py fixtures" >&2
