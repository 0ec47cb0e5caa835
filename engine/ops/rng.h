// rng.h: a tiny deterministic random number generator for the engine (dropout masks,
// initialisation). PCG32 (XSH-RR, O'Neill 2014), seeded as the reference pcg32_srandom_r:
// the same seed gives the same numbers natively and in wasm, whatever the C++ library
// (std::uniform_real_distribution differs between libstdc++ and libc++).
#pragma once

#include <cstdint>

namespace nnplay {

class Pcg32 {
 public:
  explicit Pcg32(uint64_t seed, uint64_t stream = 54) {
    inc_ = (stream << 1u) | 1u;
    NextU32();
    state_ += seed;
    NextU32();
  }

  uint32_t NextU32() {
    const uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    const uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
    const uint32_t rot = static_cast<uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  }

  // Uniform in [0, 1): the top 24 bits, so every value is exact in float.
  float NextFloat01() { return static_cast<float>(NextU32() >> 8) * (1.0f / 16777216.0f); }

  // The generator's whole state (training checkpoints): Restore(state(), increment()) goes
  // on with the same numbers. The increment is odd.
  uint64_t state() const { return state_; }
  uint64_t increment() const { return inc_; }
  void Restore(uint64_t state, uint64_t increment) {
    state_ = state;
    inc_ = increment | 1u;
  }

 private:
  uint64_t state_ = 0;
  uint64_t inc_ = 0;
};

}  // namespace nnplay
