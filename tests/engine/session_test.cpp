// session_test.cpp: the training labs' shared session pieces (labs/session.h) and their
// checkpoints: CRC-32 against its published check value, the byte reader's bounds, the batch
// order, and CnnSession / TrainSession checkpoints: a run saved past the replay cap and inside
// an epoch, restored into a fresh session, steps on bit for bit as the run that saved it;
// hostile checkpoints (truncated at every length, bit flips, another set-up, absurd lengths)
// are refused with a message and leave the session as it was.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "labs/cnn_lab.h"
#include "labs/registry.h"
#include "labs/session.h"
#include "labs/train_lab.h"

namespace nnplay {
namespace {

TEST(Session, Crc32MatchesItsCheckValue) {
  // The CRC-32/ISO-HDLC check value (the CRC of "123456789"), as zlib.crc32 gives it.
  EXPECT_EQ(Crc32("123456789", 9), 0xCBF43926u);
  EXPECT_EQ(Crc32("", 0), 0u);
  // python3 -c "import zlib; print(hex(zlib.crc32(b'The quick brown fox jumps over the lazy
  // dog')))"
  const char* fox = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(Crc32(fox, std::strlen(fox)), 0x414FA339u);
}

TEST(Session, ByteReaderChecksEveryLengthBeforeAllocating) {
  ByteWriter w;
  w.U32(0xFFFFFFFFu);  // a count of 4 billion floats, with nothing after it
  ByteReader r(w.bytes());
  std::vector<float> out;
  EXPECT_FALSE(r.Floats(0xFFFFFFFFu, &out, "x"));
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(r.error().empty());
  ByteReader r2(w.bytes());
  EXPECT_FALSE(r2.Floats(3, &out, "the weights"));  // the count is not the network's
  EXPECT_NE(r2.error().find("the weights"), std::string::npos) << r2.error();
  ByteWriter idx;
  idx.U32(1u << 30);
  idx.U8(2);
  ByteReader r3(idx.bytes());
  std::vector<int> ints;
  EXPECT_FALSE(r3.IndicesUpTo(1u << 31, 100, &ints, "order"));
  EXPECT_TRUE(ints.empty());
  // Round trip of every width.
  ByteWriter all;
  all.U8(7), all.U16(0xBEEF), all.U32(0xDEADBEEFu), all.U64(0x0123456789ABCDEFull);
  all.F32(-1.5f), all.F64(1e300);
  all.Indices({0, 5, 65535}), all.Indices({70000});
  ByteReader back(all.bytes());
  EXPECT_EQ(back.U8(), 7);
  EXPECT_EQ(back.U16(), 0xBEEF);
  EXPECT_EQ(back.U32(), 0xDEADBEEFu);
  EXPECT_EQ(back.U64(), 0x0123456789ABCDEFull);
  EXPECT_EQ(back.F32(), -1.5f);
  EXPECT_EQ(back.F64(), 1e300);
  EXPECT_TRUE(back.Indices(3, 65536, &ints, "a"));
  EXPECT_EQ(ints, (std::vector<int>{0, 5, 65535}));
  EXPECT_TRUE(back.Indices(1, 70001, &ints, "b"));
  EXPECT_EQ(ints, std::vector<int>{70000});
  EXPECT_EQ(back.left(), 0u);
  EXPECT_EQ(back.U8(), 0);  // past the end: 0 and an error
  EXPECT_FALSE(back.ok());
}

TEST(Session, BatchSamplerShufflesEveryEpochAndRestoresMidEpoch) {
  BatchSampler a;
  a.Reset(10, Pcg32(7, 3003));
  std::vector<int> epoch1, epoch2;
  for (int i = 0; i < 10; ++i) epoch1.push_back(static_cast<int>(a.Next()));
  std::vector<int> sorted = epoch1;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));  // each once an epoch
  for (int i = 0; i < 4; ++i) epoch2.push_back(static_cast<int>(a.Next()));
  ByteWriter w;
  a.Save(&w);
  ByteReader r(w.bytes());
  BatchSampler b;
  ASSERT_TRUE(BatchSampler::Load(&r, 10, &b)) << r.error();
  for (int i = 0; i < 25; ++i) EXPECT_EQ(a.Next(), b.Next()) << i;
  // An order that is no permutation, or of another size, is refused.
  ByteReader wrong(w.bytes());
  EXPECT_FALSE(BatchSampler::Load(&wrong, 11, &b));
  std::string bytes = w.bytes();
  bytes[8 + 8 + 4 + 4 + 1] = bytes[8 + 8 + 4 + 4 + 1 + 2];  // the first index made the second's
  ByteReader dup(bytes);
  EXPECT_FALSE(BatchSampler::Load(&dup, 10, &b));
  EXPECT_NE(dup.error().find("permutation"), std::string::npos) << dup.error();
}

