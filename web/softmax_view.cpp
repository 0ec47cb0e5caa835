// softmax_view.cpp: the softmax lab's view. Wide: controls and check my work in a column
// on the left, the logits and every intermediate value on the right. Narrow (a phone):
// the logits and results first, then the controls, in one scroll.
#include "softmax_view.h"

#include <algorithm>
#include <cmath>

#include "check_view.h"
#include "fonts.h"
#include "guide_view.h"
#include "labs/lab_text.h"
#include "link/number.h"
#include "theme.h"

namespace nnplay::web {
namespace {}  // namespace

void SoftmaxLabView::Recompute() {
  EvaluateSoftmaxLab(state_, &result_);
  FitCheckEntries(result_.steps, &state_.check);
}

bool SoftmaxLabView::Open(const Link& link, LinkError* error) {
  SoftmaxLabState s;
  if (!DecodeSoftmaxLab(link, &s, error)) return false;
  state_ = std::move(s);
  Recompute();
  return true;
}

void SoftmaxLabView::Reset() {
  state_ = SoftmaxLabDefault();
  Recompute();
}

std::string SoftmaxLabView::Summary() const {
  std::string s = "Softmax of " + std::to_string(result_.p.size()) + " logits:";
  for (size_t i = 0; i < result_.p.size(); ++i) s += " " + TraceNum(result_.p[i]);
  return s + ".";
}

LabChange SoftmaxLabView::ShowControls() {
  bool edited = false, navigated = false;
  preset_rects_.clear();
  Section("Presets");
  if (const int i = PresetButtons(SoftmaxPresets(), &preset_rects_); i >= 0) {
    state_ = SoftmaxPresets()[static_cast<size_t>(i)].state;
    navigated = true;
  }
  Section("Logits");
  int n = state_.logits.dim(0);
  if (ImGui::SliderInt("logits", &n, SoftmaxLabLimits::kMinLogits, SoftmaxLabLimits::kMaxLogits,
                       "%d", ImGuiSliderFlags_AlwaysClamp)) {
    ResizeVector(&state_.logits, n, 0.0f);
    edited = true;
  }
  HelpTip("softmax", "logits");
  float t = state_.temperature;
  if (ImGui::SliderFloat("temperature T", &t, SoftmaxLabLimits::kMinTemperature,
                         SoftmaxLabLimits::kMaxTemperature, "%g",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp) &&
      t != state_.temperature) {
    state_.temperature = t;
    edited = true;
  }
  HelpTip("softmax", "temperature");
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s. T < 1 sharpens, T > 1 flattens.", SoftmaxRule().c_str());
  ImGui::PopStyleColor();
  Section("Check my work");
  if (!navigated) {
    edited |= ShowCheckMyWork(result_.steps, &state_.check, SoftmaxCheckRecompute(state_));
  }
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

bool SoftmaxLabView::ShowResults() {
  const SoftmaxLabResult& r = result_;
  const int n = state_.logits.dim(0);
  bool edited = false;
  const float avail = ImGui::GetContentRegionAvail().x;

  ImGui::Text("Logits x (click a cell to type)");
  GridOptions opts;
  opts.cell = FitCellSize(1, n, ImVec2(avail, 64.0f), 64.0f);
  opts.editable = true;
  opts.brush = 0.0f;
  opts.help = HelpRef{"softmax", "logits-grid"};
  edited |= logits_grid_.Draw("logits", state_.logits.data(), 1, n, opts).changed;
  ImGui::Spacing();

  // 1. The naive form.
  Heading("1. Exponentials, their sum, probabilities");
  for (int i = 0; i < n; ++i) {
    const size_t k = static_cast<size_t>(i);
    if (!std::isfinite(r.exps[k])) ImGui::PushStyleColor(ImGuiCol_Text, Col(Pal().warning));
    ImGui::Text("e%s: %s", Sub(i + 1).c_str(), r.exp_text[k].c_str());
    if (!std::isfinite(r.exps[k])) ImGui::PopStyleColor();
  }
  ImGui::TextWrapped("sum = %s", r.sum_text.c_str());
  for (int i = 0; i < n; ++i)
    ImGui::TextWrapped("p%s = %s", Sub(i + 1).c_str(), r.p_text[static_cast<size_t>(i)].c_str());
  ImGui::Spacing();

  // Bars.
  const float bar_w = std::min(avail, 420.0f);
  for (int i = 0; i < n; ++i) {
    const size_t k = static_cast<size_t>(i);
    const std::string label = "p" + Sub(i + 1) + Eq(r.p[k]);
    ValueBar(r.p[k], bar_w, label.c_str(), Col(Pal().bar));
  }
  ImGui::Spacing();

  // 2. The stable form.
  Heading("2. The stable form: subtract the max (m = %s)", TraceNum(r.max).c_str());
  for (int i = 0; i < n; ++i) ImGui::Text("%s", r.stable_text[static_cast<size_t>(i)].c_str());
  ImGui::TextWrapped("sum = %s", r.stable_sum_text.c_str());
  for (int i = 0; i < n; ++i)
    ImGui::TextWrapped("p%s = %s", Sub(i + 1).c_str(),
                       r.stable_p_text[static_cast<size_t>(i)].c_str());
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::min(avail, 640.0f));
  ImGui::TextDisabled("%s", r.why_same.c_str());
  ImGui::PopTextWrapPos();

  // 3. One logit.
  ImGui::Spacing();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::min(avail, 640.0f));
  if (r.single) {
    ImGui::PushStyleColor(ImGuiCol_Text, Col(Pal().warning));
    ImGui::TextWrapped("%s", r.single_text.c_str());
    ImGui::PopStyleColor();
  } else {
    ImGui::TextDisabled(
        "With one logit softmax is always 1; a 1-unit output wants a sigmoid: "
        "for x\u2081 %s.",
        r.sigmoid_text.c_str());
  }
  ImGui::PopTextWrapPos();
  return edited;
}

LabChange SoftmaxLabView::Draw() {
  ShowGuide(Id());
  const LabChange change = ShowLabPanes(
      360.0f, [&] { return ShowControls(); }, [&] { return ShowResults(); });
  if (change != LabChange::kNone) Recompute();
  return change;
}

void SoftmaxLabView::Layout(JsonWriter* j) const {
  WriteGridRect(j, "input", logits_grid_);
  WritePresetRects(j, preset_rects_);
}

}  // namespace nnplay::web
