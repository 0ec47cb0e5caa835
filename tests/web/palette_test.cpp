// The palette's text contrast, by the WCAG 2.1 definition (relative luminance of sRGB, ratio
// (L1 + 0.05) / (L2 + 0.05)), computed here from the palette's numbers: every text colour on
// every background it is drawn on reaches AA (4.5:1) in both themes.
#include "palette.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace nnplay::web {
namespace {

double Channel(uint8_t v) {
  const double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double Luminance(Rgba c) {
  return 0.2126 * Channel(c.r) + 0.7152 * Channel(c.g) + 0.0722 * Channel(c.b);
}

double Contrast(Rgba a, Rgba b) {
  const double la = Luminance(a), lb = Luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The formula itself, against values worked by hand: white on black is (1 + 0.05) / 0.05 = 21;
// #777777 on white: 0x77 / 255 = 0.46667, ((0.46667 + 0.055) / 1.055)^2.4 = 0.18447,
// (1.05) / (0.23447) = 4.478 (the well-known "#777 just fails AA").
TEST(PaletteContrast, FormulaMatchesHandValues) {
  EXPECT_NEAR(Contrast(Rgba{255, 255, 255, 255}, Rgba{0, 0, 0, 255}), 21.0, 1e-9);
  EXPECT_NEAR(Contrast(Rgba{119, 119, 119, 255}, Rgba{255, 255, 255, 255}), 4.478, 0.002);
  EXPECT_NEAR(Contrast(Rgba{10, 10, 10, 255}, Rgba{10, 10, 10, 255}), 1.0, 1e-12);
}

struct Pair {
  const char* name;
  Rgba fg, bg;
};

std::vector<Pair> TextPairs(const Palette& p) {
  return {
      {"text on page", p.text, p.page},
      {"text on panel", p.text, p.panel},
      {"text on frame", p.text, p.frame},
      {"text on hovered frame", p.text, p.frame_hover},
      {"text on button", p.text, p.button},
      {"text on hovered button", p.text, p.button_hover},
      {"text on pressed button", p.text, p.button_active},
      {"text on bar", p.text, p.bar},
      {"text on highlighted bar", p.text, p.bar_highlight},
      {"text on right entry", p.text, p.right_bg},
      {"text on wrong entry", p.text, p.wrong_bg},
      {"text on carried entry", p.text, p.carried_bg},
      {"text on node", p.text, p.node},
      {"muted on page", p.text_muted, p.page},
      {"muted on panel", p.text_muted, p.panel},
      {"muted on frame", p.text_muted, p.frame},
      {"accent on page", p.accent, p.page},
      {"accent on panel", p.accent, p.panel},
      {"positive on page", p.positive, p.page},
      {"positive on panel", p.positive, p.panel},
      {"negative on page", p.negative, p.page},
      {"negative on panel", p.negative, p.panel},
      {"right on page", p.right, p.page},
      {"wrong on page", p.wrong, p.page},
      {"wrong on panel", p.wrong, p.panel},
      {"carried on page", p.carried, p.page},
      {"carried on panel", p.carried, p.panel},
      {"warning on page", p.warning, p.page},
      {"warning on panel", p.warning, p.panel},
      {"error banner", p.error_text, p.error_bg},
      {"series 1 on page", p.series_1, p.page},
      {"series 1 on panel", p.series_1, p.panel},
      {"series 2 on page", p.series_2, p.page},
      {"series 2 on panel", p.series_2, p.panel},
  };
}

void ExpectAA(const Palette& p, const char* theme) {
  for (const Pair& pair : TextPairs(p)) {
    EXPECT_EQ(pair.fg.a, 255) << theme << ": " << pair.name << " (text is opaque)";
    EXPECT_EQ(pair.bg.a, 255) << theme << ": " << pair.name << " (background is opaque)";
    const double ratio = Contrast(pair.fg, pair.bg);
    EXPECT_GE(ratio, 4.5) << theme << ": " << pair.name << " is " << ratio << ":1";
  }
}

TEST(PaletteContrast, LightThemeTextReachesAA) {
  ExpectAA(PaletteOf(Theme::kLight), "light");
}

TEST(PaletteContrast, DarkThemeTextReachesAA) {
  ExpectAA(PaletteOf(Theme::kDark), "dark");
}

// The heatmap's numbers: dark text on the light half of the map, light text on the saturated
// ends (grid_view.cpp switches at |v| > 0.6 absmax, past the middle stops).
TEST(PaletteContrast, CellNumbersReadOnTheHeatmap) {
  const Palette& p = PaletteOf(Theme::kLight);
  EXPECT_GE(Contrast(p.cell_text_dark, kDiverging.neutral), 4.5);
  EXPECT_GE(Contrast(p.cell_text_dark, kDiverging.pos_mid), 4.5);
  EXPECT_GE(Contrast(p.cell_text_dark, kDiverging.neg_mid), 4.5);
  EXPECT_GE(Contrast(p.cell_text_light, kDiverging.pos_end), 4.5);
  EXPECT_GE(Contrast(p.cell_text_light, kDiverging.neg_end), 4.5);
  EXPECT_GE(Contrast(p.cell_text_pad, p.cell_pad), 4.5);
  const Palette& d = PaletteOf(Theme::kDark);
  EXPECT_EQ(Luminance(d.cell_text_dark), Luminance(p.cell_text_dark));
  EXPECT_EQ(Luminance(d.cell_pad), Luminance(p.cell_pad));
}

// 0 is exactly neutral (no hue), and each side gets darker towards its end, so the map is
// ordered by lightness as well as hue (what colour-blind readers see).
TEST(PaletteDiverging, ZeroIsNeutralAndEndsDarken) {
  const DivergingMap& m = kDiverging;
  EXPECT_EQ(m.neutral.r, m.neutral.g);
  EXPECT_EQ(m.neutral.g, m.neutral.b);
  EXPECT_GT(Luminance(m.neutral), Luminance(m.pos_mid));
  EXPECT_GT(Luminance(m.pos_mid), Luminance(m.pos_end));
  EXPECT_GT(Luminance(m.neutral), Luminance(m.neg_mid));
  EXPECT_GT(Luminance(m.neg_mid), Luminance(m.neg_end));
  // Red and blue ends: positive has more red than blue, negative the reverse.
  EXPECT_GT(m.pos_end.r, m.pos_end.b);
  EXPECT_GT(m.neg_end.b, m.neg_end.r);
}

// The two themes differ where it matters: a dark page under light text and the reverse.
TEST(PaletteThemes, LightIsLightAndDarkIsDark) {
  EXPECT_GT(Luminance(PaletteOf(Theme::kLight).page), 0.8);
  EXPECT_LT(Luminance(PaletteOf(Theme::kDark).page), 0.05);
  EXPECT_LT(Luminance(PaletteOf(Theme::kLight).text), 0.05);
  EXPECT_GT(Luminance(PaletteOf(Theme::kDark).text), 0.7);
}

}  // namespace
}  // namespace nnplay::web
