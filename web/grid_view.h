// grid_view.h: a grid of numbers drawn as a heatmap with each value written on its cell.
//
// - Colours come from the heatmap shader (shaders/heatmap.frag): diverging, 0 neutral,
//   so negative values stay visible.
// - Editable grids: click a cell and type (Enter commits, Esc cancels; Tab, Shift+Tab and
//   the arrows commit and move on); press and drag across cells to paint the brush value.
// - Padding is drawn as a ring of grey zero cells around the values.
// - Right-click: "Save as PNG" downloads the map as coloured.
// - Marks outline cells (a receptive field) and may carry a small label (a weight).
#pragma once

#include <string>
#include <vector>

#include "heatmap.h"
#include "imgui.h"
#include "tensor.h"

namespace nnplay::web {

struct GridMark {
  int y = 0, x = 0;  // may lie in the padding ring (negative or past the edge)
  ImU32 color = 0;
  std::string label;  // drawn small in the cell's corner; may be empty
};

// Which tooltip a grid shows (engine/labs/help.h): HelpRef{"conv", "input-grid"}.
struct HelpRef {
  const char* lab = nullptr;
  const char* control = nullptr;
};

struct GridOptions {
  float cell = 40.0f;  // pixels per cell
  bool editable = false;
  float brush = 0.0f;  // the value painted by dragging
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  const std::vector<GridMark>* marks = nullptr;
  int selected_y = -1, selected_x = -1;  // drawn with a thick outline
  HelpRef help;                          // shown when the pointer rests on the grid
};

struct GridEvents {
  bool changed = false;                // a value was committed or painted
  int hovered_y = -1, hovered_x = -1;  // the value cell under the mouse
  int clicked_y = -1, clicked_x = -1;  // a click (press and release on one cell)
  std::string error;                   // a typed value that is not a number
};

// The screen rectangle a grid was drawn at, in ImGui (CSS) pixels: exported for tests.
struct GridRect {
  float x = 0, y = 0, cell = 0;
  int rows = 0, cols = 0;
  int edit_y = -1, edit_x = -1;       // the cell being typed into, or -1
  float menu_item[4] = {0, 0, 0, 0};  // "Save as PNG" while the right-click menu is open
};

class GridView {
 public:
  // `values` is an h × w row-major plane; it is modified only when the grid is editable.
  GridEvents Draw(const char* id, float* values, int h, int w, const GridOptions& options);
  // A rank-2 tensor (or the first plane of a higher-rank one).
  GridEvents Draw(const char* id, Tensor* values, const GridOptions& options) {
    const int r = values->rank();
    return Draw(id, values->data(), values->dim(r - 2), values->dim(r - 1), options);
  }
  const GridRect& rect() const { return rect_; }
  bool editing() const { return edit_y_ >= 0; }

 private:
  void StartEditing(float value, int y, int x);
  void SavePng(const char* name) const;  // the heatmap as drawn, cells enlarged, downloaded

  Heatmap heatmap_;
  std::vector<float> uploaded_;  // what the heatmap holds now
  int uploaded_h_ = 0, uploaded_w_ = 0;
  float absmax_ = 0.0f;  // largest |value| of what the heatmap holds
  GridRect rect_;
  int edit_y_ = -1, edit_x_ = -1;
  bool focus_editor_ = false;
  int focus_grace_ = 0;  // frames to wait for keyboard focus before giving up
  char edit_buffer_[48] = {};
  std::string edit_error_;
  int press_y_ = -1, press_x_ = -1;
  bool painting_ = false;
};

// Picks a cell size so that an h × w grid (plus padding) fits in `avail` pixels.
float FitCellSize(int rows, int cols, ImVec2 avail, float max_cell);

}  // namespace nnplay::web
