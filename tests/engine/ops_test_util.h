// ops_test_util.h: helpers shared by the ops tests: seeded random data (the engine's own
// PCG32, so native and wasm runs draw the same numbers), central finite differences, and
// element-wise comparisons whose failure message names the index, the expected and the
// actual value.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "ops/rng.h"

namespace nnplay {
namespace testing {

template <typename T = double>
std::vector<T> RandomVector(uint64_t seed, size_t n, double lo = -1.0, double hi = 1.0) {
  Pcg32 rng(seed, 7);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(lo + (hi - lo) * static_cast<double>(rng.NextFloat01()));
  return v;
}

// n floats in [-2, 2) from *rng (the kernels' tests: each test draws its operands in turn).
inline std::vector<float> RandomFloats(size_t n, Pcg32* rng) {
  std::vector<float> v(n);
  for (float& x : v) x = rng->NextFloat01() * 4.0f - 2.0f;
  return v;
}

// Σ g_i y_i: a scalar "loss" whose gradient with respect to y is g.
inline double Dot(const std::vector<double>& y, const std::vector<double>& g) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += y[i] * g[i];
  return s;
}

// Compares analytic[i] with the central difference (L(x + h e_i) − L(x − h e_i)) / 2h of
// loss() for every i; loss() reads *x. In double precision the difference is accurate to
// ~1e-10 for the smooth functions here, so a tolerance of 1e-6 still catches any real
// error in a backward pass.
inline void ExpectGradientMatches(const char* what, std::vector<double>* x,
                                  const std::function<double()>& loss,
                                  const std::vector<double>& analytic, double h = 1e-5,
                                  double tol = 1e-6) {
  ASSERT_EQ(x->size(), analytic.size()) << what;
  for (size_t i = 0; i < x->size(); ++i) {
    const double saved = (*x)[i];
    (*x)[i] = saved + h;
    const double up = loss();
    (*x)[i] = saved - h;
    const double down = loss();
    (*x)[i] = saved;
    const double numeric = (up - down) / (2 * h);
    EXPECT_NEAR(analytic[i], numeric, tol * (1 + std::fabs(numeric)))
        << what << ": index " << i << " expected (finite difference) " << numeric << " actual "
        << analytic[i];
  }
}

// Gradient buffers start at this value so each check also proves the backward adds (+=)
// instead of overwriting; Unprefill takes it off again before comparing.
constexpr double kPrefill = 0.25;
inline std::vector<double> Prefilled(size_t n) {
  return std::vector<double>(n, kPrefill);
}
inline std::vector<double> Unprefill(std::vector<double> v) {
  for (double& x : v) x -= kPrefill;
  return v;
}

// Every element within tol · scale[i] (scale defaults to max(1, |want[i]|)).
inline void ExpectAllNear(const std::vector<float>& want, const std::vector<float>& got, float tol,
                          const std::vector<float>& scale = {}) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const float s = scale.empty() ? std::fmax(1.0f, std::fabs(want[i])) : scale[i];
    ASSERT_NEAR(got[i], want[i], tol * s)
        << "index " << i << " expected " << want[i] << " actual " << got[i];
  }
}

// Bit for bit equality (NaNs included).
inline void ExpectBitEqual(const std::vector<float>& want, const std::vector<float>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    uint32_t a, b;
    std::memcpy(&a, &want[i], 4);
    std::memcpy(&b, &got[i], 4);
    ASSERT_EQ(a, b) << "index " << i << " expected " << want[i] << " actual " << got[i];
  }
}

}  // namespace testing
}  // namespace nnplay
