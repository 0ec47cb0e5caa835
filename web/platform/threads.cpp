// threads.cpp: see threads.h. The detection itself is in pre.js (Module.nnplayThreadSupport).
#include "platform/threads.h"

#include <algorithm>

#include "platform/trainer_client.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

// clang-format off
EM_JS(int, nnplay_js_threads_isolated, (), {
  var t = Module['nnplayThreadSupport'];
  return t && t.isolated ? 1 : 0;
});
EM_JS(int, nnplay_js_threads_cores, (), {
  var t = Module['nnplayThreadSupport'];
  return t ? t.cores | 0 : 1;
});
EM_JS(int, nnplay_js_threads_pool, (), {
  var t = Module['nnplayThreadSupport'];
  return t ? t.threads | 0 : 1;
});
EM_JS(int, nnplay_js_training_threads, (), {
  return Module['nnplayTrainingThreads'] | 0;
});
// clang-format on
#endif

namespace nnplay::platform {

const ThreadSupport& Threads() {
  static const ThreadSupport support = [] {
    ThreadSupport s;
#ifdef __EMSCRIPTEN__
    s.isolated = nnplay_js_threads_isolated() != 0;
    s.cores = std::max(1, nnplay_js_threads_cores());
    s.threads = s.isolated ? std::clamp(nnplay_js_threads_pool(), 1, kMaxTrainingThreads) : 1;
#endif
    return s;
  }();
  return support;
}

bool ThreadedTrainerBuilt() {
#ifdef NNPLAY_THREADED_TRAINER
  return true;
#else
  return false;
#endif
}

int TrainingThreadsInUse() {
  if (!web::TrainerAvailable()) return 1;  // training on the page's own thread
#ifdef __EMSCRIPTEN__
  const int reported = nnplay_js_training_threads();
  if (reported > 0) return std::min(reported, kMaxTrainingThreads);
#endif
  return ThreadedTrainerBuilt() ? Threads().threads : 1;
}

}  // namespace nnplay::platform
