// lab_widgets.cpp: see lab_widgets.h.
#include "lab_widgets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "fonts.h"
#include "labs/help.h"
#include "labs/lab_text.h"
#include "platform/threads.h"
#include "platform/touch.h"
#include "theme.h"

namespace nnplay::web {
namespace {

constexpr double kHelpDelay = 0.45;      // seconds hovered before a control's tip shows
constexpr double kHelpDelayStill = 0.9;  // ... before a map's (the pointer at rest)
constexpr float kHelpWidthEm = 24.0f;    // tooltip text width, in font heights

struct HelpState {
  const char* text = nullptr;  // the hovered item's help, and where the item is
  ImVec2 item, mouse;
  double since = 0;
  int frame = -1;
  std::string shown;  // the tip drawn this frame
  std::vector<std::pair<std::string, ImVec4>> rects;
};
HelpState& Help() {
  static HelpState state;
  return state;
}

}  // namespace

float ControlWidth() {
  return std::floor(
      std::min(ImGui::GetContentRegionAvail().x * 0.6f, ImGui::GetFontSize() * 13.0f));
}

float ControlWidthHalf() {
  return std::floor((ControlWidth() - ImGui::GetStyle().ItemSpacing.x) * 0.5f);
}

void Section(const char* title) {
  if (ImGui::GetCursorPosY() > ImGui::GetStyle().WindowPadding.y + 1.0f) ImGui::Spacing();
  ImGui::PushFont(Fonts().bold);  // a heavier weight, not a coloured bar
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  ImGui::Separator();
}

void HelpTip(const char* lab, const char* control, bool still) {
  HelpState& h = Help();
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const bool seen = std::any_of(h.rects.begin(), h.rects.end(),
                                [&](const auto& r) { return r.first == control; });
  if (!seen) h.rects.emplace_back(control, ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  if (still && ImGui::IsItemActive()) return;
  const char* text = ControlHelp(lab, control);
  if (!text) return;
  const int frame = ImGui::GetFrameCount();
  const ImVec2 m = ImGui::GetIO().MousePos;
  const bool moved = still && std::fabs(m.x - h.mouse.x) + std::fabs(m.y - h.mouse.y) > 3.0f;
  if (h.text != text || h.item.x != a.x || h.item.y != a.y || h.frame < frame - 1 || moved) {
    h.text = text, h.item = a, h.mouse = m;
    h.since = ImGui::GetTime();
  }
  h.frame = frame;
  if (ImGui::GetTime() - h.since < (still ? kHelpDelayStill : kHelpDelay)) return;
  const float width = std::min(ImGui::GetFontSize() * kHelpWidthEm,
                               ImGui::GetMainViewport()->WorkSize.x - ImGui::GetFontSize() * 3.0f);
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(width);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
  h.shown = text;
}

void BeginHelpFrame() {
  Help().rects.clear();
  Help().shown.clear();
}

void WriteHelpLayout(JsonWriter* j) {
  j->Key("tooltip").String(Help().shown);
  j->Key("controls").BeginObject();
  for (const auto& [id, r] : Help().rects)
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  j->EndObject();
}

void ValueBar(float fraction, float width, const char* label, ImU32 color) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight() + 2.0f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float f = std::clamp(fraction, 0.0f, 1.0f);
  dl->AddRectFilled(at, ImVec2(at.x + width, at.y + h), Col(Pal().frame));
  dl->AddRectFilled(at, ImVec2(at.x + width * f, at.y + h), color);
  dl->AddRect(at, ImVec2(at.x + width, at.y + h), Col(Pal().border));
  dl->AddText(ImVec2(at.x + 4.0f, at.y + 1.0f), Col(Pal().text), label);
  ImGui::Dummy(ImVec2(width, h));
}

void WriteGridRect(JsonWriter* j, const char* name, const GridView& grid) {
  const GridRect& r = grid.rect();
  j->Key(name).BeginObject().Key("x").Number(r.x).Key("y").Number(r.y);
  j->Key("cell").Number(r.cell).Key("rows").Int(r.rows).Key("cols").Int(r.cols);
  WriteMenuItemRect(j, r);
  j->EndObject();
}

void WriteMenuItemRect(JsonWriter* j, const GridRect& r) {
  j->Key("menu_item").BeginArray();
  for (float v : r.menu_item) j->Number(v);
  j->EndArray();
}

void WritePresetRects(JsonWriter* j, const PresetRects& rects) {
  j->Key("presets").BeginObject();
  for (const auto& [id, r] : rects)
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  j->EndObject();
}

void ResizeVector(Tensor* t, int n, float fill) {
  std::vector<float> v = t->values();
  v.resize(static_cast<size_t>(n), fill);
  *t = Tensor({n});
  t->values() = std::move(v);
}

void SameLineIfRoom(float width) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width < right)
    ImGui::SameLine();
}

void Hint(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

namespace {
std::string ThreadsText() {
  const platform::ThreadSupport& t = platform::Threads();
  return TrainingThreadsText(platform::TrainingThreadsInUse(), t.isolated, t.cores);
}
}  // namespace

void TrainingThreadsLine() {
  Hint(ThreadsText().c_str());
}

void WriteTrainingThreads(JsonWriter* j) {
  const platform::ThreadSupport& t = platform::Threads();
  j->Key("threads").BeginObject().Key("count").Int(platform::TrainingThreadsInUse());
  j->Key("isolated").Bool(t.isolated).Key("cores").Int(t.cores);
  j->Key("threaded_trainer").Bool(platform::ThreadedTrainerBuilt());
  j->Key("text").String(ThreadsText()).EndObject();
}

float DistanceToSegment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

std::string Dims(std::initializer_list<long long> sizes) {
  std::string s;
  for (long long n : sizes) s += (s.empty() ? "" : kTimes) + std::to_string(n);
  return s;
}

bool TapButton(const char* label) {
  return platform::CoarsePointer() ? ImGui::Button(label) : ImGui::SmallButton(label);
}

}  // namespace nnplay::web
