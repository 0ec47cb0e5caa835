// mlp_view.cpp: the Neuron & MLP lab's view. Wide: controls (presets, architecture, fills,
// mode and target, check my work) in a column on the left; the parameter count, the network
// diagram, the arithmetic of the selection, the lab's notes and one row of grids per layer
// on the right. Narrow (a phone): everything stacked in one scroll, the network first.
//
// [SECTION] helpers
// [SECTION] controls
// [SECTION] diagram
// [SECTION] layer grids
// [SECTION] MlpLabView
#include "mlp_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "check_view.h"
#include "fonts.h"
#include "guide_view.h"
#include "lab_widgets.h"
#include "link/number.h"
#include "theme.h"

namespace nnplay::web {
namespace {

// ---- [SECTION] helpers ----------------------------------------------------------------------

const char* const kFillNames[] = {"constant", "uniform", "Xavier", "He"};

// A column vector (n x 1) for the grid widget, from a rank-1 tensor.
Tensor Column(const Tensor& v) {
  Tensor t({static_cast<int>(v.size()), 1});
  std::copy(v.values().begin(), v.values().end(), t.data());
  return t;
}

void CopyBack(const Tensor& column, Tensor* v) {
  std::copy(column.values().begin(), column.values().end(), v->data());
}

// A row of small buttons that wraps at the window's edge; returns the index clicked or -1.
int PresetButtons(MlpView* view) {
  int clicked = -1;
  const std::vector<MlpPreset>& presets = MlpPresets();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (size_t i = 0; i < presets.size(); ++i) {
    if (TapButton(presets[i].title)) clicked = static_cast<int>(i);
    HelpTip("mlp", "preset");
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    view->preset_rects.emplace_back(presets[i].id, ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
    if (i + 1 < presets.size()) {
      const float next = ImGui::CalcTextSize(presets[i + 1].title).x + style.FramePadding.x * 2;
      if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + next < right) ImGui::SameLine();
    }
  }
  return clicked;
}

// ---- [SECTION] controls ---------------------------------------------------------------------

// Presets, architecture, fills, mode and target. Returns kNavigate for a preset.
LabChange ShowControls(MlpLabState* s, MlpView* view) {
  bool edited = false, structure = false;
  view->preset_rects.clear();
  Section("Presets (exercises)");
  if (const int i = PresetButtons(view); i >= 0) {
    *s = MlpPresets()[static_cast<size_t>(i)].make();
    return LabChange::kNavigate;
  }
  Section("Network");
  ImGui::PushItemWidth(ControlWidth());
  int n = static_cast<int>(s->x.size());
  if (ImGui::SliderInt("input size", &n, MlpLabLimits::kMinUnits, MlpLabLimits::kMaxUnits, "%d",
                       ImGuiSliderFlags_AlwaysClamp)) {
    SetMlpInputSize(s, n);
    structure = true;
  }
  HelpTip("mlp", "input-size");
  const int count = static_cast<int>(s->layers.size());
  for (int l = 0; l < count; ++l) {
    MlpLayer& ly = s->layers[static_cast<size_t>(l)];
    ImGui::PushID(l);
    ImGui::Text("Layer %d", l + 1);
    int units = ly.units();
    if (ImGui::SliderInt("units", &units, MlpLabLimits::kMinUnits, MlpLabLimits::kMaxUnits, "%d",
                         ImGuiSliderFlags_AlwaysClamp)) {
      SetMlpUnits(s, l, units);
      structure = true;
    }
    HelpTip("mlp", "units");
    int act = static_cast<int>(ly.activation);
    const char* names[kMlpActivationCount];
    for (int a = 0; a < kMlpActivationCount; ++a)
      names[a] = MlpActivationName(static_cast<MlpActivation>(a));
    if (ImGui::Combo("activation", &act, names, kMlpActivationCount)) {
      s->layers[static_cast<size_t>(l)].activation = static_cast<MlpActivation>(act);
      structure = true;  // the check steps change with a softmax last layer
    }
    HelpTip("mlp", "activation");
    bool bias = s->layers[static_cast<size_t>(l)].has_bias;
    if (ImGui::Checkbox("has bias", &bias)) SetMlpBias(s, l, bias), edited = true;
    HelpTip("mlp", "bias");
    // Fill helpers for W (and b).
    const size_t li = static_cast<size_t>(l);
    ImGui::SetNextItemWidth(100.0f);
    ImGui::Combo("##fill", &view->fill_kind[li], kFillNames, 4);
    HelpTip("mlp", "fill-kind");
    ImGui::SameLine();
    const MlpFill kind = static_cast<MlpFill>(view->fill_kind[li]);
    if (kind == MlpFill::kConstant) {
      ImGui::SetNextItemWidth(70.0f);
      ImGui::InputFloat("##c", &view->fill_a[li], 0.0f, 0.0f, "%g");
      HelpTip("mlp", "fill-constant");
    } else {
      if (kind == MlpFill::kUniform) {
        ImGui::SetNextItemWidth(55.0f);
        ImGui::InputFloat("##lo", &view->fill_a[li], 0.0f, 0.0f, "%g");
        HelpTip("mlp", "fill-lo");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(55.0f);
        ImGui::InputFloat("##hi", &view->fill_b[li], 0.0f, 0.0f, "%g");
        HelpTip("mlp", "fill-hi");
        ImGui::SameLine();
      }
      ImGui::SetNextItemWidth(70.0f);
      ImGui::InputInt("seed", &view->fill_seed[li], 0, 0);
      HelpTip("mlp", "fill-seed");
      view->fill_seed[li] = std::max(0, view->fill_seed[li]);
    }
    ImGui::SameLine();
    if (TapButton("fill W")) {
      const bool finite = std::isfinite(view->fill_a[li]) && std::isfinite(view->fill_b[li]);
      if (finite) {
        FillMlpWeights(s, l, kind, view->fill_a[li], view->fill_b[li],
                       static_cast<uint32_t>(view->fill_seed[li]));
        edited = true;
      }
    }
    HelpTip("mlp", "fill-w");
    if (s->layers[li].has_bias) {
      ImGui::SetNextItemWidth(70.0f);
      ImGui::InputFloat("##bfill", &view->bias_fill[li], 0.0f, 0.0f, "%g");
      HelpTip("mlp", "bias-fill");
      ImGui::SameLine();
      if (TapButton("fill b") && std::isfinite(view->bias_fill[li])) {
        FillMlpBiases(s, l, view->bias_fill[li]);
        edited = true;
      }
      HelpTip("mlp", "fill-b");
    }
    ImGui::PopID();
  }
  ImGui::BeginDisabled(count >= MlpLabLimits::kMaxLayers);
  if (ImGui::Button("+ layer")) AddMlpLayer(s), structure = true;
  ImGui::EndDisabled();
  HelpTip("mlp", "add-layer");
  ImGui::SameLine();
  ImGui::BeginDisabled(count <= 1);
  if (ImGui::Button("- last layer")) RemoveMlpLayer(s), structure = true;
  ImGui::EndDisabled();
  HelpTip("mlp", "remove-layer");
  Hint(("Fills: uniform U(lo, hi); Xavier U(" + std::string(kPlusMinus) + kSqrt +
        "(6/(in + out))); He U(" + kPlusMinus + kSqrt +
        "(6/in)); PCG32 with the seed, rounded to 2 decimals.")
           .c_str());

  Section("Forward and backward");
  int mode = static_cast<int>(s->mode);
  ImGui::BeginGroup();
  bool mode_changed = ImGui::RadioButton("forward", &mode, 0);
  ImGui::SameLine();
  mode_changed |= ImGui::RadioButton("backward (gradients)", &mode, 1);
  ImGui::EndGroup();
  HelpTip("mlp", "mode");
  if (mode_changed) s->mode = static_cast<MlpMode>(mode), structure = true;
  int target = s->target;
  if (ImGui::SliderInt("target class", &target, 1, s->layers.back().units(), "%d",
                       ImGuiSliderFlags_AlwaysClamp)) {
    s->target = target;
    edited = true;
  }
  HelpTip("mlp", "target");
  ImGui::PopItemWidth();
  if (structure) NormalizeMlpCheck(s);
  return edited || structure ? LabChange::kEdit : LabChange::kNone;
}

// "Parameters: W1 3x4 = 12, W2 2x3 = 6, W3 2x2 = 4; total 22"
void ShowParameterCount(const MlpLabState& s, const MlpLabResult& r) {
  std::string text = "Parameters:";
  for (size_t l = 0; l < s.layers.size(); ++l) {
    const std::string n = std::to_string(l + 1);
    const MlpLayer& ly = s.layers[l];
    text += (l ? ";  W" : "  W") + Sub(n) + " " + std::to_string(ly.units()) + kTimes +
            std::to_string(ly.inputs()) + " = " + Count(r.layers[l].weights);
    if (ly.has_bias) text += ", b" + Sub(n) + " = " + Count(r.layers[l].biases);
  }
  text += ";  total " + std::to_string(r.parameters);
  ImGui::TextWrapped("%s", text.c_str());
}

// ---- [SECTION] diagram ----------------------------------------------------------------------

ImU32 ValueColor(float v, float absmax) {
  return DivergingColor(absmax > 0 && std::isfinite(v) ? v / absmax : 0.0f);
}

// Nodes per unit (coloured by a), edges coloured by the sign of w and as thick as |w|.
// Clicking a node selects the unit; clicking an edge selects the weight.
void ShowDiagram(const MlpLabState& s, const MlpLabResult& r, MlpView* view, float height) {
  const int L = static_cast<int>(s.layers.size());
  const float width = std::max(200.0f, ImGui::GetContentRegionAvail().x);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  view->diagram_rect = ImVec4(origin.x, origin.y, width, height);
  ImGui::InvisibleButton("diagram", ImVec2(width, height));
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), Col(Pal().panel), 4.0f);

