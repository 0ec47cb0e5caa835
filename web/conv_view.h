// conv_view.h: draws the convolution lab (engine/labs/conv_lab.h). It reads the model's
// state and result and turns the user's gestures into state edits; it does no math.
#pragma once

#include "grid_view.h"
#include "labs/conv_lab.h"

namespace nnplay::web {

// What the view remembers between frames that is not part of the lab's state (and so
// not part of the link): widgets, the brush, the selected output cell.
struct ConvView {
  GridView input_grid, filter_grid, output_grid;
  float brush = 10.0f;
  int selected_y = -1, selected_x = -1;  // output cell whose arithmetic is shown
  int hover_y = -1, hover_x = -1;        // output cell under the mouse last frame
};

// Draws the lab into the current window; returns true when `state` was edited.
bool ShowConvLab(ConvLabState* state, const ConvLabResult& result, ConvView* view);

}  // namespace nnplay::web
