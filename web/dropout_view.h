// dropout_view.h: draws the dropout lab (engine/labs/dropout_lab.h): the activations as an
// editable row, the sampled mask, the training and test-time activations and their
// expectations, the running mean over many masks converging to the test-time value, and
// the check-my-work panel. No math.
#pragma once

#include <string>

#include "grid_view.h"
#include "lab_view.h"
#include "lab_widgets.h"
#include "labs/dropout_lab.h"

namespace nnplay::web {

class DropoutLabView final : public LabView {
 public:
  DropoutLabView() { Recompute(); }
  const char* Id() const override { return "dropout"; }
  const char* Title() const override { return "Dropout"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeDropoutLab(state_); }
  std::string Json() const override { return DropoutLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Recompute();
  LabChange ShowControls();
  bool ShowResults();

  DropoutLabState state_ = DropoutLabDefault();
  DropoutLabResult result_;
  GridView a_grid_, mask_grid_, train_grid_, test_grid_;
  PresetRects preset_rects_;
  ImVec4 plot_rect_;
};

}  // namespace nnplay::web
