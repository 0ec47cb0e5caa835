// theme.h: the current theme (light or dark), its palette as ImGui colours, and the ImGui style
// built from it. The default follows the browser's prefers-color-scheme; SetTheme(t, true)
// (the header's toggle) overrides it and is remembered in local storage, never in the link.
#pragma once

#include "imgui.h"
#include "palette.h"

namespace nnplay::web {

// The current theme's palette: take every colour from here.
const Palette& Pal();
ImU32 Col(Rgba c);
ImVec4 ColV(Rgba c);
// The colour with its alpha multiplied by `alpha` (0..1), e.g. a translucent fill.
ImU32 Col(Rgba c, float alpha);

// The heatmap's diverging map (ColorBrewer RdBu, as shaders/heatmap.frag) at t in [-1, 1]:
// 0 neutral, +1 red, -1 blue; NaN counts as 0.
ImU32 DivergingColor(float t);

Theme CurrentTheme();
// True when the user chose the theme (the toggle), false while it follows the browser.
bool ThemeChosen();
// Applies `theme` to ImGui's style; `remember` stores it as the user's choice.
void SetTheme(Theme theme, bool remember);
// Sets the style's sizes and rounding, then the stored choice's or the browser's colours.
// Call once, after the ImGui context exists.
void InitTheme();
// Once a frame: follows a change of the browser's preference unless the user chose a theme.
void FollowSystemTheme();

}  // namespace nnplay::web