TEST(Session, HistoryThinsToEveryOtherPoint) {
  History<int> h;
  h.Reset(4, 10);
  for (int step = 0; step <= 40; step += 10) h.Add(step);  // the 5th point thins
  EXPECT_EQ(h.points(), (std::vector<int>{0, 20, 40}));
  EXPECT_EQ(h.every(), 20);
  EXPECT_TRUE(h.Due(60));
  EXPECT_FALSE(h.Due(50));
}

// ---- CnnSession ----------------------------------------------------------------------------

bool SameBits(const float* a, const float* b, size_t n) {
  return std::memcmp(a, b, n * sizeof(float)) == 0;
}

// `session` reset to `s` and stepped n times (the set-up every test here starts from).
template <class Session, class State>
void Stepped(Session* session, const State& s, int n) {
  ASSERT_EQ(session->Reset(s), "");
  for (int i = 0; i < n; ++i) session->Step();
  ASSERT_EQ(session->steps(), n);  // no cap on a session
}

// A training lab checkpoint (of its default set-up, one step), for the CNN's refusals.
std::string TrainLabCheckpoint() {
  TrainSession train;
  Stepped(&train, TrainLabDefault(), 1);
  return train.SaveCheckpoint();
}

void ExpectSameCnn(CnnSession& a, CnnSession& b, const char* where) {
  ASSERT_EQ(a.steps(), b.steps()) << where;
  ASSERT_EQ(a.net().param_count(), b.net().param_count()) << where;
  EXPECT_TRUE(SameBits(a.net().params(), b.net().params(), a.net().param_count())) << where;
  EXPECT_EQ(a.last_batch(), b.last_batch()) << where;
  const float la = a.last_loss(), lb = b.last_loss();
  EXPECT_EQ(std::memcmp(&la, &lb, 4), 0) << where;
  CnnLabResult ra, rb;
  a.Measure(&ra);
  b.Measure(&rb);
  ASSERT_EQ(ra.history.size(), rb.history.size()) << where;
  EXPECT_EQ(ra.history_every, rb.history_every) << where;
  for (size_t i = 0; i < ra.history.size(); ++i) {
    EXPECT_EQ(ra.history[i].step, rb.history[i].step) << where;
    EXPECT_EQ(ra.history[i].train_loss, rb.history[i].train_loss) << where << " point " << i;
    EXPECT_EQ(ra.history[i].train_acc, rb.history[i].train_acc) << where;
    EXPECT_EQ(ra.history[i].test_loss, rb.history[i].test_loss) << where;
    EXPECT_EQ(ra.history[i].test_acc, rb.history[i].test_acc) << where;
  }
  EXPECT_EQ(ra.test_loss, rb.test_loss) << where;
  EXPECT_EQ(ra.confusion, rb.confusion) << where;
  EXPECT_EQ(a.SaveCheckpoint(), b.SaveCheckpoint()) << where;
}

// Saves `s` after n steps, restores it into a fresh session (and into one holding another
// set-up), then steps all of them 50 more, comparing after every step. *every: the history's
// interval at step n.
void CheckCnnResume(const CnnLabState& s, int n, int* every = nullptr) {
  CnnSession original;
  Stepped(&original, s, n);
  if (every) {
    CnnLabResult r;
    original.Measure(&r, false);
    *every = r.history_every;
  }
  const std::string bytes = original.SaveCheckpoint();
  ASSERT_FALSE(bytes.empty());
  CnnSession fresh, other;
  EXPECT_EQ(fresh.LoadCheckpoint(s, bytes), "");
  CnnLabState elsewhere = s;
  elsewhere.seed = s.seed + 1, elsewhere.lr = s.lr * 2;
  Stepped(&other, elsewhere, 1);
  EXPECT_EQ(other.LoadCheckpoint(s, bytes), "");  // resets to s's set-up, then restores
  ExpectSameCnn(original, fresh, "restored");
  ExpectSameCnn(original, other, "restored over another set-up");
  for (int i = 0; i < 50; ++i) {
    original.Step(), fresh.Step(), other.Step();
    ASSERT_TRUE(
        SameBits(original.net().params(), fresh.net().params(), original.net().param_count()))
        << "step " << n + i + 1;
    ASSERT_EQ(original.last_loss(), fresh.last_loss());
    ASSERT_EQ(original.last_loss(), other.last_loss());
  }
  ExpectSameCnn(original, fresh, "after 50 more steps");
  ExpectSameCnn(original, other, "after 50 more steps, the other");
  // Loading it back into the session that went on (the same set-up) takes it back to step n.
  EXPECT_EQ(original.LoadCheckpoint(s, bytes), "");
  EXPECT_EQ(original.steps(), n);
  EXPECT_EQ(original.SaveCheckpoint(), bytes);
}

