// session.h: what the two training labs' sessions (CnnSession in cnn_lab, TrainSession in
// train_lab) share: the batch order drawn from the rng and reshuffled every epoch, the loss
// history thinned to a bounded number of points, and the checkpoint's byte format.
//
// A checkpoint is the whole state of a training run as bytes (docs/link-format.md,
// "Checkpoints"): restoring it and stepping on gives exactly the bits the original session
// gives. Its envelope:
//
//   "NNCK"            magic, 4 bytes
//   u8  format        kCheckpointFormat (1)
//   u8  lab           CheckpointLab (1 cnn, 2 train)
//   u64 setup         FNV-1a of the set-up's canonical link (a checkpoint of another set-up
//                     is refused)
//   u32 steps         the training steps the state is after
//   u32 length        of the payload, then the payload (the lab's own fields)
//   u32 crc           CRC-32 (IEEE) of everything before it
//
// All integers little-endian, floats as their IEEE-754 bits. Every length read is checked
// against what is left (and against the lab's own bound) before anything is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "json.h"
#include "ops/rng.h"

namespace nnplay {

// ---- bytes -------------------------------------------------------------------------------

uint32_t Crc32(const void* data, size_t n);  // IEEE 802.3 (zlib's crc32)
uint64_t Fnv1a64(const std::string& text);

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v);
  void U32(uint32_t v);
  void U64(uint64_t v);
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void F32(float v);
  void F64(double v);
  // A count (u32), then the values.
  void Floats(const float* v, size_t n);
  void Floats(const std::vector<float>& v) { Floats(v.data(), v.size()); }
  // A count (u32), then each index as u16 when every one is below 65536, else u32 (a u8 says
  // which).
  void Indices(const std::vector<int>& v);
  void Bytes(const std::string& b) { out_ += b; }  // as they are, no count
  const std::string& bytes() const { return out_; }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads what ByteWriter writes. After the first failure every read returns 0 / false and
// error() says what went wrong first.
class ByteReader {
 public:
  ByteReader(const char* data, size_t n) : p_(data), n_(n) {}
  explicit ByteReader(const std::string& s) : ByteReader(s.data(), s.size()) {}
  uint8_t U8();
  uint16_t U16();
  uint32_t U32();
  uint64_t U64();
  int32_t I32() { return static_cast<int32_t>(U32()); }
  float F32();
  double F64();
  // Exactly `n` values (the count written must be n; n = 0 reads an empty array).
  bool Floats(size_t n, std::vector<float>* out, const char* what);
  // Exactly `n` indices, each in [0, below).
  bool Indices(size_t n, int below, std::vector<int>* out, const char* what);
  // Between 0 and `most` indices, each in [0, below).
  bool IndicesUpTo(size_t most, int below, std::vector<int>* out, const char* what);
  // The next `n` bytes as they are (false, *out unchanged, when fewer are left).
  bool Bytes(size_t n, std::string* out);
  bool Fail(const std::string& why);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t left() const { return n_ - at_; }

 private:
  bool Take(size_t n, const char** at);
  const char* p_;
  size_t n_, at_ = 0;
  std::string error_;
};

// ---- the envelope ------------------------------------------------------------------------

enum class CheckpointLab : uint8_t { kCnn = 1, kTrain = 2 };
constexpr uint8_t kCheckpointFormat = 1;
// The largest checkpoint read (a Fashion-MNIST network's is about 160 KB).
constexpr size_t kMaxCheckpointBytes = 4u << 20;

// The envelope around a lab's payload.
std::string SealCheckpoint(CheckpointLab lab, uint64_t setup, int steps,
                           const std::string& payload);
// Checks magic, format, lab, length, CRC and the set-up; on success *payload and *steps are the
// checkpoint's. Returns empty, or what is wrong.
std::string OpenCheckpoint(const std::string& bytes, CheckpointLab lab, uint64_t setup,
                           std::string* payload, int* steps);

// ---- the batch order ---------------------------------------------------------------------

