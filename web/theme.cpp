// theme.cpp: see theme.h.
#include "theme.h"

#include <string>

#include "browser.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
// clang-format off
EM_JS(int, nnplay_js_prefers_dark, (), {
  try {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? 1 : 0;
  } catch (e) {
    return 0;
  }
});
// clang-format on
#else
static int nnplay_js_prefers_dark() {
  return 0;
}
#endif

namespace nnplay::web {
namespace {

constexpr const char* kThemeKey = "nnplay.theme";

struct ThemeState {
  Theme theme = Theme::kLight;
  bool chosen = false;
  double checked_at = -1.0;
};

ThemeState& State() {
  static ThemeState s;
  return s;
}

// Sizes and rounding: once (the touch style enlarges them after, web/platform/touch.h).
void ApplySizes() {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(6, 6);
  style.CellPadding = ImVec2(6, 3);
  style.IndentSpacing = 18;
  style.ScrollbarSize = 14;
  style.GrabMinSize = 12;
  style.WindowRounding = 0;
  style.ChildRounding = 6;
  style.FrameRounding = 5;
  style.PopupRounding = 6;
  style.ScrollbarRounding = 7;
  style.GrabRounding = 4;
  style.TabRounding = 5;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 1;
  style.PopupBorderSize = 1;
  style.FrameBorderSize = 1;
}

// Colours: on every theme change (StyleColorsLight sets colours only).
void ApplyColours(const Palette& p) {
  ImGuiStyle& style = ImGui::GetStyle();
  ImGui::StyleColorsLight(&style);
  ImVec4* c = style.Colors;
  const ImVec4 accent = ColV(p.accent);
  const auto with_alpha = [](ImVec4 v, float a) { return ImVec4(v.x, v.y, v.z, a); };
  c[ImGuiCol_Text] = ColV(p.text);
  c[ImGuiCol_TextDisabled] = ColV(p.text_muted);
  c[ImGuiCol_WindowBg] = ColV(p.page);
  c[ImGuiCol_ChildBg] = with_alpha(ColV(p.panel), 0.0f);  // children show the page unless asked
  c[ImGuiCol_PopupBg] = ColV(p.panel);
  c[ImGuiCol_Border] = ColV(p.border);
  c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_FrameBg] = ColV(p.frame);
  c[ImGuiCol_FrameBgHovered] = ColV(p.frame_hover);
  c[ImGuiCol_FrameBgActive] = ColV(p.frame_hover);
  c[ImGuiCol_TitleBg] = ColV(p.panel);
  c[ImGuiCol_TitleBgActive] = ColV(p.button);
  c[ImGuiCol_TitleBgCollapsed] = ColV(p.panel);
  c[ImGuiCol_MenuBarBg] = ColV(p.panel);
  c[ImGuiCol_ScrollbarBg] = with_alpha(ColV(p.page), 0.0f);
  c[ImGuiCol_ScrollbarGrab] = ColV(p.border);
  c[ImGuiCol_ScrollbarGrabHovered] = ColV(p.text_muted);
  c[ImGuiCol_ScrollbarGrabActive] = ColV(p.text_muted);
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = accent;
  c[ImGuiCol_SliderGrabActive] = accent;
  c[ImGuiCol_Button] = ColV(p.button);
  c[ImGuiCol_ButtonHovered] = ColV(p.button_hover);
  c[ImGuiCol_ButtonActive] = ColV(p.button_active);
  c[ImGuiCol_Header] = ColV(p.button);
  c[ImGuiCol_HeaderHovered] = ColV(p.button_hover);
  c[ImGuiCol_HeaderActive] = ColV(p.button_active);
  c[ImGuiCol_Separator] = ColV(p.border);
  c[ImGuiCol_SeparatorHovered] = accent;
  c[ImGuiCol_SeparatorActive] = accent;
  c[ImGuiCol_ResizeGrip] = with_alpha(accent, 0.2f);
  c[ImGuiCol_ResizeGripHovered] = with_alpha(accent, 0.6f);
  c[ImGuiCol_ResizeGripActive] = accent;
  c[ImGuiCol_Tab] = ColV(p.button);
  c[ImGuiCol_TabHovered] = ColV(p.button_hover);
  c[ImGuiCol_TabActive] = ColV(p.button_active);
  c[ImGuiCol_TabUnfocused] = ColV(p.button);
  c[ImGuiCol_TabUnfocusedActive] = ColV(p.button_active);
  c[ImGuiCol_PlotLines] = ColV(p.series_1);
  c[ImGuiCol_PlotLinesHovered] = ColV(p.series_2);
  c[ImGuiCol_PlotHistogram] = ColV(p.series_1);
  c[ImGuiCol_PlotHistogramHovered] = ColV(p.series_2);
  c[ImGuiCol_TableHeaderBg] = ColV(p.button);
  c[ImGuiCol_TableBorderStrong] = ColV(p.border);
  c[ImGuiCol_TableBorderLight] = ColV(p.plot_grid);
  c[ImGuiCol_TableRowBg] = with_alpha(ColV(p.panel), 0.0f);
  c[ImGuiCol_TableRowBgAlt] = with_alpha(ColV(p.text), 0.04f);
  c[ImGuiCol_TextSelectedBg] = with_alpha(accent, 0.3f);
  c[ImGuiCol_DragDropTarget] = ColV(p.selection);
  c[ImGuiCol_NavHighlight] = accent;
  c[ImGuiCol_NavWindowingHighlight] = with_alpha(ColV(p.text), 0.7f);
  c[ImGuiCol_NavWindowingDimBg] = with_alpha(ColV(p.text), 0.2f);
  c[ImGuiCol_ModalWindowDimBg] = with_alpha(ColV(p.text), 0.35f);
}

Theme SystemTheme() {
  return nnplay_js_prefers_dark() ? Theme::kDark : Theme::kLight;
}

}  // namespace

