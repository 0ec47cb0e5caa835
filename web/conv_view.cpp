// conv_view.cpp: the convolution lab's view. Layout: controls on the left (below the maps
// on a narrow screen); the input channels (with the padding ring); one row per filter with
// its channels, its output map, the map after ReLU and the pooled map (one channel and one
// filter: all in a single row); the arithmetic of the hovered or selected cell below.
#include "conv_view.h"

#include <algorithm>
#include <string>
#include <vector>

#include "browser.h"
#include "fonts.h"
#include "guide_view.h"
#include "lab_widgets.h"
#include "labs/conv_camera.h"
#include "labs/notation.h"
#include "link/number.h"
#include "platform/camera.h"
#include "theme.h"

namespace nnplay::web {
namespace {

bool SliderIntClamped(const char* label, int* v, int lo, int hi) {
  return ImGui::SliderInt(label, v, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
}

// Lowers *v to at most hi (a limit that depends on another setting); true if it changed.
bool Clamp(int* v, int hi) {
  if (*v <= hi) return false;
  *v = hi;
  return true;
}

// A row of small buttons that wraps at the window's edge; returns the index clicked or -1.
template <typename Preset>
int PresetButtons(const char* kind, const std::vector<Preset>& presets, ConvView* view) {
  int clicked = -1;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (size_t i = 0; i < presets.size(); ++i) {
    if (TapButton(presets[i].title)) clicked = static_cast<int>(i);
    HelpTip("conv", kind[0] == 'i' ? "input-preset" : "filter-preset");
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

GridView& Grid(std::vector<std::unique_ptr<GridView>>* grids, size_t i) {
  while (grids->size() <= i) grids->push_back(std::make_unique<GridView>());
  return *(*grids)[i];
}

// SameLine when a block `width` wide still fits on this line, else a new line.
void FlowNext(float width) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + style.ItemSpacing.x * 3.0f + width < right)
    ImGui::SameLine(0.0f, style.ItemSpacing.x * 3.0f);
}

// SameLine when a button labelled `label` still fits on this line.
void SameLineIfFits(const char* label) {
  SameLineIfRoom(ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2.0f);
}

void AddRect(ConvView* view, const char* id) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  view->preset_rects.emplace_back(id, ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
}

// ---- the camera source ---------------------------------------------------------------
// Camera / Freeze / Resume / Stop, the privacy note beside them, and the status line (the
// frames per second while live, the reason when the camera is unavailable). The requests
// are carried out by ConvLabView::CameraRequests after the lab has drawn.
void ShowCameraSource(ConvView* view) {
  ConvCamera& cam = view->camera;
  cam.request = ConvCamera::Request::kNone;
  if (!cam.live) {
    const char* label = cam.frozen ? CameraText::Resume() : CameraText::Start();
    if (TapButton(label)) cam.request = ConvCamera::Request::kStart;
    HelpTip("conv", cam.frozen ? "resume" : "camera");
    AddRect(view, "camera");
  } else {
    if (TapButton(CameraText::Freeze())) cam.request = ConvCamera::Request::kFreeze;
    HelpTip("conv", "freeze");
    AddRect(view, "freeze");
    ImGui::SameLine();
    if (TapButton(CameraText::Stop())) cam.request = ConvCamera::Request::kStop;
    HelpTip("conv", "camera-stop");
    AddRect(view, "camera-stop");
    const ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false))
      cam.request = ConvCamera::Request::kFreeze;
  }
  // The note beside the buttons when it fits, else below them.
  const char* note = CameraText::Privacy();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float width = ImGui::CalcTextSize(note).x, gap = ImGui::GetStyle().ItemSpacing.x * 0.5f;
  if (ImGui::GetItemRectMax().x + gap + width <= right) ImGui::SameLine(0.0f, gap);
  ImGui::PushStyleColor(ImGuiCol_Text, ColV(Pal().text_muted));
  ImGui::TextWrapped("%s", note);
  ImGui::PopStyleColor();
  HelpTip("conv", "camera");

