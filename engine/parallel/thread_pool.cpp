// thread_pool.cpp: see thread_pool.h.
#include "parallel/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <ctime>

// A wasm build without -pthread has the headers but no threads: run everything inline.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define NNPLAY_POOL_THREADS 0
#else
#define NNPLAY_POOL_THREADS 1
#endif
// A wasm -pthread build: the Workers Emscripten starts before main (-sPTHREAD_POOL_SIZE).
#if defined(__EMSCRIPTEN_PTHREADS__) && !defined(NNPLAY_WASM_POOL_SIZE)
#define NNPLAY_WASM_POOL_SIZE 8
#endif

namespace nnplay {

namespace {

// The pool whose chunk this thread is running (nested ParallelFor calls run inline).
thread_local const ThreadPool* t_running = nullptr;

int Clamp(int threads) {
  if (threads <= 0) threads = ThreadPool::HardwareThreads();
  return std::max(1, std::min(threads, ThreadPool::MaxThreads()));
}

// Worker w's chunks: [w·n/W, (w+1)·n/W).
void RunRange(int n_chunks, int n_workers, int worker, void (*fn)(void*, int, int), void* ctx) {
  const long long n = n_chunks, w = n_workers;
  const int begin = static_cast<int>(worker * n / w), end = static_cast<int>((worker + 1) * n / w);
  for (int c = begin; c < end; ++c) fn(ctx, c, worker);
}

// The calling thread's CPU time in ns (wall time where there is no per-thread clock).
long long ThreadCpuNs() {
#if defined(CLOCK_THREAD_CPUTIME_ID) && !defined(__EMSCRIPTEN__)
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
#endif
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

long long ThreadPoolCpuNs() {
  return ThreadCpuNs();
}

void ThreadPool::set_profiling(bool on) {
  if (on) profiled_ns_ = 0;  // off keeps the sum for profiled_seconds()
  profiling_ = on;
}

double ThreadPool::profiled_seconds() const {
  return static_cast<double>(profiled_ns_.load()) * 1e-9;
}

bool ThreadPool::ThreadsAvailable() {
  return NNPLAY_POOL_THREADS != 0;
}

int ThreadPool::MaxThreads() {
#if !NNPLAY_POOL_THREADS
  return 1;
#elif defined(NNPLAY_WASM_POOL_SIZE)
  return NNPLAY_WASM_POOL_SIZE < kMaxThreads ? NNPLAY_WASM_POOL_SIZE : kMaxThreads;
#else
  return kMaxThreads;
#endif
}

int ThreadPool::HardwareThreads() {
  if (!ThreadsAvailable()) return 1;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min<unsigned>(hw, MaxThreads()));
}

ThreadPool::ThreadPool(int threads) : threads_(Clamp(threads)) {}

ThreadPool::~ThreadPool() {
  StopWorkers();
}

void ThreadPool::set_threads(int count) {
  std::lock_guard<std::mutex> run(run_mu_);
  const int t = Clamp(count);
  if (t == threads()) return;
  StopWorkers();
  threads_.store(t, std::memory_order_relaxed);
}

int ThreadPool::WorkersFor(int n_chunks, int max_workers) const {
  int w = std::min(threads(), std::max(n_chunks, 0));
  if (max_workers > 0) w = std::min(w, max_workers);
  return w;
}

unsigned long ThreadPool::jobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_;
}

void ThreadPool::StartWorkers() {
#if NNPLAY_POOL_THREADS
  const size_t want = static_cast<size_t>(threads() - 1);
  while (workers_.size() < want) {
    const int worker = static_cast<int>(workers_.size()) + 1;
    try {
      workers_.emplace_back([this, worker, seen = generation_] {
        unsigned long last = seen;
        std::unique_lock<std::mutex> lock(mu_);
        for (;;) {
          start_cv_.wait(lock, [&] { return stop_ || generation_ != last; });
          if (stop_) return;
          last = generation_;
          if (worker >= n_workers_) continue;
          const ChunkFn fn = fn_;
          void* const ctx = ctx_;
          const int n = n_chunks_, w = n_workers_;
          lock.unlock();
          t_running = this;
          RunRange(n, w, worker, fn, ctx);
          t_running = nullptr;
          lock.lock();
          if (--pending_ == 0) done_cv_.notify_one();
        }
      });
    } catch (...) {
      break;  // no more threads to be had: run with the ones there are
    }
  }
#endif
}

void ThreadPool::StopWorkers() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (workers_.empty()) return;
    stop_ = true;
  }
  start_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  std::lock_guard<std::mutex> lock(mu_);
  workers_.clear();
  stop_ = false;
}

void ThreadPool::Run(int n_chunks, int max_workers, ChunkFn fn, void* ctx) {
  if (n_chunks <= 0) return;
  if (profiling_ && max_workers != 1 && t_running == nullptr) {
    const long long t0 = ThreadCpuNs();
    profiling_ = false;  // this region only, not the ones it nests
    RunJob(n_chunks, max_workers, fn, ctx);
    profiling_ = true;
    profiled_ns_ += ThreadCpuNs() - t0;
    return;
  }
  RunJob(n_chunks, max_workers, fn, ctx);
}

void ThreadPool::RunJob(int n_chunks, int max_workers, ChunkFn fn, void* ctx) {
  int w = WorkersFor(n_chunks, max_workers);
  std::unique_lock<std::mutex> run(run_mu_, std::defer_lock);
  // One worker, a nested call, or the pool busy with another caller's job: inline.
  if (w <= 1 || t_running == this || !run.try_lock()) {
    for (int c = 0; c < n_chunks; ++c) fn(ctx, c, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    StartWorkers();
    w = std::min(w, static_cast<int>(workers_.size()) + 1);
    fn_ = fn;
    ctx_ = ctx;
    n_chunks_ = n_chunks;
    n_workers_ = w;
    pending_ = w - 1;
    ++generation_;
    if (w > 1) ++jobs_;
  }
  if (w > 1) start_cv_.notify_all();
  t_running = this;
  RunRange(n_chunks, w, 0, fn, ctx);
  t_running = nullptr;
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return pending_ == 0; });
}

ThreadPool& EnginePool() {
  static ThreadPool pool(0);
  return pool;
}

void SetEngineThreads(int threads) {
  EnginePool().set_threads(threads);
}

int EngineThreads() {
  return EnginePool().threads();
}

}  // namespace nnplay
