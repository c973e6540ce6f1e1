#!/usr/bin/env bash
# CI entry point for training/: create the venv if missing, install the pinned requirements, run
# pytest. Run from anywhere; the lead's .ci/run calls `bash training/ci.sh`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
VENV="$HERE/.venv"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  echo "[training/ci] creating $VENV with $($PY --version)"
  "$PY" -m venv "$VENV"
fi
start=$(date +%s)
# torch==2.13.0 is pinned: pip resolves it to the CPU wheel on this machine's disk (find-links).
pip_log="$(mktemp)"
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$HERE/requirements.txt" >"$pip_log" 2>&1; then
  cat "$pip_log"; rm -f "$pip_log"
  echo "[training/ci] pip install failed" >&2
  exit 1
fi
grep -v "is ignored: it is neither a file nor a directory" "$pip_log" || true
rm -f "$pip_log"
"$VENV/bin/python" - <<'PY'
import torch, sys
if not torch.__version__.startswith("2.13.0"):
    sys.exit(f"training/ci: expected torch 2.13.0, got {torch.__version__}")
print(f"[training/ci] torch {torch.__version__}")
PY
echo "[training/ci] install step took $(( $(date +%s) - start )) s"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest training/tests -q -p no:cacheprovider "$@"
