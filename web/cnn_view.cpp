// cnn_view.cpp: the CNN training lab's view. Wide: presets and settings on the left; on the
// right the buttons, then the drawing canvas with its prediction beside the feature maps,
// then the curves, the confusion matrix and the filters. Narrow: everything stacked, the
// settings last.
#include "cnn_view.h"

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

constexpr double kFrameBudgetMs = 6.0;          // training time per frame while playing
constexpr double kMeasureSeconds = 0.5;         // the test set is re-measured this often (playing)
constexpr double kFashionMeasureSeconds = 2.0;  // the same for Fashion-MNIST
constexpr double kLiveSeconds = 0.1;  // curves, filters and feature maps follow this often
// A link whose replay would take longer than about 50 ms in the page (multiply-adds of the
// training steps, forward and backward about 3x forward) replays in the trainer worker.
constexpr double kWorkerReplayMacs = 3e8;
// Pause waits this long for the worker's last snapshot before keeping the one it has.
constexpr double kPauseWaitSeconds = 3.0;

double NowMs() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

ImVec4 ItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

void WriteRect(JsonWriter* j, const char* name, const ImVec4& r) {
  j->Key(name).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
}

// Two series (train, test) in one box, lo..hi, with a caption above.
void TwoCurves(const char* caption, const std::vector<float>& a, const std::vector<float>& b,
               float lo, float hi, ImVec2 size) {
  ImGui::TextUnformatted(caption);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, Col(Pal().panel));
  dl->AddRect(p0, p1, Col(Pal().border));
  const float span = hi > lo ? hi - lo : 1.0f;
  auto plot = [&](const std::vector<float>& v, ImU32 color) {
    if (v.size() < 2) return;
    const float n = static_cast<float>(v.size() - 1);
    for (size_t i = 1; i < v.size(); ++i) {
      auto at = [&](size_t k) {
        const float t = std::clamp((v[k] - lo) / span, 0.0f, 1.0f);
        return ImVec2(p0.x + 2 + (size.x - 4) * static_cast<float>(k) / n,
                      p1.y - 2 - (size.y - 4) * t);
      };
      dl->AddLine(at(i - 1), at(i), color, 1.5f);
    }
  };
  plot(a, Col(Pal().series_1));  // train
  plot(b, Col(Pal().series_2));  // test
  ImGui::Dummy(size);
}

// Puts the next item beside the last one when `text` fits there, else on a new line (a phone
// has room for the buttons only); `spacing` < 0 is the style's item spacing.
void SameLineIfFits(const char* text, float spacing = -1.0f) {
  ImGui::SameLine(0.0f, spacing);
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(text).x) ImGui::NewLine();
}

}  // namespace

void CnnLabView::Restart(bool worker) {
  const double start = NowMs();
  StopWorker();
  const std::string err = session_.Reset(state_);
  // Past the replay cap the link holds the run's checkpoint: restored, nothing replayed.
  const bool restore =
      err.empty() && !state_.checkpoint.empty() && state_.steps > CnnMaxSteps(state_);
  if (restore) session_.LoadCheckpoint(state_, state_.checkpoint);
  const double work = static_cast<double>(state_.steps) * static_cast<double>(state_.batch) * 3.0 *
                      CnnForwardMacs(state_);
  if (!restore && worker && err.empty() && work > kWorkerReplayMacs && StartWorker(false)) {
    // The worker replays; the results wait for its snapshot (ShowReplay meanwhile).
    session_.Measure(&result_, false);
    session_.Probe(state_.draw, &result_);
    step_link_.Opened(state_.steps);
    restart_ms_ = static_cast<float>(NowMs() - start);
    return;
  }
  if (!restore)
    for (int i = 0; i < state_.steps; ++i) session_.Step();
  MeasureAll();
  step_link_.Opened(state_.steps);
  restart_ms_ = static_cast<float>(NowMs() - start);
}

void CnnLabView::MeasureAll() {
  session_.Measure(&result_);
  session_.Probe(state_.draw, &result_);
  last_measure_ = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
}

bool CnnLabView::Open(const Link& link, LinkError* error) {
  CnnLabState s;
  if (!DecodeCnnLab(link, &s, error)) return false;
  bool same_run = s.SameSetup(state_) && session_.steps() == s.steps;
  const bool same_draw = s.draw == state_.draw;
  state_ = std::move(s);
  playing_ = false;
  if (run_id_ != 0) {
    StopWorker();  // whatever it was doing, the link now says where the run is
    same_run = false;
  }
  if (!same_run) {
    Restart();
  } else if (!same_draw) {
    session_.Probe(state_.draw, &result_);
  }
  return true;
}

// ---- the trainer worker ------------------------------------------------------------------

bool CnnLabView::StartWorker(bool play) {
  if (!TrainerAvailable()) return false;
  // The set-up goes as a link (steps and drawing apart); the run's state as the checkpoint.
  CnnLabState setup = state_;
  setup.steps = 0;
  setup.draw = Tensor({state_.size, state_.size});
  setup.checkpoint.clear();
  const std::string checkpoint = play ? RunnerSaveCheckpoint(session_) : std::string();
  // Play has no step cap (0): past the replay cap the link carries the run's checkpoint.
  run_id_ = TrainerStart(EncodeCnnLab(setup), checkpoint, play ? 0 : state_.steps, play, 0);
  if (run_id_ == 0) return false;
  replaying_ = !play;
  pausing_ = false;
  note_.clear();
  measured_ = RunnerSnapshot();
  rate_at_ = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
  rate_steps_ = session_.steps();
  return true;
}