  const float label_h = ImGui::GetTextLineHeight() + 4.0f;
  const float top = origin.y + label_h + 4.0f, bottom = origin.y + height - 6.0f;
  int max_units = static_cast<int>(s.x.size());
  for (const MlpLayer& ly : s.layers) max_units = std::max(max_units, ly.units());
  const float radius =
      std::clamp((bottom - top) / static_cast<float>(max_units) * 0.38f, 3.0f, 15.0f);
  // Room on the right for the last column's values.
  const float left = radius + 14.0f;
  const float right = radius + 6.0f + (radius >= 9.0f ? ImGui::CalcTextSize("-0.000").x : 0.0f);
  auto column_x = [&](int c) {
    return origin.x + left + (width - left - right) * static_cast<float>(c) / static_cast<float>(L);
  };
  auto node = [&](int c, int i, int n) {
    const float step = (bottom - top) / static_cast<float>(n);
    return ImVec2(column_x(c), top + step * (static_cast<float>(i) + 0.5f));
  };
  auto units_of = [&](int c) {
    return c == 0 ? static_cast<int>(s.x.size()) : s.layers[c - 1].units();
  };
  auto value_of = [&](int c, int i) {
    return c == 0 ? s.x[static_cast<size_t>(i)] : r.layers[c - 1].a[static_cast<size_t>(i)];
  };

