// train_view.cpp: the training lab's view. Wide: presets and settings on the left; the
// buttons, the decision boundary with the points, the loss curves and the numbers on the
// right. Narrow: results first, then the settings.
#include "train_view.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "labs/lab_text.h"

namespace nnplay::web {
namespace {

const ImVec4 kHeading(0.6f, 0.8f, 1.0f, 1.0f);
constexpr double kFrameBudgetMs = 6.0;  // training time per frame while playing
constexpr double kCommitSeconds = 2.0;  // the link follows the step count this often

double NowMs() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

// Class colours matching the heatmap's sign: blue negative, red positive, grey middle.
ImU32 ClassColor(int label, int classes) {
  if (classes == 2) return label ? IM_COL32(245, 120, 40, 255) : IM_COL32(40, 110, 240, 255);
  if (label == 0) return IM_COL32(40, 110, 240, 255);
  if (label == 2) return IM_COL32(245, 120, 40, 255);
  return IM_COL32(235, 235, 235, 255);
}

}  // namespace

void TrainLabView::Restart() {
  session_.Reset(state_);
  for (int i = 0; i < state_.steps; ++i) session_.Step();
  session_.Measure(&result_);
  committed_steps_ = state_.steps;
}

bool TrainLabView::Open(const Link& link, LinkError* error) {
  TrainLabState s;
  if (!DecodeTrainLab(link, &s, error)) return false;
  const bool same = s == state_;
  state_ = std::move(s);
  if (!same || session_.steps() != state_.steps) Restart();
  return true;
}

void TrainLabView::Reset() {
  state_ = TrainLabDefault();
  playing_ = false;
  Restart();
}

std::string TrainLabView::Summary() const {
  return "After " + std::to_string(result_.steps) + " training steps: train loss " +
         TraceNum(result_.train_loss) + ", test loss " + TraceNum(result_.test_loss) +
         ", test accuracy " + TraceNum(result_.test_acc * 100.0f) + "%.";
}

void TrainLabView::RunFrame() {
  steps_per_frame_ = 0;
  const double start = NowMs();
  while (session_.steps() < TrainLabLimits::kMaxSteps) {
    const int chunk = std::min(8, TrainLabLimits::kMaxSteps - session_.steps());
    for (int i = 0; i < chunk; ++i) session_.Step();
    steps_per_frame_ += chunk;
    if (NowMs() - start >= kFrameBudgetMs) break;
  }
  train_ms_ = static_cast<float>(NowMs() - start);
  state_.steps = session_.steps();
  session_.Measure(&result_);
  if (session_.steps() >= TrainLabLimits::kMaxSteps) playing_ = false;
}

LabChange TrainLabView::ShowControls() {
  TrainLabState& s = state_;
  bool edited = false, navigated = false;
  preset_rects_.clear();
  ImGui::TextUnformatted("Presets");
  if (const int i = PresetButtons(TrainPresets(), &preset_rects_); i >= 0) {
    s = TrainPresets()[static_cast<size_t>(i)].state;
    navigated = true;
  }
  ImGui::Separator();
  ImGui::TextColored(kHeading, "Data");
  static const char* const kData[] = {"circle", "xor", "two Gaussians", "spiral",
                                      "3 Gaussian blobs"};
  int data = static_cast<int>(s.data);
  if (ImGui::Combo("dataset", &data, kData, 5)) {
    s.data = static_cast<TrainDataKind>(data);
    edited = true;
  }
  int seed = s.seed;
  ImGui::SetNextItemWidth(120.0f);
  if (ImGui::InputInt("seed", &seed) && seed >= 0 && seed != s.seed) {
    s.seed = seed;
    edited = true;
  }
  float noise = s.noise;
  if (ImGui::SliderFloat("noise", &noise, 0.0f, TrainLabLimits::kMaxNoise, "%.2f",
                         ImGuiSliderFlags_AlwaysClamp) &&
      noise != s.noise) {
    s.noise = std::round(noise * 100.0f) / 100.0f;
    edited = true;
  }
  int split = s.split;
  if (ImGui::SliderInt("train %", &split, TrainLabLimits::kMinSplit, TrainLabLimits::kMaxSplit,
                       "%d", ImGuiSliderFlags_AlwaysClamp) &&
      split != s.split) {
    s.split = split;
    edited = true;
  }
  ImGui::TextColored(kHeading, "Features");
  static const char* const kFeat[] = {"x", "y", "x^2", "y^2", "xy", "sin x", "sin y"};
  for (int i = 0; i < kTrainFeatureCount; ++i) {
    bool on = (s.features >> i) & 1u;
    if (i % 4) ImGui::SameLine();
    if (ImGui::Checkbox(kFeat[i], &on)) {
      const unsigned next = on ? s.features | (1u << i) : s.features & ~(1u << i);
      if (next != 0) {
        s.features = next;
        edited = true;
      }
    }
  }
  ImGui::TextColored(kHeading, "Network");
  int layers = static_cast<int>(s.layers.size());
  if (ImGui::SliderInt("hidden layers", &layers, 0, TrainLabLimits::kMaxLayers, "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      layers != static_cast<int>(s.layers.size())) {
    s.layers.resize(static_cast<size_t>(layers), 4);
    edited = true;
  }
  for (size_t i = 0; i < s.layers.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    int units = s.layers[i];
    const std::string label = "units, layer " + std::to_string(i + 1);
    if (ImGui::SliderInt(label.c_str(), &units, 1, TrainLabLimits::kMaxUnits, "%d",
                         ImGuiSliderFlags_AlwaysClamp) &&
        units != s.layers[i]) {
      s.layers[i] = units;
      edited = true;
    }
    ImGui::PopID();
  }
  int act = static_cast<int>(s.act);
  edited |= ImGui::RadioButton("tanh", &act, static_cast<int>(TrainActivation::kTanh));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("ReLU", &act, static_cast<int>(TrainActivation::kReLU));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("sigmoid", &act, static_cast<int>(TrainActivation::kSigmoid));
  s.act = static_cast<TrainActivation>(act);
  ImGui::TextDisabled("Head: softmax cross-entropy over %d classes", TrainDataClasses(s.data));
  ImGui::TextColored(kHeading, "Optimizer");
  int opt = static_cast<int>(s.opt);
  edited |= ImGui::RadioButton("SGD + momentum", &opt, static_cast<int>(TrainOptimizer::kSgd));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("Adam", &opt, static_cast<int>(TrainOptimizer::kAdam));
  s.opt = static_cast<TrainOptimizer>(opt);
  float lr = s.lr;
  if (ImGui::SliderFloat("learning rate", &lr, 0.0001f, 3.0f, "%.4g",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp) &&
      lr != s.lr && lr > 0.0f) {
    s.lr = lr;
    edited = true;
  }
  if (s.opt == TrainOptimizer::kSgd) {
    float mom = s.momentum;
    if (ImGui::SliderFloat("momentum", &mom, 0.0f, TrainLabLimits::kMaxMomentum, "%.2f",
                           ImGuiSliderFlags_AlwaysClamp) &&
        mom != s.momentum) {
      s.momentum = std::round(mom * 100.0f) / 100.0f;
      edited = true;
    }
  }
  int batch = s.batch;
  if (ImGui::SliderInt("batch size", &batch, 1, TrainLabLimits::kMaxBatch, "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      batch != s.batch) {
    s.batch = batch;
    edited = true;
  }
  ImGui::TextDisabled("Any change restarts training from the seed's weights.");
  if (navigated || edited) {
    s.steps = 0;
    Restart();
  }
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

bool TrainLabView::ShowResults() {
  const TrainLabResult& r = result_;
  bool committed = false;
  // Buttons.
  auto rect = [] {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
  };
  const bool at_cap = session_.steps() >= TrainLabLimits::kMaxSteps;
  if (ImGui::Button(playing_ ? "Pause###play" : "Play###play", ImVec2(80, 0))) {
    if (playing_) committed = true;  // the link records the steps
    playing_ = !playing_ && !at_cap;
  }
  play_rect_ = rect();
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(80, 0)) && !at_cap) {
    session_.Step();
    state_.steps = session_.steps();
    session_.Measure(&result_);
    committed = true;
  }
  step_rect_ = rect();
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(80, 0))) {
    playing_ = false;
    state_.steps = 0;
    Restart();
    committed = true;
  }
  reset_rect_ = rect();
  ImGui::SameLine();
  ImGui::Text("step %d", r.steps);
  if (playing_) {
    ImGui::SameLine();
    ImGui::TextDisabled("(%d steps/frame, %.1f ms training, frame %.1f ms)", steps_per_frame_,
                        train_ms_, frame_ms_);
  }
  if (at_cap)
    ImGui::TextDisabled("A link holds at most %d steps: training stops there.",
                        TrainLabLimits::kMaxSteps);
  if (!r.error.empty()) {
    ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", r.error.c_str());
    return committed;
  }
  ImGui::Text("Train loss %.4f  acc %.1f%%", r.train_loss, r.train_acc * 100.0f);
  ImGui::SameLine(0.0f, 24.0f);
  if (ImGui::GetContentRegionAvail().x < 200.0f) ImGui::NewLine();
  ImGui::Text("Test loss %.4f  acc %.1f%%", r.test_loss, r.test_acc * 100.0f);

