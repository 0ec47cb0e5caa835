// session.cpp: the training labs' shared session pieces. See session.h.
#include "labs/session.h"

#include <cstring>
#include <utility>

namespace nnplay {

// ---- bytes -------------------------------------------------------------------------------

uint32_t Crc32(const void* data, size_t n) {
  struct Table {
    uint32_t v[256];
    Table() {
      for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = c & 1u ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        v[i] = c;
      }
    }
  };
  static const Table kTable;  // made once, thread-safe
  const uint32_t* table = kTable.v;
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint64_t Fnv1a64(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

void ByteWriter::U16(uint16_t v) {
  U8(static_cast<uint8_t>(v & 0xFFu));
  U8(static_cast<uint8_t>(v >> 8));
}
void ByteWriter::U32(uint32_t v) {
  for (int i = 0; i < 4; ++i) U8(static_cast<uint8_t>((v >> (8 * i)) & 0xFFu));
}
void ByteWriter::U64(uint64_t v) {
  for (int i = 0; i < 8; ++i) U8(static_cast<uint8_t>((v >> (8 * i)) & 0xFFu));
}
void ByteWriter::F32(float v) {
  uint32_t bits = 0;
  std::memcpy(&bits, &v, 4);
  U32(bits);
}
void ByteWriter::F64(double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, 8);
  U64(bits);
}
void ByteWriter::Floats(const float* v, size_t n) {
  U32(static_cast<uint32_t>(n));
  out_.reserve(out_.size() + 4 * n);
  for (size_t i = 0; i < n; ++i) F32(v[i]);
}
void ByteWriter::Indices(const std::vector<int>& v) {
  bool narrow = true;
  for (int i : v) narrow = narrow && i >= 0 && i < 65536;
  U32(static_cast<uint32_t>(v.size()));
  U8(narrow ? 2 : 4);
  for (int i : v) {
    if (narrow) {
      U16(static_cast<uint16_t>(i));
    } else {
      U32(static_cast<uint32_t>(i));
    }
  }
}

bool ByteReader::Fail(const std::string& why) {
  if (error_.empty()) error_ = why;
  return false;
}

bool ByteReader::Take(size_t n, const char** at) {
  if (!ok()) return false;
  if (n > n_ - at_) return Fail("the checkpoint ends early (truncated)");
  *at = p_ + at_;
  at_ += n;
  return true;
}

bool ByteReader::Bytes(size_t n, std::string* out) {
  const char* at = nullptr;
  if (!Take(n, &at)) return false;
  out->assign(at, n);
  return true;
}

uint8_t ByteReader::U8() {
  const char* at = nullptr;
  return Take(1, &at) ? static_cast<uint8_t>(*at) : 0;
}
uint16_t ByteReader::U16() {
  const char* at = nullptr;
  if (!Take(2, &at)) return 0;
  return static_cast<uint16_t>(static_cast<unsigned char>(at[0]) | static_cast<unsigned char>(at[1])
                                                                       << 8);
}
uint32_t ByteReader::U32() {
  const char* at = nullptr;
  if (!Take(4, &at)) return 0;
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(at[i]);
  return v;
}
uint64_t ByteReader::U64() {
  const char* at = nullptr;
  if (!Take(8, &at)) return 0;
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(at[i]);
  return v;
}
float ByteReader::F32() {
  const uint32_t bits = U32();
  float v = 0;
  std::memcpy(&v, &bits, 4);
  return v;
}
double ByteReader::F64() {
  const uint64_t bits = U64();
  double v = 0;
  std::memcpy(&v, &bits, 8);
  return v;
}

bool ByteReader::Floats(size_t n, std::vector<float>* out, const char* what) {
  const uint32_t count = U32();
  if (!ok()) return false;
  if (count != n)
    return Fail(std::string(what) + ": " + std::to_string(count) +
                " values where this network has " + std::to_string(n));
  if (n > left() / 4) return Fail("the checkpoint ends early (truncated)");
  out->resize(n);
  for (size_t i = 0; i < n; ++i) (*out)[i] = F32();
  return ok();
}

bool ByteReader::IndicesUpTo(size_t most, int below, std::vector<int>* out, const char* what) {
  const uint32_t count = U32();
  const uint8_t width = U8();
  if (!ok()) return false;
  if (count > most)
    return Fail(std::string(what) + ": " + std::to_string(count) + " indices, at most " +
                std::to_string(most) + " expected");
  if (width != 2 && width != 4) return Fail(std::string(what) + ": unknown index width");
  if (count > left() / width) return Fail("the checkpoint ends early (truncated)");
  out->resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t v = width == 2 ? U16() : U32();
    if (v >= static_cast<uint32_t>(below))
      return Fail(std::string(what) + ": index " + std::to_string(v) + " is out of range");
    (*out)[i] = static_cast<int>(v);
  }
  return ok();
}

bool ByteReader::Indices(size_t n, int below, std::vector<int>* out, const char* what) {
  if (!IndicesUpTo(n, below, out, what)) return false;
  if (out->size() != n)
    return Fail(std::string(what) + ": " + std::to_string(out->size()) + " indices where " +
                std::to_string(n) + " are expected");
  return true;
}

// ---- the envelope ------------------------------------------------------------------------

namespace {
constexpr char kMagic[4] = {'N', 'N', 'C', 'K'};
constexpr size_t kHeader = 4 + 1 + 1 + 8 + 4 + 4;  // before the payload
}  // namespace