  // Edges, and the one nearest the mouse for a click.
  float best = 6.0f;
  int hit_l = -1, hit_o = -1, hit_i = -1;
  for (int l = 0; l < L; ++l) {
    const MlpLayer& ly = s.layers[static_cast<size_t>(l)];
    float wmax = 0;
    for (float w : ly.w.values())
      if (std::isfinite(w)) wmax = std::max(wmax, std::fabs(w));
    for (int o = 0; o < ly.units(); ++o) {
      for (int i = 0; i < ly.inputs(); ++i) {
        const float w = ly.w.at(o, i);
        const ImVec2 a = node(l, i, ly.inputs()), b = node(l + 1, o, ly.units());
        const float t = wmax > 0 && std::isfinite(w) ? std::fabs(w) / wmax : 0.0f;
        const bool sel =
            view->weight_layer == l && view->weight_unit == o && view->weight_input == i;
        ImU32 col = w > 0 ? Col(Pal().positive) : w < 0 ? Col(Pal().negative) : Col(Pal().zero);
        if (!sel) col = (col & 0x00FFFFFF) | (static_cast<ImU32>(90 + 165 * t) << 24);
        dl->AddLine(a, b, sel ? Col(Pal().selection) : col,
                    sel ? 3.0f + 4.0f * t : 0.5f + 4.0f * t);
        if (clicked) {
          const float d = DistanceToSegment(mouse, a, b);
          if (d < best) best = d, hit_l = l, hit_o = o, hit_i = i;
        }
      }
    }
  }
  // Nodes and column labels.
  view->node_centers.clear();
  for (int c = 0; c <= L; ++c) {
    const int n = units_of(c);
    float amax = 0;
    for (int i = 0; i < n; ++i)
      if (std::isfinite(value_of(c, i))) amax = std::max(amax, std::fabs(value_of(c, i)));
    const std::string label =
        c == 0 ? "x" : "a" + Sub(c) + " " + MlpActivationName(s.layers[c - 1].activation);
    const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(column_x(c) - ls.x * 0.5f, origin.y + 3.0f), Col(Pal().text), label.c_str());
    for (int i = 0; i < n; ++i) {
      const ImVec2 p = node(c, i, n);
      const float v = value_of(c, i);
      view->node_centers.emplace_back("n" + std::to_string(c) + "_" + std::to_string(i), p);
      dl->AddCircleFilled(p, radius, ValueColor(v, amax));
      const bool sel = c > 0 && view->unit_layer == c - 1 && view->unit == i;
      dl->AddCircle(p, radius, sel ? Col(Pal().selection) : Col(Pal().node_line), 0,
                    sel ? 3.0f : 1.0f);
      if (radius >= 9.0f) {  // the value beside the node
        const std::string t = Num(v, 3);
        dl->AddText(ImVec2(p.x + radius + 2.0f, p.y - radius - 2.0f), Col(Pal().text), t.c_str());
      }
      if (clicked && c > 0) {
        const float dx = mouse.x - p.x, dy = mouse.y - p.y;
        if (dx * dx + dy * dy <= (radius + 2) * (radius + 2)) {
          view->unit_layer = c - 1, view->unit = i;
          hit_l = -1;  // a node wins over the edges under it
          best = -1;
        }
      }
    }
  }
  if (clicked && hit_l >= 0 && best >= 0) {
    view->weight_layer = hit_l, view->weight_unit = hit_o, view->weight_input = hit_i;
    view->unit_layer = hit_l, view->unit = hit_o;
  }
}