void CnnLabView::StopWorker() {
  if (run_id_ != 0) TrainerStop();
  run_id_ = 0;
  replaying_ = pausing_ = false;
}

void CnnLabView::ApplyMeasured() {
  const RunnerSnapshot& m = measured_;
  if (!m.measured || m.classes != result_.classes ||
      m.confusion.size() != result_.confusion.values().size())
    return;
  result_.test_loss = m.test_loss;
  result_.test_acc = m.test_acc;
  std::copy(m.confusion.begin(), m.confusion.end(), result_.confusion.data());
  result_.mistakes = m.mistakes;
}

bool CnnLabView::ApplySnapshot(const std::string& bytes, bool final) {
  const double start = NowMs();
  RunnerSnapshot s;
  if (!DecodeRunnerSnapshot(bytes, &s).empty() || s.lab != RunnerLab::kCnn) return false;
  if (!RunnerLoadCheckpoint(&session_, state_, s.checkpoint).empty()) return false;
  ++snapshots_;
  if (s.measured) {
    s.checkpoint.clear();
    measured_ = std::move(s);
  }
  const double now = ImGui::GetTime();
  if (now - rate_at_ >= 1.0) {
    steps_per_s_ = static_cast<float>((session_.steps() - rate_steps_) / (now - rate_at_));
    rate_at_ = now;
    rate_steps_ = session_.steps();
  }
  state_.steps = session_.steps();
  // The final snapshot (Pause, or the end of a replay) carries the whole test set at its step,
  // measured in the worker by the same engine code: the view's own session is the run now.
  session_.Measure(&result_, false);
  ApplyMeasured();
  session_.Probe(state_.draw, &result_);
  last_live_ = now;
  if (final) {
    if (replaying_) ++replays_;
    run_id_ = 0;
    playing_ = pausing_ = replaying_ = false;
    last_measure_ = now;
  }
  restore_ms_ = static_cast<float>(NowMs() - start);
  return true;
}

void CnnLabView::PollWorker() {
  TrainerRun& run = TrainerCurrent();
  std::string bytes;
  bool final = false;
  if (TrainerTake(run_id_, &bytes, &final) && !ApplySnapshot(bytes, final))
    run.error = "the trainer sent a snapshot this page cannot read";
  if (run_id_ == 0) return;
  const bool failed = !run.error.empty() || run.id != run_id_;
  const bool stuck = pausing_ && ImGui::GetTime() - pause_at_ > kPauseWaitSeconds;
  if (!failed && !stuck) return;
  const bool was_replay = replaying_;
  StopWorker();
  // Quietly on: the run goes on here, from where the last snapshot left it.
  note_ = "Training runs on this page's own thread (no worker).";
  if (was_replay) {
    Restart(false);
  } else if (!playing_) {
    MeasureAll();
  }
}

bool CnnLabView::ShowReplay() {
  if (!replaying_) return false;
  const TrainerRun& r = TrainerCurrent();
  const int total = std::max(1, r.total > 0 ? r.total : state_.steps);
  Heading("Opening the link: replaying its %d training steps", state_.steps);
  char text[64];
  std::snprintf(text, sizeof text, "step %d of %d", r.done, total);
  ImGui::ProgressBar(static_cast<float>(r.done) / static_cast<float>(total),
                     ImVec2(std::min(360.0f, ImGui::GetContentRegionAvail().x), 0), text);
  ImGui::TextDisabled("The same steps from the same seed give the very network of the link.");
  return true;
}

void CnnLabView::Reset() {
  state_ = CnnLabDefault();
  playing_ = false;
  Restart();
}

std::string CnnLabView::Summary() const {
  return "After " + std::to_string(result_.steps) + " training steps: test accuracy " +
         TraceNum(result_.test_acc * 100.0f) + "%, test loss " + TraceNum(result_.test_loss) +
         ". The drawing is classified as " + CnnClassName(state_.data, result_.predicted) + ".";
}

void CnnLabView::RunFrame() {
  steps_per_frame_ = 0;
  const double start = NowMs();
  // No step cap: past the replay cap the link carries the run's checkpoint.
  for (;;) {
    const int before = session_.steps();
    session_.Step();
    if (session_.steps() == before) break;  // the session cannot step (its last int)
    ++steps_per_frame_;
    if (NowMs() - start >= kFrameBudgetMs) break;
  }
  train_ms_ = static_cast<float>(NowMs() - start);
  state_.steps = session_.steps();
  // Measuring and probing are cheap, but every changed map is a texture upload: a few
  // times a second is live enough.
  const double now = ImGui::GetTime();
  if (now - last_live_ > kLiveSeconds) {
    // Fashion-MNIST's 2,000 test images take a while: measured less often.
    const double every =
        state_.data == CnnDataKind::kFashion ? kFashionMeasureSeconds : kMeasureSeconds;
    const bool full = now - last_measure_ > every;
    session_.Measure(&result_, full);
    if (full) last_measure_ = now;
    session_.Probe(state_.draw, &result_);
    last_live_ = now;
  }
  if (steps_per_frame_ == 0) {
    playing_ = false;
    MeasureAll();
  }
}

