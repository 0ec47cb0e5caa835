# Toolchain for the `wasm` preset: Debian's Emscripten 3.1.6 plus the fixes it needs on this
# distribution. Use it instead of `emcmake`, which would make ctest run
# `node --experimental-wasm-threads` (rejected by node 20).
#
# Target-side prefixes (the SDL2 built by scripts/deps.sh) are passed as CMAKE_PREFIX_PATH;
# when none is given, the default cache of scripts/deps.sh is used.

set(NNPLAY_EMSCRIPTEN_CMAKE "/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake")
if(NOT EXISTS "${NNPLAY_EMSCRIPTEN_CMAKE}")
  message(FATAL_ERROR "Emscripten not found (${NNPLAY_EMSCRIPTEN_CMAKE}); run scripts/deps.sh")
endif()

# Must be set before Emscripten.cmake, which otherwise caches a bare `node`. Node 20's global
# fetch() makes this emscripten's loader fail with "Failed to parse URL from ....wasm".
find_program(NNPLAY_NODE NAMES node nodejs REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR "${NNPLAY_NODE};--no-experimental-fetch")

include("${NNPLAY_EMSCRIPTEN_CMAKE}")

# emcc links at -O1+ through JS tools that import `acorn`, which Debian ships as node-acorn
# under /usr/share/nodejs, outside node's default module path.
set(CMAKE_C_LINKER_LAUNCHER "env;NODE_PATH=/usr/share/nodejs")
set(CMAKE_CXX_LINKER_LAUNCHER "env;NODE_PATH=/usr/share/nodejs")

# Emscripten.cmake re-roots every package search under its sysroot, so prefixes given in
# CMAKE_PREFIX_PATH must also be find roots to be searched as they are.
if(NOT CMAKE_PREFIX_PATH)
  if(DEFINED ENV{NNPLAY_CACHE})
    set(CMAKE_PREFIX_PATH "$ENV{NNPLAY_CACHE}/wasm-prefix")
  else()
    set(CMAKE_PREFIX_PATH "$ENV{HOME}/.cache/nnplay/wasm-prefix")
  endif()
endif()
list(APPEND CMAKE_FIND_ROOT_PATH ${CMAKE_PREFIX_PATH})