// The arithmetic of the selected unit and weight, the loss, the notes.
void ShowTraces(const MlpLabState& s, const MlpLabResult& r, MlpView* view) {
  const int L = static_cast<int>(s.layers.size());
  if (view->unit_layer >= L ||
      (view->unit_layer >= 0 &&
       view->unit >= s.layers[static_cast<size_t>(view->unit_layer)].units()))
    view->unit_layer = view->unit = -1;
  if (view->weight_layer >= L ||
      (view->weight_layer >= 0 &&
       (view->weight_unit >= s.layers[static_cast<size_t>(view->weight_layer)].units() ||
        view->weight_input >= s.layers[static_cast<size_t>(view->weight_layer)].inputs())))
    view->weight_layer = view->weight_unit = view->weight_input = -1;
  const bool backward = s.mode == MlpMode::kBackward;
  if (view->unit_layer >= 0) {
    ImGui::TextWrapped("%s", TraceMlpZ(s, r, view->unit_layer, view->unit).c_str());
    ImGui::TextWrapped("%s", TraceMlpA(s, r, view->unit_layer, view->unit).c_str());
    if (backward) {
      ImGui::TextWrapped("%s", TraceMlpDa(s, r, view->unit_layer, view->unit).c_str());
      ImGui::TextWrapped("%s", TraceMlpDz(s, r, view->unit_layer, view->unit).c_str());
    }
  } else {
    Hint("Click a unit (a node, or a z/a cell) to see its arithmetic.");
  }
  if (backward) {
    ImGui::TextWrapped("%s", TraceMlpLoss(s, r).c_str());
    if (view->weight_layer >= 0) {
      ImGui::TextColored(
          ColV(Pal().accent), "%s",
          TraceMlpDw(s, r, view->weight_layer, view->weight_unit, view->weight_input).c_str());
    } else {
      Hint("Click a weight (an edge, or a W cell) for its chain-rule product.");
    }
  }
  for (const std::string& note : r.notes) {
    ImGui::PushStyleColor(ImGuiCol_Text, Col(Pal().warning));
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }
}