LabChange CnnLabView::ShowControls() {
  CnnLabState& s = state_;
  bool edited = false, navigated = false;
  preset_rects_.clear();
  Section("Presets");
  if (const int i = PresetButtons(CnnPresets(), &preset_rects_); i >= 0) {
    s = CnnPresets()[static_cast<size_t>(i)].state;
    navigated = true;
  }
  const bool fashion = s.data == CnnDataKind::kFashion;
  Section(fashion ? "Data (Fashion-MNIST photographs)" : "Data (drawn from the seed)");
  static const char* const kData[] = {"bars (4 orientations)", "shapes (4 outlines)",
                                      "digits 0-9 (strokes)", "Fashion-MNIST (real)"};
  int data = static_cast<int>(s.data);
  dataset_items_.clear();
  if (ImGui::BeginCombo("dataset", kData[data])) {
    for (int i = 0; i < 4; ++i) {
      if (ImGui::Selectable(kData[i], i == data)) data = i;
      dataset_items_.push_back(ItemRect());
    }
    ImGui::EndCombo();
  }
  if (data != static_cast<int>(s.data)) {
    if (data == static_cast<int>(CnnDataKind::kFashion)) {
      s = CnnFashionSetup(s);  // ConvNetJS's MNIST network, a blank 28x28 canvas
    } else {
      s.data = static_cast<CnnDataKind>(data);
      if (fashion) {
        s.size = 16;
        s.draw = Tensor({16, 16});
      }
    }
    edited = true;
  }
  dataset_rect_ = ItemRect();
  HelpTip("cnn", "dataset");
  int size = s.size;
  ImGui::BeginGroup();
  ImGui::TextUnformatted("image");
  ImGui::SameLine();
  if (fashion) {
    ImGui::TextUnformatted(Dims({28, 28}).c_str());
  } else {
    ImGui::RadioButton(Dims({16, 16}).c_str(), &size, 16);
    ImGui::SameLine();
    ImGui::RadioButton(Dims({24, 24}).c_str(), &size, 24);
  }
  ImGui::EndGroup();
  HelpTip("cnn", "size");
  if (size != s.size) {
    s.size = size;
    s.draw = Tensor({size, size});  // a new, blank canvas of the new size
    edited = true;
  }
  float noise = s.noise;
  if (ImGui::SliderFloat("noise", &noise, 0.0f, CnnLabLimits::kMaxNoise, "%.2f",
                         ImGuiSliderFlags_AlwaysClamp) &&
      noise != s.noise) {
    s.noise = std::round(noise * 100.0f) / 100.0f;
    edited = true;
  }
  HelpTip("cnn", "noise");
  int seed = s.seed;
  if (ImGui::InputInt("seed", &seed) && seed >= 0 && seed != s.seed) {
    s.seed = seed;
    edited = true;
  }
  HelpTip("cnn", "seed");
  if (fashion && CnnTrainCount(s.data) == 0) {
    ImGui::TextDisabled("8,000 training and 2,000 test images (fetched when picked)");
  } else {
    ImGui::TextDisabled("%s training and %s test images, %d classes",
                        Count(CnnTrainCount(s.data)).c_str(), Count(CnnTestCount(s.data)).c_str(),
                        CnnClasses(s.data));
  }

  Section("Network");
  int blocks = s.blocks;
  ImGui::BeginGroup();
  ImGui::TextUnformatted("conv blocks");
  ImGui::SameLine();
  edited |= ImGui::RadioButton("1##blocks", &blocks, 1);
  ImGui::SameLine();
  edited |= ImGui::RadioButton("2##blocks", &blocks, 2);
  ImGui::EndGroup();
  HelpTip("cnn", "blocks");
  s.blocks = blocks;
  int k = s.k;
  ImGui::BeginGroup();
  ImGui::TextUnformatted("kernel");
  ImGui::SameLine();
  edited |= ImGui::RadioButton(Dims({3, 3}).c_str(), &k, 3);
  ImGui::SameLine();
  edited |= ImGui::RadioButton(Dims({5, 5}).c_str(), &k, 5);
  ImGui::EndGroup();
  HelpTip("cnn", "kernel");
  s.k = k;
  int f1 = s.f1;
  if (ImGui::SliderInt("filters, block 1", &f1, CnnLabLimits::kMinFilters,
                       CnnLabLimits::kMaxFilters, "%d", ImGuiSliderFlags_AlwaysClamp) &&
      f1 != s.f1) {
    s.f1 = f1;
    edited = true;
  }
  HelpTip("cnn", "f1");
  if (s.blocks == 2) {
    int f2 = s.f2;
    if (ImGui::SliderInt("filters, block 2", &f2, CnnLabLimits::kMinFilters,
                         CnnLabLimits::kMaxFilters, "%d", ImGuiSliderFlags_AlwaysClamp) &&
        f2 != s.f2) {
      s.f2 = f2;
      edited = true;
    }
    HelpTip("cnn", "f2");
  }
  ImGui::TextDisabled("conv (same padding) %s ReLU %s max pool 2, %s%d;", kArrow, kArrow, kTimes,
                      s.blocks);
  ImGui::TextDisabled("then dense %s softmax, %d classes. %d weights.", kArrow, CnnClasses(s.data),
                      result_.param_count);

  Section("Optimizer");
  int opt = static_cast<int>(s.opt);
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("SGD + momentum", &opt, static_cast<int>(CnnOptimizer::kSgd));
  ImGui::SameLine();
  edited |= ImGui::RadioButton("Adam", &opt, static_cast<int>(CnnOptimizer::kAdam));
  ImGui::EndGroup();
  HelpTip("cnn", "optimizer");
  s.opt = static_cast<CnnOptimizer>(opt);
  float lr = s.lr;
  if (ImGui::SliderFloat("learning rate", &lr, 0.0001f, CnnLabLimits::kMaxLr, "%.4g",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp) &&
      lr != s.lr && lr > 0.0f) {
    s.lr = lr;
    edited = true;
  }
  HelpTip("cnn", "lr");
  if (s.opt == CnnOptimizer::kSgd) {
    float mom = s.momentum;
    if (ImGui::SliderFloat("momentum", &mom, 0.0f, CnnLabLimits::kMaxMomentum, "%.2f",
                           ImGuiSliderFlags_AlwaysClamp) &&
        mom != s.momentum) {
      s.momentum = std::round(mom * 100.0f) / 100.0f;
      edited = true;
    }
    HelpTip("cnn", "momentum");
  }
  int batch = s.batch;
  if (ImGui::SliderInt("batch size", &batch, 1, CnnLabLimits::kMaxBatch, "%d",
                       ImGuiSliderFlags_AlwaysClamp) &&
      batch != s.batch) {
    s.batch = batch;
    edited = true;
  }
  HelpTip("cnn", "batch");
  float decay = s.decay;
  if (ImGui::SliderFloat("weight decay", &decay, 0.0f, CnnLabLimits::kMaxDecay, "%.4g",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp) &&
      decay != s.decay) {
    s.decay = std::round(decay * 10000.0f) / 10000.0f;  // 0 .. 1 in steps of 0.0001
    edited = true;
  }
  HelpTip("cnn", "decay");
  ImGui::TextDisabled(s.opt == CnnOptimizer::kSgd
                          ? "Weight decay (not biases): gradient + decay x w."
                          : "AdamW decay (not biases): w -= lr x decay x w.");
  ImGui::TextDisabled("Any change restarts training from the seed's weights.");
  ImGui::TextDisabled("A link replays up to %d steps; past that it carries the weights.",
                      CnnMaxSteps(s));
  if (navigated || edited) {
    s.steps = 0;
    playing_ = false;
    Restart();
  }
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

bool CnnLabView::ShowDrawing() {
  bool edited = false;
  const int n = state_.size;
  Heading("Your drawing (%s): drag to paint", Dims({n, n}).c_str());
  GridOptions o;
  o.cell = n == 16 ? 14.0f : n == 24 ? 10.0f : 9.0f;
  o.cell = std::min(o.cell, std::floor(ImGui::GetContentRegionAvail().x / static_cast<float>(n)));
  o.editable = true;
  o.brush = brush_;
  o.help = HelpRef{"cnn", "drawing-grid"};
  const GridEvents ev = draw_grid_.Draw("drawing", &state_.draw, o);
  if (ev.changed) {
    session_.Probe(state_.draw, &result_);
    edited = true;
  }
  int ink = brush_ > 0.5f ? 1 : 0;
  ImGui::BeginGroup();
  if (ImGui::RadioButton("ink (1)", &ink, 1)) brush_ = 1.0f;
  ImGui::SameLine();
  if (ImGui::RadioButton("erase (0)", &ink, 0)) brush_ = 0.0f;
  ImGui::EndGroup();
  HelpTip("cnn", "ink");
  ImGui::SameLine();
  if (TapButton("clear")) {
    std::fill(state_.draw.values().begin(), state_.draw.values().end(), 0.0f);
    session_.Probe(state_.draw, &result_);
    edited = true;
  }
  HelpTip("cnn", "clear");
  clear_rect_ = ItemRect();
  const int tests = std::max(1, result_.test_count);
  example_ = std::clamp(example_, 0, tests - 1);
  ImGui::SetNextItemWidth(std::max(60.0f, o.cell * static_cast<float>(n) - 90.0f));
  ImGui::SliderInt("##example", &example_, 0, tests - 1, "test image %d");
  HelpTip("cnn", "example");
  ImGui::SameLine();
  if (TapButton("load")) edited |= LoadTestImage(example_);
  HelpTip("cnn", "load");
  load_rect_ = ItemRect();
  if (static_cast<size_t>(example_) < session_.data().test_y.size())
    ImGui::TextDisabled("test image %d: %s (class %d)", example_,
                        CnnClassName(state_.data, session_.data().test_y[example_]),
                        session_.data().test_y[example_]);

  // The prediction: a bar per class.
  Heading("Prediction: %s",
          result_.probs.empty() ? "-" : CnnClassName(state_.data, result_.predicted));
  const float bar_w = std::max(120.0f, o.cell * static_cast<float>(n));
  for (size_t c = 0; c < result_.probs.size(); ++c) {
    char label[64];
    std::snprintf(label, sizeof label, "%s %.1f%%", CnnClassName(state_.data, static_cast<int>(c)),
                  static_cast<double>(result_.probs[c] * 100.0f));
    const bool best = static_cast<int>(c) == result_.predicted;
    ValueBar(result_.probs[c], bar_w, label, Col(best ? Pal().bar_highlight : Pal().bar));
  }
  return edited;
}

bool CnnLabView::LoadTestImage(int index) {
  const std::vector<float>& tx = session_.data().test_x;
  const size_t px = static_cast<size_t>(state_.size) * static_cast<size_t>(state_.size);
  if (index < 0 || tx.size() < (static_cast<size_t>(index) + 1) * px || state_.draw.size() != px)
    return false;
  example_ = index;
  std::copy(tx.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(index) * px),
            tx.begin() + static_cast<std::ptrdiff_t>((static_cast<size_t>(index) + 1) * px),
            state_.draw.data());
  session_.Probe(state_.draw, &result_);
  return true;
}

