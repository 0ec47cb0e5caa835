// conv_bench_native.cpp: the native twin of the wasm benchmark. Times the same cases
// (bench_cases.h) with the same kernels, one thread, median of several repetitions after a
// warm-up, plus the E9 recompute (EvaluateConvLab on the default state).
//
//   conv_bench_native                 # a table
//   conv_bench_native --json          # one JSON object, read by bench/conv_bench.mjs
//   conv_bench_native --reps 9 --min-ms 25
//
// Natively the SIMD128 kernel runs through SIMDe (x86-64 baseline, SSE2), which is what
// the engine's native build uses; it shows the kernel's structure, not AVX-512's peak.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_cases.h"
#include "labs/conv_lab.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int reps = 9;        // timed repetitions; the median is reported
  double min_ms = 25;  // each repetition runs enough iterations to last this long
  bool json = false;
};

volatile float g_sink = 0.0f;

// Seconds per iteration: calibrate the batch size, warm up, then the median of reps.
template <typename Fn>
double MedianSecondsPerCall(const Options& opt, Fn&& fn) {
  auto time_batch = [&](long n) {
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) fn();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  long n = 1;
  double t = time_batch(n);  // also the first warm-up
  while (t < opt.min_ms * 1e-3 && n < (1L << 30)) {
    const double grow = t > 0 ? std::min(10.0, 1.2 * opt.min_ms * 1e-3 / t) : 10.0;
    n = std::max(n + 1, static_cast<long>(static_cast<double>(n) * grow));
    t = time_batch(n);
  }
  std::vector<double> per_call;
  for (int r = 0; r < opt.reps; ++r) per_call.push_back(time_batch(n) / static_cast<double>(n));
  std::sort(per_call.begin(), per_call.end());
  return per_call[per_call.size() / 2];
}

