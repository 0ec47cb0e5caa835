// cost_view.h: draws the cost calculator (engine/labs/cost_lab.h): the layer's controls,
// a table of every step with its output shape, parameters and multiplications (with the
// arithmetic), the totals, the fully connected comparison and check my work. No math.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "lab_view.h"
#include "labs/cost_lab.h"

namespace nnplay::web {

class CostLabView final : public LabView {
 public:
  CostLabView() { Recompute(); }
  const char* Id() const override { return "cost"; }
  const char* Title() const override { return "Cost calculator"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeCostLab(state_); }
  std::string Json() const override { return CostLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Recompute() { EvaluateCostLab(state_, &result_); }
  LabChange ShowControls();
  bool IntField(const char* label, const char* id, int* value, int lo, int hi);
  void ShowResults();

  CostLabState state_ = CostLabDefault();
  CostLabResult result_;
  std::vector<std::pair<std::string, ImVec4>> rects_;  // for browser tests, by name
};

}  // namespace nnplay::web