bool CnnLabView::ShowFashionFetch() {
  if (state_.data != CnnDataKind::kFashion || FashionAsset(nullptr)) return false;
  FetchFashionAsset();
  const AssetFetch& f = FashionFetch();
  if (f.state == AssetFetch::kFailed) {
    ImGui::PushStyleColor(ImGuiCol_Text, ColV(Pal().wrong));
    ImGui::TextWrapped("%s", f.error.c_str());
    ImGui::PopStyleColor();
    if (TapButton("try again")) FetchFashionAsset(true);
    return true;
  }
  const double mb = 1e-6;
  char text[96];
  if (f.total > 0) {
    std::snprintf(text, sizeof text, "%.1f of %.1f MB", f.loaded * mb, f.total * mb);
  } else {
    std::snprintf(text, sizeof text, "%.1f MB", f.loaded * mb);
  }
  Heading("Fetching Fashion-MNIST");
  const float fraction = f.total > 0 ? static_cast<float>(f.loaded / f.total) : 0.0f;
  ImGui::ProgressBar(fraction, ImVec2(std::min(360.0f, ImGui::GetContentRegionAvail().x), 0), text);
  fetch_rect_ = ItemRect();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped(
      "8,000 training and 2,000 test images. Training starts from this link's steps once they "
      "are here.");
  ImGui::PopStyleColor();
  return true;
}