std::string SealCheckpoint(CheckpointLab lab, uint64_t setup, int steps,
                           const std::string& payload) {
  ByteWriter w;
  w.bytes().reserve(kHeader + payload.size() + 4);
  for (char c : kMagic) w.U8(static_cast<uint8_t>(c));
  w.U8(kCheckpointFormat);
  w.U8(static_cast<uint8_t>(lab));
  w.U64(setup);
  w.U32(static_cast<uint32_t>(steps));
  w.U32(static_cast<uint32_t>(payload.size()));
  w.bytes() += payload;
  w.U32(Crc32(w.bytes().data(), w.bytes().size()));
  return std::move(w.bytes());
}

std::string OpenCheckpoint(const std::string& bytes, CheckpointLab lab, uint64_t setup,
                           std::string* payload, int* steps) {
  if (bytes.size() > kMaxCheckpointBytes)
    return "the checkpoint has " + std::to_string(bytes.size()) + " bytes; at most " +
           std::to_string(kMaxCheckpointBytes) + " are read";
  if (bytes.size() < kHeader + 4 || std::memcmp(bytes.data(), kMagic, 4) != 0)
    return "not a checkpoint (it does not start with NNCK)";
  ByteReader r(bytes.data() + 4, bytes.size() - 4);
  const uint8_t format = r.U8(), which = r.U8();
  const uint64_t its_setup = r.U64();
  const uint32_t its_steps = r.U32(), length = r.U32();
  if (format != kCheckpointFormat)
    return "checkpoint format " + std::to_string(format) + " (this build reads format " +
           std::to_string(kCheckpointFormat) + ")";
  if (length != bytes.size() - kHeader - 4)
    return "the checkpoint's length says " + std::to_string(length) + " bytes, it has " +
           std::to_string(bytes.size() - kHeader - 4) + " (truncated or damaged)";
  ByteReader tail(bytes.data() + bytes.size() - 4, 4);
  if (tail.U32() != Crc32(bytes.data(), bytes.size() - 4))
    return "the checkpoint is damaged (its CRC does not match)";
  if (which != static_cast<uint8_t>(lab))
    return which == static_cast<uint8_t>(CheckpointLab::kCnn)     ? "a CNN lab checkpoint"
           : which == static_cast<uint8_t>(CheckpointLab::kTrain) ? "a training lab checkpoint"
                                                                  : "a checkpoint of no lab";
  if (its_setup != setup)
    return "the checkpoint is of another set-up (data, network or optimizer differ)";
  if (its_steps > 0x7FFFFFFFu) return "the checkpoint's step count is out of range";
  payload->assign(bytes.data() + kHeader, length);
  *steps = static_cast<int>(its_steps);
  return {};
}

// ---- the batch order ---------------------------------------------------------------------

void BatchSampler::Reset(size_t n, const Pcg32& rng) {
  rng_ = rng;
  order_.resize(n);
  for (size_t i = 0; i < n; ++i) order_[i] = static_cast<int>(i);
  cursor_ = n;  // the first draw shuffles
}

void BatchSampler::Shuffle() {
  for (size_t i = order_.size() - 1; i > 0; --i) {
    const size_t j = rng_.NextU32() % static_cast<uint32_t>(i + 1);
    std::swap(order_[i], order_[j]);
  }
  cursor_ = 0;
}

void BatchSampler::Save(ByteWriter* w) const {
  w->U64(rng_.state());
  w->U64(rng_.increment());
  w->U32(static_cast<uint32_t>(cursor_));
  w->Indices(order_);
}

bool BatchSampler::Load(ByteReader* r, size_t n, BatchSampler* out) {
  const uint64_t state = r->U64(), inc = r->U64();
  const uint32_t cursor = r->U32();
  BatchSampler s;
  if (!r->Indices(n, static_cast<int>(n), &s.order_, "the batch order")) return false;
  if (cursor > n) return r->Fail("the batch order's cursor is out of range");
  if ((inc & 1u) == 0) return r->Fail("the batch order's generator is invalid");
  std::vector<bool> seen(n, false);
  for (int i : s.order_) {
    if (seen[static_cast<size_t>(i)])
      return r->Fail("the batch order is not a permutation (an example twice)");
    seen[static_cast<size_t>(i)] = true;
  }
  s.rng_.Restore(state, inc);
  s.cursor_ = cursor;
  *out = std::move(s);
  return true;
}

// ---- what both labs' sessions do alike ---------------------------------------------------

void SaveRunPosition(ByteWriter* w, const BatchSampler& order, const std::vector<int>& last_batch,
                     float last_loss) {
  order.Save(w);
  w->Indices(last_batch);
  w->F32(last_loss);
}

bool LoadRunPosition(ByteReader* r, size_t examples, int batch, BatchSampler* order,
                     std::vector<int>* last_batch, float* last_loss) {
  if (!BatchSampler::Load(r, examples, order)) return false;
  if (!r->IndicesUpTo(static_cast<size_t>(batch), static_cast<int>(examples), last_batch,
                      "the last batch"))
    return false;
  *last_loss = r->F32();
  if (r->ok() && !last_batch->empty() && last_batch->size() != static_cast<size_t>(batch))
    return r->Fail("the last batch is out of range");
  return r->ok();
}

std::string CheckCheckpointSteps(const std::string& bytes, CheckpointLab lab, uint64_t key,
                                 int steps, std::string* payload) {
  int its = 0;
  if (std::string err = OpenCheckpoint(bytes, lab, key, payload, &its); !err.empty()) return err;
  if (its != steps)
    return "the checkpoint is after " + std::to_string(its) + " steps, the link says " +
           std::to_string(steps);
  return {};
}

}  // namespace nnplay
