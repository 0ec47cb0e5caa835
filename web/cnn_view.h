// cnn_view.h: draws the CNN training lab (engine/labs/cnn_lab.h): Play/Pause/Step/Reset,
// loss and accuracy curves, the test confusion matrix, the first layer's filters as they
// learn, and a drawing canvas whose class probabilities and feature maps at every layer
// update as the learner paints (or loads a test image into it). Play trains in the trainer
// worker (web/platform/trainer_client.h) until Pause, with no step cap: its snapshots restore
// this view's session, which only probes the drawing and draws; a link with many steps
// replays there too, behind a progress bar. Without a worker it trains here, as many steps
// per frame as fit in about 6 ms. No math: the engine's CnnSession trains, measures and
// probes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/fashion.h"
#include "grid_view.h"
#include "lab_view.h"
#include "lab_widgets.h"
#include "labs/cnn_lab.h"
#include "labs/runner.h"

namespace nnplay::web {

class CnnLabView final : public LabView {
 public:
  CnnLabView() { Restart(); }
  const char* Id() const override { return "cnn"; }
  const char* Title() const override { return "CNN training"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeCnnLab(CnnLinkState(state_, session_)); }
  std::string Json() const override {
    return CnnLabToJson(CnnLinkState(state_, session_), result_);
  }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  // New weights from the seed, replay state_.steps (in the worker when that takes a while
  // and `worker`), measure, probe.
  void Restart(bool worker = true);
  void MeasureAll();
  LabChange ShowControls();
  bool ShowResults();
  bool ShowDrawing();
  void ShowMaps(float width);
  void ShowCurves(float width);
  void ShowConfusion();
  void ShowFilters(float width);
  // Real images (Fashion-MNIST): the download's progress (true while there is no data yet),
  // a mosaic of test images per class, the most confident mistakes; a click loads the image.
  bool ShowFashionFetch();
  void ShowSamples(float width);
  void ShowMistakes(float width);
  bool LoadTestImage(int index);  // onto the canvas, probed
  void RunFrame();
  // The trainer worker: Play (play) or the replay of the link's steps; false when the page
  // has no trainer (the view then trains here).
  bool StartWorker(bool play);
  void PollWorker();  // takes the newest snapshot, falls back when the worker fails
  bool ApplySnapshot(const std::string& bytes, bool final);
  void ApplyMeasured();  // the worker's last whole-test-set figures into result_
  void StopWorker();
  bool ShowReplay();  // the replay's progress bar (true while replaying)

  // The worker's run (0: none), and what it is doing.
  int run_id_ = 0;
  bool replaying_ = false;  // replaying the link's steps (the link keeps them meanwhile)
  bool pausing_ = false;    // Pause pressed: waiting for the run's final snapshot
  double pause_at_ = 0;
  std::string note_;         // a quiet note: training on the page's thread
  RunnerSnapshot measured_;  // the worker's last whole-test-set measurement
  int snapshots_ = 0;        // snapshots restored (tests read it)
  int replays_ = 0;          // links replayed in the worker
  float restore_ms_ = 0;     // the last one's restore + measure + probe
  double rate_at_ = 0;       // steps per second, from the snapshots
  int rate_steps_ = 0;
  float steps_per_s_ = 0;

  CnnLabState state_ = CnnLabDefault();
  CnnSession session_;
  CnnLabResult result_;
  bool playing_ = false;
  double last_measure_ = 0, last_live_ = 0;
  StepLink step_link_{2.0};  // the link follows the step count every 2 s while playing
  int steps_per_frame_ = 0;
  float frame_ms_ = 0, train_ms_ = 0, restart_ms_ = 0;
  float brush_ = 1.0f;
  int example_ = 0;  // the test image the "load" button copies onto the canvas
  GridView draw_grid_, confusion_grid_, samples_grid_;
  std::vector<std::unique_ptr<GridView>> filter_grids_, map_grids_, mistake_grids_;
  std::vector<float> mosaic_;
  std::vector<int> sample_index_;
  int picked_ = -1;  // a test image clicked this frame
  std::vector<float> confusion_values_, scratch_;
  std::vector<float> curve_a_, curve_b_;
  PresetRects preset_rects_;
  std::vector<ImVec4> dataset_items_;  // the dataset list's entries while it is open
  ImVec4 play_rect_, step_rect_, reset_rect_, clear_rect_, load_rect_, dataset_rect_, fetch_rect_;
};

}  // namespace nnplay::web