void CnnLabView::ShowSamples(float width) {
  const CnnDataset& d = session_.data();
  const int n = state_.size, k = d.classes;
  constexpr int kPerClass = 8;
  Heading("Test images by class: click one to classify it");
  // One mosaic: a row per class, kPerClass images a row, a thin dark line between images.
  const int step = n + 1, rows = k * step - 1, cols = kPerClass * step - 1;
  mosaic_.assign(static_cast<size_t>(rows) * static_cast<size_t>(cols), -0.25f);
  sample_index_.assign(static_cast<size_t>(k * kPerClass), -1);
  std::vector<int> filled(static_cast<size_t>(k), 0);
  const size_t px = static_cast<size_t>(n) * static_cast<size_t>(n);
  for (size_t i = 0; i < d.test_y.size(); ++i) {
    const int c = d.test_y[i];
    int& f = filled[static_cast<size_t>(c)];
    if (f >= kPerClass) continue;
    sample_index_[static_cast<size_t>(c * kPerClass + f)] = static_cast<int>(i);
    const float* img = d.test_x.data() + i * px;
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        mosaic_[static_cast<size_t>((c * step + y) * cols + f * step + x)] = img[y * n + x];
    ++f;
  }
  const float label_w = 90.0f;
  GridOptions o;
  o.cell = std::clamp(std::floor((width - label_w) / static_cast<float>(cols) * 4.0f) / 4.0f, 0.75f,
                      1.5f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::SetCursorScreenPos(ImVec2(at.x + label_w, at.y));
  const GridEvents ev = samples_grid_.Draw("samples", mosaic_.data(), rows, cols, o);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int c = 0; c < k; ++c) {
    const char* name = CnnClassName(state_.data, c);
    const ImVec2 ts = ImGui::CalcTextSize(name);
    dl->AddText(ImVec2(at.x + label_w - ts.x - 6.0f,
                       at.y + o.cell * static_cast<float>(c * step) + (o.cell * n - ts.y) * 0.5f),
                Col(Pal().text), name);
  }
  if (ev.clicked_y >= 0) {
    const int c = ev.clicked_y / step, f = ev.clicked_x / step;
    if (c < k && f < kPerClass) picked_ = sample_index_[static_cast<size_t>(c * kPerClass + f)];
  }
}

void CnnLabView::ShowMistakes(float width) {
  const CnnLabResult& r = result_;
  const CnnDataset& d = session_.data();
  const int n = state_.size;
  const size_t px = static_cast<size_t>(n) * static_cast<size_t>(n);
  Heading("Most confident mistakes on the test set");
  if (r.mistakes.empty()) {
    ImGui::TextDisabled("None: every test image is classified right.");
    return;
  }
  const float side = 2.0f * static_cast<float>(n);  // 56 pixels an image
  float x = 0;
  for (size_t i = 0; i < r.mistakes.size(); ++i) {
    const CnnMistake& m = r.mistakes[i];
    if (static_cast<size_t>(m.index) >= d.test_y.size()) break;
    if (i >= mistake_grids_.size()) mistake_grids_.push_back(std::make_unique<GridView>());
    if (i > 0) {
      if (x + side + 60.0f <= width) {
        ImGui::SameLine(0.0f, 8.0f);
      } else {
        x = 0;
      }
    }
    ImGui::BeginGroup();
    scratch_.assign(
        d.test_x.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(m.index) * px),
        d.test_x.begin() + static_cast<std::ptrdiff_t>((static_cast<size_t>(m.index) + 1) * px));
    GridOptions o;
    o.cell = 2.0f;
    const GridEvents ev =
        mistake_grids_[i]->Draw(("mistake" + std::to_string(i)).c_str(), scratch_.data(), n, n, o);
    if (ev.clicked_y >= 0) picked_ = m.index;
    ImGui::TextUnformatted(CnnClassName(state_.data, m.predicted));
    ImGui::TextDisabled("%s%%, is %s", Num(m.confidence * 100.0f, 3).c_str(),
                        CnnClassName(state_.data, m.truth));
    ImGui::EndGroup();
    x += std::max(side, ImGui::GetItemRectSize().x) + 8.0f;
  }
}

