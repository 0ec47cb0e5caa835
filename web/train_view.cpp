// train_view.cpp: the training lab's view. Wide: presets and settings on the left; the
// buttons, the decision boundary with the points, the network with its neuron maps, the
// weight table, the loss curves and the numbers on the right. Narrow: results first, then
// the settings.
//
// [SECTION] helpers
// [SECTION] session
// [SECTION] controls
// [SECTION] boundary
// [SECTION] network
// [SECTION] results
// [SECTION] frame
#include "train_view.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "browser.h"
#include "fonts.h"
#include "guide_view.h"
#include "lab_widgets.h"
#include "labs/lab_text.h"
#include "labs/notation.h"
#include "platform/trainer_client.h"
#include "theme.h"

namespace nnplay::web {
namespace {

// ---- [SECTION] helpers -----------------------------------------------------------------

constexpr double kFrameBudgetMs = 6.0;     // training time per frame while playing
constexpr double kMapsSeconds = 0.1;       // neuron maps refresh this often while playing
constexpr float kBoundaryAbsMax = 1.6f;    // the background stays lighter than the points
constexpr double kPauseWaitSeconds = 3.0;  // Pause waits this long for the worker's snapshot

double NowMs() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

// The heatmap shader's colours (shaders/heatmap.frag, ColorBrewer RdBu) for t in [-1, 1].
ImU32 Diverging(float t) {
  return DivergingColor(std::isfinite(t) ? t : 0.0f);
}

// A class's colour: the end of the diverging scale its grid value points to.
float ClassValue(int label, int classes) {
  if (classes <= 2) return label ? 1.0f : -1.0f;
  return 2.0f * static_cast<float>(label) / static_cast<float>(classes - 1) - 1.0f;
}

void WriteRect(JsonWriter* j, const char* name, const ImVec4& r) {
  j->Key(name).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
}

const char* const kActNames[] = {"tanh", "ReLU", "sigmoid", "linear"};

}  // namespace

// ---- [SECTION] session -----------------------------------------------------------------

void TrainLabView::Restart() {
  StopWorker();
  TrainOpenRun(state_, &session_);  // the link's checkpoint, or its steps replayed
  step_link_.Opened(state_.steps);
  Remeasure();
}

void TrainLabView::Remeasure() {
  const double start = NowMs();
  session_.Measure(&result_);
  measure_ms_ = static_cast<float>(NowMs() - start);
  maps_stale_ = true;
}

bool TrainLabView::Open(const Link& link, LinkError* error) {
  TrainLabState s;
  if (!DecodeTrainLab(link, &s, error)) return false;
  const bool same = s == state_ && run_id_ == 0;
  state_ = std::move(s);
  playing_ = false;
  if (!same || session_.steps() != state_.steps) Restart();
  return true;
}

void TrainLabView::Reset() {
  state_ = TrainLabDefault();
  playing_ = false;
  Restart();
}

std::string TrainLabView::Summary() const {
  std::string s = "After " + std::to_string(result_.steps) + " training steps: train loss " +
                  TraceNum(result_.train_loss) + ", test loss " + TraceNum(result_.test_loss);
  if (!result_.regression) s += ", test accuracy " + TraceNum(result_.test_acc * 100.0f) + "%";
  return s + ".";
}

void TrainLabView::RunFrame() {
  steps_per_frame_ = 0;
  const double start = NowMs();
  // An epoch: one pass over the training points in batches (TF Playground trains one epoch
  // per frame). The frame's training budget bounds every pace.
  const int per_epoch = std::max<int>(
      1, static_cast<int>((session_.data().train.size() + static_cast<size_t>(state_.batch) - 1) /
                          static_cast<size_t>(state_.batch)));
  // No step cap: past the replay cap the link carries the run's checkpoint.
  const int target = pace_epochs_ > 0 ? pace_epochs_ * per_epoch : 1 << 30;
  const int first = session_.steps();
  while (steps_per_frame_ < target) {
    const int chunk = std::min(8, target - steps_per_frame_);
    for (int i = 0; i < chunk; ++i) session_.Step();
    steps_per_frame_ += chunk;
    if (NowMs() - start >= kFrameBudgetMs) break;
  }
  train_ms_ = static_cast<float>(NowMs() - start);
  state_.steps = session_.steps();
  Remeasure();
  if (session_.steps() == first) playing_ = false;  // it cannot step (its last int)
}

bool TrainLabView::StartWorker() {
  if (!TrainerAvailable() || !result_.error.empty()) return false;
  run_id_ =
      // The link as it stands (past the replay cap it carries the checkpoint) names the set-up
      // and the weight edits; the checkpoint is where the run is.
      // Play has no step cap (0).
      TrainerStart(EncodeTrainLab(TrainLinkState(state_, session_)), RunnerSaveCheckpoint(session_),
                   0, true, 0);
  pausing_ = resume_here_ = false;
  return run_id_ != 0;
}

void TrainLabView::StopWorker() {
  if (run_id_ != 0) TrainerStop();
  run_id_ = 0;
  pausing_ = resume_here_ = false;
}

void TrainLabView::PollWorker() {
  TrainerRun& run = TrainerCurrent();
  std::string bytes;
  bool final = false;
  if (TrainerTake(run_id_, &bytes, &final)) {
    RunnerSnapshot snap;
    if (DecodeRunnerSnapshot(bytes, &snap).empty() && snap.lab == RunnerLab::kTrain &&
        RunnerLoadCheckpoint(&session_, state_, snap.checkpoint).empty()) {
      ++snapshots_;
      state_.steps = session_.steps();
      Remeasure();
      if (final) {
        run_id_ = 0;
        playing_ = resume_here_;
        pausing_ = resume_here_ = false;
        return;
      }
    } else {
      run.error = "the trainer sent a snapshot this page cannot read";
    }
  }
  // A slower pace picked while the worker trains: it stops, and training goes on here.
  if (playing_ && pace_epochs_ != 0 && !pausing_) {
    TrainerPause(run_id_);
    pausing_ = resume_here_ = true;
    pause_at_ = ImGui::GetTime();
  }
  const bool failed = !run.error.empty() || run.id != run_id_;
  const bool stuck = pausing_ && ImGui::GetTime() - pause_at_ > kPauseWaitSeconds;
  if (!failed && !stuck) return;
  // Quietly on here, from where the last snapshot left it.
  const bool resume = resume_here_;
  StopWorker();
  if (resume) playing_ = true;
  note_ = "Training runs on this page's own thread (no worker).";
}

bool TrainLabView::EditParam(int index, float value) {
  if (!std::isfinite(value) || std::fabs(value) > TrainLabLimits::kMaxWeight) {
    message_ = "A weight lies in [-100, 100].";
    return false;
  }
  const int step = session_.steps();
  std::vector<TrainEdit>& edits = state_.edits;
  auto same = std::find_if(edits.begin(), edits.end(),
                           [&](const TrainEdit& e) { return e.step == step && e.index == index; });
  if (same != edits.end()) {
    same->value = value;
  } else if (static_cast<int>(edits.size()) >= TrainLabLimits::kMaxEdits) {
    message_ = "A link holds at most 100 weight edits: Reset to start over.";
    return false;
  } else {
    edits.push_back({step, index, value});
  }
  message_.clear();
  state_.steps = step;
  session_.SetParam(index, value);
  Remeasure();
  return true;
}

// ---- [SECTION] controls ----------------------------------------------------------------

LabChange TrainLabView::ShowControls() {
  TrainLabState& s = state_;
  bool edited = false, navigated = false, data_changed = false;
  preset_rects_.clear();
  ImGui::TextUnformatted("Presets");
  if (const int i = PresetButtons(TrainPresets(), &preset_rects_); i >= 0) {
    s = TrainPresets()[static_cast<size_t>(i)].state;
    navigated = true;
  }
  Section("Data");
  static const char* const kData[] = {"circle",
                                      "xor",
                                      "two Gaussians",
                                      "spiral",
                                      "3 Gaussian blobs",
                                      "k Gaussian blobs",
                                      "k spiral arms",
                                      "regression: plane",
                                      "regression: 6 Gaussians"};
  int data = static_cast<int>(s.data);
  if (ImGui::Combo("dataset", &data, kData, kTrainDataKindCount)) {
    s.data = static_cast<TrainDataKind>(data);
    data_changed = true;
  }
  HelpTip("train", "dataset");
  if (s.data == TrainDataKind::kBlobs || s.data == TrainDataKind::kSpirals) {
    int k = s.classes;
    if (ImGui::SliderInt("classes", &k, TrainLabLimits::kMinClasses, TrainLabLimits::kMaxClasses,
                         "%d", ImGuiSliderFlags_AlwaysClamp) &&
        k != s.classes) {
      s.classes = k;
      data_changed = true;
    }
    HelpTip("train", "classes");
  }
  int seed = s.seed;
  if (ImGui::InputInt("seed", &seed) && seed >= 0 && seed != s.seed) {
    s.seed = seed;
    data_changed = true;
  }
  HelpTip("train", "seed");
  float noise = s.noise;
  if (ImGui::SliderFloat("noise", &noise, 0.0f, TrainLabLimits::kMaxNoise, "%.2f",
                         ImGuiSliderFlags_AlwaysClamp) &&
      noise != s.noise) {
    s.noise = std::round(noise * 100.0f) / 100.0f;
    edited = true;
  }
  HelpTip("train", "noise");
  int split = s.split;
  if (ImGui::SliderInt("train %", &split, TrainLabLimits::kMinSplit, TrainLabLimits::kMaxSplit,
                       "%d", ImGuiSliderFlags_AlwaysClamp) &&
      split != s.split) {
    s.split = split;
    edited = true;
  }
  HelpTip("train", "split");
  if (!s.added.empty() || !s.removed.empty()) {
    ImGui::Text("%d points added, %d removed by hand", static_cast<int>(s.added.size()),
                static_cast<int>(s.removed.size()));
    ImGui::SameLine();
    if (TapButton("restore")) {
      s.added.clear();
      s.removed.clear();
      edited = true;
    }
    HelpTip("train", "restore");
  }
  Section("Features");
  for (int i = 0; i < kTrainFeatureCount; ++i) {
    bool on = (s.features >> i) & 1u;
    if (i % 4) ImGui::SameLine();
    const bool toggled = ImGui::Checkbox(TrainFeatureLabel(i), &on);
    if (i == 2)  // x², for the browser tests (a setting change drops the typed weights)
      feature_x2_rect_ = ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y,
                                ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y);
    if (toggled) {
      const unsigned next = on ? s.features | (1u << i) : s.features & ~(1u << i);
      if (next != 0) {
        s.features = next;
        edited = true;
      }
    }
    HelpTip("train", "features");
  }
  Section("Network");
  int layers = static_cast<int>(s.layers.size());
  if (ImGui::SliderInt("hidden layers", &layers, 0, TrainLabLimits::kMaxLayers, "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      layers != static_cast<int>(s.layers.size())) {
    s.layers.resize(static_cast<size_t>(layers), 4);
    edited = true;
  }
  HelpTip("train", "hidden-layers");
  if (ImGui::BeginCombo("all layers",
                        s.layer_acts.empty() ? kActNames[static_cast<int>(s.act)] : "(mixed)")) {
    for (int a = 0; a < 4; ++a) {
      if (ImGui::Selectable(kActNames[a], s.layer_acts.empty() && a == static_cast<int>(s.act))) {
        s.act = static_cast<TrainActivation>(a);
        s.layer_acts.clear();
        edited = true;
      }
    }
    ImGui::EndCombo();
  }
  HelpTip("train", "all-activations");
  for (size_t i = 0; i < s.layers.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    int units = s.layers[i];
    ImGui::SetNextItemWidth(140.0f);
    const std::string label = "##units";
    if (ImGui::SliderInt(label.c_str(), &units, 1, TrainLabLimits::kMaxUnits, "%d units",
                         ImGuiSliderFlags_AlwaysClamp) &&
        units != s.layers[i]) {
      s.layers[i] = units;
      edited = true;
    }
    HelpTip("train", "layer-units");
    ImGui::SameLine();
    int act = static_cast<int>(TrainLayerActivation(s, static_cast<int>(i)));
    ImGui::SetNextItemWidth(90.0f);
    if (ImGui::Combo("##act", &act, kActNames, 4)) {
      if (s.layer_acts.empty()) s.layer_acts.assign(s.layers.size(), s.act);
      s.layer_acts[i] = static_cast<TrainActivation>(act);
      edited = true;
    }
    HelpTip("train", "layer-activation");
    ImGui::SameLine();
    ImGui::Text("layer %d", static_cast<int>(i) + 1);
    ImGui::PopID();
  }
  const bool regression = TrainDataIsRegression(s.data);
  Section("Loss and regularization");
  if (regression) {
    ImGui::TextDisabled("Regression: one linear output, half squared error");
  } else {
    int loss = static_cast<int>(s.loss);
    ImGui::BeginGroup();
    edited |= ImGui::RadioButton("softmax cross-entropy", &loss,
                                 static_cast<int>(TrainLoss::kCrossEntropy));
    ImGui::SameLine();
    edited |= ImGui::RadioButton("tanh + squared", &loss, static_cast<int>(TrainLoss::kSquared));
    ImGui::EndGroup();
    HelpTip("train", "loss");
    s.loss = static_cast<TrainLoss>(loss);
  }
  if (!regression) {
    // TensorFlow Playground's training set-up on the current data and network.
    if (TapButton("TF Playground mode")) {
      s.loss = TrainLoss::kSquared;
      s.init = TrainInit::kUniform;
      s.opt = TrainOptimizer::kSgd;
      s.momentum = 0.0f;
      s.lr = 0.03f;
      s.batch = 10;
      edited = true;
    }
    HelpTip("train", "playground");
  }
  int reg = static_cast<int>(s.reg);
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("none", &reg, static_cast<int>(TrainReg::kNone));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("L1", &reg, static_cast<int>(TrainReg::kL1));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("L2", &reg, static_cast<int>(TrainReg::kL2));
  ImGui::EndGroup();
  HelpTip("train", "regularization");
  s.reg = static_cast<TrainReg>(reg);
  if (s.reg != TrainReg::kNone) {
    static const float kRates[] = {0.0f, 0.001f, 0.003f, 0.01f, 0.03f,
                                   0.1f, 0.3f,   1.0f,   3.0f,  10.0f};
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90.0f);
    const std::string cur = Num(s.rate, 3);
    if (ImGui::BeginCombo("rate", cur.c_str())) {
      for (float r : kRates) {
        const std::string name = Num(r, 3);
        if (ImGui::Selectable(name.c_str(), r == s.rate) && r != s.rate) {
          s.rate = r;
          edited = true;
        }
      }
      ImGui::EndCombo();
    }
    HelpTip("train", "rate");
  }
  Section("Initialisation and optimizer");
  int init = static_cast<int>(s.init);
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("Glorot", &init, static_cast<int>(TrainInit::kGlorot));
  ImGui::SameLine();
  edited |=
      ImGui::RadioButton("U(-0.5, 0.5), bias 0.1", &init, static_cast<int>(TrainInit::kUniform));
  ImGui::EndGroup();
  HelpTip("train", "init");
  s.init = static_cast<TrainInit>(init);
  int opt = static_cast<int>(s.opt);
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("SGD + momentum", &opt, static_cast<int>(TrainOptimizer::kSgd));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("Adam", &opt, static_cast<int>(TrainOptimizer::kAdam));
  ImGui::EndGroup();
  HelpTip("train", "optimizer");
  s.opt = static_cast<TrainOptimizer>(opt);
  float lr = s.lr;
  if (ImGui::SliderFloat("learning rate", &lr, 0.0001f, 3.0f, "%.4g",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp) &&
      lr != s.lr && lr > 0.0f) {
    s.lr = lr;
    edited = true;
  }
  HelpTip("train", "lr");
  if (s.opt == TrainOptimizer::kSgd) {
    float mom = s.momentum;
    if (ImGui::SliderFloat("momentum", &mom, 0.0f, TrainLabLimits::kMaxMomentum, "%.2f",
                           ImGuiSliderFlags_AlwaysClamp) &&
        mom != s.momentum) {
      s.momentum = std::round(mom * 100.0f) / 100.0f;
      edited = true;
    }
    HelpTip("train", "momentum");
  }
  int batch = s.batch;
  if (ImGui::SliderInt("batch size", &batch, 1, TrainLabLimits::kMaxBatch, "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      batch != s.batch) {
    s.batch = batch;
    edited = true;
  }
  HelpTip("train", "batch");
  Hint("Any change restarts training from the seed's weights (and drops typed weights).");
  ImGui::Separator();
  ImGui::Checkbox("Export JSON includes the trained weights", &export_weights_);
  HelpTip("train", "export-weights");
  export_rect_ = ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y,
                        ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y);
  if (data_changed) {
    s.added.clear();
    s.removed.clear();
    edited = true;
  }
  if (navigated || edited) {
    NormalizeTrainLab(&s);
    s.steps = 0;
    s.edits.clear();
    playing_ = playing_ && !navigated;
    sel_layer_ = -1;
    table_layer_ = std::min(table_layer_, static_cast<int>(s.layers.size()));
    Restart();
  }
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

// ---- [SECTION] boundary ----------------------------------------------------------------

// The decision boundary with the points; a click adds a point, right-click or Shift+click
// removes the nearest. Returns true when the points changed.
bool TrainLabView::ShowBoundary(float size) {
  const TrainLabResult& r = result_;
  const int g = TrainLabLimits::kGrid;
  const float e = TrainLabLimits::kExtent;
  boundary_.Upload(r.grid.data(), g, g, kBoundaryAbsMax);
  size = std::floor(std::max(size, 160.0f));
  const ImVec2 o = ImGui::GetCursorScreenPos();
  boundary_rect_ = ImVec4(o.x, o.y, size, size);
  // Pressed on release over the plot, for a press that started on it (left or right).
  const bool pressed =
      ImGui::InvisibleButton("boundary", ImVec2(size, size),
                             ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddImage(boundary_.TextureId(), o, ImVec2(o.x + size, o.y + size));
  dl->PushClipRect(o, ImVec2(o.x + size, o.y + size), true);
  auto screen = [&](float x, float y) {
    return ImVec2(o.x + (x + e) / (2 * e) * size, o.y + (e - y) / (2 * e) * size);
  };
  const float radius = size >= 300.0f ? 3.5f : 2.5f;
  auto draw_points = [&](const std::vector<TrainPoint>& pts, bool train) {
    for (const TrainPoint& p : pts) {
      const ImVec2 c = screen(p.x, p.y);
      const float v = r.regression ? p.value : ClassValue(p.label, r.classes);
      dl->AddCircleFilled(c, radius, Diverging(v));
      const ImU32 ring = p.id < 0 && train ? Col(Pal().selection)  // imported test points: black
                         : train ? Col(Pal().cell_text_light)      // white ring: training point
                                 : Col(Pal().cell_text_dark);      // black ring: test point
      dl->AddCircle(c, radius + (p.id < 0 ? 0.5f : 0.0f), ring, 0, p.id < 0 ? 1.5f : 1.0f);
    }
  };
  draw_points(session_.data().train, true);
  draw_points(session_.data().test, false);
  dl->PopClipRect();
  bool changed = false;
  if (hovered) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float x = (m.x - o.x) / size * 2 * e - e, y = e - (m.y - o.y) / size * 2 * e;
    const bool remove = ImGui::IsMouseReleased(ImGuiMouseButton_Right) || ImGui::GetIO().KeyShift;
    // A left press adds a point; dragging paints one every kPaintPx pixels.
    constexpr float kPaintPx = 12.0f;
    const bool painting = ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left) &&
                          !ImGui::GetIO().KeyShift;
    const float dx = m.x - painted_at_.x, dy = m.y - painted_at_.y;
    if (pressed && remove) {
      changed = TrainRemoveNearestPoint(&state_, x, y, 10.0f / size * 2 * e);
      if (!changed) message_ = "No point near enough to remove.";
    } else if (painting && (ImGui::IsItemActivated() || dx * dx + dy * dy >= kPaintPx * kPaintPx)) {
      painted_at_ = m;
      changed =
          TrainAddPoint(&state_, x, y, r.regression ? add_value_ : static_cast<float>(add_class_));
      if (!changed) message_ = "A link holds at most 200 added points.";
    }
    ImGui::SetTooltip("(%.2f, %.2f)\nclick or drag: add points; right-click or Shift+click: remove",
                      x, y);
  }
  if (changed) {
    message_.clear();
    state_.steps = 0;  // the data changed: training starts over
    state_.edits.clear();
    Restart();
  }
  // What a click adds.
  if (r.regression) {
    ImGui::SetNextItemWidth(std::min(200.0f, size * 0.5f));
    ImGui::SliderFloat("value of a click", &add_value_, -1.0f, 1.0f, "%.2f",
                       ImGuiSliderFlags_AlwaysClamp);
    HelpTip("train", "click-value");
  } else {
    ImGui::TextUnformatted("A click adds class");
    for (int c = 0; c < r.classes; ++c) {
      ImGui::SameLine();
      const std::string id = std::to_string(c) + "##addclass";
      ImGui::PushStyleColor(ImGuiCol_Text, Diverging(ClassValue(c, r.classes)));
      ImGui::RadioButton(id.c_str(), &add_class_, c);
      ImGui::PopStyleColor();
      HelpTip("train", "click-class");
    }
    add_class_ = std::min(add_class_, r.classes - 1);
  }
  // The learner's own data: a CSV file or pasted text replaces the points.
  auto rect = [] {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
  };
  if (TapButton("Import CSV...")) PickFile(FilePurpose::kCsv, 0);
  import_rect_ = rect();
  HelpTip("train", "csv");
  ImGui::TextDisabled(r.regression ? "or paste x,y,value lines:" : "or paste x,y,label lines:");
  ImGui::InputTextMultiline("##csvpaste", paste_.data(), paste_.size(),
                            ImVec2(std::min(size, 320.0f), ImGui::GetTextLineHeight() * 4.5f));
  paste_rect_ = rect();
  if (TapButton("Use pasted CSV")) {
    bool csv_changed = false;
    LoadCsv(paste_.data(), &csv_changed);
    changed |= csv_changed;
  }
  use_paste_rect_ = rect();
  return changed;
}

