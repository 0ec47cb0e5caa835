// palette.h: every colour the page draws, by meaning, for a light and a dark theme. Plain C++
// (no ImGui), so that a native unit test can check the text contrast (tests/web/palette_test.cpp);
// views get the current theme's palette and ImGui colours through theme.h:
//
//   dl->AddLine(a, b, Col(Pal().positive));
//   ImGui::TextColored(ColV(Pal().wrong), "...");
//
// Text colours are chosen for WCAG AA (4.5:1) on the backgrounds they are drawn on, in both
// themes. Colours drawn on the heatmap (grid lines, cell numbers, marks) are the same in both
// themes, because the heatmap's colours are.
#pragma once

#include <cstdint>

namespace nnplay::web {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
};

enum class Theme { kLight, kDark };

struct Palette {
  // Surfaces.
  Rgba page;         // the window background (and the canvas clear colour)
  Rgba panel;        // child windows, popups, diagram and plot backgrounds
  Rgba frame;        // input fields, slider tracks, bar tracks
  Rgba frame_hover;  // a field under the pointer
  Rgba border;       // frames, separators, panel outlines
  Rgba button;       // buttons and selectable rows (text colour on them: text)
  Rgba button_hover;
  Rgba button_active;

  // Text.
  Rgba text;        // body text, headings, numbers
  Rgba text_muted;  // hints, captions, disabled controls
  Rgba accent;      // links, checkmarks, slider grabs, focus; legible as text on page/panel

  // Meanings.
  Rgba selection;   // the selected unit, weight or point (outline, not text)
  Rgba positive;    // signed values > 0 (edges, bars); legible as text on page/panel
  Rgba negative;    // signed values < 0
  Rgba zero;        // an edge or value that is exactly 0
  Rgba right;       // check my work: a value that agrees (text)
  Rgba wrong;       // ... one that disagrees (text)
  Rgba right_bg;    // the field of an entry that agrees (text colour on it: text)
  Rgba wrong_bg;    // the field of an entry that disagrees
  Rgba carried;     // ... one right for the learner's earlier values (error carried forward)
  Rgba carried_bg;  // the field of such an entry
  Rgba warning;     // text that warns (overflow, a state too long for a link)
  Rgba error_text;  // the banner for a link that did not open
  Rgba error_bg;
  Rgba series_1;       // first line of a chart (train, configuration B); legible as text
  Rgba series_2;       // second line (test, configuration A)
  Rgba bar;            // value bars (softmax probabilities); text on them: text
  Rgba bar_highlight;  // the bar that stands out (the predicted class); text on it: text
  Rgba axis;           // chart axes and tick labels (as text: text_muted)
  Rgba plot_grid;      // chart grid lines
  Rgba saturated;      // a band marking the saturated range of an activation (translucent)
  Rgba node;           // a unit in a network diagram
  Rgba node_line;      // its outline

  // On the heatmap (same in both themes).
  Rgba cell_text_dark;   // a number on a light cell
  Rgba cell_text_light;  // a number on a saturated cell
  Rgba cell_text_pad;    // a padding cell's 0
  Rgba cell_line;        // grid lines between cells
  Rgba cell_pad;         // padding cells
  Rgba cell_selected;    // the selected output cell
  Rgba cell_label_bg;    // behind a weight label in a receptive field
  Rgba field;            // the receptive field outline
};

// ColorBrewer RdBu, the heatmap's map (shaders/heatmap.frag keeps the same numbers): 0 is
// the neutral grey in both themes, and each end is darker than its middle, so the map reads
// by lightness too (colour-blind safe).
struct DivergingMap {
  Rgba neutral{247, 247, 247, 255};  // #f7f7f7
  Rgba pos_mid{244, 165, 130, 255};  // #f4a582
  Rgba pos_end{178, 24, 43, 255};    // #b2182b
  Rgba neg_mid{146, 197, 222, 255};  // #92c5de
  Rgba neg_end{33, 102, 172, 255};   // #2166ac
};
inline constexpr DivergingMap kDiverging{};