void CnnLabView::ShowMaps(float width) {
  Heading("Feature maps of the drawing, layer by layer");
  size_t g = 0;
  const float side = 44.0f;  // every map drawn this wide, whatever its resolution
  for (const CnnFeatureMap& m : result_.maps) {
    if (m.shape.size() == 3) {
      const int c = m.shape[0], h = m.shape[1], w = m.shape[2];
      ImGui::Text("%s  %s", m.name.c_str(), Dims({c, h, w}).c_str());
      GridOptions o;
      o.cell = side / static_cast<float>(w);
      float x = 0;
      for (int ch = 0; ch < c; ++ch) {
        if (g >= map_grids_.size()) map_grids_.push_back(std::make_unique<GridView>());
        if (ch > 0) {
          if (x + side + 4.0f <= width) {
            ImGui::SameLine(0.0f, 4.0f);
          } else {
            x = 0;
          }
        }
        scratch_.assign(m.values.begin() + static_cast<std::ptrdiff_t>(ch) * h * w,
                        m.values.begin() + static_cast<std::ptrdiff_t>(ch + 1) * h * w);
        ImGui::BeginGroup();  // so that SameLine puts the next map beside this one
        map_grids_[g]->Draw(("map" + std::to_string(g)).c_str(), scratch_.data(), h, w, o);
        ImGui::EndGroup();
        x += side + 4.0f;
        ++g;
      }
    } else {
      // The logits: one row of cells.
      const int k = static_cast<int>(m.values.size());
      ImGui::Text("%s  logits [%d]", m.name.c_str(), k);
      if (g >= map_grids_.size()) map_grids_.push_back(std::make_unique<GridView>());
      GridOptions o;
      o.cell = std::min(14.0f, std::floor(width / static_cast<float>(k)));  // no numbers
      scratch_ = m.values;
      map_grids_[g]->Draw(("map" + std::to_string(g)).c_str(), scratch_.data(), 1, k, o);
      ++g;
    }
  }
}

void CnnLabView::ShowCurves(float width) {
  const CnnLabResult& r = result_;
  const ImVec2 size(std::min(width, 320.0f), 80.0f);
  curve_a_.clear();
  curve_b_.clear();
  float hi = 0.0f;
  for (const CnnHistoryPoint& p : r.history) {
    curve_a_.push_back(p.train_loss);
    curve_b_.push_back(p.test_loss);
    hi = std::max({hi, p.train_loss, p.test_loss});
  }
  char caption[96];
  std::snprintf(caption, sizeof caption, "Loss: train %.3f, test %.3f", r.train_loss, r.test_loss);
  TwoCurves(caption, curve_a_, curve_b_, 0.0f, hi * 1.05f, size);
  curve_a_.clear();
  curve_b_.clear();
  for (const CnnHistoryPoint& p : r.history) {
    curve_a_.push_back(p.train_acc);
    curve_b_.push_back(p.test_acc);
  }
  std::snprintf(caption, sizeof caption, "Accuracy: train %.1f%%, test %.1f%%",
                static_cast<double>(r.train_acc * 100.0f),
                static_cast<double>(r.test_acc * 100.0f));
  TwoCurves(caption, curve_a_, curve_b_, 0.0f, 1.0f, size);
  ImGui::TextColored(ColV(Pal().series_1), "train (batches)");
  ImGui::SameLine();
  ImGui::TextColored(ColV(Pal().series_2), "test set");
  ImGui::SameLine();
  ImGui::TextDisabled("every %d steps", r.history_every);
}

void CnnLabView::ShowConfusion() {
  const CnnLabResult& r = result_;
  Heading("Test confusion (row: true, column: predicted)");
  confusion_values_.assign(r.confusion.values().begin(), r.confusion.values().end());
  GridOptions o;
  const bool named = state_.data == CnnDataKind::kFashion;  // names, not digits
  o.cell = r.classes > 4 ? 20.0f : 30.0f;
  const float label_w = r.classes > 4 && !named ? 16.0f : 90.0f;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::SetCursorScreenPos(ImVec2(at.x + label_w, at.y));
  confusion_grid_.Draw("confusion", confusion_values_.data(), r.classes, r.classes, o);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int c = 0; c < r.classes; ++c) {
    const char* name = CnnClassName(state_.data, c);
    const ImVec2 ts = ImGui::CalcTextSize(name);
    dl->AddText(ImVec2(at.x + label_w - ts.x - 4.0f,
                       at.y + o.cell * static_cast<float>(c) + (o.cell - ts.y) * 0.5f),
                Col(Pal().text), name);
  }
  if (named) {
    ImGui::SetCursorScreenPos(ImVec2(at.x + label_w, ImGui::GetCursorScreenPos().y));
    ImGui::TextDisabled("columns in the same order");
  } else if (r.classes > 4) {
    ImGui::TextDisabled("columns 0 .. 9");
  } else {
    ImGui::SetCursorScreenPos(ImVec2(at.x + label_w, ImGui::GetCursorScreenPos().y));
    ImGui::TextDisabled("columns in the same order");
  }
}

