#!/usr/bin/env bash
# Installs and caches everything nnplay builds against, idempotently; a second run only checks.
#
#   scripts/deps.sh                 # install what is missing, print the paths as KEY=value
#   eval "$(scripts/deps.sh)"       # adopt the paths in the calling shell (not exported)
#   source scripts/deps.sh          # same as the eval form
#
# What it does, each step skipped when already done:
#   1. apt packages (apt-get update only when something is missing);
#   2. a deb-src entry mirroring debian.sources, because Debian's imgui and SDL2 source packages
#      are the only place to get Dear ImGui's .cpp files and an SDL2 we can build for wasm;
#   3. `apt-get source --download-only imgui libsdl2` into the cache, unpacked with dpkg-source;
#   4. SDL2 built for Emscripten (static, no threads) and installed into the cache prefix;
#   5. `npm ci` at the repo root when node_modules is missing or older than package-lock.json.
# The cache lives outside the clone: ${NNPLAY_CACHE:-$HOME/.cache/nnplay}. Logs go to stderr;
# stdout carries only the KEY=value lines.

# Sourced: do the work in a child bash so `set -e` and `exit` cannot hit the caller's shell.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  _nnplay_deps_out="$(bash "${BASH_SOURCE[0]}" "$@")" || return $?
  eval "$_nnplay_deps_out"
  unset _nnplay_deps_out
  return 0
fi

set -euo pipefail

readonly IMGUI_VERSION=1.86
readonly SDL2_VERSION=2.26.5
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly CACHE="${NNPLAY_CACHE:-$HOME/.cache/nnplay}"
readonly SRC_DIR="$CACHE/src"
readonly IMGUI_DIR="$SRC_DIR/imgui-$IMGUI_VERSION"
readonly SDL2_SRC_DIR="$SRC_DIR/SDL2-$SDL2_VERSION"
readonly WASM_PREFIX="$CACHE/wasm-prefix"
readonly EMSCRIPTEN_CMAKE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake

# clang-format and libgl1-mesa-dri are not in the original list: CI checks formatting, and the
# native SDL window under xvfb-run needs Mesa's drivers. The fonts are subset at build time with
# python3-fonttools (cmake/EmbedFonts.cmake). python3-torch and python3-numpy run the referee
# (tests/referee/), under /usr/bin/python3. dataset-fashion-mnist: the cnn lab's real images,
# baked into the site at build time (cmake/BakeFashion.cmake).
APT_PACKAGES=(
  cmake ninja-build g++ clang clang-format libclang-rt-14-dev
  emscripten libsimde-dev libsdl2-dev googletest
  chromium xvfb xauth libgl1-mesa-dri
  wabt hyperfine dpkg-dev xz-utils python3
  fonts-inter fonts-jetbrains-mono fonts-dejavu-core python3-fonttools
  python3-torch python3-numpy
  dataset-fashion-mnist
)

log() { printf 'deps.sh: %s\n' "$*" >&2; }
die() {
  printf 'deps.sh: error: %s\n' "$*" >&2
  exit 1
}

# Runs a long, chatty command with its output in a log file; shows the tail only on failure.
run_logged() {
  local logfile="$1"
  shift
  if ! "$@" >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    die "'$*' failed; full log: $logfile"
  fi
}

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

APT_UPDATED=0
apt_update_once() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    run_logged "$CACHE/apt-update.log" as_root apt-get update
    APT_UPDATED=1
  fi
}

# --- 1. apt packages -------------------------------------------------------------------------
install_packages() {
  local wanted=("${APT_PACKAGES[@]}")
  # Node may come from NodeSource (node 20 with its own npm, which conflicts with Debian's npm
  # package) or from Debian; only ask apt for what has no command at all.
  command -v node >/dev/null || wanted+=(nodejs)
  command -v npm >/dev/null || wanted+=(npm)

  local missing=() pkg status
  for pkg in "${wanted[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == installed ]] || missing+=("$pkg")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "apt packages: all present"
    return
  fi
  log "installing: ${missing[*]}"
  apt_update_once
  # Another apt may hold the lock (a parallel build, unattended upgrades): wait for it.
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >&2
}

# --- 2. deb-src entry -------------------------------------------------------------------------
ensure_deb_src() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  if grep -qsE '^(Types:.*deb-src|deb-src[[:space:]])' "${files[@]}"; then
    return
  fi
  local deb822=/etc/apt/sources.list.d/debian.sources
  if [[ -f "$deb822" ]]; then
    log "adding deb-src entries mirroring $deb822"
    sed -E 's/^Types:.*/Types: deb-src/' "$deb822" |
      as_root tee /etc/apt/sources.list.d/nnplay-deb-src.sources >/dev/null
  elif [[ -f /etc/apt/sources.list ]] && grep -qE '^deb[[:space:]]' /etc/apt/sources.list; then
    log "adding deb-src lines mirroring /etc/apt/sources.list"
    sed -nE 's/^deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list |
      as_root tee /etc/apt/sources.list.d/nnplay-deb-src.list >/dev/null
  else
    die "no Debian apt source found to mirror as deb-src; add one by hand"
  fi
  APT_UPDATED=0
  apt_update_once
}

