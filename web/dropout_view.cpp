// dropout_view.cpp: the dropout lab's view. Wide: controls and check my work on the left;
// the activations, mask, outputs and the convergence plot on the right. Narrow: results
// first, then the controls.
#include "dropout_view.h"

#include <algorithm>

#include "check_view.h"
#include "fonts.h"
#include "guide_view.h"
#include "labs/lab_text.h"
#include "theme.h"

namespace nnplay::web {
namespace {}  // namespace

void DropoutLabView::Recompute() {
  state_.unit = std::min(state_.unit, state_.activations.dim(0) - 1);
  EvaluateDropoutLab(state_, &result_);
  FitCheckEntries(result_.steps, &state_.check);
}

bool DropoutLabView::Open(const Link& link, LinkError* error) {
  DropoutLabState s;
  if (!DecodeDropoutLab(link, &s, error)) return false;
  state_ = std::move(s);
  Recompute();
  return true;
}

void DropoutLabView::Reset() {
  state_ = DropoutLabDefault();
  Recompute();
}

std::string DropoutLabView::Summary() const {
  return std::string(state_.kind == DropoutKind::kStandard ? "Standard" : "Inverted") +
         " dropout, keep " + TraceNum(state_.keep) + ": " + std::to_string(result_.kept) + " of " +
         std::to_string(result_.mask.size()) + " units kept; after " +
         std::to_string(state_.samples) + " masks the mean training output is within " +
         TraceNum(result_.max_gap) + " of the test-time value.";
}

LabChange DropoutLabView::ShowControls() {
  DropoutLabState& s = state_;
  bool edited = false, navigated = false;
  preset_rects_.clear();
  Section("Presets");
  if (const int i = PresetButtons(DropoutPresets(), &preset_rects_); i >= 0) {
    s = DropoutPresets()[static_cast<size_t>(i)].state;
    navigated = true;
  }
  Section("Dropout");
  int n = s.activations.dim(0);
  if (ImGui::SliderInt("units", &n, DropoutLabLimits::kMinUnits, DropoutLabLimits::kMaxUnits, "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      n != s.activations.dim(0)) {
    ResizeVector(&s.activations, n, 1.0f);
    edited = true;
  }
  HelpTip("dropout", "units");
  float p = s.keep;
  if (ImGui::SliderFloat("keep p", &p, 0.01f, 1.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp) &&
      p != s.keep) {
    s.keep = p;
    edited = true;
  }
  HelpTip("dropout", "keep");
  int kind = static_cast<int>(s.kind);
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("standard", &kind, static_cast<int>(DropoutKind::kStandard));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("inverted", &kind, static_cast<int>(DropoutKind::kInverted));
  ImGui::EndGroup();
  HelpTip("dropout", "kind");
  s.kind = static_cast<DropoutKind>(kind);
  Section("Masks");
  int seed = s.seed;
  ImGui::SetNextItemWidth(ControlWidthHalf());
  if (ImGui::InputInt("seed", &seed) && seed >= 0 && seed != s.seed) {
    s.seed = seed;
    edited = true;
  }
  HelpTip("dropout", "seed");
  ImGui::SameLine();
  if (ImGui::Button("New mask") && s.seed < DropoutLabLimits::kMaxSeed) {
    ++s.seed;
    edited = true;
  }
  HelpTip("dropout", "new-mask");
  int samples = s.samples;
  if (ImGui::SliderInt("masks N", &samples, DropoutLabLimits::kMinSamples,
                       DropoutLabLimits::kMaxSamples, "%d",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp) &&
      samples != s.samples) {
    s.samples = samples;
    edited = true;
  }
  HelpTip("dropout", "samples");
  int unit = s.unit + 1;
  if (ImGui::SliderInt("plotted unit", &unit, 1, s.activations.dim(0), "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      unit - 1 != s.unit) {
    s.unit = unit - 1;
    edited = true;
  }
  HelpTip("dropout", "unit");
  Section("Check my work");
  if (!navigated) edited |= ShowCheckMyWork(result_.steps, &s.check);
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

bool DropoutLabView::ShowResults() {
  const DropoutLabState& s = state_;
  const DropoutLabResult& r = result_;
  const int n = s.activations.dim(0);
  const float avail = ImGui::GetContentRegionAvail().x;
  bool edited = false;

  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::min(avail, 720.0f));
  Heading("%s", r.rule.c_str());
  ImGui::PopTextWrapPos();
  GridOptions opts;
  opts.cell = FitCellSize(1, n, ImVec2(avail, 44.0f), 44.0f);
  opts.editable = true;
  opts.brush = 1.0f;
  opts.help = HelpRef{"dropout", "a-grid"};
  ImGui::Text("Activations a (click a cell to type)");
  edited |= a_grid_.Draw("a", state_.activations.data(), 1, n, opts).changed;
  GridOptions ro;
  ro.cell = opts.cell;
  Tensor mask = r.mask, train = r.train, test = r.test;
  ImGui::Text("Mask m (seed %d): %d of %d kept", s.seed, r.kept, n);
  ro.help = HelpRef{"dropout", "mask-grid"};
  mask_grid_.Draw("mask", mask.data(), 1, n, ro);
  ImGui::Text("Training output y%s", Sub("train").c_str());
  ro.help = HelpRef{"dropout", "train-grid"};
  train_grid_.Draw("train", train.data(), 1, n, ro);
  ImGui::Text("Test-time output y%s", Sub("test").c_str());
  ro.help = HelpRef{"dropout", "test-grid"};
  test_grid_.Draw("test", test.data(), 1, n, ro);
  ImGui::Spacing();

  // The arithmetic of the first units.
  const int shown = std::min(n, 8);
  if (ImGui::BeginTable("units", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("unit");
    const std::string train = "y" + Sub("train");
    ImGui::TableSetupColumn((train + " (this mask)").c_str());
    ImGui::TableSetupColumn(
        ("E[" + train + "] = p " + kTimes + " kept + (1 " + kMinus + " p) " + kTimes + " 0")
            .c_str());
    ImGui::TableSetupColumn(("y" + Sub("test")).c_str());
    ImGui::TableHeadersRow();
    for (int i = 0; i < shown; ++i) {
      const size_t k = static_cast<size_t>(i);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", i + 1);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.train_text[k].c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.expect_text[k].c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.test_text[k].c_str());
    }
    ImGui::EndTable();
  }
  if (n > shown) ImGui::TextDisabled("%s %d more units in the grids above", kEllipsis, n - shown);
  ImGui::Spacing();

  // The running mean of the plotted unit over N masks, and its test-time value.
  const size_t u = static_cast<size_t>(std::min(s.unit, n - 1));
  const float target = r.test[u];
  float lo = target, hi = target;
  for (float v : r.curve) lo = std::min(lo, v), hi = std::max(hi, v);
  const float margin = std::max(0.05f * (hi - lo), 1e-3f);
  lo -= margin, hi += margin;
  Heading("Running mean of y%s of unit %d over %d masks", Sub("train").c_str(), s.unit + 1,
          s.samples);
  const std::string overlay = "after " + std::to_string(s.samples) + ": " +
                              TraceNum(r.curve.back()) + "  (test value " + TraceNum(target) + ")";
  ImGui::PlotLines("##curve", r.curve.data(), static_cast<int>(r.curve.size()), 0, overlay.c_str(),
                   lo, hi, ImVec2(std::min(avail, 640.0f), 160.0f));
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  plot_rect_ = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float top = a.y + style.FramePadding.y, bottom = b.y - style.FramePadding.y;
  const float ty = bottom - (target - lo) / (hi - lo) * (bottom - top);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, ty), ImVec2(b.x, ty), Col(Pal().series_2), 2.0f);
  ImGui::TextDisabled("Orange: the test-time value. Largest gap over all units after %d masks: %s",
                      s.samples, TraceNum(r.max_gap).c_str());
  return edited;
}

LabChange DropoutLabView::Draw() {
  ShowGuide(Id());
  const LabChange change = ShowLabPanes(
      410.0f, [&] { return ShowControls(); }, [&] { return ShowResults(); });
  if (change != LabChange::kNone) Recompute();
  return change;
}

void DropoutLabView::Layout(JsonWriter* j) const {
  WriteGridRect(j, "input", a_grid_);
  WriteGridRect(j, "mask", mask_grid_);
  WriteGridRect(j, "train", train_grid_);
  WriteGridRect(j, "test", test_grid_);
  WritePresetRects(j, preset_rects_);
  j->Key("plot").BeginArray().Number(plot_rect_.x).Number(plot_rect_.y).Number(plot_rect_.z);
  j->Number(plot_rect_.w).EndArray();
}

}  // namespace nnplay::web