bool TrainLabView::LoadCsv(const std::string& text, bool* changed) {
  const std::string why = TrainImportCsv(&state_, text);
  *changed = why.empty();
  if (!why.empty()) {
    message_ = "CSV not imported: " + why + ". The points are as they were.";
    return true;
  }
  message_.clear();
  playing_ = false;
  Restart();
  return true;
}

// ---- [SECTION] network -----------------------------------------------------------------

// Inputs, one column of neuron maps per hidden layer, the outputs; edges coloured by sign
// and as thick as |w|. A click on an edge selects its weight for typing (while paused).
// Below: the weight table of one layer. Returns true when a weight was edited.
bool TrainLabView::ShowNetwork() {
  const TrainLabResult& r = result_;
  const TrainLabState& s = state_;
  const int L = static_cast<int>(s.layers.size());
  if (r.layers.empty()) return false;
  // Neuron maps: recomputed when the weights changed, at most every kMapsSeconds while playing.
  const double now = ImGui::GetTime();
  if (maps_stale_ && (!playing_ || now - maps_at_ >= kMapsSeconds)) {
    const double start = NowMs();
    session_.NeuronMaps(&maps_);
    maps_ms_ = static_cast<float>(NowMs() - start);
    int units = 0;
    for (int u : s.layers) units += u;
    while (static_cast<int>(unit_maps_.size()) < units)
      unit_maps_.push_back(std::make_unique<Heatmap>());
    const int t = TrainLabLimits::kThumb;
    int unit = 0;
    for (int l = 0; l < L; ++l) {
      const TrainActivation a = TrainLayerActivation(s, l);
      const float absmax =
          a == TrainActivation::kTanh || a == TrainActivation::kSigmoid ? 1.0f : 0.0f;
      for (int i = 0; i < s.layers[static_cast<size_t>(l)]; ++i, ++unit)
        unit_maps_[static_cast<size_t>(unit)]->Upload(
            maps_.data() + static_cast<size_t>(unit * t * t), t, t, absmax);
    }
    session_.FeatureMaps(&features_);
    const int width = static_cast<int>(r.layers.front().in);
    while (static_cast<int>(feature_maps_.size()) < width)
      feature_maps_.push_back(std::make_unique<Heatmap>());
    for (int f = 0; f < width; ++f)
      feature_maps_[static_cast<size_t>(f)]->Upload(
          features_.data() + static_cast<size_t>(f * t * t), t, t, 0.0f);
    maps_at_ = now;
    maps_stale_ = false;
  }

  const int width = static_cast<int>(r.layers.front().in);
  int max_units = std::max(width, r.outputs);
  for (int u : s.layers) max_units = std::max(max_units, u);
  const float avail = std::max(240.0f, ImGui::GetContentRegionAvail().x);
  const float w = std::min(avail, 640.0f);
  const float box =
      std::clamp(std::floor(320.0f / static_cast<float>(max_units)) - 4.0f, 14.0f, 30.0f);
  const float label_h = ImGui::GetTextLineHeight() + 4.0f;
  const float h = label_h + static_cast<float>(max_units) * (box + 4.0f) + 6.0f;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  diagram_rect_ = ImVec4(o.x, o.y, w, h);
  ImGui::InvisibleButton("diagram", ImVec2(w, h));
  const bool clicked = ImGui::IsItemHovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Left);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(o, ImVec2(o.x + w, o.y + h), Col(Pal().panel), 4.0f);
  const int columns = L + 2;  // inputs, hidden layers, outputs
  const float left = 34.0f, right = box + 8.0f;
  auto column_x = [&](int c) {
    return o.x + left +
           (w - left - right) * static_cast<float>(c) / static_cast<float>(columns - 1);
  };
  auto units_of = [&](int c) {
    return c == 0 ? width : c <= L ? s.layers[static_cast<size_t>(c - 1)] : r.outputs;
  };
  auto center = [&](int c, int i) {
    const int n = units_of(c);
    const float top = o.y + label_h + (h - label_h - static_cast<float>(n) * (box + 4.0f)) * 0.5f;
    return ImVec2(column_x(c), top + (box + 4.0f) * (static_cast<float>(i) + 0.5f));
  };
  // Edges: layer l joins column l to column l + 1.
  float best = 6.0f;
  int hit_l = -1, hit_o = -1, hit_i = -1;
  for (int l = 0; l < static_cast<int>(r.layers.size()); ++l) {
    const TrainLayerShape& ly = r.layers[static_cast<size_t>(l)];
    const float* wt = r.params.data() + ly.w;
    float wmax = 0;
    for (int k = 0; k < ly.in * ly.out; ++k) wmax = std::max(wmax, std::fabs(wt[k]));
    for (int out = 0; out < ly.out; ++out) {
      for (int in = 0; in < ly.in; ++in) {
        const float v = wt[out * ly.in + in];
        const ImVec2 a(center(l, in).x + box * 0.5f, center(l, in).y);
        const ImVec2 b(center(l + 1, out).x - box * 0.5f, center(l + 1, out).y);
        if (l == 0 && out == 0 && in == 0)
          first_edge_ = ImVec4(a.x + (b.x - a.x) * 0.5f, a.y + (b.y - a.y) * 0.5f, 0, 0);
        const float t = wmax > 0 && std::isfinite(v) ? std::fabs(v) / wmax : 0.0f;
        const bool sel = sel_layer_ == l && sel_unit_ == out && sel_input_ == in;
        ImU32 col = Diverging(v > 0 ? 1.0f : v < 0 ? -1.0f : 0.0f);
        if (!sel) col = (col & 0x00FFFFFF) | (static_cast<ImU32>(70 + 185 * t) << 24);
        dl->AddLine(a, b, sel ? Col(Pal().selection) : col,
                    sel ? 3.0f + 3.0f * t : 0.5f + 3.5f * t);
        if (clicked) {
          const float d = DistanceToSegment(mouse, a, b);
          if (d < best) best = d, hit_l = l, hit_o = out, hit_i = in;
        }
      }
    }
  }
  // Nodes: input names, neuron maps, outputs.
  int feat = 0;
  for (int i = 0; i < width; ++i) {
    while (feat < kTrainFeatureCount && !((s.features >> feat) & 1u)) ++feat;
    const ImVec2 c = center(0, i);
    const ImVec2 fa(c.x - box * 0.5f, c.y - box * 0.5f), fb(c.x + box * 0.5f, c.y + box * 0.5f);
    if (static_cast<size_t>(i) < feature_maps_.size() &&
        feature_maps_[static_cast<size_t>(i)]->TextureId()) {
      dl->AddImage(feature_maps_[static_cast<size_t>(i)]->TextureId(), fa, fb);
    } else {
      dl->AddRectFilled(fa, fb, Col(Pal().frame), 3.0f);
    }
    dl->AddRect(fa, fb, Col(Pal().node_line));
    const char* name = TrainFeatureLabel(feat);
    const ImVec2 ts = ImGui::CalcTextSize(name);
    dl->AddText(ImVec2(c.x - box * 0.5f - ts.x - 3.0f, c.y - ts.y * 0.5f), Col(Pal().text), name);
    ++feat;
  }
  int unit = 0;
  int hover_unit = -1, hover_layer = -1, hover_index = -1;
  for (int l = 0; l < L; ++l) {
    const std::string label =
        std::to_string(l + 1) + " " + kActNames[static_cast<int>(TrainLayerActivation(s, l))];
    const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(column_x(l + 1) - ls.x * 0.5f, o.y + 2.0f), Col(Pal().text), label.c_str());
    for (int i = 0; i < s.layers[static_cast<size_t>(l)]; ++i, ++unit) {
      const ImVec2 c = center(l + 1, i);
      const ImVec2 a(c.x - box * 0.5f, c.y - box * 0.5f), b(c.x + box * 0.5f, c.y + box * 0.5f);
      if (static_cast<size_t>(unit) < unit_maps_.size() &&
          unit_maps_[static_cast<size_t>(unit)]->TextureId())
        dl->AddImage(unit_maps_[static_cast<size_t>(unit)]->TextureId(), a, b);
      const bool over = mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y &&
                        ImGui::IsWindowHovered();
      dl->AddRect(a, b,
                  over || (sel_layer_ == l + 1 && sel_input_ == i) ? Col(Pal().selection)
                                                                   : Col(Pal().node_line));
      if (over) hover_unit = unit, hover_layer = l, hover_index = i;
      if (unit == 0) first_unit_ = ImVec4(a.x, a.y, box, box);
      if (over && clicked) hit_l = -1, best = -1;  // a node wins over the edges under it
    }
  }
  {
    const std::string label = r.regression ? "out" : r.outputs == 1 ? "tanh" : "out";
    const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(column_x(L + 1) - ls.x * 0.5f, o.y + 2.0f), Col(Pal().text), label.c_str());
    for (int i = 0; i < r.outputs; ++i) {
      const ImVec2 c = center(L + 1, i);
      const ImVec2 a(c.x - box * 0.5f, c.y - box * 0.5f), b(c.x + box * 0.5f, c.y + box * 0.5f);
      if (r.outputs == 1) {
        dl->AddImage(boundary_.TextureId(), a, b);
      } else {
        dl->AddRectFilled(a, b, Diverging(ClassValue(i, r.outputs)), 3.0f);
      }
      dl->AddRect(a, b, Col(Pal().node_line));
    }
  }
  if (hover_unit >= 0 && static_cast<size_t>(hover_unit) < unit_maps_.size()) {
    ImGui::BeginTooltip();
    ImGui::Text("Layer %d, unit %d: its output over the plane", hover_layer + 1, hover_index + 1);
    ImGui::Image(unit_maps_[static_cast<size_t>(hover_unit)]->TextureId(), ImVec2(160, 160));
    ImGui::EndTooltip();
  }
  if (clicked && hit_l >= 0 && best >= 0) {
    sel_layer_ = hit_l, sel_unit_ = hit_o, sel_input_ = hit_i;
    table_layer_ = hit_l;
    const TrainLayerShape& ly = r.layers[static_cast<size_t>(hit_l)];
    sel_value_ = r.params[static_cast<size_t>(ly.w + hit_o * ly.in + hit_i)];
    focus_sel_ = true;
  }

  bool edited = false;
  // The selected edge's weight.
  if (sel_layer_ >= 0 && sel_layer_ < static_cast<int>(r.layers.size())) {
    const TrainLayerShape& ly = r.layers[static_cast<size_t>(sel_layer_)];
    if (sel_unit_ < ly.out && sel_input_ < ly.in) {
      const int index = ly.w + sel_unit_ * ly.in + sel_input_;
      ImGui::Text("Weight %d %s %d of layer %d (parameter %d):", sel_input_ + 1, kArrow,
                  sel_unit_ + 1, sel_layer_ + 1, index);
      ImGui::SameLine();
      ImGui::BeginDisabled(playing_);
      if (focus_sel_) ImGui::SetKeyboardFocusHere();
      focus_sel_ = false;
      ImGui::SetNextItemWidth(100.0f);
      if (ImGui::InputFloat("##selw", &sel_value_, 0.0f, 0.0f, "%.4g",
                            ImGuiInputTextFlags_EnterReturnsTrue))
        edited |= EditParam(index, sel_value_);
      HelpTip("train", "weight");
      ImGui::EndDisabled();
    }
  }
  // The weight table of one layer: W [out, in] and the bias column.
  const int layers = static_cast<int>(r.layers.size());
  table_layer_ = std::clamp(table_layer_, 0, layers - 1);
  Heading("Weights of");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140.0f);
  int shown = table_layer_ + 1;
  if (ImGui::SliderInt("##table", &shown, 1, layers, shown == layers ? "output layer" : "layer %d",
                       ImGuiSliderFlags_AlwaysClamp))
    table_layer_ = shown - 1;
  HelpTip("train", "table-layer");
  Hint(playing_ ? "Pause to edit." : "Click a cell to type a weight; the last column is the bias.");
  const TrainLayerShape& ly = r.layers[static_cast<size_t>(table_layer_)];
  const int cols = ly.in + 1;
  weights_values_.assign(static_cast<size_t>(ly.out * cols), 0.0f);
  for (int out = 0; out < ly.out; ++out) {
    for (int in = 0; in < ly.in; ++in)
      weights_values_[static_cast<size_t>(out * cols + in)] =
          r.params[static_cast<size_t>(ly.w + out * ly.in + in)];
    weights_values_[static_cast<size_t>(out * cols + ly.in)] =
        r.params[static_cast<size_t>(ly.b + out)];
  }
  GridOptions opts;
  opts.cell = std::clamp(std::floor(ImGui::GetContentRegionAvail().x / static_cast<float>(cols)),
                         10.0f, 46.0f);
  opts.editable = !playing_;
  opts.brush = 0.0f;
  if (sel_layer_ == table_layer_) opts.selected_y = sel_unit_, opts.selected_x = sel_input_;
  opts.help = HelpRef{"train", "weights-grid"};
  const GridEvents ev = weights_grid_.Draw("weights", weights_values_.data(), ly.out, cols, opts);
  if (ev.changed && !playing_) {
    for (int out = 0; out < ly.out; ++out) {
      for (int in = 0; in <= ly.in; ++in) {
        const float v = weights_values_[static_cast<size_t>(out * cols + in)];
        const int index = in < ly.in ? ly.w + out * ly.in + in : ly.b + out;
        if (v != r.params[static_cast<size_t>(index)]) edited |= EditParam(index, v);
      }
    }
  }
  if (!ev.error.empty()) message_ = ev.error;
  return edited;
}