void CnnLabView::ShowFilters(float width) {
  const Tensor& f = result_.filters;
  if (f.rank() != 3) return;
  const int n = f.dim(0), k = f.dim(1);
  Heading("Block 1's %d filters (%s), as they learn", n, Dims({k, k}).c_str());
  GridOptions o;
  o.cell = k == 3 ? 14.0f : 10.0f;
  const float side = o.cell * static_cast<float>(k);
  float x = 0;
  for (int i = 0; i < n; ++i) {
    if (static_cast<size_t>(i) >= filter_grids_.size())
      filter_grids_.push_back(std::make_unique<GridView>());
    if (i > 0) {
      if (x + side + 6.0f <= width) {
        ImGui::SameLine(0.0f, 6.0f);
      } else {
        x = 0;
      }
    }
    scratch_.assign(f.plane(i), f.plane(i) + k * k);
    ImGui::BeginGroup();
    filter_grids_[static_cast<size_t>(i)]->Draw(("filter" + std::to_string(i)).c_str(),
                                                scratch_.data(), k, k, o);
    ImGui::EndGroup();
    x += side + 6.0f;
  }
}

bool CnnLabView::ShowResults() {
  const CnnLabResult& r = result_;
  bool committed = false;
  if (ImGui::Button(playing_ ? "Pause###play" : "Play###play", ImVec2(80, 0))) {
    if (playing_ && run_id_ != 0) {
      // The worker stops and sends where it is; the link follows when that arrives.
      TrainerPause(run_id_);
      pausing_ = true;
      pause_at_ = ImGui::GetTime();
      playing_ = false;
    } else if (playing_) {
      committed = true;  // the link records the steps
      MeasureAll();
      playing_ = false;
    } else if (!pausing_ && !replaying_ && r.error.empty()) {
      playing_ = true;
      // Without a worker, RunFrame steps here.
      if (!StartWorker(true)) note_ = "Training runs on this page's own thread (no worker).";
    }
  }
  HelpTip("cnn", "play");
  play_rect_ = ItemRect();
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(80, 0)) && run_id_ == 0 && !replaying_) {
    session_.Step();
    state_.steps = session_.steps();
    MeasureAll();
    committed = true;
  }
  HelpTip("cnn", "step");
  step_rect_ = ItemRect();
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(80, 0))) {
    playing_ = false;
    state_.steps = 0;
    Restart();
    committed = true;
  }
  HelpTip("cnn", "reset");
  reset_rect_ = ItemRect();
  char text[128];
  std::snprintf(text, sizeof text, "step %d", replaying_ ? state_.steps : session_.steps());
  SameLineIfFits(text);
  ImGui::TextUnformatted(text);
  if (playing_ && run_id_ != 0) {
    std::snprintf(text, sizeof text, "(%.0f steps/s in the background, frame %.1f ms)",
                  static_cast<double>(steps_per_s_), static_cast<double>(frame_ms_));
  } else if (playing_) {
    std::snprintf(text, sizeof text, "(%d steps/frame, %.1f ms training, frame %.1f ms)",
                  steps_per_frame_, static_cast<double>(train_ms_), static_cast<double>(frame_ms_));
  }
  if (playing_) {
    SameLineIfFits(text);
    Hint(text);
  }
  TrainingThreadsLine();
  HelpTip("cnn", "threads");
  if (!note_.empty()) ImGui::TextDisabled("%s", note_.c_str());
  if (ShowReplay()) return committed;
  if (ShowFashionFetch()) return committed;
  if (!r.error.empty()) {
    ImGui::TextColored(ColV(Pal().wrong), "%s", r.error.c_str());
    return committed;
  }
  // Two pieces, the loss on a line of its own when a phone has no room beside the accuracy
  // (wrapped text would break the number after its decimal point).
  char line[96];
  std::snprintf(line, sizeof line, "Test accuracy %.1f%% (chance %.0f%%),",
                static_cast<double>(r.test_acc * 100.0f),
                static_cast<double>(100.0f / static_cast<float>(r.classes)));
  ImGui::TextUnformatted(line);
  std::snprintf(line, sizeof line, "test loss %.4f", static_cast<double>(r.test_loss));
  SameLineIfFits(line, ImGui::CalcTextSize(" ").x);  // one sentence: a space's gap
  ImGui::TextUnformatted(line);

  const float avail = ImGui::GetContentRegionAvail().x;
  const bool wide = avail >= 620.0f;
  // Row 1: the drawing and its prediction | its feature maps.
  ImGui::BeginGroup();
  committed |= ShowDrawing();
  ImGui::EndGroup();
  float left = ImGui::GetItemRectSize().x;
  if (wide) {
    ImGui::SameLine(0.0f, 24.0f);
  } else {
    left = -24.0f;
  }
  ImGui::BeginGroup();
  ShowMaps(avail - left - 24.0f);
  ImGui::EndGroup();
  ImGui::Separator();
  // Row 2: curves | confusion | filters.
  ImGui::BeginGroup();
  ShowCurves(avail);
  ImGui::EndGroup();
  left = ImGui::GetItemRectSize().x;
  if (wide) ImGui::SameLine(0.0f, 24.0f);
  ImGui::BeginGroup();
  ShowConfusion();
  ImGui::EndGroup();
  if (wide && avail - left - ImGui::GetItemRectSize().x > 260.0f) {
    ImGui::SameLine(0.0f, 24.0f);
    left += ImGui::GetItemRectSize().x + 48.0f;
  } else {
    left = 0.0f;
  }
  ImGui::BeginGroup();
  ShowFilters(std::max(120.0f, avail - left));
  ImGui::EndGroup();
  if (state_.data == CnnDataKind::kFashion) {
    // Row 3 (real images): a few test images of each class | the surest mistakes.
    ImGui::Separator();
    ImGui::BeginGroup();
    ShowSamples(wide ? std::min(420.0f, avail * 0.45f) : avail);
    ImGui::EndGroup();
    left = ImGui::GetItemRectSize().x;
    if (wide) ImGui::SameLine(0.0f, 24.0f);
    ImGui::BeginGroup();
    ShowMistakes(wide ? avail - left - 24.0f : avail);
    ImGui::EndGroup();
    if (picked_ >= 0) {
      committed |= LoadTestImage(picked_);
      picked_ = -1;
    }
  }
  return committed;
}