TEST(CnnCheckpoint, RunPastTheReplayCapResumesBitIdentically) {
  // The smallest network at batch 32 (the replay's per-image cost dominates): a cap of 1667
  // steps (6.5e9 / ((6144 + 30000) * (3 * 32 + 6.4) + 2 * 64 * 1540)), SGD with momentum and
  // weight decay. Past 1,000 steps the history has thinned (every 20 steps).
  CnnLabState s = CnnLabDefault();
  s.f1 = 2, s.k = 3, s.batch = 32, s.opt = CnnOptimizer::kSgd, s.momentum = 0.9f, s.lr = 0.02f;
  s.decay = 0.001f;
  const int cap = CnnMaxSteps(s);
  ASSERT_EQ(cap, 1667);
  CnnSession session;
  ASSERT_EQ(session.Reset(s), "");
  EXPECT_EQ(session.max_steps(), cap);
  const int n = cap + 14;  // past the cap; 32 * 1681 is no multiple of 192: inside an epoch
  ASSERT_NE((n * s.batch) % CnnTrainCount(s.data), 0);
  int every = 0;
  CheckCnnResume(s, n, &every);
  EXPECT_EQ(every, 20);
}

TEST(CnnCheckpoint, AdamAndPlainSgdResumeInsideAnEpoch) {
  CnnLabState s = CnnLabDefault();  // Adam
  s.f1 = 2, s.k = 3, s.batch = 5, s.decay = 0.01f;
  CheckCnnResume(s, 61);  // 305 images: inside the second epoch
  CheckCnnResume(s, 0);
  s.opt = CnnOptimizer::kSgd, s.momentum = 0, s.decay = 0;  // no velocity saved
  CheckCnnResume(s, 37);
}

// The fixture of the hostile checkpoints: a checkpoint of the smallest network at step 31
// (about 7 KB), and the session it came from, gone on to step 54.
class CnnHostileCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    s = CnnLabDefault();
    s.f1 = 2, s.k = 3, s.batch = 4;
    Stepped(&session, s, 31);
    bytes = session.SaveCheckpoint();
    for (int i = 0; i < 23; ++i) session.Step();  // on to step 54
    before = session.SaveCheckpoint();
  }
  // Refused with a message, the session as it was.
  void ExpectRefused(const std::string& hostile, const std::string& what,
                     const std::string& says = "") {
    const std::string err = session.LoadCheckpoint(s, hostile);
    EXPECT_FALSE(err.empty()) << what;
    if (!says.empty()) {
      EXPECT_NE(err.find(says), std::string::npos) << what << ": " << err;
    }
    ASSERT_EQ(session.steps(), 54) << what;
    ASSERT_TRUE(session.SaveCheckpoint() == before) << what;
  }

  CnnLabState s;
  CnnSession session;
  std::string bytes, before;
};

TEST_F(CnnHostileCheckpoint, TruncatedAtEveryLengthIsRefused) {
  ASSERT_LT(bytes.size(), 12000u);
  for (size_t len = 0; len < bytes.size(); ++len)
    ExpectRefused(bytes.substr(0, len), "truncated to " + std::to_string(len));
  ExpectRefused(bytes + "x", "a byte more");
  // And the whole one restores.
  EXPECT_EQ(session.LoadCheckpoint(s, bytes), "");
  EXPECT_EQ(session.steps(), 31);
}

TEST_F(CnnHostileCheckpoint, EverySingleBitFlipIsRefused) {
  // CRC-32 detects every single-bit error; every bit of the header and the first and last
  // 256 bytes, and every 13th bit between.
  const size_t bits = bytes.size() * 8;
  for (size_t b = 0; b < bits; ++b) {
    if (b >= 256 * 8 && b + 256 * 8 < bits && b % 13 != 0) continue;
    std::string flipped = bytes;
    flipped[b / 8] = static_cast<char>(flipped[b / 8] ^ (1 << (b % 8)));
    ExpectRefused(flipped, "bit " + std::to_string(b));
  }
}

