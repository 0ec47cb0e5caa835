// trainer_client.cpp: see trainer_client.h. The JavaScript lives in the EM_JS blocks here: the
// worker is created on first use, its messages are copied into wasm memory and handed to the
// nnplay_trainer_* callbacks below.
#include "platform/trainer_client.h"

#include <cstdlib>

#include "platform/threads.h"

namespace nnplay::web {
namespace {
TrainerRun& Current() {
  static TrainerRun run;
  return run;
}
bool& Unavailable() {
  static bool unavailable = false;
  return unavailable;
}
int& NextId() {
  static int next = 1;
  return next;
}
}  // namespace
}  // namespace nnplay::web

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

// clang-format off
// The threads the trainer is asked for when it is created (trainer/worker.js?threads=N), and
// once it has failed, the 1 that training then runs on.
EM_JS(void, nnplay_js_trainer_threads, (int threads), {
  Module.nnplayTrainerThreads = threads;
  if (threads === 1) Module.nnplayTrainingThreads = 1;
});
EM_JS(int, nnplay_js_trainer_post, (int type, int id, const char* link, const void* ckpt,
                                    int ckpt_size, int replay_to, int play, int stop_at), {
  if (!Module.nnplayTrainer) {
    if (typeof Worker === "undefined") return 0;
    var str = function(s) {
      var n = lengthBytesUTF8(s) + 1;
      var p = _malloc(n);
      stringToUTF8(s, p, n);
      return p;
    };
    try {
      // The threaded trainer when the page is cross-origin isolated (platform/threads.h).
      var threads = Module.nnplayTrainerThreads | 0;
      var w = new Worker("trainer/worker.js" + (threads > 1 ? "?threads=" + threads : ""));
      w.onerror = function(e) {
        if (e && e.preventDefault) e.preventDefault();
        _nnplay_trainer_failed();
      };
      Module.nnplayTrainingThreads = 0;  // until the worker says
      w.onmessage = function(e) {
        var m = e.data;
        if (m.type === "snapshot") {
          var n = m.bytes.byteLength;
          var p = _malloc(Math.max(1, n));
          HEAPU8.set(new Uint8Array(m.bytes), p);
          _nnplay_trainer_snapshot(m.id, m.final ? 1 : 0, p, n);
          _free(p);
        } else if (m.type === "progress") {
          _nnplay_trainer_progress(m.id, m.done, m.total);
        } else if (m.type === "error") {
          var q = str(m.message);
          _nnplay_trainer_error(m.id, q);
          _free(q);
        } else if (m.type === "failed") {
          _nnplay_trainer_failed();
        } else if (m.type === "ready") {
          Module.nnplayTrainerReady = true;  // for tests
          Module.nnplayTrainingThreads = m.threads | 0 || 1;  // what the line under Play says
        }
      };
      Module.nnplayTrainer = w;
    } catch (e) {
      return 0;
    }
  }
  var w = Module.nnplayTrainer;
  if (type === 0) {
    var bytes = HEAPU8.slice(ckpt, ckpt + ckpt_size).buffer;
    w.postMessage({type : "start", id : id, link : UTF8ToString(link), checkpoint : bytes,
                   replayTo : replay_to, play : !!play, stopAt : stop_at}, [bytes]);
  } else if (type === 1) {
    w.postMessage({type : "pause", id : id});
  } else {
    w.postMessage({type : "stop"});
  }
  return 1;
});
// clang-format on

extern "C" {
EMSCRIPTEN_KEEPALIVE void nnplay_trainer_snapshot(int id, int final, const char* bytes, int size) {
  nnplay::web::TrainerRun& r = nnplay::web::Current();
  if (id != r.id || size < 0) return;
  r.snapshot.assign(bytes, static_cast<size_t>(size));
  r.has_snapshot = true;
  r.final = final != 0;
}
EMSCRIPTEN_KEEPALIVE void nnplay_trainer_progress(int id, int done, int total) {
  nnplay::web::TrainerRun& r = nnplay::web::Current();
  if (id != r.id) return;
  r.done = done;
  r.total = total;
}
EMSCRIPTEN_KEEPALIVE void nnplay_trainer_error(int id, const char* why) {
  nnplay::web::TrainerRun& r = nnplay::web::Current();
  if (id != r.id) return;
  r.error = why && *why ? why : "the trainer failed";
}
// The worker's script or module did not load: every later run trains on the page's thread.
EMSCRIPTEN_KEEPALIVE void nnplay_trainer_failed() {
  nnplay::web::Unavailable() = true;
  nnplay_js_trainer_threads(1);
  nnplay::web::TrainerRun& r = nnplay::web::Current();
  if (r.id != 0 && r.error.empty()) r.error = "the trainer worker did not start";
}
}

namespace nnplay::web {

int TrainerStart(const std::string& link, const std::string& checkpoint, int replay_to, bool play,
                 int stop_at) {
  if (Unavailable()) return 0;
  static const bool asked = [] {
    nnplay_js_trainer_threads(platform::ThreadedTrainerBuilt() ? platform::Threads().threads : 1);
    return true;
  }();
  (void)asked;
  const int id = NextId()++;
  TrainerRun& r = Current();
  r = TrainerRun();
  r.id = id;
  r.total = replay_to;
  if (!nnplay_js_trainer_post(0, id, link.c_str(), checkpoint.data(),
                              static_cast<int>(checkpoint.size()), replay_to, play ? 1 : 0,
                              stop_at)) {
    Unavailable() = true;
    r = TrainerRun();
    return 0;
  }
  return id;
}

void TrainerPause(int id) {
  if (!Unavailable() && id == Current().id) nnplay_js_trainer_post(1, id, "", nullptr, 0, 0, 0, 0);
}

void TrainerStop() {
  if (Current().id == 0) return;
  Current() = TrainerRun();
  if (!Unavailable()) nnplay_js_trainer_post(2, 0, "", nullptr, 0, 0, 0, 0);
}

}  // namespace nnplay::web

#else  // no browser: no worker, the views step on their own thread

namespace nnplay::web {
int TrainerStart(const std::string&, const std::string&, int, bool, int) {
  Unavailable() = true;
  return 0;
}
void TrainerPause(int) {}
void TrainerStop() {}
}  // namespace nnplay::web

#endif

namespace nnplay::web {

bool TrainerAvailable() {
  return !Unavailable();
}

TrainerRun& TrainerCurrent() {
  return Current();
}

bool TrainerTake(int id, std::string* bytes, bool* final) {
  TrainerRun& r = Current();
  if (id == 0 || id != r.id || !r.has_snapshot) return false;
  *bytes = std::move(r.snapshot);
  r.snapshot.clear();
  *final = r.final;
  r.has_snapshot = false;
  return true;
}

}  // namespace nnplay::web
