// flow_view.cpp: the gradient-flow lab's view. Wide: controls in a column on the left,
// the two plots, the arithmetic and check my work on the right. Narrow (a phone): the
// plots first, then the arithmetic, the controls and check my work, in one scroll.
#include "flow_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "check_view.h"
#include "fonts.h"
#include "guide_view.h"
#include "theme.h"

namespace nnplay::web {
namespace {

// A gradient norm or ratio beside the plot: 3 significant digits (labs/notation.h).
std::string Sci(double v) {
  return Num(v, 3);
}

ImVec4 ItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

}  // namespace

bool FlowLabView::ShowConfig(const char* name, FlowConfig* c) {
  bool edited = false;
  const std::string p = std::string(name) == "A" ? "a_" : "b_";
  ImGui::PushID(name);
  ImGui::TextColored(ColV(name[0] == 'A' ? Pal().series_2 : Pal().series_1), "Configuration %s",
                     name);
  int act = static_cast<int>(c->act);
  if (ImGui::Combo("activation", &act, "sigmoid\0tanh\0ReLU\0leaky ReLU (0.01)\0")) {
    c->act = static_cast<FlowActivation>(act);
    edited = true;
  }
  HelpTip("flow", "activation");
  edited |= ImGui::SliderInt("layers", &c->depth, FlowLabLimits::kMinDepth,
                             FlowLabLimits::kMaxDepth, "%d", ImGuiSliderFlags_AlwaysClamp);
  HelpTip("flow", "layers");
  rects_.emplace_back(p + "depth", ItemRect());
  edited |= ImGui::SliderInt("width", &c->width, FlowLabLimits::kMinWidth, FlowLabLimits::kMaxWidth,
                             "%d", ImGuiSliderFlags_AlwaysClamp);
  HelpTip("flow", "width");
  int init = static_cast<int>(c->init);
  if (ImGui::Combo("init", &init, "constant w\0uniform(-w, w)\0Xavier\0He\0")) {
    c->init = static_cast<FlowInit>(init);
    edited = true;
  }
  HelpTip("flow", "init");
  if (c->init == FlowInit::kConstant || c->init == FlowInit::kUniform) {
    float w = c->w;
    if (ImGui::InputFloat("w", &w, 0.0f, 0.0f, "%g", ImGuiInputTextFlags_AutoSelectAll) &&
        std::isfinite(w)) {
      c->w = std::clamp(w, -FlowLabLimits::kMaxWeight, FlowLabLimits::kMaxWeight);
      edited = true;
    }
    HelpTip("flow", "w");
    rects_.emplace_back(p + "w", ItemRect());
  }
  if (c->init != FlowInit::kConstant) {
    int seed = c->seed;
    if (ImGui::InputInt("weight seed", &seed, 1, 10) && seed >= 0 &&
        seed <= FlowLabLimits::kMaxSeed) {
      c->seed = seed;
      edited = true;
    }
    HelpTip("flow", "weight-seed");
  }
  edited |= ImGui::Checkbox("residual: a = g(W a_prev) + a_prev", &c->residual);
  HelpTip("flow", "residual");
  ImGui::PopID();
  return edited;
}

LabChange FlowLabView::ShowControls() {
  bool edited = false, navigated = false;
  Section("Presets");
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (const FlowPreset& p : FlowPresets()) {
    if (ImGui::Button(p.label)) {
      state_ = p.state;
      navigated = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.title);
    rects_.emplace_back(std::string("preset-") + p.id, ItemRect());
    if (&p == &FlowPresets().back()) continue;
    const float next = ImGui::CalcTextSize((&p + 1)->label).x + 24.0f;
    if (ImGui::GetItemRectMax().x + next < right) ImGui::SameLine();
  }
  ImGui::Separator();
  edited |= ShowConfig("A", &state_.a);
  ImGui::Separator();
  edited |= ShowConfig("B", &state_.b);
  Section("Shown");
  int xseed = state_.xseed;
  if (ImGui::InputInt("input seed", &xseed, 1, 10) && xseed >= 0 &&
      xseed <= FlowLabLimits::kMaxSeed) {
    state_.xseed = xseed;
    edited = true;
  }
  HelpTip("flow", "input-seed");
  edited |= ImGui::SliderInt("layer shown", &state_.block, 1, FlowLabLimits::kMaxDepth, "%d",
                             ImGuiSliderFlags_AlwaysClamp);
  HelpTip("flow", "layer-shown");
  int curve = static_cast<int>(state_.curve);
  if (ImGui::Combo("curve", &curve, "sigmoid\0tanh\0ReLU\0leaky ReLU (0.01)\0")) {
    state_.curve = static_cast<FlowActivation>(curve);
    edited = true;
  }
  HelpTip("flow", "curve");
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s",
                     ("Input x: uniform in [0, 1), seeded. Loss L = sum of the outputs, so " +
                      Partial("L", "a" + Sub("L")) + " = (1, " + kEllipsis + ", 1). Biases are 0.")
                         .c_str());
  ImGui::PopStyleColor();
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

void FlowLabView::ShowGradientPlot(float height) {
  const FlowRun* runs[2] = {&result_.a, &result_.b};
  const FlowConfig* configs[2] = {&state_.a, &state_.b};
  ImGui::TextWrapped("%s%s%s, the gradient reaching layer l (log%s scale)", kNorm,
                     Partial("L", "a" + Sub("l")).c_str(), kNorm, Sub(10).c_str());
  // The y range: whole decades around every positive norm of both runs.
  double lo = 1e300, hi = 0;
  bool any_zero = false;
  for (const FlowRun* r : runs) {
    for (size_t l = 1; l < r->grad_norm.size(); ++l) {
      const double g = r->grad_norm[l];
      if (g > 0 && std::isfinite(g)) {
        lo = std::min(lo, g), hi = std::max(hi, g);
      } else {
        any_zero = true;
      }
    }
  }
  if (hi == 0) lo = hi = 1;
  double y0 = std::floor(std::log10(lo)), y1 = std::ceil(std::log10(hi));
  if (y1 - y0 < 2) y0 = y1 - 2;
  const int max_depth = std::max(state_.a.depth, state_.b.depth);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(200.0f, ImGui::GetContentRegionAvail().x);
  const float left = 56.0f, bottom = 34.0f, top = 8.0f, right = 12.0f;
  const ImVec2 p0(origin.x + left, origin.y + top);
  const ImVec2 p1(origin.x + width - right, origin.y + height - bottom);
  ImGui::Dummy(ImVec2(width, height));
  rects_.emplace_back("grad_plot", ImVec4(origin.x, origin.y, width, height));
  const float zero_y = p1.y - 6.0f;  // zeros (log10 = -inf) sit on the bottom edge
  auto sx = [&](double l) {
    return p0.x + static_cast<float>((l - 1) / std::max(1, max_depth - 1)) * (p1.x - p0.x);
  };
  auto sy = [&](double g) {
    if (!(g > 0) || !std::isfinite(g)) return zero_y;
    return p1.y - static_cast<float>((std::log10(g) - y0) / (y1 - y0)) * (p1.y - p0.y);
  };
  dl->AddRect(p0, p1, Col(Pal().axis));
  // Decades: a grid line each, labelled "10⁻¹²" (at most ~10 labels).
  const int decades = static_cast<int>(y1 - y0);
  const int step = std::max(1, (decades + 9) / 10);
  for (int d = 0; d <= decades; d += 1) {
    const float y = p1.y - static_cast<float>(d) / static_cast<float>(decades) * (p1.y - p0.y);
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), Col(Pal().plot_grid));
    if (d % step != 0) continue;
    const std::string decade = "10" + Sup(static_cast<int>(y0) + d);
    const char* label = decade.c_str();
    const ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(p0.x - ts.x - 6.0f, y - ts.y * 0.5f), Col(Pal().text), label);
  }
  // Layers on x: 1, then every 5th, and the last.
  for (int l = 1; l <= max_depth; ++l) {
    if (l != 1 && l % 5 != 0 && l != max_depth) continue;
    if (l != max_depth && max_depth - l < 3 && l % 5 == 0 && l != 1) continue;
    const std::string s = std::to_string(l);
    const float x = sx(l);
    dl->AddLine(ImVec2(x, p1.y), ImVec2(x, p1.y + 4.0f), Col(Pal().axis));
    dl->AddText(ImVec2(x - ImGui::CalcTextSize(s.c_str()).x * 0.5f, p1.y + 5.0f), Col(Pal().text),
                s.c_str());
  }
  const char* xlabel = "layer l";
  dl->AddText(ImVec2(p1.x - ImGui::CalcTextSize(xlabel).x, p1.y + 18.0f), Col(Pal().axis), xlabel);
  // The two series.
  for (int k = 0; k < 2; ++k) {
    const FlowRun& r = *runs[k];
    const ImU32 col = k == 0 ? Col(Pal().series_2) : Col(Pal().series_1);
    std::vector<ImVec2> pts;
    for (size_t l = 1; l < r.grad_norm.size(); ++l)
      pts.emplace_back(sx(static_cast<double>(l)), sy(r.grad_norm[l]));
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_None, 2.0f);
    series_[k] = pts;
    for (size_t i = 0; i < pts.size(); ++i) {
      if (r.grad_norm[i + 1] > 0) {
        dl->AddCircleFilled(pts[i], 3.0f, col);
      } else {  // exactly 0: a cross on the bottom edge
        dl->AddLine(ImVec2(pts[i].x - 3, pts[i].y - 3), ImVec2(pts[i].x + 3, pts[i].y + 3), col);
        dl->AddLine(ImVec2(pts[i].x - 3, pts[i].y + 3), ImVec2(pts[i].x + 3, pts[i].y - 3), col);
      }
    }
  }
  // Legend.
  for (int k = 0; k < 2; ++k) {
    const FlowConfig& c = *configs[k];
    char legend[160];
    std::snprintf(legend, sizeof legend, "%s: %s, %d %s %d, %s%s   first/last = %s",
                  k == 0 ? "A" : "B", FlowActivationName(c.act), c.depth, kTimes, c.width,
                  FlowInitName(c.init), c.residual ? ", residual" : "",
                  Sci(runs[k]->ratio).c_str());
    ImGui::TextColored(ColV(k == 0 ? Pal().series_2 : Pal().series_1), "%s", legend);
  }
  if (any_zero) ImGui::TextDisabled("x on the bottom edge: exactly 0 (no gradient at all).");
  // Hover: the values at the nearest layer.
  if (ImGui::IsMouseHoveringRect(p0, p1)) {
    const float fx = (ImGui::GetIO().MousePos.x - p0.x) / (p1.x - p0.x);
    const int l = std::clamp(static_cast<int>(std::lround(1 + fx * (max_depth - 1))), 1, max_depth);
    std::string tip = "layer " + std::to_string(l);
    for (int k = 0; k < 2; ++k)
      if (static_cast<size_t>(l) < runs[k]->grad_norm.size())
        tip += std::string("\n") + (k == 0 ? "A" : "B") + ": " + kNorm + Partial("L", "a") + kNorm +
               " = " + Sci(runs[k]->grad_norm[static_cast<size_t>(l)]) + ", " + kNorm +
               Partial("L", "W") + kNorm + " = " +
               Sci(runs[k]->grad_w_norm[static_cast<size_t>(l - 1)]);
    ImGui::SetTooltip("%s", tip.c_str());
  }
}