// ---- [SECTION] results -----------------------------------------------------------------

bool TrainLabView::ShowResults() {
  bool committed = false;
  auto rect = [] {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
  };
  if (ImGui::Button(playing_ || pausing_ ? "Pause###play" : "Play###play", ImVec2(80, 0))) {
    if (run_id_ != 0 && !pausing_) {
      // The worker stops and sends where it is; the link follows when that arrives.
      TrainerPause(run_id_);
      pausing_ = true;
      resume_here_ = false;
      pause_at_ = ImGui::GetTime();
      playing_ = false;
    } else if (run_id_ == 0) {
      if (playing_) committed = true;  // the link records the steps
      playing_ = !playing_;
    }
  }
  HelpTip("train", "play");
  play_rect_ = rect();
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(80, 0)) && run_id_ == 0) {
    session_.Step();
    state_.steps = session_.steps();
    Remeasure();
    committed = true;
  }
  HelpTip("train", "step");
  step_rect_ = rect();
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(80, 0))) {
    playing_ = false;
    state_.steps = 0;
    state_.edits.clear();
    Restart();
    committed = true;
  }
  HelpTip("train", "reset");
  reset_rect_ = rect();
  // Beside the buttons when it fits (a phone has room for the buttons only).
  const std::string step_text = "step " + std::to_string(result_.steps);
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(step_text.c_str()).x) ImGui::NewLine();
  ImGui::TextUnformatted(step_text.c_str());
  // Pace: TF Playground's one epoch per frame lets the boundary be watched forming; "max"
  // trains as many steps as fit the frame's budget.
  ImGui::TextUnformatted("speed");
  static const int kPaces[] = {1, 10, 0};
  static const char* const kPaceNames[] = {"1 epoch/frame", "10 epochs/frame", "max"};
  for (int i = 0; i < 3; ++i) {
    ImGui::SameLine();
    // Wrap on narrow screens rather than run past the edge.
    const float need = ImGui::CalcTextSize(kPaceNames[i]).x + ImGui::GetFrameHeight() +
                       ImGui::GetStyle().ItemInnerSpacing.x;
    if (ImGui::GetContentRegionAvail().x < need) ImGui::NewLine();
    if (ImGui::RadioButton(kPaceNames[i], pace_epochs_ == kPaces[i])) pace_epochs_ = kPaces[i];
    HelpTip("train", "pace");
    if (i == 2) pace_rect_ = rect();
  }
  char status[128];
  if (playing_ && run_id_ != 0) {
    std::snprintf(status, sizeof status,
                  "training in the background, %.1f ms measuring, frame %.1f ms",
                  static_cast<double>(measure_ms_), static_cast<double>(frame_ms_));
    Hint(status);  // wrapped on a phone
  } else if (playing_) {
    std::snprintf(status, sizeof status,
                  "%d steps/frame, %.1f ms training, %.1f ms measuring, frame %.1f ms",
                  steps_per_frame_, static_cast<double>(train_ms_),
                  static_cast<double>(measure_ms_), static_cast<double>(frame_ms_));
    Hint(status);
  }
  // At the "max" pace training runs in the trainer worker: on how many threads, and why.
  if (pace_epochs_ == 0 && TrainerAvailable() && note_.empty()) {
    TrainingThreadsLine();
    HelpTip("train", "threads");
  }
  if (!note_.empty()) ImGui::TextDisabled("%s", note_.c_str());
  if (!message_.empty()) ImGui::TextColored(ColV(Pal().warning), "%s", message_.c_str());
  if (!result_.error.empty()) {
    ImGui::TextColored(ColV(Pal().wrong), "%s", result_.error.c_str());
    return committed;
  }
  const TrainLabResult& r = result_;
  if (r.regression) {
    if (r.test_count == 0) {
      ImGui::Text("Train loss %.4f   no test points (all are for training)", r.train_loss);
    } else {
      ImGui::Text("Train loss %.4f   Test loss %.4f", r.train_loss, r.test_loss);
    }
  } else {
    ImGui::Text("Train loss %.4f  acc %.1f%%", r.train_loss, r.train_acc * 100.0f);
    ImGui::SameLine(0.0f, 24.0f);
    if (ImGui::GetContentRegionAvail().x < 200.0f) ImGui::NewLine();
    if (r.test_count == 0) {
      ImGui::TextDisabled("no test points (all are for training)");
    } else {
      ImGui::Text("Test loss %.4f  acc %.1f%%", r.test_loss, r.test_acc * 100.0f);
    }
  }

  // Wide: the boundary, and beside it the curves, the confusion matrix and the gradient
  // norms; then the network. Narrow: everything in one column.
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool wide = avail >= 700.0f;
  const float side = wide ? std::min(420.0f, avail - 300.0f) : std::min(avail, 420.0f);
  ImGui::BeginGroup();
  Heading(r.regression     ? "Output over the plane (points: targets)"
          : r.classes == 2 ? "Decision boundary (red = class 1)"
                           : "Likeliest class, by confidence");
  committed |= ShowBoundary(side);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
  ImGui::TextDisabled(
      "Ring: white = training point, black = test, yellow = added by hand. Plane [\xE2\x88\x92"
      "6, 6]\xC2\xB2.");
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  if (wide) ImGui::SameLine(0.0f, 16.0f);
  ImGui::BeginGroup();
  const float column = wide ? ImGui::GetContentRegionAvail().x : avail;

  // Loss curves.
  train_curve_.clear();
  test_curve_.clear();
  float hi = 0.0f;
  for (const TrainHistoryPoint& p : r.history) {
    train_curve_.push_back(p.train_loss);
    test_curve_.push_back(p.test_loss);
    hi = std::max({hi, p.train_loss, p.test_loss});
  }
  const ImVec2 plot(std::min(column - 40.0f, 480.0f), 60.0f);
  const std::string tl = "train loss " + TraceNum(r.train_loss);
  const std::string vl = "test loss " + TraceNum(r.test_loss);
  Heading("Loss curves");
  ImGui::PlotLines("train", train_curve_.data(), static_cast<int>(train_curve_.size()), 0,
                   tl.c_str(), 0.0f, hi * 1.05f, plot);
  ImGui::PlotLines("test", test_curve_.data(), static_cast<int>(test_curve_.size()), 0, vl.c_str(),
                   0.0f, hi * 1.05f, plot);
  ImGui::TextDisabled("every %d steps, %d points", r.history_every,
                      static_cast<int>(r.history.size()));

  // Confusion matrix (test set).
  if (!r.regression && r.classes > 1) {
    Heading("Test confusion");
    ImGui::TextDisabled("rows: true class, columns: predicted");
    const int k = r.classes;
    if (ImGui::BeginTable("confusion", k + 1,
                          ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit |
                              ImGuiTableFlags_NoHostExtendX)) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("t\\p");
      for (int c = 0; c < k; ++c) {
        ImGui::TableNextColumn();
        // A swatch of the class's colour (the neutral middle class would vanish as text).
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(Diverging(ClassValue(c, k))), "\u25A0");
        ImGui::SameLine(0.0f, 3.0f);
        ImGui::Text("%d", c);
      }
      for (int t = 0; t < k; ++t) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(Diverging(ClassValue(t, k))), "\u25A0");
        ImGui::SameLine(0.0f, 3.0f);
        ImGui::Text("%d", t);
        for (int p = 0; p < k; ++p) {
          ImGui::TableNextColumn();
          const int n = r.confusion[static_cast<size_t>(t * k + p)];
          if (t == p) {
            ImGui::Text("%3d", n);
          } else {
            ImGui::TextColored(ColV(n ? Pal().wrong : Pal().text_muted), "%3d", n);
          }
        }
      }
      ImGui::EndTable();
    }
    if (r.test_count == 0) {
      ImGui::TextDisabled("no test points");
    } else {
      ImGui::TextDisabled("%d test points, accuracy %.1f%%", r.test_count, r.test_acc * 100.0f);
    }
  }

  // Gradient norms.
  Heading("Gradient norms, last step");
  float gmax = 0;
  for (const TrainLayerNorm& n : r.grad_norms) gmax = std::max(gmax, n.norm);
  for (const TrainLayerNorm& n : r.grad_norms) {
    const std::string label = n.name + "  " + Num(n.norm, 3);
    ValueBar(gmax > 0 ? n.norm / gmax : 0.0f, std::min(column, 260.0f), label.c_str(),
             Col(Pal().bar));
  }
  ImGui::EndGroup();

  // The network.
  Heading("Network: %d parameters", r.param_count);
  Hint("Hover a neuron to enlarge its map; click an edge to type its weight (while paused).");
  committed |= ShowNetwork();
  return committed;
}

