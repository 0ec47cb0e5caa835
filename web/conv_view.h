// conv_view.h: draws the convolution lab (engine/labs/conv_lab.h). It reads the model's
// state and result and turns the user's gestures into state edits; it does no math.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grid_view.h"
#include "lab_view.h"
#include "labs/conv_camera.h"
#include "labs/conv_lab.h"

namespace nnplay::web {

// The camera source (ShowCameraSource in conv_view.cpp): while live, every new camera frame
// is the input; the link, undo and local storage keep `held`, the input from before, so no
// frame is stored unless the learner freezes one.
struct ConvCamera {
  enum class Request { kNone, kStart, kFreeze, kStop };
  bool live = false;                // started (kStarting or kLive): frames feed the input
  bool frozen = false;              // the last stop was a Freeze: the input is that frame
  int rows = 0, cols = 0;           // the size frames are grabbed at (the input's)
  int frames = 0;                   // frames fed since the camera started
  Tensor held;                      // the input before the camera started
  std::vector<unsigned char> rgba;  // the frame buffer (rows × cols × 4)
  CameraStatus status = CameraStatus::kOff;
  Request request = Request::kNone;  // what the buttons asked for this frame
  bool input_replaced = false;       // an input preset replaced the input this frame
};

// What the view remembers between frames that is not part of the lab's state (and so
// not part of the link): widgets, the brush, the selected output cell.
struct ConvView {
  // One grid per plane: input channel c, filter (o, c), output / ReLU / pooled map o.
  // Grids own GPU textures, so they live behind pointers and are made on demand.
  std::vector<std::unique_ptr<GridView>> input_grids, filter_grids, output_grids, relu_grids,
      pool_grids, stuffed_grids;
  float brush = 10.0f;
  bool zero_stuffed = false;  // transposed: show the zero-stuffed input beside the input
  int selected_o = -1, selected_y = -1, selected_x = -1;  // output cell whose arithmetic shows
  int hover_o = -1, hover_y = -1, hover_x = -1;           // output cell under the mouse
  int pool_hover_o = -1, pool_hover_y = -1, pool_hover_x = -1;
  // Where each preset button was drawn (id -> rectangle), reported by Layout for tests.
  std::vector<std::pair<std::string, ImVec4>> preset_rects;
  ConvCamera camera;
};

// Draws the lab into the current window; reports what it did to `state`.
LabChange ShowConvLab(ConvLabState* state, const ConvLabResult& result, ConvView* view);

class ConvLabView final : public LabView {
 public:
  ConvLabView() { Recompute(); }
  const char* Id() const override { return "conv"; }
  const char* Title() const override { return "Convolution"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override;
  std::string Json() const override { return ConvLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;
  bool LoadImage(const unsigned char* rgba, int w, int h) override;

 private:
  void Recompute() { EvaluateConvLab(state_, &result_); }
  // The camera source: a new frame into the input (before drawing), the buttons' requests
  // (after); StopCamera(restore) puts the input from before the camera back when `restore`.
  bool FeedCamera();
  LabChange CameraRequests(LabChange change, const std::vector<int>& shape_before);
  void StopCamera(bool restore);

  ConvLabState state_ = ConvLabDefault();
  ConvLabResult result_;
  ConvView view_;
};

}  // namespace nnplay::web