// The order training examples are drawn in: a permutation of 0..n-1, shuffled (Fisher-Yates
// from the rng) every time it runs out, the first time before the first draw.
class BatchSampler {
 public:
  void Reset(size_t n, const Pcg32& rng);
  size_t Next() {
    if (cursor_ == order_.size()) Shuffle();
    return static_cast<size_t>(order_[cursor_++]);
  }
  // The next `batch` examples into *out (its capacity reserved: no allocation).
  void NextBatch(int batch, std::vector<int>* out) {
    out->resize(static_cast<size_t>(batch));
    for (int& i : *out) i = static_cast<int>(Next());
  }
  bool empty() const { return order_.empty(); }
  size_t size() const { return order_.size(); }
  void Clear() { order_.clear(), cursor_ = 0; }

  void Save(ByteWriter* w) const;
  // Reads what Save wrote for a sampler of n examples into *out (order a permutation of
  // 0..n-1, cursor at most n); false, with the reader's error set, when it is not.
  static bool Load(ByteReader* r, size_t n, BatchSampler* out);

 private:
  void Shuffle();
  Pcg32 rng_{1};
  std::vector<int> order_;
  size_t cursor_ = 0;
};

// ---- the history -------------------------------------------------------------------------

// Points recorded every `every()` steps; past `most` points every other one is dropped
// (steps 0, 2e, 4e, ... stay) and points come half as often.
template <class Point>
class History {
 public:
  void Reset(int most, int every) {
    most_ = most, every_ = every;
    points_.clear();
    points_.reserve(static_cast<size_t>(most) + 1);
  }
  bool Due(int steps) const { return steps % every_ == 0; }
  void Add(const Point& p) {
    points_.push_back(p);
    if (static_cast<int>(points_.size()) <= most_) return;
    size_t out = 0;
    for (size_t i = 0; i < points_.size(); i += 2) points_[out++] = points_[i];
    points_.resize(out);
    every_ *= 2;
  }
  const std::vector<Point>& points() const { return points_; }
  int every() const { return every_; }
  bool empty() const { return points_.empty(); }
  const Point& back() const { return points_.back(); }

  // Each point through `save(ByteWriter*, const Point&)`.
  template <class SaveFn>
  void Save(ByteWriter* w, SaveFn save) const {
    w->U32(static_cast<uint32_t>(every_));
    w->U32(static_cast<uint32_t>(points_.size()));
    for (const Point& p : points_) save(w, p);
  }
  // What Save wrote, each point through `load(ByteReader*, Point*)`: 1 to `most` points,
  // `every` first_every times a power of two (what thinning makes of it).
  template <class LoadFn>
  static bool Load(ByteReader* r, int most, int first_every, LoadFn load, History* out) {
    const uint32_t every = r->U32(), count = r->U32();
    if (!r->ok()) return false;
    const uint32_t first = static_cast<uint32_t>(first_every);
    const uint32_t ratio = every % first == 0 ? every / first : 0;
    if (ratio == 0 || ratio > (1u << 24) || (ratio & (ratio - 1)) != 0)
      return r->Fail("the history's interval is out of range");
    if (count < 1 || count > static_cast<uint32_t>(most))
      return r->Fail("the history holds " + std::to_string(count) + " points; 1 to " +
                     std::to_string(most) + " are allowed");
    out->Reset(most, static_cast<int>(every));
    for (uint32_t i = 0; i < count; ++i) {
      Point p;
      if (!load(r, &p) || !r->ok()) return r->ok() ? r->Fail("a history point is invalid") : false;
      out->points_.push_back(p);
    }
    return true;
  }

 private:
  std::vector<Point> points_;
  int most_ = 100, every_ = 1;
};

// ---- what both labs' sessions do alike ---------------------------------------------------
// CnnSession (cnn_lab.h) and TrainSession (train_lab.h), with their states: Reset, Step,
// steps(), SaveCheckpoint, LoadCheckpoint; a state's `steps` and `checkpoint`.

// Where a run is, saved and read alike by both labs' checkpoints: the batch order, the last
// batch (empty before the first step, else `batch` indices of the `examples`) and its loss.
void SaveRunPosition(ByteWriter* w, const BatchSampler& order, const std::vector<int>& last_batch,
                     float last_loss);
bool LoadRunPosition(ByteReader* r, size_t examples, int batch, BatchSampler* order,
                     std::vector<int>* last_batch, float* last_loss);

// The checkpoint's envelope checked against the state a link decodes to (its lab's key and
// its steps); *payload is the checkpoint's. Empty, or what is wrong.
std::string CheckCheckpointSteps(const std::string& bytes, CheckpointLab lab, uint64_t key,
                                 int steps, std::string* payload);