# --- 3. Debian source packages ----------------------------------------------------------------
# Prints the newest .dsc in $1 for package $2 at upstream version $3 (nothing if none).
find_dsc() {
  local matches=("$1/${2}_${3}"*.dsc)
  [[ -e "${matches[0]}" ]] && printf '%s\n' "${matches[-1]}"
  return 0
}

# $1 source package, $2 upstream version it must have, $3 unpack dir.
fetch_source() {
  local pkg="$1" version="$2" dest="$3"
  [[ -f "$dest/.nnplay-unpacked" ]] && return

  local dl="$SRC_DIR/debian"
  mkdir -p "$dl"
  local dsc
  dsc="$(find_dsc "$dl" "$pkg" "$version")"
  if [[ -z "$dsc" ]]; then
    ensure_deb_src
    log "downloading Debian source package $pkg"
    # A fresh deb-src entry may not have been fetched yet: update once and retry.
    if ! (cd "$dl" && apt-get source --download-only "$pkg" >"$CACHE/apt-source-$pkg.log" 2>&1); then
      APT_UPDATED=0
      apt_update_once
      (cd "$dl" && run_logged "$CACHE/apt-source-$pkg.log" apt-get source --download-only "$pkg")
    fi
    dsc="$(find_dsc "$dl" "$pkg" "$version")"
    [[ -n "$dsc" ]] || die "apt-get source $pkg did not give version $version (see $dl)"
  fi

  log "unpacking $(basename "$dsc") -> $dest"
  rm -rf "$dest"
  # dpkg-source applies Debian's patches; apt already checked the files against the signed index.
  run_logged "$CACHE/dpkg-source-$pkg.log" dpkg-source -x "$dsc" "$dest"
  touch "$dest/.nnplay-unpacked"
}

# --- 4. SDL2 for Emscripten -------------------------------------------------------------------
build_sdl2_wasm() {
  # The stamp names the emscripten version too: a compiler upgrade rebuilds the library.
  local emver stamp
  emver="$(tr -d '"' </usr/share/emscripten/emscripten-version.txt 2>/dev/null || echo unknown)"
  stamp="$WASM_PREFIX/.sdl2-$SDL2_VERSION-emscripten-$emver"
  if [[ -f "$stamp" && -f "$WASM_PREFIX/lib/cmake/SDL2/SDL2Config.cmake" ]]; then
    return
  fi
  local build="$CACHE/build/sdl2-wasm"
  rm -rf "$build"
  log "configuring SDL2 $SDL2_VERSION for wasm (about 2 min on 2 cores; log: $CACHE/sdl2-configure.log)"
  # NODE_PATH: Debian's emcc needs node-acorn from /usr/share/nodejs when optimising.
  run_logged "$CACHE/sdl2-configure.log" env NODE_PATH=/usr/share/nodejs \
    cmake -S "$SDL2_SRC_DIR" -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$EMSCRIPTEN_CMAKE" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$WASM_PREFIX" \
    -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_THREADS=OFF
  log "building SDL2 for wasm (log: $CACHE/sdl2-build.log)"
  run_logged "$CACHE/sdl2-build.log" env NODE_PATH=/usr/share/nodejs \
    cmake --build "$build" --target install
  touch "$stamp"
  rm -rf "$build"
}

# --- 5. npm packages --------------------------------------------------------------------------
install_node_modules() {
  [[ -f "$ROOT/package.json" ]] || return 0
  local stamp="$ROOT/node_modules/.nnplay-installed"
  if [[ -f "$stamp" && -f "$ROOT/package-lock.json" && ! "$ROOT/package-lock.json" -nt "$stamp" &&
    ! "$ROOT/package.json" -nt "$stamp" ]]; then
    return
  fi
  if [[ -f "$ROOT/package-lock.json" ]]; then
    log "npm ci"
    (cd "$ROOT" && npm ci --no-audit --no-fund >&2)
  else
    log "npm install (no package-lock.json yet)"
    (cd "$ROOT" && npm install --no-audit --no-fund >&2)
  fi
  touch "$stamp"
}

main() {
  mkdir -p "$CACHE" "$SRC_DIR"
  install_packages
  fetch_source imgui "$IMGUI_VERSION" "$IMGUI_DIR"
  fetch_source libsdl2 "$SDL2_VERSION" "$SDL2_SRC_DIR"
  [[ -f "$IMGUI_DIR/imgui.cpp" && -f "$IMGUI_DIR/backends/imgui_impl_sdl.cpp" ]] ||
    die "$IMGUI_DIR does not look like Dear ImGui $IMGUI_VERSION"
  build_sdl2_wasm
  install_node_modules

  # %q quotes so that the output can be eval'ed even if $HOME has spaces.
  printf 'NNPLAY_CACHE=%q\n' "$CACHE"
  printf 'NNPLAY_IMGUI_DIR=%q\n' "$IMGUI_DIR"
  printf 'NNPLAY_WASM_PREFIX=%q\n' "$WASM_PREFIX"
  printf 'NNPLAY_GTEST_DIR=%q\n' /usr/src/googletest
  printf 'NNPLAY_CHROMIUM=%q\n' "$(command -v chromium)"
}

main "$@"
