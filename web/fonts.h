// fonts.h: the page's type. Inter (body, SemiBold for emphasis and headings) and JetBrains
// Mono (numbers: grids, traces, tables), with DejaVu Sans filling the glyphs they lack (ᵀ, ⌊ ⌋,
// ∇ ...). The fonts are rasterised at the device pixel ratio by the platform layer and rebuilt
// when it changes. Sizes are CSS font sizes (the em, as in CSS `font-size`); ImGui's FontSize,
// which FontPx() and ImGui::GetFontSize() give, is the line height: ~1.2x the em for Inter and
// ~1.3x for JetBrains Mono.
//
//   ImGui::PushFont(Fonts().mono); ImGui::Text("%s", trace); ImGui::PopFont();
//   Heading("Loss curves");
//   ImFont* f = GridFont(cell * 0.45f);   // numbers that scale with the cell
//   dl->AddText(f, FontPx(f), at, colour, text);
#pragma once

#include "imgui.h"

namespace nnplay::web {

constexpr float kBodyPx = 15.0f;     // body text (the default font)
constexpr float kHeadingPx = 18.0f;  // section headings
constexpr float kMonoPx = 14.0f;     // monospace text (its x-height matches Inter's at 15)
// Monospace sizes for numbers in grid cells, smallest first (kMonoPx is one of them).
constexpr int kGridFontCount = 6;
constexpr float kGridPx[kGridFontCount] = {8.0f, 10.0f, 12.0f, 14.0f, 17.0f, 21.0f};

struct FontSet {
  ImFont* body = nullptr;     // Inter Regular, kBodyPx: the default font (and names' scripts)
  ImFont* bold = nullptr;     // Inter SemiBold, kBodyPx: emphasis, table headers
  ImFont* heading = nullptr;  // Inter SemiBold, kHeadingPx: section headings
  ImFont* mono = nullptr;     // JetBrains Mono, kMonoPx, every character the app draws
  // JetBrains Mono at kGridPx: digits, signs, letters for exponents (grid[3] == mono).
  ImFont* grid[kGridFontCount] = {};
  float pixel_ratio = 1.0f;  // device pixels per CSS pixel the atlas was rasterised at
  double build_ms = 0.0;     // how long rasterising the atlas took (nnplay_face_json)
};

// The fonts of the current atlas (all null before the platform built it).
const FontSet& Fonts();

// The font's line height in CSS pixels (what ImGui::GetFontSize() gives while it is pushed, and
// the size to pass to ImDrawList::AddText).
float FontPx(const ImFont* font);

// The largest grid font whose line height is at most `px` CSS pixels (the smallest if none is).
ImFont* GridFont(float px);

// A section heading: the text in the heading font (no coloured bar).
void Heading(const char* fmt, ...) IM_FMTARGS(1);

// Platform only: rebuilds io.Fonts for `pixel_ratio` (the caller re-uploads the texture).
void BuildFonts(float pixel_ratio);

}  // namespace nnplay::web
