// landing_view.cpp: see landing_view.h. The thumbnails are the labs' own engine results at
// their default state (the training lab: after a short run of its first preset), computed
// a few milliseconds' worth per frame so the first frame stays quick, and drawn with the heatmap
// the labs use.
#include "landing_view.h"

#include <algorithm>
#include <chrono>

#include "assignment_view.h"
#include "heatmap.h"
#include "lab_widgets.h"
#include "labs/assignment.h"
#include "labs/batchnorm_lab.h"
#include "labs/cnn_lab.h"
#include "labs/conv_lab.h"
#include "labs/cost_lab.h"
#include "labs/dropout_lab.h"
#include "labs/flow_lab.h"
#include "labs/guide.h"
#include "labs/mlp_lab.h"
#include "labs/notation.h"
#include "labs/registry.h"
#include "labs/softmax_lab.h"
#include "labs/train_lab.h"
#include "ops/rng.h"

namespace nnplay::web {
namespace {

constexpr float kCardMin = 300.0f;  // narrowest card before the grid drops a column
constexpr int kMaxColumns = 3;
constexpr float kThumb = 112.0f;  // thumbnail height
constexpr int kTrainSteps = 300;
constexpr std::chrono::milliseconds kThumbBudget(
    8);  // the training labs' thumbnails after this many steps

ImU32 TextColor() {
  return ImGui::GetColorU32(ImGuiCol_Text);
}
ImU32 FaintColor() {
  return ImGui::GetColorU32(ImGuiCol_TextDisabled);
}

// A heatmap at `at`, `cell` pixels per value; returns its size.
ImVec2 DrawMap(ImDrawList* dl, const Heatmap& map, ImVec2 at, float cell) {
  const ImVec2 size(static_cast<float>(map.Width()) * cell,
                    static_cast<float>(map.Height()) * cell);
  if (map.TextureId()) dl->AddImage(map.TextureId(), at, ImVec2(at.x + size.x, at.y + size.y));
  dl->AddRect(at, ImVec2(at.x + size.x, at.y + size.y), ImGui::GetColorU32(ImGuiCol_Border));
  return size;
}

void Label(ImDrawList* dl, ImVec2 at, const std::string& text, ImU32 color) {
  dl->AddText(at, color, text.c_str());
}

std::string ToLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

float LineHeight() {
  return ImGui::GetTextLineHeight();
}

}  // namespace

// Each lab's thumbnail: its engine result, uploaded once.
struct LandingPage::Thumbnails {
  int computed = 0;  // labs done, in AllGuides() order
  // conv
  Heatmap conv_in, conv_filter, conv_out;
  // softmax
  SoftmaxLabResult softmax;
  // batchnorm
  Heatmap bn_x, bn_y;
  // dropout
  Heatmap drop_a, drop_mask, drop_train;
  // mlp
  std::vector<int> mlp_sizes;
  std::string mlp_out;
  // flow
  Heatmap flow_a, flow_b;
  std::string flow_a_name, flow_b_name;
  // cost
  std::string cost_conv, cost_fc;
  // train
  Heatmap train_grid;
  // cnn
  std::vector<std::unique_ptr<Heatmap>> cnn_images;