std::string FormatTime(double s) {
  char buf[32];
  if (s < 1e-3) {
    std::snprintf(buf, sizeof buf, "%.3g us", s * 1e6);
  } else if (s < 1) {
    std::snprintf(buf, sizeof buf, "%.3g ms", s * 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g s", s);
  }
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json")) {
      opt.json = true;
    } else if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) {
      opt.reps = std::max(1, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--min-ms") && i + 1 < argc) {
      opt.min_ms = std::max(0.1, std::atof(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--json] [--reps N] [--min-ms MS]\n", argv[0]);
      return 2;
    }
  }

  // E9: the page's recompute, and its kernel alone on buffers allocated here.
  const nnplay::ConvLabState e9 = nnplay::ConvLabDefault();
  const double e9_eval =
      MedianSecondsPerCall(opt, [&] { g_sink = g_sink + nnplay::EvaluateConvLab(e9).output[0]; });
  const nnplay::Conv2dParams e9_params = nnplay::EvaluateConvLab(e9).params;
  std::vector<float> e9_out(e9_params.output_size());
  double e9_kernel[3];  // by kernel id
  for (int id = 0; id < 3; ++id) {
    const nnplay_bench::ConvKernelFn fn = nnplay_bench::KernelById(id);
    e9_kernel[id] = MedianSecondsPerCall(opt, [&] {
      fn(e9_params, e9.input.data(), e9.filter.data(), nullptr, e9_out.data());
      g_sink = e9_out[0];
    });
  }

  struct Row {
    const nnplay_bench::ConvCase* c;
    double macs, ref, simd, dispatch;
  };
  std::vector<Row> rows;
  nnplay_bench::ConvBuffers buf;
  for (const nnplay_bench::ConvCase& c : nnplay_bench::kConvCases) {
    buf.Setup(nnplay_bench::MakeParams(c.in_c, c.h, c.w, c.out_c, c.k, c.stride, c.pad));
    auto time_kernel = [&](int id) {
      const nnplay_bench::ConvKernelFn fn = nnplay_bench::KernelById(id);
      return MedianSecondsPerCall(opt, [&] {
        fn(buf.p, buf.input.data(), buf.weights.data(), nullptr, buf.output.data());
        g_sink = buf.output[0];
      });
    };
    Row row{&c, static_cast<double>(buf.p.macs()), 0, 0, 0};
    row.ref = time_kernel(nnplay_bench::kRef);
    row.simd = time_kernel(nnplay_bench::kSimd128);
    row.dispatch = time_kernel(nnplay_bench::kDispatch);
    rows.push_back(row);
  }

  // Matmul: every GEMM kernel; the scalar reference only at 256 (seconds per call at 1024).
  struct MmRow {
    int n;
    double ref, simd, packed;
  };
  std::vector<MmRow> mm_rows;
  nnplay_bench::MatmulBuffers mm;
  for (int n : nnplay_bench::kMatmulSizes) {
    mm.Setup(n);
    auto time_gemm = [&](int id) {
      return MedianSecondsPerCall(opt, [&] {
        mm.Run(id);
        g_sink = mm.c[0];
      });
    };
    MmRow row{n, n <= 256 ? time_gemm(nnplay_bench::kGemmRef) : 0.0,
              time_gemm(nnplay_bench::kGemm4x8), time_gemm(nnplay_bench::kGemm4x8PrepackedB)};
    mm_rows.push_back(row);
  }
  nnplay_bench::Mlp432 mlp;
  const double mlp_s = MedianSecondsPerCall(opt, [&] {
    mlp.Forward();
    g_sink = mlp.p[0];
  });

  if (opt.json) {
    std::printf("{\"mlp_s\":%.6e,\"matmul\":[", mlp_s);
    for (size_t i = 0; i < mm_rows.size(); ++i)
      std::printf("%s{\"n\":%d,\"ref_s\":%.6e,\"simd_s\":%.6e,\"packed_s\":%.6e}", i ? "," : "",
                  mm_rows[i].n, mm_rows[i].ref, mm_rows[i].simd, mm_rows[i].packed);
    std::printf("],");
    std::printf(
        "\"e9_eval_s\":%.6e,\"e9_ref_s\":%.6e,\"e9_simd_s\":%.6e,"
        "\"e9_dispatch_s\":%.6e,\"cases\":[",
        e9_eval, e9_kernel[nnplay_bench::kRef], e9_kernel[nnplay_bench::kSimd128],
        e9_kernel[nnplay_bench::kDispatch]);
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      std::printf(
          "%s{\"name\":\"%s\",\"macs\":%.0f,\"ref_s\":%.6e,\"simd_s\":%.6e,"
          "\"dispatch_s\":%.6e}",
          i ? "," : "", r.c->name, r.macs, r.ref, r.simd, r.dispatch);
    }
    std::printf("]}\n");
    return 0;
  }
  std::printf("native, one thread, median of %d repetitions (each >= %.0f ms)\n", opt.reps,
              opt.min_ms);
  std::printf(
      "E9 recompute (EvaluateConvLab): %s; its kernel alone: %s (conv2d_forward), "
      "%s (ref), %s (simd128)\n",
      FormatTime(e9_eval).c_str(), FormatTime(e9_kernel[nnplay_bench::kDispatch]).c_str(),
      FormatTime(e9_kernel[nnplay_bench::kRef]).c_str(),
      FormatTime(e9_kernel[nnplay_bench::kSimd128]).c_str());
  std::printf("%-20s %10s %12s %12s %12s %9s %9s\n", "case", "MACs", "ref", "simd128", "dispatch",
              "ref GF/s", "simd GF/s");
  for (const Row& r : rows) {
    std::printf("%-20s %10.0f %12s %12s %12s %9.2f %9.2f\n", r.c->name, r.macs,
                FormatTime(r.ref).c_str(), FormatTime(r.simd).c_str(),
                FormatTime(r.dispatch).c_str(), 2 * r.macs / r.ref * 1e-9,
                2 * r.macs / r.simd * 1e-9);
  }
  for (const MmRow& r : mm_rows) {
    const double flops = 2.0 * r.n * r.n * r.n;
    std::printf(
        "matmul %d^3: ref %s, gemm_4x8_simd128 %s (%.1f GF/s), B pre-packed %s (%.1f GF/s)\n", r.n,
        r.ref > 0 ? FormatTime(r.ref).c_str() : "-", FormatTime(r.simd).c_str(),
        flops / r.simd * 1e-9, FormatTime(r.packed).c_str(), flops / r.packed * 1e-9);
  }
  std::printf("MLP 4-3-2 forward: %s\n", FormatTime(mlp_s).c_str());
  return 0;
}