// ---- [SECTION] layer grids ------------------------------------------------------------------

// A labelled grid in a group; returns its events.
GridEvents LabeledGrid(const char* label, GridView* grid, Tensor* t, float cell, bool editable,
                       int sel_y = -1, int sel_x = -1) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(label);
  GridOptions o;
  o.cell = cell;
  o.editable = editable;
  o.brush = 0.0f;
  o.selected_y = sel_y, o.selected_x = sel_x;
  o.help = editable ? HelpRef{"mlp", "edit-grid"} : HelpRef{"mlp", "value-grid"};
  const GridEvents ev = grid->Draw(label, t, o);
  ImGui::EndGroup();
  return ev;
}

bool ShowLayerGrids(MlpLabState* s, const MlpLabResult& r, MlpView* view) {
  bool edited = false;
  const bool backward = s->mode == MlpMode::kBackward;
  const float gap = ImGui::GetStyle().ItemSpacing.x * 2.0f;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float right = ImGui::GetCursorScreenPos().x + avail;
  // Places the next group beside the last one if it fits, else on a new line.
  auto next_to = [&](float next_width) {
    if (ImGui::GetItemRectMax().x + gap + next_width <= right) ImGui::SameLine(0.0f, gap);
  };

  for (size_t l = 0; l < s->layers.size(); ++l) {
    MlpLayer& ly = s->layers[l];
    const MlpLayerResult& lr = r.layers[l];
    MlpView::LayerGrids& g = view->grids[l];
    const int layer = static_cast<int>(l);
    const std::string n = std::to_string(l + 1);
    if (l > 0) ImGui::Separator();
    ImGui::Text("Layer %s: %s, %d units%s", n.c_str(), MlpActivationName(ly.activation), ly.units(),
                ly.has_bias ? ", with bias" : ", no bias");
    // Cells wide enough for "-0.509" where there is room: W (with x before it in layer 1),
    // z and a on one line if possible; the rest of the row wraps.
    const int cols = ly.inputs() + 3 + (l == 0 ? 1 : 0);
    const float cell =
        std::clamp(std::floor((avail - gap * 4.0f) / static_cast<float>(cols)), 8.0f, 52.0f);
    if (l == 0) {
      Tensor x = Column(s->x);
      if (LabeledGrid("x", &view->x_grid, &x, cell, true).changed)
        CopyBack(x, &s->x), edited = true;
      ImGui::SameLine(0.0f, gap);
    }
    const std::string wl = "W" + Sub(n), bl = "b" + Sub(n), zl = "z" + Sub(n), al = "a" + Sub(n);
    const bool wsel = view->weight_layer == layer;
    GridEvents ev = LabeledGrid(wl.c_str(), &g.w, &ly.w, cell, true, wsel ? view->weight_unit : -1,
                                wsel ? view->weight_input : -1);
    edited |= ev.changed;
    if (ev.clicked_y >= 0) {
      view->weight_layer = layer, view->weight_unit = ev.clicked_y,
      view->weight_input = ev.clicked_x;
      view->unit_layer = layer, view->unit = ev.clicked_y;
    }
    const float column_w = cell + 8.0f;
    if (ly.has_bias) {
      next_to(column_w);
      Tensor b = Column(ly.b);
      if (LabeledGrid(bl.c_str(), &g.b, &b, cell, true).changed) CopyBack(b, &ly.b), edited = true;
    }
    const bool usel = view->unit_layer == layer;
    Tensor z = Column(lr.z), a = Column(lr.a);
    next_to(column_w);
    ev = LabeledGrid(zl.c_str(), &g.z, &z, cell, false, usel ? view->unit : -1, usel ? 0 : -1);
    if (ev.clicked_y >= 0) view->unit_layer = layer, view->unit = ev.clicked_y;
    next_to(column_w);
    ev = LabeledGrid(al.c_str(), &g.a, &a, cell, false, usel ? view->unit : -1, usel ? 0 : -1);
    if (ev.clicked_y >= 0) view->unit_layer = layer, view->unit = ev.clicked_y;
    if (!backward) continue;
    const std::string dzl = Partial("L", "z" + Sub(n)), dal = Partial("L", "a" + Sub(n)),
                      dwl = Partial("L", "W" + Sub(n)), dbl = Partial("L", "b" + Sub(n));
    Tensor dz = Column(lr.dz);
    next_to(column_w);
    ev = LabeledGrid(dzl.c_str(), &g.dz, &dz, cell, false, usel ? view->unit : -1, usel ? 0 : -1);
    if (ev.clicked_y >= 0) view->unit_layer = layer, view->unit = ev.clicked_y;
    if (!lr.da.empty()) {
      Tensor da = Column(lr.da);
      next_to(column_w);
      ev = LabeledGrid(dal.c_str(), &g.da, &da, cell, false, usel ? view->unit : -1, usel ? 0 : -1);
      if (ev.clicked_y >= 0) view->unit_layer = layer, view->unit = ev.clicked_y;
    }
    Tensor dw = lr.dw;
    next_to(cell * static_cast<float>(ly.inputs()));
    ev = LabeledGrid(dwl.c_str(), &g.dw, &dw, cell, false, wsel ? view->weight_unit : -1,
                     wsel ? view->weight_input : -1);
    if (ev.clicked_y >= 0) {
      view->weight_layer = layer, view->weight_unit = ev.clicked_y,
      view->weight_input = ev.clicked_x;
    }
    if (!lr.db.empty()) {
      Tensor db = Column(lr.db);
      next_to(column_w);
      LabeledGrid(dbl.c_str(), &g.db, &db, cell, false);
    }
  }
  return edited;
}