  // Computes the next lab's thumbnail; false when all are done.
  bool ComputeNext();
  void Draw(const std::string& lab, ImVec2 at, ImVec2 size);
};

namespace {

void UploadRow(Heatmap* map, const std::vector<float>& v, float absmax) {
  map->Upload(v.data(), 1, static_cast<int>(v.size()), absmax);
}

}  // namespace

bool LandingPage::Thumbnails::ComputeNext() {
  const std::vector<LabGuide>& guides = AllGuides();
  if (computed >= static_cast<int>(guides.size())) return false;
  const std::string& lab = guides[static_cast<size_t>(computed++)].lab;
  if (lab == "conv") {
    const ConvLabState s = ConvLabDefault();
    const ConvLabResult r = EvaluateConvLab(s);
    conv_in.Upload(s.input.data(), s.input.dim(1), s.input.dim(2), 0.0f);
    conv_filter.Upload(s.filter.data(), s.filter.dim(2), s.filter.dim(3), 0.0f);
    if (!r.output.empty()) conv_out.Upload(r.output.data(), r.output.dim(1), r.output.dim(2), 0.0f);
  } else if (lab == "softmax") {
    EvaluateSoftmaxLab(SoftmaxLabDefault(), &softmax);
  } else if (lab == "batchnorm") {
    const BatchNormLabState s = BatchNormLabDefault();
    const BatchNormLabResult r = EvaluateBatchNormLab(s);
    // One scale for both rows, so the shrinking is visible.
    UploadRow(&bn_x, s.x.values(), 10.0f);
    UploadRow(&bn_y, r.y.values(), 10.0f);
  } else if (lab == "dropout") {
    const DropoutLabState s = DropoutLabDefault();
    const DropoutLabResult r = EvaluateDropoutLab(s);
    UploadRow(&drop_a, s.activations.values(), 0.0f);
    UploadRow(&drop_mask, r.mask.values(), 1.0f);
    UploadRow(&drop_train, r.train.values(), 0.0f);
  } else if (lab == "mlp") {
    const MlpLabState s = MlpLabDefault();
    const MlpLabResult r = EvaluateMlpLab(s);
    mlp_sizes = {s.x.dim(0)};
    for (const MlpLayer& l : s.layers) mlp_sizes.push_back(l.units());
    const Tensor& out = r.probs.empty() ? r.layers.back().a : r.probs;
    mlp_out = ThumbFor("mlp").labels[0] + " [";
    for (size_t i = 0; i < out.size(); ++i) mlp_out += (i ? ", " : "") + Num(out[i], 3);
    mlp_out += "]";
  } else if (lab == "flow") {
    const FlowLabState s = FlowLabDefault();
    const FlowLabResult r = EvaluateFlowLab(s);
    const auto row = [](const std::vector<double>& v) {
      return std::vector<float>(v.begin(), v.end());
    };
    UploadRow(&flow_a, row(r.a.grad_norm), 0.0f);
    UploadRow(&flow_b, row(r.b.grad_norm), 0.0f);
    const auto name = [](const FlowConfig& c) {
      return std::string(FlowActivationName(c.act)) + (c.residual ? ", residual" : ", plain");
    };
    flow_a_name = ThumbFor("flow").labels[0] + ": " + name(s.a);
    flow_b_name = ThumbFor("flow").labels[1] + ": " + name(s.b);
  } else if (lab == "cost") {
    const CostPreset& p = CostPresets().front();
    const CostLabResult r = EvaluateCostLab(p.state);
    cost_conv = Count(r.total.mults);
    cost_fc = Count(r.fc.mults);
  } else if (lab == "train") {
    TrainLabState s = TrainLabDefault();
    s.steps = kTrainSteps;
    const TrainLabResult r = EvaluateTrainLab(s);
    if (r.error.empty()) train_grid.Upload(r.grid.data(), r.grid.dim(0), r.grid.dim(1), 1.0f);
  } else if (lab == "cnn") {
    // One picture of each class of the first preset's data, as the network sees them.
    const CnnLabState s = CnnLabDefault();
    Pcg32 rng(static_cast<uint64_t>(s.seed));
    std::vector<float> image(static_cast<size_t>(s.size) * s.size);
    for (int c = 0; c < 4; ++c) {
      std::fill(image.begin(), image.end(), 0.0f);
      DrawCnnImage(s.data, s.size, c, &rng, image.data());
      cnn_images.push_back(std::make_unique<Heatmap>());
      cnn_images.back()->Upload(image.data(), s.size, s.size, 1.0f);
    }
  }
  return true;
}

void LandingPage::Thumbnails::Draw(const std::string& lab, ImVec2 at, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lh = LineHeight();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const ThumbWords& words = ThumbFor(lab);
  const auto label = [&words](size_t i) { return i < words.labels.size() ? words.labels[i] : ""; };
  if (lab == "conv" && conv_out.TextureId()) {
    // input * filter = output, each cell the same size.
    const float cell = std::min(14.0f, (size.y - lh - 4.0f) / static_cast<float>(conv_in.Height()));
    const float op = ImGui::CalcTextSize("=").x + gap * 2.0f;
    float x = at.x;
    const float y = at.y + lh + 2.0f;
    Label(dl, ImVec2(x, at.y), label(0), FaintColor());
    x += DrawMap(dl, conv_in, ImVec2(x, y), cell).x + gap;
    Label(dl, ImVec2(x, y + cell * 2.0f), "*", TextColor());
    x += op - gap;
    Label(dl, ImVec2(x, at.y), label(1), FaintColor());
    x += DrawMap(dl, conv_filter, ImVec2(x, y + cell * 1.5f), cell).x + gap;
    Label(dl, ImVec2(x, y + cell * 2.0f), "=", TextColor());
    x += op - gap;
    Label(dl, ImVec2(x, at.y), label(2), FaintColor());
    DrawMap(dl, conv_out, ImVec2(x, y + cell), cell);
  } else if (lab == "softmax" && !softmax.p.empty()) {
    ImGui::SetCursorScreenPos(at);
    ImGui::TextDisabled("%s", words.caption.c_str());
    const float w = std::min(size.x, 260.0f);
    for (size_t i = 0; i < softmax.p.size(); ++i) {
      const std::string text =
          label(0) + Sub(static_cast<long long>(i) + 1) + " = " + Num(softmax.p[i], 3);
      ValueBar(softmax.p[i], w, text.c_str(), ImGui::GetColorU32(ImGuiCol_ButtonHovered));
    }
  } else if (lab == "batchnorm" && bn_x.TextureId()) {
    const float cell = 26.0f;
    const float label_w = ImGui::CalcTextSize("y ").x + gap;
    Label(dl, ImVec2(at.x, at.y + 4.0f), label(0), TextColor());
    DrawMap(dl, bn_x, ImVec2(at.x + label_w, at.y), cell);
    Label(dl, ImVec2(at.x, at.y + cell + 10.0f), label(1), TextColor());
    DrawMap(dl, bn_y, ImVec2(at.x + label_w, at.y + cell + 6.0f), cell);
    ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + cell * 2.0f + 14.0f));
    ImGui::PushTextWrapPos(at.x + size.x - ImGui::GetWindowPos().x + ImGui::GetScrollX());
    ImGui::TextDisabled("%s", words.caption.c_str());
    ImGui::PopTextWrapPos();
  } else if (lab == "dropout" && drop_a.TextureId()) {
    const float cell = 20.0f;
    const Heatmap* maps[] = {&drop_a, &drop_mask, &drop_train};
    float label_w = 0.0f;
    for (size_t i = 0; i < 3; ++i)
      label_w = std::max(label_w, ImGui::CalcTextSize(label(i).c_str()).x);
    label_w += gap;
    for (int i = 0; i < 3; ++i) {
      const float y = at.y + static_cast<float>(i) * (cell + 6.0f);
      Label(dl, ImVec2(at.x, y + (cell - lh) * 0.5f), label(static_cast<size_t>(i)), FaintColor());
      DrawMap(dl, *maps[i], ImVec2(at.x + label_w, y), cell);
    }
  } else if (lab == "mlp" && !mlp_sizes.empty()) {
    // The network diagram in miniature: a column of units per layer, every edge.
    const float h = size.y - lh - 6.0f, w = std::min(size.x, 240.0f);
    const size_t layers = mlp_sizes.size();
    const float r = 6.0f;
    const auto pos = [&](size_t l, int u) {
      const float x =
          at.x + r + (w - 2.0f * r) * static_cast<float>(l) / static_cast<float>(layers - 1);
      const float step = h / static_cast<float>(mlp_sizes[l]);
      return ImVec2(x, at.y + step * (static_cast<float>(u) + 0.5f));
    };
    for (size_t l = 0; l + 1 < layers; ++l)
      for (int a = 0; a < mlp_sizes[l]; ++a)
        for (int b = 0; b < mlp_sizes[l + 1]; ++b)
          dl->AddLine(pos(l, a), pos(l + 1, b), FaintColor());
    for (size_t l = 0; l < layers; ++l)
      for (int u = 0; u < mlp_sizes[l]; ++u) {
        dl->AddCircleFilled(pos(l, u), r, ImGui::GetColorU32(ImGuiCol_FrameBg));
        dl->AddCircle(pos(l, u), r, TextColor());
      }
    Label(dl, ImVec2(at.x, at.y + h + 4.0f), mlp_out, FaintColor());
  } else if (lab == "flow" && flow_a.TextureId()) {
    const float cell = std::min(12.0f, size.x / static_cast<float>(flow_a.Width()));
    Label(dl, at, flow_a_name, FaintColor());
    DrawMap(dl, flow_a, ImVec2(at.x, at.y + lh + 2.0f), cell);
    const float y = at.y + lh + cell + 10.0f;
    Label(dl, ImVec2(at.x, y), flow_b_name, FaintColor());
    DrawMap(dl, flow_b, ImVec2(at.x, y + lh + 2.0f), cell);
    Label(dl, ImVec2(at.x, y + lh * 2.0f + cell + 4.0f), words.caption, FaintColor());
  } else if (lab == "cost" && !cost_conv.empty()) {
    ImGui::SetCursorScreenPos(at);
    ImGui::TextDisabled("%s", words.caption.c_str());
    const float value_x =
        at.x +
        std::max(ImGui::CalcTextSize(label(0).c_str()).x, ImGui::CalcTextSize(label(1).c_str()).x) +
        gap * 2.0f;
    for (size_t i = 0; i < 2; ++i) {
      ImGui::TextUnformatted(label(i).c_str());
      ImGui::SameLine(value_x - ImGui::GetWindowPos().x + ImGui::GetScrollX());
      ImGui::TextUnformatted((i == 0 ? cost_conv : cost_fc).c_str());
    }
  } else if (lab == "train" && train_grid.TextureId()) {
    const float side = size.y;
    DrawMap(dl, train_grid, at, side / static_cast<float>(train_grid.Width()));
    ImGui::SetCursorScreenPos(ImVec2(at.x + side + gap, at.y));
    ImGui::PushTextWrapPos(at.x + size.x - ImGui::GetWindowPos().x + ImGui::GetScrollX());
    ImGui::TextDisabled("%s", words.caption.c_str());
    ImGui::PopTextWrapPos();
  } else if (lab == "cnn" && !cnn_images.empty()) {
    Label(dl, at, words.caption, FaintColor());
    const float side = std::min(size.y - lh - 8.0f, (size.x - 3.0f * gap) / 4.0f);
    float x = at.x;
    for (const auto& image : cnn_images) {
      DrawMap(dl, *image, ImVec2(x, at.y + lh + 4.0f), side / static_cast<float>(image->Width()));
      x += side + gap;
    }
  } else {
    Label(dl, at, "...", FaintColor());
  }
}