  const bool failed = cam.status != CameraStatus::kOff && cam.status != CameraStatus::kStarting &&
                      cam.status != CameraStatus::kLive;
  if (cam.live && cam.status == CameraStatus::kLive) {
    ImGui::PushStyleColor(ImGuiCol_Text, ColV(Pal().text_muted));
    ImGui::TextWrapped("%s", CameraText::Live(platform::CameraFps()).c_str());
    ImGui::PopStyleColor();
  } else if (cam.live || failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, ColV(failed ? Pal().warning : Pal().text_muted));
    ImGui::TextWrapped("%s", CameraText::Status(cam.status).c_str());
    ImGui::PopStyleColor();
  } else if (cam.frozen) {
    ImGui::PushStyleColor(ImGuiCol_Text, ColV(Pal().text_muted));
    ImGui::TextWrapped("%s", CameraText::Frozen());
    ImGui::PopStyleColor();
  }
}

LabChange ShowControls(ConvLabState* s, const ConvLabResult& r, ConvView* view) {
  bool edited = false, navigated = false;
  view->preset_rects.clear();
  Section("Input image");
  if (const int i = PresetButtons("input", ConvInputPresets(), view); i >= 0) {
    ApplyInputPreset(ConvInputPresets()[static_cast<size_t>(i)], s);
    navigated = true;
    view->camera.input_replaced = true;
  }
  SameLineIfFits("Load image...");  // beside the last preset: room for the camera's row
  if (TapButton("Load image...")) PickFile(FilePurpose::kImage, ConvLabLimits::kMaxInput);
  {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    view->preset_rects.emplace_back("load-image", ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
  }
  HelpTip("conv", "load-image");
  ShowCameraSource(view);
  int c = s->channels(), h = s->input.dim(1), w = s->input.dim(2);
  bool resized =
      SliderIntClamped("rows##in", &h, ConvLabLimits::kMinInput, ConvLabLimits::kMaxInput);
  HelpTip("conv", "input-rows");
  resized |=
      SliderIntClamped("columns##in", &w, ConvLabLimits::kMinInput, ConvLabLimits::kMaxInput);
  HelpTip("conv", "input-cols");
  const bool rechanneled = SliderIntClamped("channels", &c, 1, ConvLabLimits::kMaxChannels);
  HelpTip("conv", "channels");
  if (resized || rechanneled) s->input.Resize({c, h, w}), edited = true;

  Section("Filters");
  if (const int i = PresetButtons("filter", ConvFilterPresets(), view); i >= 0) {
    ApplyFilterPreset(ConvFilterPresets()[static_cast<size_t>(i)], s);
    navigated = true;
  }
  int o = s->filters(), kh = s->filter.dim(2), kw = s->filter.dim(3);
  resized = SliderIntClamped("rows##f", &kh, ConvLabLimits::kMinFilter, ConvLabLimits::kMaxFilter);
  HelpTip("conv", "filter-rows");
  resized |=
      SliderIntClamped("columns##f", &kw, ConvLabLimits::kMinFilter, ConvLabLimits::kMaxFilter);
  HelpTip("conv", "filter-cols");
  resized |= SliderIntClamped("filters", &o, 1, ConvLabLimits::kMaxFilters);
  HelpTip("conv", "filters");
  // Filters follow the input's channels (those of their group).
  if (resized || s->filter.dim(1) != s->channels() / s->groups)
    s->filter.Resize({o, s->channels() / s->groups, kh, kw}), edited = true;

  Section("Convolution");
  // Per-axis settings: one slider per axis side by side (rows, then columns).
  auto pair = [&](const char* label, const char* help, int* a, int* b, int lo, int hi) {
    int v[2] = {*a, *b};
    const bool changed = ImGui::SliderInt2(label, v, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
    HelpTip("conv", help);
    if (changed) *a = v[0], *b = v[1];
    return changed;
  };
  // Stride and dilation first: they stay above the fold on a laptop screen.
  edited |= pair("stride", "stride", &s->stride_h, &s->stride_w, 1, ConvLabLimits::kMaxStride);
  edited |= pair("dilation", "dilation", &s->dil_h, &s->dil_w, 1, ConvLabLimits::kMaxDilation);
  int mode = s->transposed ? 1 : 0;
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("convolution", &mode, 0);
  ImGui::SameLine();
  edited |= ImGui::RadioButton("transposed", &mode, 1);
  ImGui::EndGroup();
  HelpTip("conv", "mode");
  s->transposed = mode == 1;
  int pmode = static_cast<int>(s->padding);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Padding");
  edited |= ImGui::RadioButton("valid", &pmode, static_cast<int>(PaddingMode::kValid));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("same", &pmode, static_cast<int>(PaddingMode::kSame));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("explicit", &pmode, static_cast<int>(PaddingMode::kExplicit));
  ImGui::EndGroup();
  HelpTip("conv", "padding");
  s->padding = static_cast<PaddingMode>(pmode);
  if (s->padding == PaddingMode::kExplicit) {
    int v[4] = {s->pad_top, s->pad_bottom, s->pad_left, s->pad_right};
    if (ImGui::SliderInt4("pad", v, 0, ConvLabLimits::kMaxPad, "%d",
                          ImGuiSliderFlags_AlwaysClamp)) {
      s->pad_top = v[0], s->pad_bottom = v[1], s->pad_left = v[2], s->pad_right = v[3];
      edited = true;
    }
    HelpTip("conv", "pad");
  }
  if (s->transposed && s->padding != PaddingMode::kSame) {
    // PyTorch's limit: each below the stride or the dilation of its axis.
    const int hi = std::max({s->stride_h, s->stride_w, s->dil_h, s->dil_w}) - 1;
    if (hi > 0) {
      edited |= pair("output padding", "output-padding", &s->out_pad_h, &s->out_pad_w, 0, hi);
    }
    edited |= Clamp(&s->out_pad_h, std::max(s->stride_h, s->dil_h) - 1);
    edited |= Clamp(&s->out_pad_w, std::max(s->stride_w, s->dil_w) - 1);
    ImGui::Checkbox("zero-stuffed view", &view->zero_stuffed);
    HelpTip("conv", "zero-stuffed");
  } else {
    edited |= Clamp(&s->out_pad_h, 0);
    edited |= Clamp(&s->out_pad_w, 0);
  }

  // Groups (below stride and dilation, which stay above the fold) must divide the channels
  // and the filters; a count that no longer divides them falls back to 1.
  int groups = s->groups;
  bool regrouped = SliderIntClamped("groups", &groups, 1, s->channels());
  HelpTip("conv", "groups");
  if (s->channels() % groups != 0 || s->filters() % groups != 0) groups = 1;
  if (groups != s->groups) s->groups = groups, regrouped = true;
  if (regrouped && s->filter.dim(1) != s->channels() / s->groups) {
    s->filter.Resize({s->filters(), s->channels() / s->groups, kh, kw});
    edited = true;
  }
  ImGui::TextWrapped("Parameters: %s", ConvParameterText(*s).c_str());

  Section("Output size");
  ImGui::TextUnformatted(
      ("Output size: " + ConvSizeRule(s->transposed, r.params.out_pad_h + r.params.out_pad_w > 0))
          .c_str());
  ImGui::TextWrapped("%s", r.rows.Formula("rows").c_str());
  ImGui::TextWrapped("%s", r.cols.Formula("columns").c_str());

  Section("After the convolution");
  edited |= ImGui::Checkbox("ReLU", &s->relu);
  HelpTip("conv", "relu");
  int pool = static_cast<int>(s->pool);
  edited |= ImGui::Combo("pooling", &pool, "none\0max\0average\0adaptive max\0adaptive average\0");
  HelpTip("conv", "pooling");
  s->pool = static_cast<PoolMode>(pool);
  if (s->pool == PoolMode::kMax || s->pool == PoolMode::kAvg) {
    edited |= pair("pool size", "pool-size", &s->pool_kh, &s->pool_kw, 1, ConvLabLimits::kMaxPool);
    edited |=
        pair("pool stride", "pool-stride", &s->pool_sh, &s->pool_sw, 1, ConvLabLimits::kMaxPool);
    edited |= pair("pool padding", "pool-padding", &s->pool_pad_h, &s->pool_pad_w, 0,
                   ConvLabLimits::kMaxPool / 2);
    // At most half the window (PyTorch's rule).
    edited |= Clamp(&s->pool_pad_h, s->pool_kh / 2);
    edited |= Clamp(&s->pool_pad_w, s->pool_kw / 2);
    if (s->pool == PoolMode::kMax) {
      edited |= pair("pool dilation", "pool-dilation", &s->pool_dil_h, &s->pool_dil_w, 1,
                     ConvLabLimits::kMaxPoolDilation);
    } else {
      s->pool_dil_h = s->pool_dil_w = 1;
      edited |= ImGui::Checkbox("count padded cells", &s->pool_count_pad);
      HelpTip("conv", "count-include-pad");
    }
    edited |= ImGui::Checkbox("ceil mode", &s->pool_ceil);
    HelpTip("conv", "ceil-mode");
  } else {
    // Options of windowed pooling go back to their defaults (so the link drops them).
    s->pool_pad_h = s->pool_pad_w = 0, s->pool_dil_h = s->pool_dil_w = 1;
    s->pool_ceil = false, s->pool_count_pad = true;
  }
  if (s->pool == PoolMode::kAdaptiveMax || s->pool == PoolMode::kAdaptiveAvg) {
    edited |= pair("pool output", "pool-output", &s->pool_out_h, &s->pool_out_w, 1,
                   ConvLabLimits::kMaxAdaptive);
    if (TapButton("global (1\xC3\x97"
                  "1)"))
      s->pool_out_h = s->pool_out_w = 1, edited = true;
    HelpTip("conv", "global-pool");
  }
  if (s->pool != PoolMode::kNone && r.error.empty()) {
    const Tensor& map = r.feature_map();
    ImGui::TextWrapped("%s", PoolAxisFormula(*s, map.dim(1), true).c_str());
    ImGui::TextWrapped("%s", PoolAxisFormula(*s, map.dim(2), false).c_str());
  }

  Section("Editing");
  ImGui::InputFloat("brush value", &view->brush, 0.0f, 0.0f, "%g");
  HelpTip("conv", "brush");
  ImGui::TextDisabled(
      "Click a cell to type a value (Enter\ncommits, Esc cancels); drag across\ncells to paint "
      "the brush value.");
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

// Input channels, then one row per filter: its channels, its output map, the map after
// ReLU and the pooled map; then the arithmetic of the output cell in focus.
bool ShowMaps(ConvLabState* s, const ConvLabResult& r, ConvView* view, bool narrow) {
  bool edited = false;
  const int channels = s->channels(), filters = s->filters();
  const bool has_output = r.error.empty() && !r.output.empty();
  const int oh = has_output ? r.output.dim(1) : 1, ow = has_output ? r.output.dim(2) : 1;
  if (!has_output || view->selected_o >= filters || view->selected_y >= oh ||
      view->selected_x >= ow)
    view->selected_o = view->selected_y = view->selected_x = -1;
  // The cell in focus: last frame's hover (outputs are drawn after the inputs they mark),
  // else the selection.
  int fo = view->selected_o, fy = view->selected_y, fx = view->selected_x;
  if (has_output && view->hover_o >= 0 && view->hover_o < filters && view->hover_y < oh &&
      view->hover_x < ow)
    fo = view->hover_o, fy = view->hover_y, fx = view->hover_x;

  ConvCellTrace trace;
  std::vector<std::vector<GridMark>> input_marks(static_cast<size_t>(channels));
  std::vector<GridMark> filter_marks;
  if (has_output && fo >= 0) {
    trace = TraceConvCell(*s, r, fo, fy, fx);
    for (const ConvTraceTerm& t : trace.terms) {
      input_marks[static_cast<size_t>(t.c)].push_back(
          {t.in_y, t.in_x, Col(Pal().field), kTimes + Num(t.weight, 3)});
    }
  }

  // Cell sizes: the input gets up to half the height, the filter rows share the rest.
  const Conv2dParams& p = r.params;
  const int in_rows = s->input.dim(1) + p.pad_top + p.pad_bottom;
  const int in_cols = s->input.dim(2) + p.pad_left + p.pad_right;
  const float gap = ImGui::GetStyle().ItemSpacing.x * 3.0f;
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const float avail_h = std::max(240.0f, ImGui::GetContentRegionAvail().y - 120.0f);
  const int kh = s->filter.dim(2), kw = s->filter.dim(3);
  const int ph = r.pooled.empty() ? 0 : r.pooled.dim(1),
            pw = r.pooled.empty() ? 0 : r.pooled.dim(2);
  const int row_cols = s->filter.dim(1) * kw + ow * (1 + (s->relu ? 1 : 0)) + pw;
  const int row_rows = std::max({kh, oh, ph});
  const bool one_row = channels == 1 && filters == 1 && !narrow;  // E9: everything side by side
  float in_cell, row_cell;
  if (one_row) {
    in_cell = row_cell = FitCellSize(std::max(in_rows, row_rows), in_cols + row_cols,
                                     ImVec2(avail_w - gap * 5.0f, avail_h), 44.0f);
  } else {
    in_cell =
        FitCellSize(in_rows, in_cols * channels,
                    ImVec2(avail_w - gap * static_cast<float>(channels), avail_h * 0.5f), 44.0f);
    const int blocks = channels + 3;
    row_cell =
        FitCellSize(row_rows * filters, row_cols,
                    ImVec2(avail_w - gap * static_cast<float>(blocks), avail_h * 0.5f), 44.0f);
    row_cell = std::max(row_cell, std::min(in_cell, 24.0f));
  }

  for (int c = 0; c < channels; ++c) {
    GridOptions o;
    o.cell = in_cell;
    o.editable = true;
    o.brush = view->brush;
    if (!s->transposed) {
      o.pad_top = p.pad_top, o.pad_left = p.pad_left;
      o.pad_bottom = p.pad_bottom, o.pad_right = p.pad_right;
    }
    o.marks = &input_marks[static_cast<size_t>(c)];
    o.help = HelpRef{"conv", "input-grid"};
    if (c > 0) FlowNext(in_cell * static_cast<float>(in_cols));
    ImGui::BeginGroup();
    if (channels > 1) {
      ImGui::Text("Input channel %d (%s)", c, Dims({s->input.dim(1), s->input.dim(2)}).c_str());
    } else {
      ImGui::Text("Input %s", Dims({s->input.dim(1), s->input.dim(2)}).c_str());
    }
    edited |= Grid(&view->input_grids, static_cast<size_t>(c))
                  .Draw("input", s->input.plane(c), s->input.dim(1), s->input.dim(2), o)
                  .changed;
    ImGui::EndGroup();
  }

  // The transposed convolution as a stride-1 convolution of the zero-stuffed input with the
  // turned filter: the stuffed planes, the cells the focused output reads outlined.
  if (has_output && s->transposed && view->zero_stuffed) {
    const ConvZeroStuffed z = ConvLabZeroStuffed(*s, r);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + avail_w);
    ImGui::TextWrapped("%s", ConvZeroStuffedCaption(*s, r).c_str());
    ImGui::PopTextWrapPos();
    const int zh = z.input.dim(1), zw = z.input.dim(2);
    const float z_cell =
        FitCellSize(zh, zw * channels,
                    ImVec2(avail_w - gap * static_cast<float>(channels), avail_h * 0.5f), 44.0f);
    std::vector<GridMark> marks;
    for (int c = 0; c < channels; ++c) {
      marks.clear();
      const int cpg = s->filter.dim(1), g0 = fo >= 0 ? fo / (filters / s->groups) * cpg : 0;
      if (fo >= 0 && c >= g0 && c < g0 + cpg) {
        for (int ky = 0; ky < kh; ++ky)
          for (int kx = 0; kx < kw; ++kx)
            marks.push_back({fy + ky * p.dil_h, fx + kx * p.dil_w, Col(Pal().field),
                             kTimes + Num(z.filter.at4(fo, c - g0, ky, kx), 3)});
      }
      GridOptions o;
      o.cell = z_cell;
      o.marks = &marks;
      o.help = HelpRef{"conv", "zero-stuffed"};
      if (c > 0) FlowNext(z_cell * static_cast<float>(zw));
      ImGui::BeginGroup();
      ImGui::Text("Zero-stuffed input %d (%s)", c, Dims({zh, zw}).c_str());
      Grid(&view->stuffed_grids, static_cast<size_t>(c))
          .Draw("stuffed", const_cast<float*>(z.input.plane(c)), zh, zw, o);
      ImGui::EndGroup();
    }
  }

  // The pooled cell under the pointer last frame: its window outlined on the map it reads.
  std::vector<GridMark> pool_marks;
  const int pool_o = view->pool_hover_o;
  if (has_output && pool_o >= 0 && pool_o < filters && !r.pooled.empty() &&
      view->pool_hover_y < r.pooled.dim(1) && view->pool_hover_x < r.pooled.dim(2)) {
    std::vector<int> cells;
    PoolWindowCells(*s, r, view->pool_hover_y, view->pool_hover_x, &cells);
    for (int cell : cells) pool_marks.push_back({cell / ow, cell % ow, Col(Pal().field), ""});
  }

  view->hover_o = view->hover_y = view->hover_x = -1;
  view->pool_hover_o = view->pool_hover_y = view->pool_hover_x = -1;
  // With groups a filter has one slice per input channel of its group.
  const int slices = s->filter.dim(1);
  for (int f = 0; f < filters; ++f) {
    ImGui::PushID(f);
    const int c0 = f / (filters / s->groups) * slices;
    for (int c = 0; c < slices; ++c) {
      const size_t i = static_cast<size_t>(f * slices + c);
      filter_marks.clear();
      if (fo == f) {
        for (const ConvTraceTerm& t : trace.terms)
          if (t.c == c0 + c) filter_marks.push_back({t.k_y, t.k_x, Col(Pal().field), ""});
      }
      GridOptions o;
      // Weights stay big enough to click and type into beside a camera-sized input.
      o.cell = std::max(row_cell, 24.0f);
      o.editable = true;
      o.brush = view->brush;
      o.marks = &filter_marks;
      o.help = HelpRef{"conv", "filter-grid"};
      if (one_row || c > 0) {
        FlowNext(o.cell * static_cast<float>(kw));
      }
      ImGui::BeginGroup();
      if (filters > 1 || channels > 1) {
        ImGui::Text("Filter %d ch %d", f, c0 + c);
      } else {
        ImGui::Text("Filter %s", Dims({kh, kw}).c_str());
      }
      ImGui::PushID(c);
      edited |= Grid(&view->filter_grids, i)
                    .Draw("filter", s->filter.plane(f * slices + c), kh, kw, o)
                    .changed;
      ImGui::PopID();
      ImGui::EndGroup();
    }
    FlowNext(row_cell * static_cast<float>(ow));
    ImGui::BeginGroup();
    if (has_output) {
      if (filters > 1) {
        ImGui::Text("Output %d (%s)", f, Dims({oh, ow}).c_str());
      } else {
        ImGui::Text("Output %s", Dims({oh, ow}).c_str());
      }
      GridOptions o;
      o.cell = row_cell;
      if (fo == f) o.selected_y = fy, o.selected_x = fx;
      o.help = HelpRef{"conv", "output-grid"};
      if (f == pool_o && r.activated.empty()) o.marks = &pool_marks;
      const GridEvents ev = Grid(&view->output_grids, static_cast<size_t>(f))
                                .Draw("output", const_cast<float*>(r.output.plane(f)), oh, ow, o);
      if (ev.hovered_y >= 0)
        view->hover_o = f, view->hover_y = ev.hovered_y, view->hover_x = ev.hovered_x;
      if (ev.clicked_y >= 0) {
        const bool same = f == view->selected_o && ev.clicked_y == view->selected_y &&
                          ev.clicked_x == view->selected_x;
        view->selected_o = same ? -1 : f;
        view->selected_y = same ? -1 : ev.clicked_y;
        view->selected_x = same ? -1 : ev.clicked_x;
      }
    } else if (f == 0) {
      ImGui::TextUnformatted("Output");
      ImGui::PushStyleColor(ImGuiCol_Text, Col(Pal().wrong));
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::min(320.0f, avail_w * 0.6f));
      ImGui::TextWrapped("%s", r.error.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
    }
    ImGui::EndGroup();
    if (has_output && !r.activated.empty()) {
      FlowNext(row_cell * static_cast<float>(ow));
      ImGui::BeginGroup();
      ImGui::TextUnformatted("ReLU");
      GridOptions o;
      o.cell = row_cell;
      o.help = HelpRef{"conv", "relu-grid"};
      if (f == pool_o) o.marks = &pool_marks;
      Grid(&view->relu_grids, static_cast<size_t>(f))
          .Draw("relu", const_cast<float*>(r.activated.plane(f)), oh, ow, o);
      ImGui::EndGroup();
    }
    if (has_output && s->pool != PoolMode::kNone) {
      FlowNext(row_cell * static_cast<float>(std::max(pw, 4)));
      ImGui::BeginGroup();
      ImGui::Text("%s pool %s",
                  s->pool == PoolMode::kMax || s->pool == PoolMode::kAdaptiveMax ? "Max" : "Avg",
                  Dims({r.pooled.empty() ? 0 : ph, r.pooled.empty() ? 0 : pw}).c_str());
      if (!r.pooled.empty()) {
        GridOptions o;
        o.cell = row_cell;
        o.help = HelpRef{"conv", "pool-grid"};
        const GridEvents ev = Grid(&view->pool_grids, static_cast<size_t>(f))
                                  .Draw("pool", const_cast<float*>(r.pooled.plane(f)), ph, pw, o);
        if (ev.hovered_y >= 0)
          view->pool_hover_o = f, view->pool_hover_y = ev.hovered_y,
          view->pool_hover_x = ev.hovered_x;
      } else {
        ImGui::TextWrapped("%s", r.pool_error.c_str());
      }
      ImGui::EndGroup();
    }
    ImGui::PopID();
  }

  ImGui::Spacing();
  if (view->pool_hover_o >= 0) {
    ImGui::Text(
        "pooled[%d][%d][%d] = %s", view->pool_hover_o, view->pool_hover_y, view->pool_hover_x,
        TracePoolCell(*s, r, view->pool_hover_o, view->pool_hover_y, view->pool_hover_x).c_str());
  } else if (has_output && fo >= 0) {
    ImGui::Text("output[%d][%d][%d] =", fo, fy, fx);
    ImGui::TextWrapped("%s", trace.text.c_str());
    if (channels > 1) {
      std::string sums;
      for (size_t c = 0; c < trace.channel_sums.size(); ++c)
        sums += (c ? " + " : "") + Num(trace.channel_sums[c]);
      ImGui::TextWrapped("channel sums: %s%s", sums.c_str(), Eq(trace.sum).c_str());
    }
    ImGui::TextDisabled("Green: the receptive field, each cell marked with the weight it meets.");
  } else if (has_output) {
    ImGui::TextWrapped("Hover or click an output cell to see its sum with the numbers plugged in.");
  }
  return edited;
}

}  // namespace

LabChange ShowConvLab(ConvLabState* s, const ConvLabResult& r, ConvView* view) {
  const bool narrow = ImGui::GetContentRegionAvail().x < 760.0f;
  return ShowLabPanes(
      300.0f, [&] { return ShowControls(s, r, view); },
      [&] { return ShowMaps(s, r, view, narrow); });
}

bool ConvLabView::Open(const Link& link, LinkError* error) {
  ConvLabState state;
  if (!DecodeConvLab(link, &state, error)) return false;
  StopCamera(false);  // a link (undo, back, a preset) replaces the live input
  state_ = std::move(state);
  view_.selected_o = view_.selected_y = view_.selected_x = -1;
  Recompute();
  return true;
}

bool ConvLabView::LoadImage(const unsigned char* rgba, int w, int h) {
  StopCamera(false);
  SetInputFromImage(rgba, w, h, &state_);
  view_.selected_o = view_.selected_y = view_.selected_x = -1;
  Recompute();
  return true;
}

void ConvLabView::Reset() {
  StopCamera(false);
  state_ = ConvLabDefault();
  view_.selected_o = view_.selected_y = view_.selected_x = -1;
  Recompute();
}

std::string ConvLabView::Summary() const {
  // Live video would change the sentence every frame: a screen reader hears it once.
  if (view_.camera.live) return CameraText::Status(view_.camera.status);
  if (!result_.error.empty()) return result_.error;
  std::string s = "Output " + std::to_string(result_.rows.out) + " by " +
                  std::to_string(result_.cols.out) + ". First row:";
  for (int x = 0; x < result_.output.dim(2) && x < 8; ++x)
    s += " " + Num(result_.output.at(0, 0, x));
  return s + ".";
}

LabChange ConvLabView::Draw() {
  ShowGuide(Id());
  FeedCamera();
  const std::vector<int> shape = state_.input.shape();
  LabChange change = ShowConvLab(&state_, result_, &view_);
  change = CameraRequests(change, shape);
  if (change != LabChange::kNone) Recompute();
  return change;
}

// ---- the camera source ---------------------------------------------------------------

std::string ConvLabView::Encode() const {
  if (!view_.camera.live) return EncodeConvLab(state_);
  ConvLabState kept = state_;  // what the link keeps while live: the input from before
  kept.input = view_.camera.held;
  return EncodeConvLab(kept);
}

bool ConvLabView::FeedCamera() {
  ConvCamera& cam = view_.camera;
  if (!cam.live) return false;
  cam.status = platform::CameraGetStatus();
  if (cam.status != CameraStatus::kStarting && cam.status != CameraStatus::kLive) {
    // Refused, missing or stopped: the lab keeps its image; the section says why.
    const CameraStatus why = cam.status;
    StopCamera(true);
    cam.status = why;
    return false;
  }
  if (cam.status != CameraStatus::kLive) return false;
  cam.rgba.resize(static_cast<size_t>(cam.rows) * static_cast<size_t>(cam.cols) * 4);
  if (!platform::CameraGrab(cam.rows, cam.cols, cam.rgba.data())) return false;
  if (!SetInputFromFrame(cam.rgba.data(), cam.cols, cam.rows, true, &state_)) return false;
  ++cam.frames;
  Recompute();
  return true;
}

LabChange ConvLabView::CameraRequests(LabChange change, const std::vector<int>& shape_before) {
  ConvCamera& cam = view_.camera;
  const ConvCamera::Request request = cam.request;
  cam.request = ConvCamera::Request::kNone;
  if (cam.live) {
    if (cam.input_replaced) StopCamera(false);  // an input preset: it is the input now
    // The size sliders set the frame size; the channel count applies to the kept input too
    // (the filters follow it, and the link must stay consistent).
    if (state_.input.shape() != shape_before) {
      cam.rows = state_.input.dim(1), cam.cols = state_.input.dim(2);
      if (cam.held.dim(0) != state_.channels())
        cam.held.Resize({state_.channels(), cam.held.dim(1), cam.held.dim(2)});
    }
  }
  cam.input_replaced = false;
  switch (request) {
    case ConvCamera::Request::kNone:
      break;
    case ConvCamera::Request::kStart:
      cam.held = state_.input;
      CameraFrameSize(state_, &cam.rows, &cam.cols);
      cam.live = true;
      cam.frozen = false;
      cam.frames = 0;
      cam.status = CameraStatus::kStarting;
      platform::CameraStart();
      break;
    case ConvCamera::Request::kFreeze:
      if (cam.frames == 0) {
        StopCamera(true);  // nothing arrived yet: nothing to keep
        break;
      }
      StopCamera(false);
      cam.frozen = true;
      // The frame is the input now: a history entry (undo returns to the image before), the
      // link, or the "too long for a link: export" notice for a large frame.
      return LabChange::kNavigate;
    case ConvCamera::Request::kStop:
      StopCamera(true);
      break;
  }
  return change;
}

void ConvLabView::StopCamera(bool restore) {
  ConvCamera& cam = view_.camera;
  cam.frozen = false;
  cam.status = CameraStatus::kOff;
  if (!cam.live) return;
  platform::CameraStop();
  cam.live = false;
  if (restore) {
    state_.input = cam.held;
    Recompute();
  }
  cam.held = Tensor();
}

void ConvLabView::Layout(JsonWriter* j) const {
  auto grid = [&](const char* name, const std::vector<std::unique_ptr<GridView>>& grids) {
    const GridRect r = grids.empty() ? GridRect() : grids[0]->rect();
    j->Key(name).BeginObject().Key("x").Number(r.x).Key("y").Number(r.y);
    j->Key("cell").Number(r.cell).Key("rows").Int(r.rows).Key("cols").Int(r.cols);
    j->Key("edit").BeginArray().Int(r.edit_y).Int(r.edit_x).EndArray();
    WriteMenuItemRect(j, r);
    j->EndObject();
  };
  grid("input", view_.input_grids);
  grid("filter", view_.filter_grids);
  grid("output", view_.output_grids);
  // The output cell under the pointer (filter, row, column), or -1s.
  j->Key("hover").BeginArray().Int(view_.hover_o).Int(view_.hover_y).Int(view_.hover_x).EndArray();
  // The camera source, for tests: live or not, its status (CameraStatus as a number), the
  // frames fed since it started.
  const ConvCamera& cam = view_.camera;
  j->Key("camera").BeginObject().Key("live").Bool(cam.live).Key("frozen").Bool(cam.frozen);
  j->Key("status").Int(static_cast<int>(cam.status)).Key("frames").Int(cam.frames);
  j->Key("message").String(CameraText::Status(cam.status)).EndObject();
  j->Key("presets").BeginObject();
  for (const auto& [id, r] : view_.preset_rects) {
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  }
  j->EndObject();
}

}  // namespace nnplay::web
