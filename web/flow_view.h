// flow_view.h: draws the gradient-flow lab (engine/labs/flow_lab.h): the per-layer
// gradient norms of configurations A and B on a log10 axis, an activation and its
// derivative over [-8, 8], the backward arithmetic of one layer, and check my work.
// It turns gestures into state edits; it does no math.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "lab_view.h"
#include "labs/flow_lab.h"

namespace nnplay::web {

class FlowLabView final : public LabView {
 public:
  FlowLabView() { Recompute(); }
  const char* Id() const override { return "flow"; }
  const char* Title() const override { return "Gradient flow"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeFlowLab(state_); }
  std::string Json() const override { return FlowLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Recompute() { EvaluateFlowLab(state_, &result_); }
  LabChange ShowControls();
  bool ShowConfig(const char* name, FlowConfig* c);
  void ShowGradientPlot(float height);
  void ShowCurvePlot(float height);
  void ShowArithmetic();

  FlowLabState state_ = FlowLabDefault();
  FlowLabResult result_;
  // Rectangles (x, y, w, h in CSS pixels) of what browser tests click, by name.
  std::vector<std::pair<std::string, ImVec4>> rects_;
  std::vector<ImVec2> series_[2];  // the plotted points of A and B (layers 1..depth), for tests
};

}  // namespace nnplay::web
