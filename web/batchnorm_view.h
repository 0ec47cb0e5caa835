// batchnorm_view.h: draws the batch-normalization lab (engine/labs/batchnorm_lab.h): the
// batch (features x batch) as an editable grid, gamma, beta, eps, training or inference,
// the running statistics and one training step, every step with its arithmetic, xhat and
// y as grids, and the check-my-work panel. No math.
#pragma once

#include <string>

#include "grid_view.h"
#include "lab_view.h"
#include "lab_widgets.h"
#include "labs/batchnorm_lab.h"

namespace nnplay::web {

class BatchNormLabView final : public LabView {
 public:
  BatchNormLabView() { Recompute(); }
  const char* Id() const override { return "batchnorm"; }
  const char* Title() const override { return "Batch normalization"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeBatchNormLab(state_); }
  std::string Json() const override { return BatchNormLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Recompute();
  LabChange ShowControls();
  bool ShowResults();

  BatchNormLabState state_ = BatchNormLabDefault();
  BatchNormLabResult result_;
  GridView x_grid_, xhat_grid_, y_grid_;
  PresetRects preset_rects_;
};

}  // namespace nnplay::web