  // Decision boundary + points.
  const int g = TrainLabLimits::kGrid;
  grid_values_.assign(r.grid.data(), r.grid.data() + r.grid.size());
  const float avail = ImGui::GetContentRegionAvail().x;
  GridOptions opts;
  opts.cell = std::max(2.0f, std::min(5.9f, avail / static_cast<float>(g)));  // < 6: no grid lines
  ImGui::TextColored(kHeading, r.classes == 2
                                   ? "Decision boundary: 2 p(class 1) - 1 (orange = class 1)"
                                   : "Decision boundary: the likeliest class, by confidence");
  grid_.Draw("boundary", grid_values_.data(), g, g, opts);
  const GridRect& gr = grid_.rect();
  const float size = gr.cell * static_cast<float>(g);
  const float e = TrainLabLimits::kExtent;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(ImVec2(gr.x, gr.y), ImVec2(gr.x + size, gr.y + size), true);
  auto draw_points = [&](const std::vector<TrainPoint>& pts, bool train) {
    for (const TrainPoint& p : pts) {
      const ImVec2 c(gr.x + (p.x + e) / (2 * e) * size, gr.y + (e - p.y) / (2 * e) * size);
      const ImU32 col = ClassColor(p.label, r.classes);
      if (train) {
        dl->AddCircleFilled(c, 3.5f, col);
        dl->AddCircle(c, 3.5f, IM_COL32(255, 255, 255, 255), 0, 1.0f);
      } else {
        dl->AddCircleFilled(c, 3.5f, col);
        dl->AddCircle(c, 3.5f, IM_COL32(0, 0, 0, 255), 0, 1.0f);
      }
    }
  };
  draw_points(session_.data().train, true);
  draw_points(session_.data().test, false);
  dl->PopClipRect();
  ImGui::TextDisabled("Points: white ring = training, black ring = test. Plane [-6, 6]^2.");

