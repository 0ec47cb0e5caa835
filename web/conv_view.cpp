// conv_view.cpp: the convolution lab's view. Layout: controls on the left (stacked on
// top on a narrow screen), then the input (with its padding ring), the filter and the
// output feature map side by side, and the arithmetic of the hovered or selected output
// cell below them.
#include "conv_view.h"

#include <algorithm>
#include <string>
#include <vector>

#include "link/number.h"

namespace nnplay::web {
namespace {

constexpr ImU32 kField = IM_COL32(0, 140, 70, 255);  // receptive field outline

bool SliderIntClamped(const char* label, int* v, int lo, int hi) {
  return ImGui::SliderInt(label, v, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
}

// A row of small buttons that wraps at the window's edge; returns the index clicked or -1.
template <typename Preset>
int PresetButtons(const char* kind, const std::vector<Preset>& presets, ConvView* view) {
  int clicked = -1;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (size_t i = 0; i < presets.size(); ++i) {
    if (ImGui::SmallButton(presets[i].title)) clicked = static_cast<int>(i);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    view->preset_rects.emplace_back(std::string(kind) + "-" + presets[i].id,
                                    ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
    if (i + 1 < presets.size()) {
      const float next = ImGui::CalcTextSize(presets[i + 1].title).x + style.FramePadding.x * 2;
      if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + next < right) ImGui::SameLine();
    }
  }
  return clicked;
}

LabChange ShowControls(ConvLabState* s, const ConvLabResult& r, ConvView* view) {
  bool edited = false, navigated = false;
  view->preset_rects.clear();
  ImGui::TextUnformatted("Input image");
  if (const int i = PresetButtons("input", ConvInputPresets(), view); i >= 0) {
    ApplyInputPreset(ConvInputPresets()[static_cast<size_t>(i)], s);
    navigated = true;
  }
  int h = s->input.dim(0), w = s->input.dim(1);
  bool resized =
      SliderIntClamped("rows##in", &h, ConvLabLimits::kMinInput, ConvLabLimits::kMaxInput);
  resized |= SliderIntClamped("cols##in", &w, ConvLabLimits::kMinInput, ConvLabLimits::kMaxInput);
  if (resized) s->input.Resize2d(h, w), edited = true;

  ImGui::Separator();
  ImGui::TextUnformatted("Filter");
  if (const int i = PresetButtons("filter", ConvFilterPresets(), view); i >= 0) {
    ApplyFilterPreset(ConvFilterPresets()[static_cast<size_t>(i)], s);
    navigated = true;
  }
  int kh = s->filter.dim(0), kw = s->filter.dim(1);
  resized = SliderIntClamped("rows##f", &kh, ConvLabLimits::kMinFilter, ConvLabLimits::kMaxFilter);
  resized |= SliderIntClamped("cols##f", &kw, ConvLabLimits::kMinFilter, ConvLabLimits::kMaxFilter);
  if (resized) s->filter.Resize2d(kh, kw), edited = true;

  ImGui::Separator();
  ImGui::TextUnformatted("Padding");
  int mode = static_cast<int>(s->padding);
  edited |= ImGui::RadioButton("valid", &mode, static_cast<int>(PaddingMode::kValid));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("same", &mode, static_cast<int>(PaddingMode::kSame));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("explicit", &mode, static_cast<int>(PaddingMode::kExplicit));
  s->padding = static_cast<PaddingMode>(mode);
  if (s->padding == PaddingMode::kExplicit)
    edited |= SliderIntClamped("pad", &s->pad, 0, ConvLabLimits::kMaxPad);
  edited |= SliderIntClamped("stride", &s->stride, 1, ConvLabLimits::kMaxStride);
  edited |= SliderIntClamped("dilation", &s->dilation, 1, ConvLabLimits::kMaxDilation);

  ImGui::Separator();
  ImGui::TextUnformatted("Output size: floor((n + 2p - d(k-1) - 1)/s) + 1");
  ImGui::TextWrapped("%s", r.rows.Formula("rows").c_str());
  ImGui::TextWrapped("%s", r.cols.Formula("columns").c_str());

  ImGui::Separator();
  ImGui::SetNextItemWidth(100.0f);
  ImGui::InputFloat("brush value", &view->brush, 0.0f, 0.0f, "%g");
  ImGui::TextDisabled(
      "Click a cell to type a value (Enter\ncommits, Esc cancels); drag across\ncells to paint the "
      "brush value.");
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

// The input (with its padding ring), the filter and the output, and the arithmetic of the
// output cell in focus. Wide: the three maps in a row. Narrow: the input on its own row,
// the filter and the output side by side below it.
bool ShowMaps(ConvLabState* s, const ConvLabResult& r, ConvView* view, bool narrow) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float gap = style.ItemSpacing.x * 3.0f;
  bool edited = false;

  // The output cell whose arithmetic is shown: hovered, else selected.
  const bool has_output = r.error.empty() && !r.output.empty();
  if (!has_output || view->selected_y >= r.output.dim(0) || view->selected_x >= r.output.dim(1))
    view->selected_y = view->selected_x = -1;
  int focus_y = view->selected_y, focus_x = view->selected_x;
  // Last frame's hover: the output grid is drawn after the input it marks.
  if (has_output && view->hover_y >= 0 && view->hover_y < r.output.dim(0) &&
      view->hover_x < r.output.dim(1))
    focus_y = view->hover_y, focus_x = view->hover_x;

  ConvCellTrace trace;
  std::vector<GridMark> input_marks, filter_marks;
  if (has_output && focus_y >= 0) {
    trace = TraceConvCell(*s, r, focus_y, focus_x);
    for (const ConvTraceTerm& t : trace.terms) {
      input_marks.push_back({t.in_y, t.in_x, kField, "\xC3\x97" + FormatFloat(t.weight)});
      filter_marks.push_back({t.k_y, t.k_x, kField, ""});
    }
  }

  const Conv2dParams& p = r.params;
  const int in_rows = s->input.dim(0) + p.pad_top + p.pad_bottom;
  const int in_cols = s->input.dim(1) + p.pad_left + p.pad_right;
  const int out_rows = has_output ? r.output.dim(0) : 1;
  const int out_cols = has_output ? r.output.dim(1) : 1;
  const float avail_w = ImGui::GetContentRegionAvail().x;
  float in_cell = 0, small_cell = 0;
  if (narrow) {
    in_cell = FitCellSize(in_rows, in_cols, ImVec2(avail_w, avail_w), 44.0f);
    small_cell = FitCellSize(std::max(s->filter.dim(0), out_rows), s->filter.dim(1) + out_cols,
                             ImVec2(avail_w - gap, avail_w), 44.0f);
  } else {
    const float avail_h = std::max(200.0f, ImGui::GetContentRegionAvail().y - 140.0f);
    const int tallest = std::max({in_rows, s->filter.dim(0), out_rows});
    const int total_cols = in_cols + s->filter.dim(1) + out_cols;
    in_cell = small_cell =
        FitCellSize(tallest, total_cols, ImVec2(avail_w - 2.0f * gap, avail_h), 44.0f);
  }

  GridOptions in_opts;
  in_opts.cell = in_cell;
  in_opts.editable = true;
  in_opts.brush = view->brush;
  in_opts.pad_top = p.pad_top, in_opts.pad_left = p.pad_left;
  in_opts.pad_bottom = p.pad_bottom, in_opts.pad_right = p.pad_right;
  in_opts.marks = &input_marks;
  ImGui::BeginGroup();
  ImGui::Text("Input %dx%d", s->input.dim(0), s->input.dim(1));
  edited |= view->input_grid.Draw("input", &s->input, in_opts).changed;
  ImGui::EndGroup();
  if (!narrow) ImGui::SameLine(0.0f, gap);

  GridOptions f_opts;
  f_opts.cell = small_cell;
  f_opts.editable = true;
  f_opts.brush = view->brush;
  f_opts.marks = &filter_marks;
  ImGui::BeginGroup();
  ImGui::Text("Filter %dx%d", s->filter.dim(0), s->filter.dim(1));
  edited |= view->filter_grid.Draw("filter", &s->filter, f_opts).changed;
  ImGui::EndGroup();
  ImGui::SameLine(0.0f, gap);

  ImGui::BeginGroup();
  view->hover_y = view->hover_x = -1;
  if (has_output) {
    ImGui::Text("Output %dx%d", r.output.dim(0), r.output.dim(1));
    Tensor shown = r.output;  // the grid widget takes a tensor; this one is read-only
    GridOptions out_opts;
    out_opts.cell = small_cell;
    out_opts.selected_y = focus_y, out_opts.selected_x = focus_x;
    const GridEvents ev = view->output_grid.Draw("output", &shown, out_opts);
    view->hover_y = ev.hovered_y, view->hover_x = ev.hovered_x;
    if (ev.clicked_y >= 0) {
      const bool same = ev.clicked_y == view->selected_y && ev.clicked_x == view->selected_x;
      view->selected_y = same ? -1 : ev.clicked_y;
      view->selected_x = same ? -1 : ev.clicked_x;
    }
  } else {
    ImGui::TextUnformatted("Output");
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(240, 110, 90, 255));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::min(320.0f, avail_w * 0.6f));
    ImGui::TextWrapped("%s", r.error.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  ImGui::EndGroup();

  ImGui::Spacing();
  if (has_output && focus_y >= 0) {
    ImGui::Text("output[%d][%d] =", focus_y, focus_x);
    ImGui::TextWrapped("%s", trace.text.c_str());
    ImGui::TextDisabled("Green: the receptive field, each cell marked with the weight it meets.");
  } else if (has_output) {
    ImGui::TextWrapped("Hover or click an output cell to see its sum with the numbers plugged in.");
  }
  return edited;
}

}  // namespace

LabChange ShowConvLab(ConvLabState* s, const ConvLabResult& r, ConvView* view) {
  // Wide: controls in a column on the left. Narrow (a phone): the maps first, then the
  // controls below them, all in the window's one scroll.
  LabChange controls = LabChange::kNone;
  bool edited = false;
  if (ImGui::GetContentRegionAvail().x < 760.0f) {
    edited = ShowMaps(s, r, view, true);
    ImGui::Separator();
    controls = ShowControls(s, r, view);
  } else {
    ImGui::BeginChild("controls", ImVec2(300.0f, 0.0f), false);
    controls = ShowControls(s, r, view);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("maps", ImVec2(0.0f, 0.0f), false, ImGuiWindowFlags_HorizontalScrollbar);
    edited = ShowMaps(s, r, view, false);
    ImGui::EndChild();
  }
  if (controls == LabChange::kNavigate) return controls;
  return edited ? LabChange::kEdit : controls;
}

bool ConvLabView::Open(const Link& link, LinkError* error) {
  ConvLabState state;
  if (!DecodeConvLab(link, &state, error)) return false;
  state_ = std::move(state);
  view_.selected_y = view_.selected_x = -1;
  Recompute();
  return true;
}

void ConvLabView::Reset() {
  state_ = ConvLabDefault();
  view_.selected_y = view_.selected_x = -1;
  Recompute();
}

std::string ConvLabView::Summary() const {
  if (!result_.error.empty()) return result_.error;
  std::string s = "Output " + std::to_string(result_.rows.out) + " by " +
                  std::to_string(result_.cols.out) + ". First row:";
  for (int x = 0; x < result_.output.dim(1) && x < 8; ++x)
    s += " " + FormatFloat(result_.output.at(0, x));
  return s + ".";
}

LabChange ConvLabView::Draw() {
  const LabChange change = ShowConvLab(&state_, result_, &view_);
  if (change != LabChange::kNone) Recompute();
  return change;
}

void ConvLabView::Layout(JsonWriter* j) const {
  auto grid = [&](const char* name, const GridView& g) {
    const GridRect& r = g.rect();
    j->Key(name).BeginObject().Key("x").Number(r.x).Key("y").Number(r.y);
    j->Key("cell").Number(r.cell).Key("rows").Int(r.rows).Key("cols").Int(r.cols).EndObject();
  };
  grid("input", view_.input_grid);
  grid("filter", view_.filter_grid);
  grid("output", view_.output_grid);
  j->Key("presets").BeginObject();
  for (const auto& [id, r] : view_.preset_rects) {
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  }
  j->EndObject();
}

}  // namespace nnplay::web