namespace palette_detail {

constexpr Rgba C(uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255) {
  Rgba c;
  c.r = r, c.g = g, c.b = b, c.a = a;
  return c;
}

constexpr void SetHeatmapColours(Palette* p) {
  p->cell_text_dark = C(20, 20, 20);
  p->cell_text_light = C(255, 255, 255);
  p->cell_text_pad = C(90, 90, 90);
  p->cell_line = C(255, 255, 255, 140);
  p->cell_pad = C(225, 225, 225);
  p->cell_selected = C(20, 20, 20);
  p->cell_label_bg = C(255, 255, 255, 230);
  p->field = C(0, 140, 70);
}

constexpr Palette Light() {
  Palette p;
  p.page = C(248, 249, 251);
  p.panel = C(255, 255, 255);
  p.frame = C(255, 255, 255);
  p.frame_hover = C(238, 243, 250);
  p.border = C(205, 210, 218);
  p.button = C(229, 235, 243);
  p.button_hover = C(212, 223, 238);
  p.button_active = C(190, 207, 232);
  p.text = C(29, 36, 51);
  p.text_muted = C(88, 97, 112);
  p.accent = C(26, 95, 190);
  p.selection = C(230, 140, 0);
  p.positive = C(178, 24, 43);
  p.negative = C(33, 92, 165);
  p.zero = C(150, 150, 155);
  p.right = C(22, 121, 57);
  p.wrong = C(190, 32, 28);
  p.right_bg = C(214, 240, 222);
  p.wrong_bg = C(251, 224, 221);
  p.carried = C(140, 80, 0);
  p.carried_bg = C(252, 236, 200);
  p.warning = C(150, 85, 0);
  p.error_text = C(140, 20, 10);
  p.error_bg = C(253, 236, 234);
  p.series_1 = C(26, 95, 190);
  p.series_2 = C(184, 84, 0);
  p.bar = C(186, 208, 240);
  p.bar_highlight = C(248, 200, 150);
  p.axis = C(150, 155, 165);
  p.plot_grid = C(228, 231, 236);
  p.saturated = C(200, 60, 60, 40);
  p.node = C(236, 240, 246);
  p.node_line = C(120, 128, 140);
  SetHeatmapColours(&p);
  return p;
}

constexpr Palette Dark() {
  Palette p;
  p.page = C(27, 27, 31);
  p.panel = C(34, 36, 42);
  p.frame = C(44, 47, 55);
  p.frame_hover = C(54, 58, 68);
  p.border = C(64, 68, 78);
  p.button = C(48, 56, 70);
  p.button_hover = C(60, 72, 92);
  p.button_active = C(72, 88, 115);
  p.text = C(230, 232, 236);
  p.text_muted = C(160, 166, 176);
  p.accent = C(110, 168, 254);
  p.selection = C(255, 200, 40);
  p.positive = C(240, 110, 100);
  p.negative = C(100, 160, 235);
  p.zero = C(120, 120, 125);
  p.right = C(110, 210, 140);
  p.wrong = C(255, 125, 110);
  p.right_bg = C(25, 80, 45);
  p.wrong_bg = C(105, 35, 30);
  p.carried = C(245, 190, 90);
  p.carried_bg = C(90, 62, 20);
  p.warning = C(240, 185, 80);
  p.error_text = C(255, 200, 190);
  p.error_bg = C(80, 28, 24);
  p.series_1 = C(100, 170, 255);
  p.series_2 = C(255, 155, 70);
  p.bar = C(45, 80, 130);
  p.bar_highlight = C(130, 75, 25);
  p.axis = C(140, 145, 155);
  p.plot_grid = C(55, 58, 66);
  p.saturated = C(200, 60, 60, 50);
  p.node = C(50, 54, 64);
  p.node_line = C(170, 175, 185);
  SetHeatmapColours(&p);
  return p;
}

}  // namespace palette_detail

inline constexpr Palette kLightPalette = palette_detail::Light();
inline constexpr Palette kDarkPalette = palette_detail::Dark();

constexpr const Palette& PaletteOf(Theme theme) {
  return theme == Theme::kDark ? kDarkPalette : kLightPalette;
}

}  // namespace nnplay::web
