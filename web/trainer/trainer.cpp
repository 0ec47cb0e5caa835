// trainer.cpp: the trainer module's C exports (nnplay_trainer: the engine alone, no SDL, ImGui
// or GL), called by web/trainer/worker.js inside a dedicated Web Worker. One run at a time,
// engine/labs/runner.h does the work; strings and snapshots come back through
// nnplay_trainer_data() / nnplay_trainer_size(), valid until the next call.
#include <emscripten.h>

#include <cstdint>
#include <string>

#include "data/fashion.h"
#include "labs/runner.h"
#include "parallel/thread_pool.h"

namespace {
nnplay::Runner& TheRunner() {
  static nnplay::Runner runner;
  return runner;
}
std::string& Out() {
  static std::string out;
  return out;
}
}  // namespace

extern "C" {

// The Fashion-MNIST asset's bytes (fetched by the worker): 0, or -1 with the reason in data().
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_set_fashion(const uint8_t* bytes, int size) {
  std::string why;
  if (size < 0 || !nnplay::SetFashionAsset(bytes, static_cast<size_t>(size), &why)) {
    Out() = "data/fashion-v1.bin: " + why;
    return -1;
  }
  return 0;
}

// Opens a run (Runner::Open): 0; 1 when the Fashion-MNIST asset must be set first; -1 with
// what is wrong in data().
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_open(const char* link, const uint8_t* checkpoint,
                                             int checkpoint_size, int replay_to) {
  const std::string ckpt = checkpoint_size > 0
                               ? std::string(reinterpret_cast<const char*>(checkpoint),
                                             static_cast<size_t>(checkpoint_size))
                               : std::string();
  nnplay::Runner& r = TheRunner();
  Out() = r.Open(link ? link : "", ckpt, replay_to);
  if (Out().empty()) return 0;
  return r.MissingAsset() ? 1 : -1;
}

// Runs at most max_steps steps within about budget_ms; returns the steps run.
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_run(int max_steps, double budget_ms) {
  return TheRunner().Run(max_steps, budget_ms);
}
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_steps() {
  return TheRunner().steps();
}
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_to_replay() {
  return TheRunner().ToReplay();
}

// The run's snapshot (with the test set when test_set != 0) into data(); returns its size.
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_snapshot(int test_set) {
  Out() = nnplay::EncodeRunnerSnapshot(TheRunner().Snapshot(test_set != 0));
  return static_cast<int>(Out().size());
}

EMSCRIPTEN_KEEPALIVE const char* nnplay_trainer_data() {
  return Out().c_str();
}
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_size() {
  return static_cast<int>(Out().size());
}

// The engine's threads (parallel/thread_pool.h; 1 in the 1-thread module): clamped to what
// the module can run, started on first use. Returns the count now in use.
EMSCRIPTEN_KEEPALIVE int nnplay_trainer_set_threads(int threads) {
  nnplay::SetEngineThreads(threads);
  return nnplay::EngineThreads();
}

}  // extern "C"
