// lab_widgets.cpp: see lab_widgets.h.
#include "lab_widgets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nnplay::web {

void ValueBar(float fraction, float width, const char* label, ImU32 color) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight() + 2.0f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float f = std::clamp(fraction, 0.0f, 1.0f);
  dl->AddRectFilled(at, ImVec2(at.x + width, at.y + h), IM_COL32(50, 55, 65, 255));
  dl->AddRectFilled(at, ImVec2(at.x + width * f, at.y + h), color);
  dl->AddText(ImVec2(at.x + 4.0f, at.y + 1.0f), IM_COL32(255, 255, 255, 255), label);
  ImGui::Dummy(ImVec2(width, h));
}

void WriteGridRect(JsonWriter* j, const char* name, const GridView& grid) {
  const GridRect& r = grid.rect();
  j->Key(name).BeginObject().Key("x").Number(r.x).Key("y").Number(r.y);
  j->Key("cell").Number(r.cell).Key("rows").Int(r.rows).Key("cols").Int(r.cols).EndObject();
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

std::string Num(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", static_cast<double>(v));
  return std::string(buf) == "-0" ? "0" : buf;
}

void Hint(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

float DistanceToSegment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

}  // namespace nnplay::web
