// runner.cpp: see runner.h.
#include "labs/runner.h"

#include <chrono>
#include <cmath>

#include "data/fashion.h"
#include "labs/session.h"
#include "link/link.h"

namespace nnplay {
namespace {

double NowMs() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

}  // namespace

// ---- snapshots ---------------------------------------------------------------------------

std::string EncodeRunnerSnapshot(const RunnerSnapshot& s) {
  ByteWriter w;
  w.U32(RunnerLimits::kMagic);
  w.U32(RunnerLimits::kVersion);
  w.U32(static_cast<uint32_t>(s.lab));
  w.I32(s.steps);
  w.U32(static_cast<uint32_t>(s.checkpoint.size()));
  w.Bytes(s.checkpoint);
  w.U32(s.measured ? 1u : 0u);
  if (s.measured) {
    w.F32(s.test_loss);
    w.F32(s.test_acc);
    w.I32(s.classes);
    for (float v : s.confusion) w.F32(v);
    w.U32(static_cast<uint32_t>(s.mistakes.size()));
    for (const CnnMistake& m : s.mistakes) {
      w.I32(m.index);
      w.I32(m.truth);
      w.I32(m.predicted);
      w.F32(m.confidence);
    }
  }
  return std::move(w.bytes());
}

std::string DecodeRunnerSnapshot(const std::string& bytes, RunnerSnapshot* out) {
  // session.h's reader: after a short read every value is 0 and ok() is false.
  ByteReader r(bytes);
  RunnerSnapshot s;
  if (r.U32() != RunnerLimits::kMagic || !r.ok()) return "not a trainer snapshot";
  const uint32_t version = r.U32();
  if (!r.ok() || version != RunnerLimits::kVersion)
    return "trainer snapshot version " + std::to_string(version) + ", not " +
           std::to_string(RunnerLimits::kVersion);
  const uint32_t lab = r.U32();
  if (!r.ok() || (lab != static_cast<uint32_t>(RunnerLab::kCnn) &&
                  lab != static_cast<uint32_t>(RunnerLab::kTrain)))
    return "trainer snapshot of an unknown lab";
  s.lab = static_cast<RunnerLab>(lab);
  s.steps = r.I32();
  if (!r.ok() || s.steps < 0) return "trainer snapshot: bad step count";
  const uint32_t size = r.U32();
  if (!r.ok() || size > RunnerLimits::kMaxCheckpoint || size > r.left())
    return "trainer snapshot: the checkpoint's length is wrong";
  r.Bytes(size, &s.checkpoint);
  const uint32_t measured = r.U32();
  if (!r.ok() || measured > 1) return "trainer snapshot: truncated";
  s.measured = measured == 1;
  if (s.measured) {
    s.test_loss = r.F32();
    s.test_acc = r.F32();
    s.classes = r.I32();
    if (!r.ok()) return "trainer snapshot: truncated";
    if (s.classes < 1 || s.classes > RunnerLimits::kMaxClasses)
      return "trainer snapshot: bad class count";
    const size_t cells = static_cast<size_t>(s.classes) * static_cast<size_t>(s.classes);
    if (r.left() < cells * 4) return "trainer snapshot: truncated";
    s.confusion.resize(cells);
    for (float& v : s.confusion) v = r.F32();
    const uint32_t n = r.U32();
    if (!r.ok() || n > static_cast<uint32_t>(CnnLabResult::kMistakes) || r.left() < n * 16u)
      return "trainer snapshot: bad mistake count";
    s.mistakes.resize(n);
    for (CnnMistake& m : s.mistakes) {
      m.index = r.I32();
      m.truth = r.I32();
      m.predicted = r.I32();
      m.confidence = r.F32();
      if (m.index < 0 || m.truth < 0 || m.truth >= s.classes || m.predicted < 0 ||
          m.predicted >= s.classes)
        return "trainer snapshot: a mistake out of range";
    }
  }
  if (!r.ok()) return "trainer snapshot: truncated";
  if (r.left() != 0) return "trainer snapshot: bytes after the end";
  *out = std::move(s);
  return {};
}

// ---- the runner --------------------------------------------------------------------------

Runner::Runner() = default;
Runner::~Runner() = default;

std::string Runner::Open(const std::string& text, const std::string& checkpoint, int replay_to) {
  lab_ = RunnerLab::kNone;
  missing_asset_ = false;
  replay_to_ = 0;
  Link link;
  LinkError error;
  if (!ParseLink(text, &link, &error, RunnerLimits::kMaxLink)) return error.ToString();
  std::string err;
  if (link.lab == "cnn") {
    CnnLabState s;
    if (!DecodeCnnLab(link, &s, &error)) return error.ToString();
    s.steps = 0;
    if (s.data == CnnDataKind::kFashion && !FashionAsset(nullptr)) {
      missing_asset_ = true;
      return "Fashion-MNIST is not loaded";
    }
    if (!cnn_) cnn_ = std::make_unique<CnnSession>();
    err = checkpoint.empty() ? cnn_->Reset(s) : RunnerLoadCheckpoint(cnn_.get(), s, checkpoint);
    if (!err.empty()) return err;
    cnn_state_ = s;
    lab_ = RunnerLab::kCnn;
  } else if (link.lab == "train") {
    TrainLabState s;
    if (!DecodeTrainLab(link, &s, &error)) return error.ToString();
    if (!train_) train_ = std::make_unique<TrainSession>();
    err = checkpoint.empty() ? train_->Reset(s) : RunnerLoadCheckpoint(train_.get(), s, checkpoint);
    if (!err.empty()) return err;
    train_state_ = s;
    lab_ = RunnerLab::kTrain;
  } else {
    return "the trainer runs the cnn and train labs, not " + link.lab;
  }
  if (checkpoint.empty()) replay_to_ = std::max(0, replay_to);
  return {};
}

int Runner::steps() const {
  if (lab_ == RunnerLab::kCnn) return cnn_->steps();
  if (lab_ == RunnerLab::kTrain) return train_->steps();
  return 0;
}

int Runner::ToReplay() const {
  return std::max(0, replay_to_ - steps());
}

int Runner::Run(int max_steps, double budget_ms) {
  if (lab_ == RunnerLab::kNone) return 0;
  const double start = budget_ms > 0 ? NowMs() : 0.0;
  int done = 0;
  while (done < max_steps) {
    const int before = steps();
    if (lab_ == RunnerLab::kCnn) {
      cnn_->Step();
    } else {
      train_->Step();
    }
    if (steps() == before) break;  // the session cannot step (an error, or its cap)
    ++done;
    if (budget_ms > 0 && NowMs() - start >= budget_ms) break;
  }
  return done;
}

RunnerSnapshot Runner::Snapshot(bool test_set) {
  RunnerSnapshot s;
  s.lab = lab_;
  s.steps = steps();
  if (lab_ == RunnerLab::kCnn) {
    s.checkpoint = RunnerSaveCheckpoint(*cnn_);
    if (test_set) {
      cnn_->Measure(&cnn_result_, true);
      s.measured = true;
      s.test_loss = cnn_result_.test_loss;
      s.test_acc = cnn_result_.test_acc;
      s.classes = cnn_result_.classes;
      s.confusion.assign(cnn_result_.confusion.values().begin(),
                         cnn_result_.confusion.values().end());
      s.mistakes = cnn_result_.mistakes;
    }
  } else if (lab_ == RunnerLab::kTrain) {
    s.checkpoint = RunnerSaveCheckpoint(*train_);
  }
  return s;
}

// ---- checkpoints -------------------------------------------------------------------------

std::string RunnerSaveCheckpoint(const CnnSession& session) {
  return session.SaveCheckpoint();
}
std::string RunnerSaveCheckpoint(const TrainSession& session) {
  return session.SaveCheckpoint();
}
std::string RunnerLoadCheckpoint(CnnSession* session, const CnnLabState& state,
                                 const std::string& bytes) {
  return session->LoadCheckpoint(state, bytes);
}
std::string RunnerLoadCheckpoint(TrainSession* session, const TrainLabState& state,
                                 const std::string& bytes) {
  return session->LoadCheckpoint(state, bytes);
}

}  // namespace nnplay