TEST_F(CnnHostileCheckpoint, AnotherSetupOrLabIsRefused) {
  CnnLabState other = s;
  other.lr = 0.02f;
  const std::string err = session.LoadCheckpoint(other, bytes);
  EXPECT_NE(err.find("another set-up"), std::string::npos) << err;
  EXPECT_EQ(session.steps(), 54);
  other = s;
  other.noise = 0.2f;
  EXPECT_FALSE(session.LoadCheckpoint(other, bytes).empty());
  // The drawing and the steps are not the set-up: a link's own drawing opens with it.
  other = s;
  other.steps = 999;
  other.draw = Tensor({16, 16});
  other.draw.data()[3] = 1.0f;
  EXPECT_EQ(session.LoadCheckpoint(other, bytes), "");
  EXPECT_EQ(session.steps(), 31);
  // A training lab checkpoint.
  CnnSession fresh;
  EXPECT_NE(fresh.LoadCheckpoint(s, TrainLabCheckpoint()).find("training lab"), std::string::npos);
  EXPECT_EQ(fresh.steps(), 0);
  EXPECT_TRUE(fresh.SaveCheckpoint().empty());  // never built: nothing to save
  EXPECT_FALSE(fresh.LoadCheckpoint(s, "").empty());
  EXPECT_FALSE(fresh.LoadCheckpoint(s, std::string(5u << 20, 'N')).empty());
}

