// threads.h: how many threads training may use in this page, and how many it does.
//
// The threaded trainer (web/trainer, built with -pthread) needs shared memory, which a browser
// gives only to a cross-origin isolated page: one served with Cross-Origin-Opener-Policy:
// same-origin and Cross-Origin-Embedder-Policy: require-corp (README, "Hosting"). pre.js
// decides once, before the app starts; without isolation training runs on one thread and
// nothing errors.
#pragma once

namespace nnplay::platform {

// Training never uses more threads than this, whatever the machine reports: the CNN's batch
// split over more gives little (its serial part and the threads' start-up grow), and every
// thread is a Web Worker with its own stack.
inline constexpr int kMaxTrainingThreads = 8;

struct ThreadSupport {
  bool isolated = false;  // crossOriginIsolated, SharedArrayBuffer and shared wasm memory
  int cores = 1;          // navigator.hardwareConcurrency (1 when the browser does not say)
  int threads = 1;        // what a threaded trainer sizes its pool to: min(cores, the cap), or 1
};

// What pre.js found (the same answer all session).
const ThreadSupport& Threads();

// Whether the threaded trainer (nnplay_trainer_mt) is built beside this page.
bool ThreadedTrainerBuilt();

// The threads training runs on: what the trainer reported when it started
// (Module.nnplayTrainingThreads); before that, what it will use (Threads().threads with the
// threaded trainer built, else 1); 1 when the page has no working trainer (training then runs
// on the page's thread).
int TrainingThreadsInUse();

}  // namespace nnplay::platform
