// softmax_view.h: draws the softmax lab (engine/labs/softmax_lab.h): the logits as an
// editable row, the exponentials, their sum and the probabilities as numbers and bars,
// the stable form (x - max), the one-logit case, and the check-my-work panel. No math.
#pragma once

#include <string>

#include "grid_view.h"
#include "lab_view.h"
#include "lab_widgets.h"
#include "labs/softmax_lab.h"

namespace nnplay::web {

class SoftmaxLabView final : public LabView {
 public:
  SoftmaxLabView() { Recompute(); }
  const char* Id() const override { return "softmax"; }
  const char* Title() const override { return "Softmax"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeSoftmaxLab(state_); }
  std::string Json() const override { return SoftmaxLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Recompute();
  LabChange ShowControls();
  bool ShowResults();

  SoftmaxLabState state_ = SoftmaxLabDefault();
  SoftmaxLabResult result_;
  GridView logits_grid_;
  PresetRects preset_rects_;
};

}  // namespace nnplay::web