TEST_F(CnnHostileCheckpoint, ValidEnvelopeWithAbsurdLengthsIsRefused) {
  const uint64_t key = CnnSetupKey(s);
  auto sealed = [&](const ByteWriter& w) {
    return SealCheckpoint(CheckpointLab::kCnn, key, 7, w.bytes());
  };
  {
    ByteWriter w;  // 4 billion weights
    w.U32(0xFFFFFFFFu);
    ExpectRefused(sealed(w), "weights count", "the weights");
  }
  const size_t n = session.net().param_count();
  std::vector<float> zeros(n, 0.0f);
  auto weights_and_adam = [&](ByteWriter* w) {
    w->Floats(zeros), w->U64(3), w->Floats(zeros), w->Floats(zeros);
  };
  {
    ByteWriter w;  // an order of 2^31 indices
    weights_and_adam(&w);
    w.U64(1), w.U64(1), w.U32(0), w.U32(0x80000000u), w.U8(4);
    ExpectRefused(sealed(w), "order count", "batch order");
  }
  {
    ByteWriter w;  // a cursor past the order
    weights_and_adam(&w);
    std::vector<int> order(192);
    for (int i = 0; i < 192; ++i) order[static_cast<size_t>(i)] = i;
    w.U64(1), w.U64(1), w.U32(193), w.Indices(order);
    ExpectRefused(sealed(w), "cursor", "cursor");
  }
  {
    ByteWriter w;  // a last batch of 1,000 indices, and one out of range
    weights_and_adam(&w);
    std::vector<int> order(192);
    for (int i = 0; i < 192; ++i) order[static_cast<size_t>(i)] = i;
    w.U64(1), w.U64(1), w.U32(0), w.Indices(order);
    ByteWriter w2 = w;
    w.Indices(std::vector<int>(1000, 0));
    ExpectRefused(sealed(w), "last batch", "last batch");
    w2.Indices({0, 1, 2, 500});
    ExpectRefused(sealed(w2), "index", "out of range");
  }
  // The genuine payload ends with the history: every, count, then 4 points (steps 0, 10, 20,
  // 30) of 20 bytes.
  std::string payload;
  int steps = 0;
  ASSERT_EQ(OpenCheckpoint(bytes, CheckpointLab::kCnn, key, &payload, &steps), "");
  EXPECT_EQ(steps, 31);
  const size_t at = payload.size() - 4 * 20 - 8;
  auto with = [&](size_t offset, uint32_t v) {
    std::string p = payload;
    for (int i = 0; i < 4; ++i)
      p[offset + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
    return SealCheckpoint(CheckpointLab::kCnn, key, steps, p);
  };
  EXPECT_EQ(session.LoadCheckpoint(s, with(at, 10)), "");  // unchanged: restores
  session = CnnSession();
  Stepped(&session, s, 54);
  ExpectRefused(with(at + 4, 0x80000000u), "history count", "history");
  ExpectRefused(with(at + 4, 0), "no history", "history");
  ExpectRefused(with(at, 3), "history interval", "interval");
  ExpectRefused(with(at, 0), "history interval 0", "interval");
  ExpectRefused(SealCheckpoint(CheckpointLab::kCnn, key, steps, payload + "tail"), "trailing",
                "after its end");
}

// ---- TrainSession ----------------------------------------------------------------------------

void ExpectSameTrain(TrainSession& a, TrainSession& b, const char* where) {
  ASSERT_EQ(a.steps(), b.steps()) << where;
  ASSERT_EQ(a.param_count(), b.param_count()) << where;
  EXPECT_TRUE(SameBits(a.params(), b.params(), static_cast<size_t>(a.param_count()))) << where;
  EXPECT_EQ(a.last_batch(), b.last_batch()) << where;
  const float la = a.last_loss(), lb = b.last_loss();
  EXPECT_EQ(std::memcmp(&la, &lb, 4), 0) << where;
  TrainLabResult ra, rb;
  a.Measure(&ra);
  b.Measure(&rb);
  ASSERT_EQ(ra.history.size(), rb.history.size()) << where;
  EXPECT_EQ(ra.history_every, rb.history_every) << where;
  for (size_t i = 0; i < ra.history.size(); ++i) {
    EXPECT_EQ(ra.history[i].step, rb.history[i].step) << where;
    EXPECT_EQ(ra.history[i].train_loss, rb.history[i].train_loss) << where;
    EXPECT_EQ(ra.history[i].test_loss, rb.history[i].test_loss) << where;
  }
  ASSERT_EQ(ra.grad_norms.size(), rb.grad_norms.size()) << where;
  for (size_t i = 0; i < ra.grad_norms.size(); ++i)
    EXPECT_EQ(ra.grad_norms[i].norm, rb.grad_norms[i].norm) << where;
  EXPECT_EQ(ra.grid, rb.grid) << where;
  EXPECT_EQ(ra.confusion, rb.confusion) << where;
  EXPECT_EQ(a.SaveCheckpoint(), b.SaveCheckpoint()) << where;
}

// Saves `s` after n steps, restores it into a fresh session and one holding another set-up,
// then steps all three 50 more (edits after n apply in all), comparing after every step.
// *every: the history's interval at step n.
void CheckTrainResume(const TrainLabState& s, int n, int* every = nullptr) {
  TrainSession original;
  Stepped(&original, s, n);
  if (every) {
    TrainLabResult r;
    original.Measure(&r);
    *every = r.history_every;
  }
  const std::string bytes = original.SaveCheckpoint();
  ASSERT_FALSE(bytes.empty());
  TrainSession fresh, other;
  EXPECT_EQ(fresh.LoadCheckpoint(s, bytes), "");
  TrainLabState elsewhere = s;
  elsewhere.seed = s.seed + 1, elsewhere.layers = {3};
  Stepped(&other, elsewhere, 1);
  EXPECT_EQ(other.LoadCheckpoint(s, bytes), "");
  ExpectSameTrain(original, fresh, "restored");
  ExpectSameTrain(original, other, "restored over another set-up");
  for (int i = 0; i < 50; ++i) {
    original.Step(), fresh.Step(), other.Step();
    ASSERT_TRUE(
        SameBits(original.params(), fresh.params(), static_cast<size_t>(original.param_count())))
        << "step " << n + i + 1;
    ASSERT_TRUE(
        SameBits(original.params(), other.params(), static_cast<size_t>(original.param_count())))
        << "step " << n + i + 1;
  }
  ExpectSameTrain(original, fresh, "after 50 more steps");
  ExpectSameTrain(original, other, "after 50 more steps, the other");
}

TEST(TrainCheckpoint, LongRunsWithEditsResumeBitIdentically) {
  // Spiral, two layers, Adam with L1; weights typed in before and after the checkpoint.
  TrainLabState s = TrainLabDefault();
  s.data = TrainDataKind::kSpiral, s.layers = {6, 5}, s.batch = 7, s.reg = TrainReg::kL1;
  s.rate = 0.003f;
  s.edits = {{0, 1, 0.5f}, {400, 3, -0.25f}, {1710, 7, 1.5f}, {1720, 2, 0.0f}};
  s.steps = 1750;
  int every = 0;
  CheckTrainResume(s, 1701, &every);
  EXPECT_EQ(every, 16);  // thinned at 200, 400, 800 and 1600 points' worth of steps
  // SGD with momentum and L2, and plain SGD with squared error (Playground's set-up).
  s.opt = TrainOptimizer::kSgd, s.momentum = 0.8f, s.reg = TrainReg::kL2;
  CheckTrainResume(s, 333);
  s.momentum = 0, s.loss = TrainLoss::kSquared, s.init = TrainInit::kUniform;
  CheckTrainResume(s, 41);
  CheckTrainResume(s, 0);
}

TEST(TrainCheckpoint, HostileCheckpointsAreRefusedAndChangeNothing) {
  TrainLabState s = TrainLabDefault();
  s.edits = {{5, 2, 0.75f}};
  s.steps = 20;
  TrainSession session;
  Stepped(&session, s, 20);
  const std::string bytes = session.SaveCheckpoint();
  for (int i = 0; i < 9; ++i) session.Step();
  const std::string before = session.SaveCheckpoint();
  auto refused = [&](const TrainLabState& state, const std::string& hostile,
                     const std::string& what) {
    EXPECT_FALSE(session.LoadCheckpoint(state, hostile).empty()) << what;
    ASSERT_EQ(session.steps(), 29) << what;
    ASSERT_TRUE(session.SaveCheckpoint() == before) << what;
  };
  for (size_t len = 0; len < bytes.size(); ++len)
    refused(s, bytes.substr(0, len), "truncated to " + std::to_string(len));
  for (size_t b = 0; b < bytes.size() * 8; ++b) {
    std::string flipped = bytes;
    flipped[b / 8] = static_cast<char>(flipped[b / 8] ^ (1 << (b % 8)));
    refused(s, flipped, "bit " + std::to_string(b));
  }
  TrainLabState other = s;
  other.lr = 0.1f;
  refused(other, bytes, "another learning rate");
  other = s;
  other.added = {{1, 1, 0}};
  refused(other, bytes, "a point added");
  other = s;
  other.edits = {{5, 2, 0.5f}};  // another value typed in at step 5
  const std::string err = session.LoadCheckpoint(other, bytes);
  EXPECT_NE(err.find("edits"), std::string::npos) << err;
  refused(other, bytes, "other edits");
  // A CNN checkpoint, and a state whose later edits differ (those are not applied yet).
  CnnSession cnn;
  CnnLabState c = CnnLabDefault();
  c.f1 = 2, c.k = 3;
  ASSERT_EQ(cnn.Reset(c), "");
  refused(s, cnn.SaveCheckpoint(), "a CNN checkpoint");
  other = s;
  other.edits.push_back({25, 0, 2.0f});
  EXPECT_EQ(session.LoadCheckpoint(other, bytes), "");
  EXPECT_EQ(session.steps(), 20);
  for (int i = 0; i < 5; ++i) session.Step();
  EXPECT_EQ(session.params()[0], 2.0f);  // the edit of step 25 applied on the way
}

// ---- links past the replay cap (ckpt) -------------------------------------------------------
// A run past the cap takes thousands of steps (a second of the page's work by design), too
// many for these tests under the sanitizers: the CheckpointResumes tests above step past it,
// and here a short run's checkpoint is sealed again with a step count past the cap (its
// payload, the weights and the rest, unchanged), which is a valid checkpoint of that many
// steps.

template <class State, class Decode>
bool DecodeAs(const std::string& text, Decode decode, State* state, LinkError* error,
              size_t limit = kMaxLinkLength) {
  Link link;
  return ParseLink(text, &link, error, limit) && decode(link, state, error);
}

std::string Resealed(const std::string& bytes, CheckpointLab lab, uint64_t key, int steps) {
  std::string payload;
  int old = 0;
  EXPECT_EQ(OpenCheckpoint(bytes, lab, key, &payload, &old), "");
  return SealCheckpoint(lab, key, steps, payload);
}

// The smallest CNN with plain SGD (no velocity): its checkpoint fits a link.
CnnLabState SmallCnn() {
  CnnLabState s = CnnLabDefault();
  s.f1 = 2, s.k = 3, s.batch = 32, s.opt = CnnOptimizer::kSgd, s.momentum = 0, s.lr = 0.05f;
  return s;
}

// The fixture of the CNN's checkpoint links: a session of SmallCnn() after 45 steps, its
// checkpoint sealed as one of cap + 3 steps, and the state of that link.
class CnnCkptLink : public ::testing::Test {
 protected:
  CnnLabState s = SmallCnn();
  CnnSession session;
  int cap = CnnMaxSteps(s);
  void SetUp() override {
    Stepped(&session, s, 45);
    s.steps = cap + 3;
    EXPECT_EQ(session.LoadCheckpoint(s, Resealed(session.SaveCheckpoint(), CheckpointLab::kCnn,
                                                 CnnSetupKey(s), s.steps)),
              "");
    EXPECT_EQ(session.steps(), cap + 3);
  }
};

TEST_F(CnnCkptLink, RunPastTheCapTravelsInItsLinkAndOpensToTheSameNetwork) {
  // Within the cap a link has no checkpoint; past it the link state carries the session's.
  EXPECT_TRUE(CnnLinkState(CnnLabDefault(), session).checkpoint.empty());
  const CnnLabState linked = CnnLinkState(s, session);
  ASSERT_EQ(linked.checkpoint, session.SaveCheckpoint());
  const std::string text = EncodeCnnLab(linked);
  const size_t at = text.find("&ckpt=");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(text.substr(at + 6), EncodeBase64Url(linked.checkpoint));  // last, base64url
  EXPECT_LE(text.size(), kMaxLinkLength) << text.size();
  CnnLabState back;
  LinkError error;
  ASSERT_TRUE(DecodeAs(text, DecodeCnnLab, &back, &error)) << error.ToString();
  EXPECT_TRUE(back == linked);
  EXPECT_EQ(EncodeCnnLab(back), text);
  // Opening it (what the page and `nnplay eval` do) is the session that made it, bit for bit.
  const CnnLabResult r = EvaluateCnnLab(back);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.steps, cap + 3);
  CnnLabResult m;
  session.Measure(&m);
  session.Probe(back.draw, &m);
  ASSERT_EQ(r.params.size(), static_cast<size_t>(session.net().num_param_tensors()));
  size_t offset = 0;
  for (const CnnParamTensor& t : r.params) {
    EXPECT_TRUE(SameBits(t.values.data(), session.net().params() + offset, t.values.size()));
    offset += t.values.size();
  }
  EXPECT_EQ(r.test_loss, m.test_loss);
  EXPECT_EQ(r.confusion, m.confusion);
  EXPECT_EQ(r.probs, m.probs);
  ASSERT_EQ(r.history.size(), m.history.size());
  for (size_t i = 0; i < r.history.size(); ++i)
    EXPECT_EQ(r.history[i].train_loss, m.history[i].train_loss);
  // The trace still comes from the seed: the replay's first steps.
  CnnLabState first = s;
  first.steps = static_cast<int>(r.trace.size());
  first.checkpoint.clear();
  const CnnLabResult replayed = EvaluateCnnLab(first);
  ASSERT_FALSE(r.trace.empty());
  ASSERT_EQ(r.trace.size(), replayed.trace.size());
  EXPECT_EQ(r.trace.back().batch, replayed.trace.back().batch);
  EXPECT_EQ(r.trace.back().params.back().values, replayed.trace.back().params.back().values);
  // CnnOpenRun (the page's Restart) restores the same run, and steps on from it.
  CnnSession opened;
  EXPECT_EQ(CnnOpenRun(back, &opened), "");
  EXPECT_EQ(opened.SaveCheckpoint(), linked.checkpoint);
  opened.Step(), session.Step();
  EXPECT_EQ(opened.SaveCheckpoint(), session.SaveCheckpoint());
  // A state reset to step 0 (the view's Reset) replays, whatever checkpoint it still holds.
  CnnLabState reset = back;
  reset.steps = 0;
  EXPECT_EQ(CnnOpenRun(reset, &opened), "");
  EXPECT_EQ(opened.steps(), 0);
}