  // Loss curves.
  train_curve_.clear();
  test_curve_.clear();
  float hi = 0.0f;
  for (const TrainHistoryPoint& p : r.history) {
    train_curve_.push_back(p.train_loss);
    test_curve_.push_back(p.test_loss);
    hi = std::max({hi, p.train_loss, p.test_loss});
  }
  const ImVec2 plot(std::min(avail, 520.0f), 70.0f);
  const std::string tl = "train loss " + TraceNum(r.train_loss);
  const std::string vl = "test loss " + TraceNum(r.test_loss);
  ImGui::PlotLines("train", train_curve_.data(), static_cast<int>(train_curve_.size()), 0,
                   tl.c_str(), 0.0f, hi * 1.05f, plot);
  ImGui::PlotLines("test", test_curve_.data(), static_cast<int>(test_curve_.size()), 0, vl.c_str(),
                   0.0f, hi * 1.05f, plot);
  ImGui::TextDisabled("Loss every %d steps, %d points", r.history_every,
                      static_cast<int>(r.history.size()));

  // Gradient norms.
  ImGui::TextColored(kHeading, "Gradient norms of the last step (%d parameters)", r.param_count);
  for (const TrainLayerNorm& n : r.grad_norms) ImGui::Text("%-14s %.3g", n.name.c_str(), n.norm);
  return committed;
}

LabChange TrainLabView::Draw() {
  frame_ms_ = ImGui::GetIO().DeltaTime * 1000.0f;
  if (playing_) RunFrame();
  LabChange change = ShowLabPanes(
      410.0f, [&] { return ShowControls(); }, [&] { return ShowResults(); });
  // The link follows the step count: every couple of seconds while playing, at once when
  // training stops (Pause, Step, the step cap).
  state_.steps = session_.steps();
  const double now = ImGui::GetTime();
  if (change == LabChange::kNone && state_.steps != committed_steps_ &&
      (!playing_ || now - last_commit_ > kCommitSeconds))
    change = LabChange::kEdit;
  if (change != LabChange::kNone) {
    last_commit_ = now;
    committed_steps_ = state_.steps;
  }
  return change;
}

void TrainLabView::Layout(JsonWriter* j) const {
  WriteGridRect(j, "input", grid_);
  WritePresetRects(j, preset_rects_);
  auto rect = [&](const char* name, const ImVec4& r) {
    j->Key(name).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  };
  rect("play", play_rect_);
  rect("step", step_rect_);
  rect("reset", reset_rect_);
  j->Key("playing").Bool(playing_);
  j->Key("steps").Int(session_.steps());
  j->Key("steps_per_frame").Int(steps_per_frame_);
  j->Key("train_ms").Number(train_ms_);
  j->Key("frame_ms").Number(frame_ms_);
}

}  // namespace nnplay::web
