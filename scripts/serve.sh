#!/usr/bin/env bash
# Builds the web app (the `wasm` preset) and serves it on http://127.0.0.1:${PORT:-8080}/.
#
#   scripts/serve.sh               # deps, configure, build nnplay_web, serve
#   PORT=9000 scripts/serve.sh
#   scripts/serve.sh --build-only  # stop after the build (CI, screenshots)
#   scripts/serve.sh --no-isolate  # serve without COOP/COEP: the page trains on one thread
#
# The server sends Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
# require-corp with every file, which make the page cross-origin isolated, so that training
# runs on threads (README, "Hosting").
set -euo pipefail

BUILD_ONLY=0
ISOLATE=--isolate
for arg in "$@"; do
  case "$arg" in
    --build-only) BUILD_ONLY=1 ;;
    --no-isolate) ISOLATE=--no-isolate ;;
    *) echo "serve.sh: unknown argument $arg (--build-only, --no-isolate)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Sets NNPLAY_IMGUI_DIR, NNPLAY_WASM_PREFIX, ... in this shell only.
source scripts/deps.sh

cmake --preset wasm \
  -DNNPLAY_IMGUI_DIR="$NNPLAY_IMGUI_DIR" \
  -DCMAKE_PREFIX_PATH="$NNPLAY_WASM_PREFIX" >/dev/null
# Only the app: the wasm test suites are built and run by ctest, not needed to serve.
cmake --build build/wasm --target nnplay_web

SITE="$ROOT/build/wasm/web/site"
[[ -f "$SITE/index.html" ]] || { echo "serve.sh: $SITE/index.html was not built" >&2; exit 1; }
if [[ "$BUILD_ONLY" == 1 ]]; then
  echo "Built $SITE"
  exit 0
fi

PORT="${PORT:-8080}"
echo "nnplay: http://127.0.0.1:$PORT/"
exec node scripts/static-server.mjs --root "$SITE" --port "$PORT" --host 127.0.0.1 "$ISOLATE"