TEST_F(CnnCkptLink, LinksRefuseAMissingWrongOrNeedlessCheckpoint) {
  const std::string good = EncodeCnnLab(CnnLinkState(s, session));
  const std::string bare = good.substr(0, good.find("&ckpt="));
  CnnLabState out;
  LinkError error;
  auto refused = [&](const std::string& text, const std::string& field, const std::string& says) {
    EXPECT_FALSE(DecodeAs(text, DecodeCnnLab, &out, &error)) << says;
    EXPECT_EQ(error.field, field) << error.ToString();
    EXPECT_NE(error.message.find(says), std::string::npos) << error.ToString();
  };
  refused(bare, "steps", "at most " + std::to_string(cap));  // past the cap, no checkpoint
  // Within the cap: replayed, so no checkpoint.
  const std::string steps = "&steps=" + std::to_string(cap + 3);
  std::string within = good;
  within.replace(within.find(steps), steps.size(), "&steps=" + std::to_string(cap));
  refused(within, "ckpt", "leave ckpt out");
  // The checkpoint of another step count, of another set-up, damaged, not base64url.
  std::string later = good;
  later.replace(later.find(steps), steps.size(), "&steps=" + std::to_string(cap + 4));
  refused(later, "ckpt", "after " + std::to_string(cap + 3) + " steps");
  std::string other = good;
  other.replace(other.find("&seed=1&"), 8, "&seed=2&");
  refused(other, "ckpt", "another set-up");
  std::string damaged = good;
  damaged[damaged.size() - 40] = damaged[damaged.size() - 40] == 'A' ? 'B' : 'A';
  refused(damaged, "ckpt", "CRC");
  refused(good + "!", "ckpt", "base64url");
  refused(bare + "&ckpt=", "ckpt", "not a checkpoint");
  // A training lab checkpoint in a cnn link.
  refused(bare + "&ckpt=" + EncodeBase64Url(TrainLabCheckpoint()), "ckpt", "training lab");
  // The drawing is not part of the set-up: a new drawing keeps the checkpoint valid.
  CnnLabState drawn = CnnLinkState(s, session);
  drawn.draw.data()[17] = 1.0f;
  ASSERT_TRUE(DecodeAs(EncodeCnnLab(drawn), DecodeCnnLab, &out, &error)) << error.ToString();
  EXPECT_EQ(out.draw, drawn.draw);
  // A state past the cap whose session is elsewhere (Fashion-MNIST still on its way) keeps
  // its own checkpoint.
  CnnSession elsewhere;
  EXPECT_EQ(CnnLinkState(drawn, elsewhere).checkpoint, drawn.checkpoint);
}

