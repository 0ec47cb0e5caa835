// runner.h: a training run driven from outside its lab's view, for either training lab (cnn,
// train): what the page's trainer worker (web/trainer/) runs off the UI thread, and what the
// tests drive natively. It holds the lab's session, runs slices of steps (a count, or as many
// as fit a time budget), and makes snapshots: the session's checkpoint bytes plus what the
// view would otherwise have to compute on the UI thread (for the cnn lab, the whole test set:
// loss, accuracy, confusion, most confident mistakes; the train lab's view measures its small
// network itself). The view restores its own session from the checkpoint and only probes and
// draws.
//
// A snapshot crosses a thread (a postMessage) as bytes: EncodeRunnerSnapshot /
// DecodeRunnerSnapshot, a small fixed layout (little-endian, every length checked against
// the lab's limits before anything is allocated).
//
// Deterministic: the same link and checkpoint, stepped in slices of any sizes, give exactly
// the bits of stepping the session straight through.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "labs/cnn_lab.h"
#include "labs/train_lab.h"

namespace nnplay {

enum class RunnerLab { kNone = 0, kCnn = 1, kTrain = 2 };

struct RunnerLimits {
  static constexpr uint32_t kMagic = 0x53524E4E;  // "NNRS" little-endian
  static constexpr uint32_t kVersion = 1;
  // A checkpoint holds at most this many bytes (the largest cnn set-up: 16 + 16 filters of
  // 5x5, dense 784 -> 10 is ~15 k parameters, x 3 floats, plus history and order: < 1 MB).
  static constexpr uint32_t kMaxCheckpoint = 16u << 20;
  static constexpr int kMaxClasses = 10;
  // The links Open takes: a train link past its replay cap carries its checkpoint (the
  // page's own links are held to 1 MiB, web/app.cpp kOwnLinkLimit).
  static constexpr size_t kMaxLink = 1u << 20;
};

struct RunnerSnapshot {
  RunnerLab lab = RunnerLab::kNone;
  int steps = 0;
  std::string checkpoint;  // the session's SaveCheckpoint()
  // The cnn lab's test set at `steps` (only when `measured`): the whole test set's loss and
  // accuracy, the confusion [classes, classes] (counts) and the most confident mistakes.
  bool measured = false;
  float test_loss = 0, test_acc = 0;
  int classes = 0;
  std::vector<float> confusion;
  std::vector<CnnMistake> mistakes;
};

std::string EncodeRunnerSnapshot(const RunnerSnapshot& snapshot);
// Empty, or what is wrong (then *out is unchanged).
std::string DecodeRunnerSnapshot(const std::string& bytes, RunnerSnapshot* out);

// The session of either lab. Not copyable (it owns the session's buffers).
class Runner {
 public:
  Runner();
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Opens the run a lab link sets up ("v1/cnn?..." or "v1/train?..."; its steps are not
  // used). With a checkpoint the session continues from it; without, it starts from the
  // seed's weights and `replay_to` steps are still to run (ToReplay). Empty, or what is
  // wrong (the runner then holds no run). MissingAsset() tells a cnn link on Fashion-MNIST
  // opened before SetFashionAsset (load it, open again).
  std::string Open(const std::string& link, const std::string& checkpoint, int replay_to = 0);
  bool MissingAsset() const { return missing_asset_; }
  RunnerLab lab() const { return lab_; }
  int steps() const;
  // Steps still to replay before the run is where its link says (0 when there).
  int ToReplay() const;
  // Runs at most `max_steps` steps, stopping early once `budget_ms` (wall clock, > 0) have
  // passed (checked after each step, so at least one step runs). Returns the steps run.
  int Run(int max_steps, double budget_ms = 0);
  // The checkpoint, and with `test_set` (cnn) the test set's measurement.
  RunnerSnapshot Snapshot(bool test_set);

  // The sessions, for tests and for the view's fallback (null when another lab is open).
  CnnSession* cnn() { return cnn_.get(); }
  TrainSession* train() { return train_.get(); }

 private:
  RunnerLab lab_ = RunnerLab::kNone;
  bool missing_asset_ = false;
  int replay_to_ = 0;
  CnnLabState cnn_state_;
  TrainLabState train_state_;
  std::unique_ptr<CnnSession> cnn_;
  std::unique_ptr<TrainSession> train_;
  CnnLabResult cnn_result_;
};

// The checkpoint calls, in one place (the sessions' SaveCheckpoint / LoadCheckpoint).
std::string RunnerSaveCheckpoint(const CnnSession& session);
std::string RunnerSaveCheckpoint(const TrainSession& session);
// Empty on success, else what is wrong (the session unchanged).
std::string RunnerLoadCheckpoint(CnnSession* session, const CnnLabState& state,
                                 const std::string& bytes);
std::string RunnerLoadCheckpoint(TrainSession* session, const TrainLabState& state,
                                 const std::string& bytes);

}  // namespace nnplay
