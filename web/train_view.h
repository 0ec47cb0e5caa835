// train_view.h: draws the training lab (engine/labs/train_lab.h): Play/Pause/Step/Reset,
// the decision boundary as a heatmap with the data points on top, loss curves, accuracy,
// gradient norms, and the settings. While playing it runs as many training steps per frame
// as fit in about 6 ms. No math: the engine's TrainSession trains and measures.
#pragma once

#include <string>
#include <vector>

#include "grid_view.h"
#include "lab_view.h"
#include "lab_widgets.h"
#include "labs/train_lab.h"

namespace nnplay::web {

class TrainLabView final : public LabView {
 public:
  TrainLabView() { Restart(); }
  const char* Id() const override { return "train"; }
  const char* Title() const override { return "Training"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeTrainLab(state_); }
  std::string Json() const override { return TrainLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Restart();  // new weights from the seed, replay state_.steps
  LabChange ShowControls();
  bool ShowResults();
  void RunFrame();

  TrainLabState state_ = TrainLabDefault();
  TrainSession session_;
  TrainLabResult result_;
  bool playing_ = false;
  double last_commit_ = 0;
  int committed_steps_ = 0;  // the steps the address bar holds
  int steps_per_frame_ = 0;
  float frame_ms_ = 0, train_ms_ = 0;
  std::vector<float> grid_values_;
  std::vector<float> train_curve_, test_curve_;
  GridView grid_;
  PresetRects preset_rects_;
  ImVec4 play_rect_, step_rect_, reset_rect_;
};

}  // namespace nnplay::web
