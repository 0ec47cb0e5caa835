// cost_view.cpp: the cost calculator's view. Wide: controls on the left, the table of
// steps, the totals and check my work on the right. Narrow: the results first, then the
// controls, in one scroll.
#include "cost_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "check_view.h"
#include "fonts.h"
#include "guide_view.h"
#include "lab_widgets.h"
#include "labs/notation.h"
#include "theme.h"

namespace nnplay::web {
namespace {

ImVec4 ItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

std::string ShapeText(const FeatureShape& s) {
  return Dims({s.h, s.w, s.c});
}

std::string Times(double v) {
  if (v >= 1000) return Thousands(std::llround(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : "%.3g", v);
  return buf;
}

}  // namespace

bool CostLabView::IntField(const char* label, const char* id, int* value, int lo, int hi) {
  int v = *value;
  ImGui::SetNextItemWidth(ControlWidthHalf());
  bool changed = ImGui::InputInt(label, &v, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
  HelpTip("cost", id);
  rects_.emplace_back(std::string("field-") + id, ItemRect());
  changed = changed && v >= lo && v <= hi && v != *value;  // out of range: not taken
  if (changed) *value = v;
  return changed;
}

LabChange CostLabView::ShowControls() {
  bool edited = false, navigated = false;
  constexpr int kC = CostLabLimits::kMaxChannels;
  Section("Presets");
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (const CostPreset& p : CostPresets()) {
    if (ImGui::Button(p.label)) {
      state_ = p.state;
      navigated = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.title);
    rects_.emplace_back(std::string("preset-") + p.id, ItemRect());
    if (&p == &CostPresets().back()) continue;
    const float next = ImGui::CalcTextSize((&p + 1)->label).x + 24.0f;
    if (ImGui::GetItemRectMax().x + next < right) ImGui::SameLine();
  }
  Section("Input H x W x C");
  edited |= IntField("H", "h", &state_.h, 1, CostLabLimits::kMaxSide);
  ImGui::SameLine();
  edited |= IntField("W", "w", &state_.w, 1, CostLabLimits::kMaxSide);
  edited |= IntField("C", "c", &state_.c, 1, kC);
  Section("Layer");
  int mode = static_cast<int>(state_.mode);
  ImGui::BeginGroup();
  edited |= ImGui::RadioButton("single conv", &mode, 0);
  ImGui::SameLine();
  edited |= ImGui::RadioButton("1\u00D71 then conv", &mode, 1);
  ImGui::SameLine();
  edited |= ImGui::RadioButton("Inception", &mode, 2);
  ImGui::EndGroup();
  HelpTip("cost", "mode");
  state_.mode = static_cast<CostMode>(mode);
  if (state_.mode != CostMode::kInception) {
    if (state_.mode == CostMode::kBottleneck)
      edited |= IntField("1\u00D71 reduce to (channels)", "r", &state_.r, 1, kC);
    edited |= IntField("kernel k (k x k)", "k", &state_.k, 1, CostLabLimits::kMaxKernel);
    edited |= IntField("filters", "n", &state_.n, 1, kC);
    edited |= IntField("stride", "stride", &state_.stride, 1, CostLabLimits::kMaxStride);
    int pad = state_.same ? 0 : 1;
    ImGui::BeginGroup();
    edited |= ImGui::RadioButton("same", &pad, 0);
    ImGui::SameLine();
    edited |= ImGui::RadioButton("valid", &pad, 1);
    ImGui::EndGroup();
    HelpTip("cost", "padding");
    state_.same = pad == 0;
  } else {
    ImGui::TextDisabled("All branches: stride 1, \"same\". Reduction 0 = none.");
    edited |= ImGui::Checkbox("1\u00D71 branch", &state_.use1);
    HelpTip("cost", "use1");
    if (state_.use1) edited |= IntField("1\u00D71 filters", "n1", &state_.n1, 1, kC);
    edited |= ImGui::Checkbox("3\u00D73 branch", &state_.use3);
    HelpTip("cost", "use3");
    if (state_.use3) {
      edited |= IntField("3\u00D73 reduce (1\u00D71)", "r3", &state_.r3, 0, kC);
      edited |= IntField("3\u00D73 filters", "n3", &state_.n3, 1, kC);
    }
    edited |= ImGui::Checkbox("5\u00D75 branch", &state_.use5);
    HelpTip("cost", "use5");
    if (state_.use5) {
      edited |= IntField("5\u00D75 reduce (1\u00D71)", "r5", &state_.r5, 0, kC);
      edited |= IntField("5\u00D75 filters", "n5", &state_.n5, 1, kC);
    }
    edited |= ImGui::Checkbox("pool branch (3\u00D73 max pool, then 1\u00D71)", &state_.usep);
    HelpTip("cost", "usep");
    if (state_.usep) edited |= IntField("pool 1\u00D71 filters", "np", &state_.np, 1, kC);
  }
  edited |= ImGui::Checkbox("count a bias per filter", &state_.bias);
  HelpTip("cost", "bias");
  ImGui::TextDisabled(
      "Multiplications count weights only, padding taps\nincluded, as the course "
      "counts them.");
  if (navigated) return LabChange::kNavigate;
  return edited ? LabChange::kEdit : LabChange::kNone;
}

void CostLabView::ShowResults() {
  const CostLabResult& r = result_;
  const FeatureShape in{state_.h, state_.w, state_.c};
  ImGui::Text("Input %s", ShapeText(in).c_str());
  if (!r.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, Col(Pal().wrong));
    ImGui::TextWrapped("%s", r.error.c_str());
    ImGui::PopStyleColor();
    return;
  }
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("steps", 4, flags)) {
    ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("output", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("parameters", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("multiplications", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableHeadersRow();
    for (const CostBranch& b : r.branches) {
      if (state_.mode == CostMode::kInception) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(ColV(Pal().accent), "branch %s", b.title.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ShapeText(b.out).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(Thousands(b.cost.params).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(Thousands(b.cost.mults).c_str());
      }
      for (const CostStep& st : b.steps) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextWrapped("  %s", st.title.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ShapeText(st.out).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(Thousands(st.cost.params).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", st.params_text.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(Thousands(st.cost.mults).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", st.mults_text.c_str());
      }
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("total");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(ShapeText(r.out).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(Thousands(r.total.params).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(Thousands(r.total.mults).c_str());
    ImGui::EndTable();
  }
  ImGui::TextWrapped("The arithmetic (multiplications = outputs x weights per output):");
  for (const CostBranch& b : r.branches) {
    for (const CostStep& st : b.steps) {
      if (st.pool) continue;
      ImGui::BulletText("%s", st.title.c_str());
      ImGui::Indent();
      ImGui::TextWrapped("mults: %s", st.mults_text.c_str());
      ImGui::TextWrapped("params: %s", st.params_text.c_str());
      ImGui::Unindent();
    }
    if (b.steps.size() > 1 && !b.steps[0].pool)
      ImGui::TextWrapped("  branch: %s", b.mults_text.c_str());
  }
  if (r.branches.size() > 1) {
    std::string sum;
    for (const CostBranch& b : r.branches)
      sum += (sum.empty() ? "" : " + ") + Thousands(b.cost.mults);
    ImGui::TextWrapped("total: %s = %s", sum.c_str(), Thousands(r.total.mults).c_str());
  }
  if (r.has_direct) {
    ImGui::TextWrapped(
        "Without the 1\u00D71 reductions: %s multiplications, %s times more.",
        Thousands(r.direct.mults).c_str(),
        Times(static_cast<double>(r.direct.mults) / static_cast<double>(r.total.mults)).c_str());
  }
  ImGui::Separator();
  ImGui::TextWrapped("The same mapping as one fully connected layer (%s %s %s):",
                     ShapeText(in).c_str(), kArrow, ShapeText(r.out).c_str());
  ImGui::TextWrapped("mults %s %s %s = %s  (%s times the convolution's)",
                     Thousands(in.size()).c_str(), kTimes, Thousands(r.out.size()).c_str(),
                     Thousands(r.fc.mults).c_str(), Times(r.mult_ratio).c_str());
  ImGui::TextWrapped("params %s  (%s times the convolution's)", Thousands(r.fc.params).c_str(),
                     Times(r.param_ratio).c_str());
  if (state_.mode == CostMode::kSingle) {
    ImGui::TextWrapped(
        "Weight sharing: each weight is used at %s output positions. Sparse connections: each "
        "output reads %s of the %s inputs (%s times fewer).",
        Thousands(r.reuse).c_str(), Thousands(r.inputs_per_output).c_str(),
        Thousands(r.inputs).c_str(),
        Times(static_cast<double>(r.inputs) / static_cast<double>(r.inputs_per_output)).c_str());
  }
}

LabChange CostLabView::Draw() {
  ShowGuide(Id());
  rects_.clear();
  const LabChange change = ShowLabPanes(
      360.0f, [&] { return ShowControls(); },
      [&] {
        ShowResults();
        ImGui::Separator();
        return ShowCheckMyWork(result_.steps, &state_.check, CostCheckRecompute(state_));
      });
  if (change != LabChange::kNone) Recompute();
  return change;
}

bool CostLabView::Open(const Link& link, LinkError* error) {
  CostLabState state;
  if (!DecodeCostLab(link, &state, error)) return false;
  state_ = std::move(state);
  Recompute();
  return true;
}

void CostLabView::Reset() {
  state_ = CostLabDefault();
  Recompute();
}

std::string CostLabView::Summary() const {
  if (!result_.error.empty()) return result_.error;
  return "Output " + ShapeText(result_.out) + ", " + Thousands(result_.total.params) +
         " parameters, " + Thousands(result_.total.mults) +
         " multiplications; fully connected: " + Thousands(result_.fc.mults) + ".";
}

void CostLabView::Layout(JsonWriter* j) const {
  for (const auto& [id, r] : rects_)
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
}

}  // namespace nnplay::web