LandingPage::LandingPage() : thumbs_(std::make_unique<Thumbnails>()) {}
LandingPage::~LandingPage() = default;

LandingPick LandingPage::Draw(const std::string& current) {
  LandingPick pick;
  // Thumbnails while this frame has spent under kThumbBudget on them (at least one).
  const auto start = std::chrono::steady_clock::now();
  while (thumbs_->ComputeNext() && std::chrono::steady_clock::now() - start < kThumbBudget) {
  }
  cards_.clear();
  exercises_.clear();
  const ImGuiStyle& style = ImGui::GetStyle();

  // Title and what nnplay is.
  ImGui::Spacing();
  ImGui::SetWindowFontScale(1.6f);
  const GuideWords& words = Words();
  ImGui::TextUnformatted(words.title.c_str());
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(words.tagline.c_str());
  ImGui::PopTextWrapPos();
  if (!current.empty()) {
    // The assignment is not a lab: "Back to the assignment".
    const std::string back = current == "course"
                                 ? words.back_prefix + ToLower(AssignmentText().title)
                                 : words.back_prefix + GuideFor(current).title + words.back_suffix;
    if (ImGui::Button(back.c_str())) pick.lab = current;
  }
  ImGui::Spacing();
  {
    // The assignment: every exercise as one piece of work, where this browser left it.
    const AssignmentWords& aw = AssignmentText();
    const std::string saved = SavedAssignmentLink();
    if (saved != assignment_link_) {
      assignment_link_ = saved;
      Assignment a;
      LinkError ignored;
      assignment_progress_ =
          DecodeAssignmentLink(saved, &a, &ignored) ? ProgressSummary(a) : std::string();
    }
    if (TapButton(aw.landing_button.c_str())) pick.link = saved;
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    assignment_rect_ = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s (%s)", aw.landing_note.c_str(), assignment_progress_.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
  }
  ImGui::Spacing();

  // The labs: a card each, as many columns as fit (one on a phone).
  ImGui::SetWindowFontScale(1.25f);
  ImGui::TextUnformatted(words.labs.c_str());
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", words.labs_note.c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = style.ItemSpacing.x * 2.0f;
  const int cols = std::clamp(static_cast<int>((avail + gap) / (kCardMin + gap)), 1, kMaxColumns);
  const float card_w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  // Padding inside a card: the text's own line height, not the (touch-sized) frame padding.
  const float pad = std::min(style.FramePadding.x * 2.0f, LineHeight());
  const std::vector<LabGuide>& guides = AllGuides();
  float text_h = 0.0f;
  for (const LabGuide& g : guides)
    text_h =
        std::max(text_h, ImGui::CalcTextSize(g.card.c_str(), nullptr, false, card_w - 2 * pad).y);
  const float card_h = pad * 2.0f + kThumb + style.ItemSpacing.y * 2.0f + LineHeight() + text_h;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  for (size_t i = 0; i < guides.size(); ++i) {
    const LabGuide& g = guides[i];
    const int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
    const ImVec2 p(origin.x + static_cast<float>(col) * (card_w + gap),
                   origin.y + static_cast<float>(row) * (card_h + gap));
    ImGui::PushID(g.lab.c_str());
    ImGui::SetCursorScreenPos(p);
    if (ImGui::InvisibleButton("card", ImVec2(card_w, card_h))) pick.lab = g.lab;
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    cards_.emplace_back(g.lab, ImVec4(p.x, p.y, card_w, card_h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 q(p.x + card_w, p.y + card_h);
    dl->AddRectFilled(p, q,
                      ImGui::GetColorU32(hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg),
                      style.FrameRounding + 4.0f);
    dl->AddRect(p, q, ImGui::GetColorU32(g.lab == current ? ImGuiCol_CheckMark : ImGuiCol_Border),
                style.FrameRounding + 4.0f);
    // In a group each new line starts at the card's left edge, not the window's.
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad));
    ImGui::BeginGroup();
    thumbs_->Draw(g.lab, ImVec2(p.x + pad, p.y + pad), ImVec2(card_w - 2 * pad, kThumb));
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad + kThumb + style.ItemSpacing.y));
    ImGui::BeginGroup();
    ImGui::TextUnformatted(g.title.c_str());
    ImGui::PushTextWrapPos(p.x + card_w - pad - ImGui::GetWindowPos().x + ImGui::GetScrollX());
    ImGui::TextDisabled("%s", g.card.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::PopID();
  }
  const int rows = (static_cast<int>(guides.size()) + cols - 1) / cols;
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + static_cast<float>(rows) * (card_h + gap)));
  ImGui::Dummy(ImVec2(avail, 0.0f));
  ImGui::Spacing();

  // The course's exercises, by number.
  ImGui::SetWindowFontScale(1.25f);
  ImGui::TextUnformatted(words.exercises.c_str());
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", words.exercises_note.c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  const float row_h = std::max(ImGui::GetFrameHeight(), 28.0f);
  if (ImGui::BeginTable("exercises", 3,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                            ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("number", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("E13").x + style.ItemSpacing.x * 2.0f);
    ImGui::TableSetupColumn("title", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("lab", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    for (const CourseExercise& e : CourseExercises()) {
      const std::string number = "E" + std::to_string(e.number);
      ImGui::TableNextRow(ImGuiTableRowFlags_None, row_h);
      ImGui::TableNextColumn();
      ImGui::PushID(e.number);
      const float y = ImGui::GetCursorPosY();
      if (ImGui::Selectable("##row", false, ImGuiSelectableFlags_SpanAllColumns,
                            ImVec2(0.0f, row_h)))
        pick.link = PresetLink(e.lab, e.preset);
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      exercises_.emplace_back(number, ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
      const float text_y = y + (row_h - LineHeight()) * 0.5f;
      ImGui::SetCursorPosY(text_y);
      ImGui::SameLine(0.0f, 0.0f);
      ImGui::SetCursorPosY(text_y);
      ImGui::TextUnformatted(number.c_str());
      ImGui::TableNextColumn();
      ImGui::SetCursorPosY(text_y);
      ImGui::TextUnformatted(e.title.c_str());
      ImGui::TableNextColumn();
      ImGui::SetCursorPosY(text_y);
      ImGui::TextDisabled("%s", GuideFor(e.lab).title.c_str());
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  ImGui::Spacing();

  // Every preset, by lab (what the gallery listed).
  ImGui::SetWindowFontScale(1.25f);
  ImGui::TextUnformatted(words.presets.c_str());
  ImGui::SetWindowFontScale(1.0f);
  const std::vector<PresetInfo> presets = AllPresets();
  for (const LabGuide& g : guides) {
    ImGui::PushID(g.lab.c_str());
    if (ImGui::CollapsingHeader(g.title.c_str())) {
      for (const PresetInfo& p : presets) {
        if (p.lab != g.lab) continue;
        if (ImGui::Selectable(p.title.c_str())) pick.link = p.link;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("#%s", p.link.c_str());
      }
    }
    ImGui::PopID();
  }
  return pick;
}

void LandingPage::Layout(JsonWriter* j) const {
  const auto rects = [j](const char* key, const std::vector<std::pair<std::string, ImVec4>>& v) {
    j->Key(key).BeginObject();
    for (const auto& [id, r] : v)
      j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
    j->EndObject();
  };
  rects("cards", cards_);
  rects("exercises", exercises_);
  j->Key("assignment")
      .BeginArray()
      .Number(assignment_rect_.x)
      .Number(assignment_rect_.y)
      .Number(assignment_rect_.z)
      .Number(assignment_rect_.w)
      .EndArray();
  j->Key("assignment_progress").String(assignment_progress_);
  j->Key("thumbnails").Int(thumbs_->computed);
}

}  // namespace nnplay::web
