// grade_bench: `nnplay grade` on a class of 1,000 assignment links, timed on one core (the
// engine is single-threaded). Two classes: every student on the course's numbers, and every
// student on their own variant (seed = student number, so no exercise is shared). Answers
// are mixed as in tests/tools/grade.test.mjs: all right, a slip carried forward, wrong.
//
//   build/bench/native/bench/grade_bench [--reps N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "labs/grade.h"

namespace {

std::string MakeClass(bool variants) {
  const char* e4[] = {
      "z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.06;a2:0.015,0.045,0.06;z3:0.0165,0.0555;"
      "a3:0.490,0.510",
      "z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.006;a2:0.015,0.045,0.006;z3:0.0111,0.0393;"
      "a3:0.493,0.507",
      "z1:0.15,-0.2;a1:0.15,0;z2:0.5,0.5,0.5;a2:0.9,0.9,0.9;z3:0.9,0.9;a3:0.9,0.1",
  };
  std::string text = "student,link\n";
  for (int i = 0; i < 1000; ++i) {
    text += "s" + std::to_string(i) + ",\"v1/course?ex=1-13";
    if (variants) text += "&seed=" + std::to_string(i + 1);
    text += std::string("&e3=exps:7.389,2.718,1.105;sum:11.2125;p:0.659,0.2424,0.0986") +
            "&e4=" + e4[i % 3] + "&e6=mu:6;var:8;sigma:2.8284;y:-3.8284,-2.4142,-1,0.4142,1.8284" +
            "&e9=row1:0,30,30,0&e10=mults:4.8e6;params:6176;fc:3.78e9;ratio:784" +
            "&h4=z2:2,z3:1\"\n";
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--reps") == 0) reps = std::atoi(argv[i + 1]);
  for (bool variants : {false, true}) {
    const std::string text = MakeClass(variants);
    double best = 1e30, best_cpu = 1e30;
    size_t rows = 0;
    for (int r = 0; r < reps; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      const nnplay::GradeRun run = nnplay::GradeText(text);
      const std::string csv = nnplay::GradeCsv(run);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      if (s < best) best = s;
      if (cpu < best_cpu) best_cpu = cpu;
      rows = run.students.size();
      if (!run.skipped.empty()) return std::fprintf(stderr, "unexpected skipped lines\n"), 1;
      (void)csv;
    }
    // CPU time is what one core spends (the wall clock also counts other processes).
    std::printf("%-34s %4zu links  best of %d: %6.3f s wall, %6.3f s CPU (%.2f ms CPU a link)\n",
                variants ? "every student their own variant" : "the course's numbers", rows, reps,
                best, best_cpu, best_cpu * 1e3 / static_cast<double>(rows));
  }
  return 0;
}