TEST(CkptLink, PresetCheckpointsAreLongerThanAnAddressBarAndOpenFromAStateFile) {
  // The bars preset (Adam: weights, m and v) past its cap: more than the 8,192 characters an
  // address bar may hold, so it travels in the exported state file, held to 1,048,576.
  CnnLabState s = CnnLabDefault();
  CnnSession session;
  Stepped(&session, s, 12);
  s.steps = CnnMaxSteps(s) + 1;
  ASSERT_EQ(session.LoadCheckpoint(s, Resealed(session.SaveCheckpoint(), CheckpointLab::kCnn,
                                               CnnSetupKey(s), s.steps)),
            "");
  const CnnLabState linked = CnnLinkState(s, session);
  const std::string text = EncodeCnnLab(linked);
  // 1,132 parameters x 3 x 4 bytes, the order (192 x 2), a history of 2 points.
  EXPECT_GT(linked.checkpoint.size(), 1132u * 12);
  EXPECT_LT(linked.checkpoint.size(), 1132u * 12 + 600);
  EXPECT_GT(text.size(), kMaxLinkLength);
  CnnLabState back;
  LinkError error;
  EXPECT_FALSE(DecodeAs(text, DecodeCnnLab, &back, &error));  // as an address bar's link
  ASSERT_TRUE(DecodeAs(text, DecodeCnnLab, &back, &error, 1 << 20)) << error.ToString();
  EXPECT_TRUE(back == linked);
  std::string json;
  EXPECT_FALSE(EvalLinkToJson(text, &json, &error));
  ASSERT_TRUE(EvalLinkToJson(text, &json, &error, 1 << 20)) << error.ToString();
  EXPECT_NE(json.find("\"steps\":" + std::to_string(s.steps)), std::string::npos);
}

