// finite.h: NaN / ±Inf detection. The ops do not check their inputs (a NaN in gives NaNs
// out, as IEEE arithmetic does); callers check inputs or outputs with these and report,
// so a non-finite value is shown to the learner instead of propagating silently.
#pragma once

#include <cstddef>
#include <string>

namespace nnplay {

// Index of the first NaN or ±Inf in x[0..n), or n when every value is finite.
size_t FirstNonFinite(const float* x, size_t n);
size_t FirstNonFinite(const double* x, size_t n);

inline bool AllFinite(const float* x, size_t n) {
  return FirstNonFinite(x, n) == n;
}
inline bool AllFinite(const double* x, size_t n) {
  return FirstNonFinite(x, n) == n;
}

// Empty when every value is finite, else the first offender, e.g. "logits[5] is nan".
std::string DescribeNonFinite(const char* name, const float* x, size_t n);

}  // namespace nnplay