LabChange CnnLabView::Draw() {
  ShowGuide(Id());
  // Fashion-MNIST arrived: replay this state's steps on it.
  if (state_.data == CnnDataKind::kFashion && !result_.error.empty() && FashionAsset(nullptr))
    Restart();
  frame_ms_ = ImGui::GetIO().DeltaTime * 1000.0f;
  if (run_id_ != 0) {
    PollWorker();
  } else if (playing_) {
    RunFrame();
  }
  LabChange change = ShowLabPanes(
      380.0f, [&] { return ShowControls(); }, [&] { return ShowResults(); });
  // While Fashion-MNIST is on its way the session has no run: keep the link's steps.
  // While the worker replays the link, the link keeps its steps.
  if (result_.error.empty() && !replaying_) state_.steps = session_.steps();
  return step_link_.Follow(change, state_.steps, playing_ || pausing_ || replaying_,
                           state_.steps > session_.max_steps(), ImGui::GetTime());
}

void CnnLabView::Layout(JsonWriter* j) const {
  if (replaying_) {
    // No canvas while the worker replays the link (tests wait for its cell size).
    j->Key("input").BeginObject().Key("x").Number(0).Key("y").Number(0).Key("cell").Number(0);
    j->Key("rows").Int(state_.size).Key("cols").Int(state_.size).EndObject();
  } else {
    WriteGridRect(j, "input", draw_grid_);
  }
  WriteGridRect(j, "confusion", confusion_grid_);
  WritePresetRects(j, preset_rects_);
  WriteRect(j, "play", play_rect_);
  WriteRect(j, "step", step_rect_);
  WriteRect(j, "reset", reset_rect_);
  WriteRect(j, "clear", clear_rect_);
  WriteRect(j, "load", load_rect_);
  j->Key("playing").Bool(playing_ || pausing_);  // until Pause has the run's last snapshot
  j->Key("steps").Int(session_.steps());
  j->Key("max_steps").Int(session_.max_steps());
  j->Key("steps_per_frame").Int(steps_per_frame_);
  j->Key("train_ms").Number(train_ms_);
  j->Key("frame_ms").Number(frame_ms_);
  j->Key("restart_ms").Number(restart_ms_);
  j->Key("predicted").Int(result_.predicted);
  WriteRect(j, "dataset", dataset_rect_);
  j->Key("dataset_items").BeginArray();
  for (const ImVec4& r : dataset_items_)
    j->BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  j->EndArray();
  WriteRect(j, "fetch", fetch_rect_);
  WriteGridRect(j, "samples", samples_grid_);
  const AssetFetch& f = FashionFetch();
  j->Key("fashion").BeginObject().Key("state").Int(static_cast<int>(f.state));
  j->Key("loaded").Number(f.loaded).Key("total").Number(f.total).Key("error").String(f.error);
  j->Key("ready").Bool(FashionAsset(nullptr) != nullptr).EndObject();
  j->Key("mistakes").Int(static_cast<int>(result_.mistakes.size()));
  WriteTrainingThreads(j);
  j->Key("worker").BeginObject().Key("available").Bool(TrainerAvailable());
  j->Key("run").Int(run_id_).Key("replaying").Bool(replaying_).Key("pausing").Bool(pausing_);
  j->Key("snapshots").Int(snapshots_).Key("restore_ms").Number(restore_ms_);
  j->Key("steps_per_s").Number(steps_per_s_).Key("note").String(note_);
  // The worker's last whole-test-set measurement (bench/fashion_bench.mjs times it).
  j->Key("test_steps").Int(measured_.measured ? measured_.steps : -1);
  j->Key("test_acc").Number(measured_.test_acc).Key("replays").Int(replays_).EndObject();
}

}  // namespace nnplay::web