TEST(CkptLink, TrainRunPastTheCapTravelsInItsLinkWithItsEdits) {
  TrainLabState s = TrainLabDefault();  // circle, 4-4, Adam
  s.edits = {{3, 1, 0.25f}, {30, 2, -0.5f}};
  s.steps = 40;
  TrainSession session;
  Stepped(&session, s, 40);
  // Within the cap: no checkpoint, and a ckpt is refused.
  EXPECT_TRUE(TrainLinkState(s, session).checkpoint.empty());
  TrainLabState out;
  LinkError error;
  const std::string bytes = session.SaveCheckpoint();
  EXPECT_FALSE(DecodeAs(EncodeTrainLab(s) + "&ckpt=" + EncodeBase64Url(bytes), DecodeTrainLab, &out,
                        &error));
  EXPECT_EQ(error.field, "ckpt");
  EXPECT_NE(error.message.find("leave ckpt out"), std::string::npos) << error.ToString();
  // Past it (resealed): the link carries it, opens to the same network and refuses a
  // change to the edits already applied.
  const int cap = TrainMaxSteps(s);
  s.steps = cap + 5;
  ASSERT_EQ(
      session.LoadCheckpoint(s, Resealed(bytes, CheckpointLab::kTrain, TrainSetupKey(s), s.steps)),
      "");
  const TrainLabState linked = TrainLinkState(s, session);
  ASSERT_FALSE(linked.checkpoint.empty());
  const std::string text = EncodeTrainLab(linked);
  EXPECT_LE(text.size(), kMaxLinkLength) << text.size();
  ASSERT_TRUE(DecodeAs(text, DecodeTrainLab, &out, &error)) << error.ToString();
  EXPECT_TRUE(out == linked);
  const TrainLabResult r = EvaluateTrainLab(out);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.steps, cap + 5);
  EXPECT_TRUE(SameBits(r.params.data(), session.params(), r.params.size()));
  EXPECT_EQ(r.trace.size(), static_cast<size_t>(TrainLabLimits::kTraceSteps));
  TrainLabResult m;
  session.Measure(&m);
  EXPECT_EQ(r.grid, m.grid);
  EXPECT_EQ(r.grad_norms[0].norm, m.grad_norms[0].norm);
  const std::string bare = text.substr(0, text.find("&ckpt="));
  EXPECT_FALSE(DecodeAs(bare, DecodeTrainLab, &out, &error));
  EXPECT_EQ(error.field, "steps");
  std::string edited = text;
  edited.replace(edited.find("30,2,-0.5"), 9, "30,2,-0.4");
  EXPECT_FALSE(DecodeAs(edited, DecodeTrainLab, &out, &error));
  EXPECT_EQ(error.field, "ckpt");
  EXPECT_NE(error.message.find("edits"), std::string::npos) << error.ToString();
  TrainSession opened;
  EXPECT_EQ(TrainOpenRun(linked, &opened), "");
  EXPECT_EQ(opened.SaveCheckpoint(), linked.checkpoint);
}

}  // namespace
}  // namespace nnplay
