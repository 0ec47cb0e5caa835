// train_view.h: draws the training lab (engine/labs/train_lab.h): Play/Pause/Step/Reset,
// the decision boundary (100 x 100, the shader heatmap) with the data points on top (click
// adds a point, right-click or Shift+click removes the nearest), the network diagram with a
// map per neuron (hover to enlarge) and edges coloured by sign and as thick as |w|, the
// weight table of one layer (editable while paused; edits go into the link), loss curves,
// accuracy and the test confusion matrix, gradient norms, and the settings. Playing at the
// "max" speed trains in the trainer worker (web/platform/trainer_client.h) until Pause, its
// snapshots restoring this view's session; the epoch paces (and a page without a worker)
// step here, within about 6 ms a frame. No math: the engine's TrainSession trains and
// measures.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grid_view.h"
#include "heatmap.h"
#include "lab_view.h"
#include "lab_widgets.h"
#include "labs/runner.h"
#include "labs/train_lab.h"

namespace nnplay::web {

class TrainLabView final : public LabView {
 public:
  TrainLabView() { Restart(); }
  const char* Id() const override { return "train"; }
  const char* Title() const override { return "Training"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeTrainLab(TrainLinkState(state_, session_)); }
  std::string Json() const override {
    return TrainLabToJsonWithWeights(TrainLinkState(state_, session_), result_, export_weights_);
  }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;
  bool LoadCsv(const std::string& text, bool* changed) override;

 private:
  void Restart();  // new weights from the seed, replay state_.steps with the edits
  void Remeasure();
  LabChange ShowControls();
  bool ShowResults();
  bool ShowBoundary(float size);
  bool ShowNetwork();
  bool EditParam(int index, float value);  // records the edit; false when refused
  void RunFrame();
  bool StartWorker();  // Play at "max" in the trainer worker; false without one
  void PollWorker();
  void StopWorker();

  // The trainer worker's run (0: none): Pause waits for its last snapshot; a slower pace
  // picked meanwhile resumes here.
  int run_id_ = 0;
  bool pausing_ = false, resume_here_ = false;
  double pause_at_ = 0;
  int snapshots_ = 0;
  std::string note_;  // a quiet note: training on the page's thread

  TrainLabState state_ = TrainLabDefault();
  TrainSession session_;
  TrainLabResult result_;
  bool playing_ = false;
  // Epochs (passes over the training points) per frame while playing; 0: as many steps as
  // fit the frame's training budget. A view preference, not part of the link.
  int pace_epochs_ = 1;
  bool export_weights_ = false;
  StepLink step_link_{2.0};  // the link follows the step count every 2 s while playing
  int steps_per_frame_ = 0;
  float frame_ms_ = 0, train_ms_ = 0, measure_ms_ = 0, maps_ms_ = 0;
  double maps_at_ = -1;  // when the neuron maps were last computed
  bool maps_stale_ = true;
  std::vector<float> train_curve_, test_curve_;
  std::vector<float> maps_;  // TrainSession::NeuronMaps
  // Drawing.
  Heatmap boundary_;
  std::vector<std::unique_ptr<Heatmap>> unit_maps_, feature_maps_;
  std::vector<float> features_;  // TrainSession::FeatureMaps
  ImVec4 export_rect_, pace_rect_;
  ImVec4 feature_x2_rect_;  // the x^2 feature's checkbox
  ImVec4 boundary_rect_;    // x, y, w, h
  ImVec4 diagram_rect_;
  ImVec4 first_edge_, first_unit_;  // for tests
  int add_class_ = 1;
  float add_value_ = 1.0f;
  std::string message_;
  std::vector<char> paste_ =
      std::vector<char>(TrainCsvLimits::kMaxBytes + 1, '\0');  // the paste box
  ImVec2 painted_at_{-1e9f, -1e9f};  // where the last point painted by dragging went (screen)
  ImVec4 import_rect_, paste_rect_, use_paste_rect_;  // for tests
  // The weight table and the selected weight (layer, unit, input; input == in: the bias).
  GridView weights_grid_;
  std::vector<float> weights_values_;
  int table_layer_ = 0;
  int sel_layer_ = -1, sel_unit_ = -1, sel_input_ = -1;
  float sel_value_ = 0;
  bool focus_sel_ = false;
  PresetRects preset_rects_;
  ImVec4 play_rect_, step_rect_, reset_rect_;
};

}  // namespace nnplay::web