// Session::LoadCheckpoint: the envelope opened, then the payload restored by
// restore(session, payload, steps) into `self` when it holds `state`'s set-up (`same`), else
// into a session built aside for `state` and moved in only when all of it loaded.
template <class Session, class State, class RestoreFn>
std::string LoadSessionCheckpoint(Session* self, const State& state, const std::string& bytes,
                                  CheckpointLab lab, uint64_t key, bool same, RestoreFn restore) {
  std::string payload;
  int steps = 0;
  if (std::string err = OpenCheckpoint(bytes, lab, key, &payload, &steps); !err.empty()) return err;
  if (same) return restore(self, payload, steps);
  Session fresh;
  if (std::string err = fresh.Reset(state); !err.empty()) return err;
  if (std::string err = restore(&fresh, payload, steps); !err.empty()) return err;
  *self = std::move(fresh);
  return {};
}

// Opens a run: Reset(state), then state.checkpoint restored when state.steps is past `cap`
// (the replay cap), else state.steps replayed (a state reset to fewer steps keeps replaying).
// Returns empty, or what is wrong (a checkpoint that does not load leaves the session at
// step 0).
template <class Session, class State>
std::string OpenSessionRun(const State& state, Session* session, int cap) {
  if (std::string err = session->Reset(state); !err.empty()) return err;
  if (state.checkpoint.empty() || state.steps <= cap) {
    for (int i = 0; i < state.steps; ++i) session->Step();
    return {};
  }
  if (std::string err = session->LoadCheckpoint(state, state.checkpoint); !err.empty())
    return "ckpt: " + err;
  return {};
}

// The state a link of the session's run writes: `state` with the session's checkpoint when
// state.steps is past `cap` (the replay cap) and the session is at those steps, without one
// within the cap; a session elsewhere keeps state's own.
template <class Session, class State>
State LinkSessionState(const State& state, const Session& session, int cap) {
  State s = state;
  if (s.steps <= cap) {
    s.checkpoint.clear();
  } else if (session.steps() == s.steps) {
    std::string bytes = session.SaveCheckpoint();
    if (!bytes.empty()) s.checkpoint = std::move(bytes);
  }
  return s;
}

// Evaluate*Lab, after replaying the trace's first steps: the run restored from
// state.checkpoint when there is one (`restore`); a checkpoint that does not load leaves the
// session at step 0 and says why ("ckpt: ...").
template <class Session, class State>
std::string RestoreAfterTrace(const State& state, bool restore, Session* session) {
  if (!restore) return {};
  const std::string err = session->LoadCheckpoint(state, state.checkpoint);
  if (err.empty()) return {};
  session->Reset(state);
  return "ckpt: " + err;
}

// ---- the JSON both labs write ----------------------------------------------------------

// "history_every": every, "history": {"step": [...], then one array per field, in order}.
template <class Point>
void WriteHistoryJson(JsonWriter* j, const std::vector<Point>& history, int every,
                      std::initializer_list<std::pair<const char*, float Point::*>> fields) {
  j->Key("history_every").Int(every).Key("history").BeginObject();
  j->Key("step").BeginArray();
  for (const Point& p : history) j->Int(p.step);
  j->EndArray();
  for (const auto& [name, member] : fields) {
    j->Key(name).BeginArray();
    for (const Point& p : history) j->Number(p.*member);
    j->EndArray();
  }
  j->EndObject();
}

// "trace": the first steps, each {"step": its number, "batch": [the indices], "loss": the
// batch's loss, "weights": what weights(step.params) writes}.
template <class Step, class WeightsFn>
void WriteTraceJson(JsonWriter* j, const std::vector<Step>& trace, WeightsFn weights) {
  j->Key("trace").BeginArray();
  for (size_t t = 0; t < trace.size(); ++t) {
    const Step& step = trace[t];
    j->BeginObject().Key("step").Int(static_cast<long long>(t) + 1).Key("batch").BeginArray();
    for (int i : step.batch) j->Int(i);
    j->EndArray().Key("loss").Number(step.loss).Key("weights");
    weights(step.params);
    j->EndObject();
  }
  j->EndArray();
}

}  // namespace nnplay