void FlowLabView::ShowCurvePlot(float height) {
  const FlowCurve& c = result_.curve;
  const bool sig = c.act == FlowActivation::kSigmoid;
  ImGui::TextWrapped("%s(x) (white) and its derivative (orange), x in [%s8, 8]",
                     FlowActivationName(c.act), kMinus);
  double lo = 0, hi = 0;
  for (size_t i = 0; i < c.x.size(); ++i) {
    lo = std::min({lo, c.y[i], c.dy[i]});
    hi = std::max({hi, c.y[i], c.dy[i]});
  }
  const double pad = 0.08 * (hi - lo + 1e-9);
  lo -= pad, hi += pad;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(200.0f, ImGui::GetContentRegionAvail().x);
  const ImVec2 p0(origin.x + 40.0f, origin.y + 6.0f);
  const ImVec2 p1(origin.x + width - 12.0f, origin.y + height - 22.0f);
  ImGui::Dummy(ImVec2(width, height));
  auto sx = [&](double x) { return p0.x + static_cast<float>((x + 8.0) / 16.0) * (p1.x - p0.x); };
  auto sy = [&](double y) {
    return p1.y - static_cast<float>((y - lo) / (hi - lo)) * (p1.y - p0.y);
  };
  for (const auto& [a, b] : c.saturated)
    dl->AddRectFilled(ImVec2(sx(a), p0.y), ImVec2(sx(b), p1.y), Col(Pal().saturated));
  dl->AddRect(p0, p1, Col(Pal().axis));
  dl->AddLine(ImVec2(p0.x, sy(0)), ImVec2(p1.x, sy(0)), Col(Pal().plot_grid));
  dl->AddLine(ImVec2(sx(0), p0.y), ImVec2(sx(0), p1.y), Col(Pal().plot_grid));
  for (int x = -8; x <= 8; x += 4) {
    const std::string s = std::to_string(x);
    dl->AddText(ImVec2(sx(x) - ImGui::CalcTextSize(s.c_str()).x * 0.5f, p1.y + 3.0f),
                Col(Pal().text), s.c_str());
  }
  for (double y : {0.0, 0.25, 1.0}) {
    if (y > hi) continue;
    const std::string ys = Num(y);
    const char* s = ys.c_str();
    dl->AddText(ImVec2(p0.x - ImGui::CalcTextSize(s).x - 4.0f, sy(y) - 7.0f), Col(Pal().text), s);
    if (y > 0) dl->AddLine(ImVec2(p0.x, sy(y)), ImVec2(p1.x, sy(y)), Col(Pal().plot_grid));
  }
  std::vector<ImVec2> g, d;
  for (size_t i = 0; i < c.x.size(); ++i) {
    g.emplace_back(sx(c.x[i]), sy(c.y[i]));
    d.emplace_back(sx(c.x[i]), sy(c.dy[i]));
  }
  dl->AddPolyline(g.data(), static_cast<int>(g.size()), Col(Pal().text), ImDrawFlags_None, 2.0f);
  dl->AddPolyline(d.data(), static_cast<int>(d.size()), Col(Pal().series_2), ImDrawFlags_None,
                  2.0f);
  // The derivative's peak, e.g. sigma'(0) = 0.25.
  const ImVec2 peak(sx(c.peak_x), sy(c.peak_dy));
  dl->AddCircle(peak, 5.0f, Col(Pal().series_2), 0, 2.0f);
  const std::string label =
      Derivative(sig ? kSigma : FlowActivationName(c.act), Num(c.peak_x)) + Eq(c.peak_dy);
  dl->AddText(ImVec2(peak.x + 8.0f, peak.y - 16.0f), Col(Pal().series_2), label.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped(
      "The circle: the largest derivative, the most a layer can pass back. Shaded: saturated, "
      "the derivative below 10%% of its peak (ReLU: 0).");
  ImGui::PopStyleColor();
  if (!c.saturated.empty()) {
    std::string s = "Saturated:";
    for (const auto& [a, b] : c.saturated) s += " [" + Sci(a) + ", " + Sci(b) + "]";
    ImGui::TextDisabled("%s", s.c_str());
  }
}

void FlowLabView::ShowArithmetic() {
  ImGui::TextWrapped("Backward through one layer (first unit; L = sum of outputs)");
  for (int k = 0; k < 2; ++k) {
    const FlowRun& r = k == 0 ? result_.a : result_.b;
    ImGui::TextColored(
        ColV(k == 0 ? Pal().series_2 : Pal().series_1), "%s%s", k == 0 ? "A" : "B",
        (r.block.residual ? " (residual: " + Partial("L", "x") + " = " + Partial("L", "y") +
                                kTimes + "(" + Partial("F", "x") + " + 1))"
                          : " (plain: " + Partial("L", "x") + " = " + Partial("L", "y") + kTimes +
                                Partial("F", "x") + ")")
            .c_str());
    for (const std::string& line : r.block.lines) ImGui::TextWrapped("%s", line.c_str());
  }
}

LabChange FlowLabView::Draw() {
  ShowGuide(Id());
  rects_.clear();
  const bool narrow = ImGui::GetContentRegionAvail().x < 760.0f;
  const LabChange change = ShowLabPanes(
      330.0f, [&] { return ShowControls(); },
      [&] {
        ShowGradientPlot(
            narrow ? 240.0f : std::clamp(ImGui::GetContentRegionAvail().y * 0.42f, 200.0f, 340.0f));
        ImGui::Separator();
        ShowCurvePlot(170.0f);
        ImGui::Separator();
        ShowArithmetic();
        ImGui::Separator();
        return ShowCheckMyWork(result_.steps, &state_.check);
      });
  if (change != LabChange::kNone) Recompute();
  return change;
}

bool FlowLabView::Open(const Link& link, LinkError* error) {
  FlowLabState state;
  if (!DecodeFlowLab(link, &state, error)) return false;
  state_ = std::move(state);
  Recompute();
  return true;
}

void FlowLabView::Reset() {
  state_ = FlowLabDefault();
  Recompute();
}

std::string FlowLabView::Summary() const {
  return "Gradient reaching layer 1 over the gradient at the top: A " + Sci(result_.a.ratio) +
         ", B " + Sci(result_.b.ratio) + ".";
}

void FlowLabView::Layout(JsonWriter* j) const {
  for (const auto& [id, r] : rects_)
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  // The gradient plot's points: [A, B], each [[x, y], ...] for layers 1, 2, ...
  j->Key("series").BeginArray();
  for (const std::vector<ImVec2>& pts : series_) {
    j->BeginArray();
    for (const ImVec2& p : pts) j->BeginArray().Number(p.x).Number(p.y).EndArray();
    j->EndArray();
  }
  j->EndArray();
}

}  // namespace nnplay::web
