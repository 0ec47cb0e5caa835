// guide_view.cpp: see guide_view.h. Wide: "What this shows" and "Try this" side by side
// under a collapsing header; narrow (a phone): one below the other.
#include "guide_view.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "browser.h"
#include "imgui.h"
#include "labs/guide.h"

namespace nnplay::web {
namespace {

constexpr float kWide = 760.0f;  // the width from which the two parts sit side by side

// What the panel drew in the last frame, for WriteGuideLayout.
struct GuideFrame {
  std::string lab;
  int frame = -1;  // ImGui's frame count when drawn
  bool open = false;
  ImVec4 rect;
  int steps = 0;
  std::vector<std::pair<std::string, ImVec4>> show_me;
};

GuideFrame& Drawn() {
  static GuideFrame frame;
  return frame;
}

std::string& Request() {
  static std::string link;
  return link;
}

std::string StorageKey(const std::string& lab) {
  return "nnplay.guide." + lab;
}

// Whether the guide of `lab` is open: what this browser chose last (local storage, read
// once per lab), else open on a wide window and brief on a phone, where the lab itself
// should be on the first screen.
bool& OpenFlag(const std::string& lab, bool wide) {
  static std::map<std::string, bool> open;
  auto it = open.find(lab);
  if (it == open.end()) {
    const std::string saved = LocalStorageGet(StorageKey(lab));
    it = open.emplace(lab, saved.empty() ? wide : saved != "closed").first;
  }
  return it->second;
}

void SetOpen(const std::string& lab, bool open) {
  bool& flag = OpenFlag(lab, open);
  if (flag == open) return;
  flag = open;
  LocalStorageSet(StorageKey(lab), open ? "open" : "closed");
}

ImVec4 ItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

void Heading(const char* text) {
  ImGui::TextUnformatted(text);
  ImGui::Spacing();
}

void ShowWhat(const LabGuide& g) {
  Heading(Words().what.c_str());
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(g.what.c_str());
  ImGui::PopTextWrapPos();
}

void ShowSteps(const LabGuide& g, GuideFrame* drawn) {
  Heading(Words().try_this.c_str());
  const ImGuiStyle& style = ImGui::GetStyle();
  const char* const kShowMe = Words().show_me.c_str();
  const float button = ImGui::CalcTextSize(kShowMe).x + style.FramePadding.x * 2.0f;
  for (size_t i = 0; i < g.try_steps.size(); ++i) {
    const GuideStep& step = g.try_steps[i];
    ImGui::PushID(static_cast<int>(i));
    const ImVec2 row = ImGui::GetCursorScreenPos();
    const float right = row.x + ImGui::GetContentRegionAvail().x;
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%zu.", i + 1);
    ImGui::SameLine();
    // The text wraps short of the button's column (window-local coordinates).
    const float room = step.preset.empty() ? 0.0f : button + style.ItemSpacing.x;
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(right - room - ImGui::GetWindowPos().x + ImGui::GetScrollX());
    ImGui::TextUnformatted(step.text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    if (!step.preset.empty()) {
      const PresetInfo* preset = FindPreset(g.lab, step.preset);
      const float below = ImGui::GetItemRectMax().y;
      ImGui::SameLine();
      ImGui::SetCursorScreenPos(ImVec2(right - button, row.y));
      ImGui::BeginDisabled(!preset);
      if (ImGui::Button(kShowMe) && preset) Request() = preset->link;
      ImGui::EndDisabled();
      if (preset && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", preset->title.c_str());
      drawn->show_me.emplace_back(step.preset, ItemRect());
      // Continue below the taller of the text and the button.
      const float next = std::max(below, ImGui::GetItemRectMax().y);
      ImGui::SetCursorScreenPos(ImVec2(row.x, next));
      ImGui::Dummy(ImVec2(0.0f, 0.0f));
    }
    ImGui::PopID();
  }
}

}  // namespace

void ShowGuide(const char* lab) {
  GuideFrame& drawn = Drawn();
  drawn = GuideFrame();
  drawn.lab = lab;
  drawn.frame = ImGui::GetFrameCount();
  const LabGuide& g = GuideFor(lab);
  if (g.lab.empty()) return;
  ImGui::PushID("guide");
  const ImVec2 start = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  ImGui::SetNextItemOpen(OpenFlag(g.lab, width >= kWide), ImGuiCond_Always);
  const bool open = ImGui::CollapsingHeader((Words().header + "###header").c_str());
  drawn.open = open;
  drawn.steps = static_cast<int>(g.try_steps.size());
  SetOpen(g.lab, open);
  if (open) {
    if (width >= kWide && ImGui::BeginTable("parts", 2, ImGuiTableFlags_PadOuterX)) {
      ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch, 0.42f);
      ImGui::TableSetupColumn("try", ImGuiTableColumnFlags_WidthStretch, 0.58f);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ShowWhat(g);
      ImGui::TableNextColumn();
      ShowSteps(g, &drawn);
      ImGui::EndTable();
    } else {
      ImGui::Indent(ImGui::GetStyle().FramePadding.x);
      ShowWhat(g);
      ImGui::Spacing();
      ShowSteps(g, &drawn);
      ImGui::Unindent(ImGui::GetStyle().FramePadding.x);
    }
    ImGui::Spacing();
  } else if (!g.try_steps.empty()) {
    // Closed: still one thing to try, in a line or two.
    ImGui::Indent(ImGui::GetStyle().FramePadding.x);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s%s", Words().try_prefix.c_str(), g.try_steps.front().text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ImGui::GetStyle().FramePadding.x);
  }
  const float bottom = ImGui::GetItemRectMax().y;
  drawn.rect = ImVec4(start.x, start.y, width, bottom - start.y);
  ImGui::PopID();
}

std::string TakeGuideRequest() {
  return std::exchange(Request(), std::string());
}

void WriteGuideLayout(JsonWriter* j) {
  const GuideFrame& d = Drawn();
  j->Key("guide").BeginObject();
  j->Key("lab").String(d.lab);
  j->Key("drawn").Bool(ImGui::GetCurrentContext() && d.frame == ImGui::GetFrameCount() &&
                       !GuideFor(d.lab).lab.empty());
  j->Key("open").Bool(d.open);
  j->Key("steps").Int(d.steps);
  j->Key("rect").BeginArray();
  for (float v : {d.rect.x, d.rect.y, d.rect.z, d.rect.w}) j->Number(v);
  j->EndArray();
  j->Key("show_me").BeginObject();
  for (const auto& [id, r] : d.show_me) {
    j->Key(id).BeginArray();
    for (float v : {r.x, r.y, r.z, r.w}) j->Number(v);
    j->EndArray();
  }
  j->EndObject();
  j->EndObject();
}

}  // namespace nnplay::web
