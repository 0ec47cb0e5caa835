// lab_widgets.h: small widgets the softmax, batch-norm and dropout views share: a row of
// preset buttons that wraps (and remembers where each was drawn, for tests), horizontal
// value bars drawn with ImDrawList, and the rectangles Layout() reports.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "grid_view.h"
#include "imgui.h"
#include "json.h"
#include "labs/notation.h"

namespace nnplay::web {

using PresetRects = std::vector<std::pair<std::string, ImVec4>>;

// A small button with a mouse, a full-height one (a tap target of at least 40 CSS px, see
// platform/touch.h) under a finger. Every compact button in the views is one of these.
bool TapButton(const char* label);

// One TapButton per preset (labelled with its id, the title as tooltip), wrapping at the
// window's edge. Returns the index clicked or -1; records each rectangle in *rects.
template <typename Preset>
int PresetButtons(const std::vector<Preset>& presets, PresetRects* rects) {
  int clicked = -1;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (size_t i = 0; i < presets.size(); ++i) {
    if (TapButton(presets[i].id)) clicked = static_cast<int>(i);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", presets[i].title);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    rects->emplace_back(presets[i].id, ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
    if (i + 1 < presets.size()) {
      const float next = ImGui::CalcTextSize(presets[i + 1].id).x + style.FramePadding.x * 2;
      if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + next < right) ImGui::SameLine();
    }
  }
  return clicked;
}

// A horizontal bar of `fraction` (0..1) of `width`, with `label` on it; one line high.
void ValueBar(float fraction, float width, const char* label, ImU32 color);

// Layout() helpers: a grid as {"x","y","cell","rows","cols"}, the presets as id -> [x,y,w,h].
void WriteGridRect(JsonWriter* j, const char* name, const GridView& grid);
// "menu_item": [x,y,w,h] of the grid's right-click menu item, zeros while it is closed.
void WriteMenuItemRect(JsonWriter* j, const GridRect& r);
void WritePresetRects(JsonWriter* j, const PresetRects& rects);

// Numbers for a learner come from labs/notation.h: Num(v) in traces, Num(v, 3) beside a
// node in a network diagram or in a small cell.
// A shape as a learner writes it, with the notation's times sign: Dims({28, 28, 32}) =
// "28×28×32".
std::string Dims(std::initializer_list<long long> sizes);
// Greyed, wrapped help text (fits a phone-width window).
void Hint(const char* text);
// ImGui::SameLine() when an item `width` pixels wide still fits on the current line (fields
// and buttons that flow left to right and wrap at the window's edge).
void SameLineIfRoom(float width);
// The line under a training lab's Play button: how many threads training uses and, when one,
// why (TrainingThreadsText of labs/lab_text.h, from platform/threads.h); the view follows it
// with HelpTip(<lab>, "threads").
void TrainingThreadsLine();
// Layout(): "threads": {"count", "isolated", "cores", "threaded_trainer", "text"}: what that
// line says, and whether the threaded trainer is built beside the page.
void WriteTrainingThreads(JsonWriter* j);
// Distance from p to the segment a-b, in pixels (which diagram edge the pointer is on).
float DistanceToSegment(ImVec2 p, ImVec2 a, ImVec2 b);

// ---- layout and help: every lab's controls column ------------------------------------
// The width of a slider, combo or input in a controls column (font-relative, so the labs'
// controls line up); ShowLabPanes pushes it for the whole column. Half: two side by side.
float ControlWidth();
float ControlWidthHalf();
// A section heading in a controls column: a little space, the title, a rule.
void Section(const char* title);
// The tooltip of the last item: ControlHelp(lab, control) (engine/labs/help.h), wrapped to
// a readable width, after the item has been hovered for a moment (on a touch screen: while
// the finger rests on it). `still`: a map, where the tip waits for the pointer to rest and
// hides while it moves or paints. Records the item's rectangle for Layout().
void HelpTip(const char* lab, const char* control, bool still = false);
// App::Frame calls this first: forgets last frame's controls and tooltip.
void BeginHelpFrame();
// Layout(): "tooltip" (the help shown, or "") and "controls" (control id -> [x,y,w,h]).
void WriteHelpLayout(JsonWriter* j);

// Copies a 1-D tensor's values into a new size (kept values stay, new ones get `fill`).
void ResizeVector(Tensor* t, int n, float fill);

}  // namespace nnplay::web
