// mlp_view.h: draws the Neuron & MLP lab (engine/labs/mlp_lab.h): the network diagram, every
// weight matrix and bias as an editable grid, z and a (and in backward mode every gradient)
// as read-only columns, the arithmetic of the selected unit or weight, the parameter count,
// and the check-my-work panel. It reads the model and turns gestures into state edits; it
// does no math.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "grid_view.h"
#include "lab_view.h"
#include "labs/mlp_lab.h"

namespace nnplay::web {

// What the view remembers between frames that is not part of the lab's state (and so not
// part of the link): widgets, fill settings, the selection.
struct MlpView {
  static constexpr int kMaxLayers = MlpLabLimits::kMaxLayers;
  struct LayerGrids {
    GridView w, b, z, a, dz, da, dw, db;
  };
  GridView x_grid;
  std::array<LayerGrids, kMaxLayers> grids;
  // Fill helper settings per layer.
  std::array<int, kMaxLayers> fill_kind{};  // MlpFill
  std::array<float, kMaxLayers> fill_a{}, fill_b{};
  std::array<int, kMaxLayers> fill_seed{};
  std::array<float, kMaxLayers> bias_fill{};
  // Selection (0-based): a unit, and a weight W[layer][unit][input].
  int unit_layer = -1, unit = -1;
  int weight_layer = -1, weight_unit = -1, weight_input = -1;
  // Where things were drawn, for Layout (tests).
  std::vector<std::pair<std::string, ImVec4>> preset_rects;
  ImVec4 diagram_rect;
  std::vector<std::pair<std::string, ImVec2>> node_centers;  // "n<layer>_<unit>", layer 0 = x
};

// Draws the lab into the current window; reports what it did to `state`. `result` is
// re-evaluated (by the model) when a structure edit or a preset changes its shapes mid-frame.
LabChange ShowMlpLab(MlpLabState* state, MlpLabResult* result, MlpView* view);

class MlpLabView final : public LabView {
 public:
  MlpLabView();
  const char* Id() const override { return "mlp"; }
  const char* Title() const override { return "Neuron & MLP"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeMlpLab(state_); }
  std::string Json() const override { return MlpLabToJson(state_, result_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Recompute() { EvaluateMlpLab(state_, &result_); }
  void ClearSelection();

  MlpLabState state_ = MlpLabDefault();
  MlpLabResult result_;
  MlpView view_;
};

}  // namespace nnplay::web