bool ShowNetwork(MlpLabState* s, const MlpLabResult& r, MlpView* view, bool narrow) {
  ShowParameterCount(*s, r);
  ShowDiagram(*s, r, view, narrow ? 220.0f : 280.0f);
  ShowTraces(*s, r, view);
  const bool edited = ShowLayerGrids(s, r, view);
  ImGui::Spacing();
  Hint("Click a W, b or x cell to type a value (Enter commits, Esc cancels, Tab moves on).");
  return edited;
}

bool ShowCheck(MlpLabState* s, const MlpLabResult& r) {
  ImGui::Separator();
  return ShowCheckMyWork(MlpCheckSteps(*s, r), &s->check, MlpCheckRecompute(*s));
}

}  // namespace

LabChange ShowMlpLab(MlpLabState* s, MlpLabResult* r, MlpView* view) {
  // After a structure edit or a preset, the result is brought up to date at once: what is
  // drawn next in this frame reads it with the new shapes.
  LabChange controls = LabChange::kNone;
  bool edited = false;
  if (ImGui::GetContentRegionAvail().x < 820.0f) {
    edited = ShowNetwork(s, *r, view, true);
    ImGui::Separator();
    controls = ShowControls(s, view);
    if (controls != LabChange::kNone || edited) EvaluateMlpLab(*s, r);
    edited |= ShowCheck(s, *r);
  } else {
    ImGui::BeginChild("controls", ImVec2(360.0f, 0.0f), false);
    controls = ShowControls(s, view);
    if (controls != LabChange::kNone) EvaluateMlpLab(*s, r);
    edited |= ShowCheck(s, *r);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("network", ImVec2(0.0f, 0.0f), false, ImGuiWindowFlags_HorizontalScrollbar);
    edited |= ShowNetwork(s, *r, view, false);
    ImGui::EndChild();
  }
  if (controls == LabChange::kNavigate) return controls;
  return edited || controls == LabChange::kEdit ? LabChange::kEdit : LabChange::kNone;
}

