// dropout.h: dropout with keep probability p (E8), forward and backward.
//
// Shapes: x, y, mask, dy, dx all [n]. The mask holds 1 (kept) or 0 (dropped); unit i is
// kept when the i-th uniform number of Pcg32(seed) is < p, so a seed names a mask and
// native and wasm draw the same one.
//
//                 training                      test
//   standard:     y = m·x                       y = p·x
//   inverted:     y = m·x / p                   y = x
// Both keep E[y_train] = y_test. Backward ACCUMULATES: dx += dy·(the same factor).
// p must be in (0, 1]; p ≤ 0 drops everything (the inverted scale is then taken as 0, not
// 1/0) and p ≥ 1 keeps everything.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nnplay {

enum class DropoutKind { kStandard, kInverted };

// mask[i] = 1 with probability keep, else 0; deterministic in seed.
template <typename T>
void dropout_mask(uint64_t seed, T keep, T* mask, size_t n);

template <typename T>
void dropout_forward_train(DropoutKind kind, T keep, const T* x, const T* mask, T* y, size_t n);
template <typename T>
void dropout_backward_train(DropoutKind kind, T keep, const T* mask, const T* dy, T* dx, size_t n);

template <typename T>
void dropout_forward_test(DropoutKind kind, T keep, const T* x, T* y, size_t n);
template <typename T>
void dropout_backward_test(DropoutKind kind, T keep, const T* dy, T* dx, size_t n);

}  // namespace nnplay