// ---- [SECTION] frame -------------------------------------------------------------------

LabChange TrainLabView::Draw() {
  ShowGuide(Id());
  frame_ms_ = ImGui::GetIO().DeltaTime * 1000.0f;
  if (run_id_ != 0) PollWorker();
  // At the "max" pace the worker trains (started again after a restart while playing).
  if (playing_ && run_id_ == 0 && !(pace_epochs_ == 0 && StartWorker())) RunFrame();
  LabChange change = ShowLabPanes(
      430.0f, [&] { return ShowControls(); }, [&] { return ShowResults(); });
  state_.steps = session_.steps();
  return step_link_.Follow(change, state_.steps, playing_ || pausing_,
                           state_.steps > TrainMaxSteps(state_), ImGui::GetTime());
}

void TrainLabView::Layout(JsonWriter* j) const {
  // "input": the boundary as a grid (the harness waits for its cell size).
  const float cell = boundary_rect_.z / static_cast<float>(TrainLabLimits::kGrid);
  j->Key("input").BeginObject().Key("x").Number(boundary_rect_.x).Key("y").Number(boundary_rect_.y);
  j->Key("cell")
      .Number(cell)
      .Key("rows")
      .Int(TrainLabLimits::kGrid)
      .Key("cols")
      .Int(TrainLabLimits::kGrid);
  j->EndObject();
  WriteRect(j, "boundary", boundary_rect_);
  WriteRect(j, "import_csv", import_rect_);
  WriteRect(j, "csv_paste", paste_rect_);
  WriteRect(j, "use_paste", use_paste_rect_);
  j->Key("message").String(message_);
  WriteRect(j, "diagram", diagram_rect_);
  WriteRect(j, "first_edge", first_edge_);  // the middle of weight (layer 1, unit 1, input 1)
  WriteRect(j, "first_unit", first_unit_);  // the map of layer 1, unit 1
  j->Key("selected").BeginArray().Int(sel_layer_).Int(sel_unit_).Int(sel_input_).EndArray();
  WriteGridRect(j, "weights", weights_grid_);
  j->Key("table_layer").Int(table_layer_);
  WritePresetRects(j, preset_rects_);
  WriteRect(j, "play", play_rect_);
  WriteRect(j, "pace_max", pace_rect_);
  j->Key("pace_epochs").Int(pace_epochs_);
  WriteRect(j, "step", step_rect_);
  WriteRect(j, "reset", reset_rect_);
  WriteRect(j, "export_weights", export_rect_);
  WriteRect(j, "feature_x2", feature_x2_rect_);
  j->Key("playing").Bool(playing_ || pausing_);  // until Pause has the run's last snapshot
  j->Key("steps").Int(session_.steps());
  j->Key("steps_per_frame").Int(steps_per_frame_);
  j->Key("train_ms").Number(train_ms_);
  j->Key("measure_ms").Number(measure_ms_);
  j->Key("maps_ms").Number(maps_ms_);
  j->Key("frame_ms").Number(frame_ms_);
  j->Key("neuron_maps").Int(static_cast<long long>(unit_maps_.size()));
  j->Key("max_steps").Int(TrainMaxSteps(state_));
  WriteTrainingThreads(j);
  j->Key("worker").BeginObject().Key("available").Bool(TrainerAvailable());
  j->Key("run").Int(run_id_).Key("pausing").Bool(pausing_).Key("snapshots").Int(snapshots_);
  j->Key("note").String(note_).EndObject();
}

}  // namespace nnplay::web
