// finite.cpp: see finite.h.
#include "ops/finite.h"

#include <cmath>

namespace nnplay {

size_t FirstNonFinite(const float* x, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return i;
  return n;
}

size_t FirstNonFinite(const double* x, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return i;
  return n;
}

std::string DescribeNonFinite(const char* name, const float* x, size_t n) {
  const size_t i = FirstNonFinite(x, n);
  if (i == n) return {};
  const char* what = std::isnan(x[i]) ? "nan" : (x[i] > 0 ? "+inf" : "-inf");
  return std::string(name) + "[" + std::to_string(i) + "] is " + what;
}

}  // namespace nnplay
