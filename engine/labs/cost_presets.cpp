// cost_presets.cpp: the cost calculator's presets (E10, E12, E13), and two with the
// student's own answers from the assignment typed into "check my work".
#include "labs/cost_lab.h"

namespace nnplay {
namespace {

CostLabState Single(int h, int c, int k, int n) {
  CostLabState s;
  s.h = s.w = h, s.c = c, s.k = k, s.n = n, s.mode = CostMode::kSingle;
  return s;
}

CostLabState Inception(int h, int c, bool use1, int r3, bool use5, int r5, bool usep) {
  CostLabState s;
  s.mode = CostMode::kInception;
  s.h = s.w = h, s.c = c;
  s.use1 = use1, s.use3 = true, s.use5 = use5, s.usep = usep;
  s.n1 = 64, s.r3 = r3, s.n3 = 128, s.r5 = r5, s.n5 = 32, s.np = 32;
  return s;
}

CostLabState WithCheck(CostLabState s, CheckEntries check) {
  s.check = std::move(check);
  return s;
}

}  // namespace

const std::vector<CostPreset>& CostPresets() {
  static const std::vector<CostPreset> presets = {
      {"e10-1x1-vs-fc", "E10: 28x28x192 -> 28x28x32, 1x1 conv vs fully connected", "E10: 1x1 vs FC",
       Single(28, 192, 1, 32)},
      {"e10-student", "E10 with the student's answers (3.78e9, 4.8e6, 784)", "E10: student",
       WithCheck(Single(28, 192, 1, 32),
                 {{"mults", {"4.8e6"}}, {"fc", {"3.78e9"}}, {"ratio", {"784"}}})},
      {"e12-5x5", "E12: 5x5 same conv 192 -> 32 on 28x28", "E12: 5x5", Single(28, 192, 5, 32)},
      {"e12-bottleneck", "E12: 1x1 bottleneck to 16, then 5x5 -> 32", "E12: 1x1 then 5x5",
       [] {
         CostLabState s = Single(28, 192, 5, 32);
         s.mode = CostMode::kBottleneck, s.r = 16;
         return s;
       }()},
      {"e13a-inception", "E13 (a): 32x32x192, 128 3x3 + 32 5x5, same", "E13 (a)",
       Inception(32, 192, false, 0, true, 0, false)},
      {"e13a-student", "E13 (a) with the student's answers", "E13 (a): student",
       WithCheck(Inception(32, 192, false, 0, true, 0, false),
                 {{"b3", {"226492416"}}, {"b5", {"157286400"}}, {"mults", {"383778816"}}})},
      {"e13b-reductions", "E13 (b): 1x1 reductions to 96 and 16 first", "E13 (b)",
       Inception(32, 192, false, 96, true, 16, false)},
      {"googlenet-3a", "GoogLeNet inception (3a): all four branches on 28x28x192", "GoogLeNet 3a",
       Inception(28, 192, true, 96, true, 16, true)},
  };
  return presets;
}

CostLabState CostLabDefault() {
  return CostPresets()[0].state;
}

}  // namespace nnplay
