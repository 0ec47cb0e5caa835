// batchnorm_view.cpp: the batch-normalization lab's view. Wide: controls and check my
// work on the left, the batch, the statistics and the outputs on the right. Narrow: the
// batch and results first, then the controls.
#include "batchnorm_view.h"

#include <algorithm>

#include "check_view.h"
#include "fonts.h"
#include "guide_view.h"
#include "labs/lab_text.h"
#include "theme.h"

namespace nnplay::web {
namespace {

// A float field committed as typed; returns true when the value changed.
bool FloatField(const char* label, float* v, float lo, float hi) {
  float t = *v;
  ImGui::SetNextItemWidth(ControlWidthHalf());
  if (ImGui::InputFloat(label, &t, 0.0f, 0.0f, "%g") && t >= lo && t <= hi && t != *v) {
    *v = t;
    return true;
  }
  return false;
}

}  // namespace

void BatchNormLabView::Recompute() {
  EvaluateBatchNormLab(state_, &result_);
  FitCheckEntries(result_.steps, &state_.check);
}

bool BatchNormLabView::Open(const Link& link, LinkError* error) {
  BatchNormLabState s;
  if (!DecodeBatchNormLab(link, &s, error)) return false;
  state_ = std::move(s);
  Recompute();
  return true;
}

void BatchNormLabView::Reset() {
  state_ = BatchNormLabDefault();
  Recompute();
}

std::string BatchNormLabView::Summary() const {
  const bool train = state_.mode == BatchNormMode::kTrain;
  const Tensor& y = train ? result_.y : result_.infer_y;
  std::string s = std::string(train ? "Training" : "Inference") + ": mean " +
                  TraceNum(train ? result_.mean[0] : state_.running_mean[0]) + ", " + kSigma + " " +
                  TraceNum(train ? result_.sigma[0] : result_.infer_sigma[0]) + ", y:";
  for (int i = 0; i < y.dim(1) && i < 8; ++i) s += " " + TraceNum(y.at(0, i));
  return s + ".";
}

LabChange BatchNormLabView::ShowControls() {
  BatchNormLabState& s = state_;
  bool edited = false, navigated = false;
  preset_rects_.clear();
  Section("Presets");
  if (const int i = PresetButtons(BatchNormPresets(), &preset_rects_); i >= 0) {
    s = BatchNormPresets()[static_cast<size_t>(i)].state;
    navigated = true;
  }
  Section("Batch and parameters");
  int c = s.x.dim(0), n = s.x.dim(1);
  bool resized = ImGui::SliderInt("features", &c, 1, BatchNormLabLimits::kMaxFeatures, "%d",
                                  ImGuiSliderFlags_AlwaysClamp);
  HelpTip("batchnorm", "features");
  resized |= ImGui::SliderInt("batch size", &n, 1, BatchNormLabLimits::kMaxBatch, "%d",
                              ImGuiSliderFlags_AlwaysClamp);
  HelpTip("batchnorm", "batch");
  if (resized && (c != s.x.dim(0) || n != s.x.dim(1))) {
    Tensor x({c, n});
    for (int j = 0; j < c; ++j)
      for (int i = 0; i < n; ++i)
        x.at(j, i) = j < s.x.dim(0) && i < s.x.dim(1) ? s.x.at(j, i) : 0.0f;
    s.x = std::move(x);
    ResizeVector(&s.gamma, c, 1.0f);
    ResizeVector(&s.beta, c, 0.0f);
    ResizeVector(&s.running_mean, c, 0.0f);
    ResizeVector(&s.running_var, c, 1.0f);
    edited = true;
  }
  for (int j = 0; j < c; ++j) {
    ImGui::PushID(j);
    const size_t k = static_cast<size_t>(j);
    edited |= FloatField(c == 1 ? kGamma : (kGamma + Sub(j + 1)).c_str(), &s.gamma[k], -1e6f, 1e6f);
    HelpTip("batchnorm", "gamma");
    ImGui::SameLine();
    edited |= FloatField(c == 1 ? kBeta : (kBeta + Sub(j + 1)).c_str(), &s.beta[k], -1e6f, 1e6f);
    HelpTip("batchnorm", "beta");
    ImGui::PopID();
  }
  edited |= FloatField((kEps + std::string(" (inside the ") + kSqrt + ")").c_str(), &s.eps, 0.0f,
                       BatchNormLabLimits::kMaxEps);
  HelpTip("batchnorm", "eps");
  Section("Training and inference");
  int mode = static_cast<int>(s.mode);
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("training", &mode, static_cast<int>(BatchNormMode::kTrain));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("inference", &mode, static_cast<int>(BatchNormMode::kInfer));
  ImGui::EndGroup();
  HelpTip("batchnorm", "mode");
  s.mode = static_cast<BatchNormMode>(mode);
  float m = s.momentum;
  if (ImGui::SliderFloat("momentum", &m, 0.0f, 1.0f, "%g", ImGuiSliderFlags_AlwaysClamp) &&
      m != s.momentum) {
    s.momentum = m;
    edited = true;
  }
  HelpTip("batchnorm", "momentum");
  ImGui::TextDisabled("running stats (before this step)");
  for (int j = 0; j < c; ++j) {
    ImGui::PushID(100 + j);
    const size_t k = static_cast<size_t>(j);
    edited |= FloatField("mean", &s.running_mean[k], -1e6f, 1e6f);
    HelpTip("batchnorm", "running-mean");
    ImGui::SameLine();
    edited |= FloatField("var", &s.running_var[k], 0.0f, 1e12f);
    HelpTip("batchnorm", "running-var");
    ImGui::PopID();
  }
  if (ImGui::Button("Apply one training step")) {
    ApplyBatchNormTrainingStep(result_, &s);
    edited = true;
  }
  HelpTip("batchnorm", "apply-step");
  Section("Check my work");
  if (!navigated) edited |= ShowCheckMyWork(result_.steps, &s.check, BatchNormCheckRecompute(s));
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

bool BatchNormLabView::ShowResults() {
  const BatchNormLabState& s = state_;
  const BatchNormLabResult& r = result_;
  const bool train = s.mode == BatchNormMode::kTrain;
  const int c = s.x.dim(0), n = s.x.dim(1);
  const float avail = ImGui::GetContentRegionAvail().x;
  bool edited = false;

  ImGui::TextWrapped("Batch x: %d feature(s) x %d example(s) (click a cell to type)", c, n);
  GridOptions opts;
  opts.cell = FitCellSize(c, n, ImVec2(avail, 48.0f * static_cast<float>(c)), 56.0f);
  opts.editable = true;
  opts.help = HelpRef{"batchnorm", "x-grid"};
  edited |= x_grid_.Draw("x", state_.x.data(), c, n, opts).changed;
  ImGui::Spacing();

  const float wrap = ImGui::GetCursorPosX() + std::min(avail, 720.0f);
  ImGui::PushTextWrapPos(wrap);
  for (int j = 0; j < c; ++j) {
    const size_t k = static_cast<size_t>(j);
    const BatchNormFeatureText& t = r.text[k];
    if (c > 1) Heading("Feature %d", j + 1);
    if (train) {
      Heading("Training: the batch's statistics");
      ImGui::TextWrapped("%s = %s", kMu, t.mean.c_str());
      ImGui::TextWrapped("%s%s = %s", kSigma, Sup(2).c_str(), t.var.c_str());
      ImGui::TextWrapped("%s = %s", kSigma, t.sigma.c_str());
    } else {
      Heading("Inference: the running statistics, no batch");
      ImGui::TextWrapped("%s = running mean = %s, %s%s = running var = %s", kMu,
                         TraceNum(s.running_mean[k]).c_str(), kSigma, Sup(2).c_str(),
                         TraceNum(s.running_var[k]).c_str());
      ImGui::TextWrapped("%s = %s", kSigma, t.infer_sigma.c_str());
    }
    const std::string& note = train ? t.note : t.infer_note;
    if (!note.empty()) ImGui::TextColored(ColV(Pal().warning), "%s", note.c_str());
    const int shown = std::min(n, 8);
    for (int i = 0; i < shown; ++i) {
      const size_t e = k * static_cast<size_t>(n) + static_cast<size_t>(i);
      ImGui::Text("%s%s = %s;  y%s = %s", kXHat, Sub(i + 1).c_str(),
                  (train ? r.xhat_text[e] : r.infer_xhat_text[e]).c_str(), Sub(i + 1).c_str(),
                  (train ? r.y_text[e] : r.infer_y_text[e]).c_str());
    }
    if (n > shown) ImGui::TextDisabled("%s %d more in the grids below", kEllipsis, n - shown);
    ImGui::TextDisabled(train ? "After this training step (momentum %s):"
                              : "A training step on this batch would make them (momentum %s):",
                        TraceNum(s.momentum).c_str());
    ImGui::TextWrapped("running mean = %s", t.running_mean.c_str());
    ImGui::TextWrapped("running var = %s", t.running_var.c_str());
    ImGui::Spacing();
  }
  ImGui::TextDisabled("%s", r.eps_effect.c_str());
  ImGui::PopTextWrapPos();

  // xhat and y as grids.
  Tensor xhat = train ? r.xhat : r.infer_xhat;
  Tensor y = train ? r.y : r.infer_y;
  GridOptions out;
  out.cell = opts.cell;
  ImGui::Text("%s (%s)", kXHat, train ? "batch statistics" : "running statistics");
  out.help = HelpRef{"batchnorm", "xhat-grid"};
  xhat_grid_.Draw("xhat", xhat.data(), c, n, out);
  ImGui::Text("y = %s%s%s + %s", kGamma, kDot, kXHat, kBeta);
  out.help = HelpRef{"batchnorm", "y-grid"};
  y_grid_.Draw("y", y.data(), c, n, out);
  return edited;
}

LabChange BatchNormLabView::Draw() {
  ShowGuide(Id());
  const LabChange change = ShowLabPanes(
      410.0f, [&] { return ShowControls(); }, [&] { return ShowResults(); });
  if (change != LabChange::kNone) Recompute();
  return change;
}

void BatchNormLabView::Layout(JsonWriter* j) const {
  WriteGridRect(j, "input", x_grid_);
  WriteGridRect(j, "xhat", xhat_grid_);
  WriteGridRect(j, "y", y_grid_);
  WritePresetRects(j, preset_rects_);
}

}  // namespace nnplay::web