const Palette& Pal() {
  return PaletteOf(State().theme);
}

ImU32 Col(Rgba c) {
  return IM_COL32(c.r, c.g, c.b, c.a);
}

ImU32 Col(Rgba c, float alpha) {
  const float a = static_cast<float>(c.a) * (alpha < 0 ? 0 : alpha > 1 ? 1 : alpha);
  return IM_COL32(c.r, c.g, c.b, static_cast<int>(a + 0.5f));
}

ImVec4 ColV(Rgba c) {
  return ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f);
}

ImU32 DivergingColor(float t) {
  t = t == t ? (t < -1.0f ? -1.0f : t > 1.0f ? 1.0f : t) : 0.0f;
  const DivergingMap& m = kDiverging;
  const float a = t < 0 ? -t : t;
  const Rgba& mid = t >= 0 ? m.pos_mid : m.neg_mid;
  const Rgba& end = t >= 0 ? m.pos_end : m.neg_end;
  const Rgba& from = a < 0.5f ? m.neutral : mid;
  const Rgba& to = a < 0.5f ? mid : end;
  const float u = a < 0.5f ? a * 2.0f : a * 2.0f - 1.0f;
  const auto mix = [u](uint8_t x, uint8_t y) {
    return static_cast<int>(static_cast<float>(x) + (static_cast<float>(y) - x) * u);
  };
  return IM_COL32(mix(from.r, to.r), mix(from.g, to.g), mix(from.b, to.b), 255);
}

Theme CurrentTheme() {
  return State().theme;
}

bool ThemeChosen() {
  return State().chosen;
}

void SetTheme(Theme theme, bool remember) {
  ThemeState& s = State();
  s.theme = theme;
  if (remember) {
    s.chosen = true;
    LocalStorageSet(kThemeKey, theme == Theme::kDark ? "dark" : "light");
  }
  ApplyColours(PaletteOf(theme));
}

void InitTheme() {
  ApplySizes();
  const std::string stored = LocalStorageGet(kThemeKey);
  ThemeState& s = State();
  s.chosen = stored == "dark" || stored == "light";
  SetTheme(s.chosen ? (stored == "dark" ? Theme::kDark : Theme::kLight) : SystemTheme(), false);
}

void FollowSystemTheme() {
  ThemeState& s = State();
  const double now = ImGui::GetTime();
  if (s.chosen || (s.checked_at >= 0 && now - s.checked_at < 0.5)) return;
  s.checked_at = now;
  const Theme system = SystemTheme();
  if (system != s.theme) SetTheme(system, false);
}

}  // namespace nnplay::web