// ---- [SECTION] MlpLabView -------------------------------------------------------------------

MlpLabView::MlpLabView() {
  for (size_t l = 0; l < view_.fill_a.size(); ++l) {
    view_.fill_a[l] = 0.1f, view_.fill_b[l] = 1.0f;
    view_.fill_seed[l] = static_cast<int>(l) + 1;
  }
  Recompute();
}

void MlpLabView::ClearSelection() {
  view_.unit_layer = view_.unit = -1;
  view_.weight_layer = view_.weight_unit = view_.weight_input = -1;
}

bool MlpLabView::Open(const Link& link, LinkError* error) {
  MlpLabState state;
  if (!DecodeMlpLab(link, &state, error)) return false;
  state_ = std::move(state);
  ClearSelection();
  Recompute();
  return true;
}

void MlpLabView::Reset() {
  state_ = MlpLabDefault();
  ClearSelection();
  Recompute();
}

std::string MlpLabView::Summary() const {
  std::string s = std::to_string(state_.layers.size()) + " layers, " +
                  std::to_string(result_.parameters) + " parameters. Output:";
  for (size_t i = 0; i < result_.layers.back().a.size() && i < 8; ++i)
    s += " " + MlpNumber(result_.layers.back().a[i]);
  s += ".";
  if (state_.mode == MlpMode::kBackward) s += " Loss " + MlpNumber(result_.loss) + ".";
  return s;
}

LabChange MlpLabView::Draw() {
  ShowGuide(Id());
  const LabChange change = ShowMlpLab(&state_, &result_, &view_);
  if (change == LabChange::kNavigate) ClearSelection();
  if (change != LabChange::kNone) Recompute();
  return change;
}

void MlpLabView::Layout(JsonWriter* j) const {
  auto grid = [&](const std::string& name, const GridView& g) {
    const GridRect& r = g.rect();
    j->Key(name).BeginObject().Key("x").Number(r.x).Key("y").Number(r.y);
    j->Key("cell").Number(r.cell).Key("rows").Int(r.rows).Key("cols").Int(r.cols).EndObject();
  };
  grid("input", view_.x_grid);
  for (size_t l = 0; l < state_.layers.size(); ++l) {
    const std::string n = std::to_string(l + 1);
    grid("w" + n, view_.grids[l].w);
    if (state_.layers[l].has_bias) grid("b" + n, view_.grids[l].b);
    grid("z" + n, view_.grids[l].z);
    grid("a" + n, view_.grids[l].a);
  }
  const ImVec4& d = view_.diagram_rect;
  j->Key("diagram").BeginArray().Number(d.x).Number(d.y).Number(d.z).Number(d.w).EndArray();
  j->Key("nodes").BeginObject();
  for (const auto& [id, p] : view_.node_centers)
    j->Key(id).BeginArray().Number(p.x).Number(p.y).EndArray();
  j->EndObject();
  j->Key("selection").BeginObject().Key("unit_layer").Int(view_.unit_layer);
  j->Key("unit").Int(view_.unit).Key("weight_layer").Int(view_.weight_layer);
  j->Key("weight_unit").Int(view_.weight_unit).Key("weight_input").Int(view_.weight_input);
  j->EndObject();
  j->Key("presets").BeginObject();
  for (const auto& [id, r] : view_.preset_rects)
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  j->EndObject();
}

}  // namespace nnplay::web
