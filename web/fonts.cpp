// fonts.cpp: see fonts.h. The font bytes are embedded at build time (cmake/EmbedFonts.cmake).
#include "fonts.h"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include "embedded_fonts.h"
#include "imgui_internal.h"  // ImTextCharFromUtf8
#include "json.h"
#include "theme.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define NNPLAY_FACE_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define NNPLAY_FACE_EXPORT extern "C"
#endif

namespace nnplay::web {
namespace {

static_assert(sizeof(ImWchar) == sizeof(unsigned short), "glyph ranges are 16-bit");

FontSet& MutableFonts() {
  static FontSet fonts;
  return fonts;
}

const ImWchar* Ranges(const unsigned short* ranges) {
  return reinterpret_cast<const ImWchar*>(ranges);
}

struct Face {
  const unsigned char* data;
  int size;
  float height_per_em;
};

// Adds `face` at `em_px` CSS pixels (rasterised at em_px * ratio device pixels), then merges
// `fallback` into it for the glyphs `face` lacks.
ImFont* AddFont(const Face& face, const Face& fallback, float em_px, float ratio,
                const unsigned short* ranges, const char* name) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // static data
  // At ratio 1 a little horizontal oversampling keeps subpixel placement smooth; at 2 and more
  // the device pixels are fine enough already (and the atlas stays small).
  config.OversampleH = ratio < 1.5f ? 2 : 1;
  config.OversampleV = 1;
  std::snprintf(config.Name, sizeof config.Name, "%s %.0fpx", name, static_cast<double>(em_px));
  // const_cast: ImGui reads the data only (FontDataOwnedByAtlas = false: it never frees it).
  ImFont* font =
      atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(face.data), face.size,
                                  em_px * face.height_per_em * ratio, &config, Ranges(ranges));
  config.MergeMode = true;
  // The fallback's em matches the primary's, whatever their line heights.
  atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(fallback.data), fallback.size,
                              em_px * fallback.height_per_em * ratio, &config, Ranges(ranges));
  return font;
}

}  // namespace

const FontSet& Fonts() {
  return MutableFonts();
}

float FontPx(const ImFont* font) {
  return font ? font->FontSize * ImGui::GetIO().FontGlobalScale : 0.0f;
}

ImFont* GridFont(float px) {
  const FontSet& f = Fonts();
  ImFont* best = f.grid[0];
  for (ImFont* font : f.grid)
    if (font && FontPx(font) <= px) best = font;
  return best;
}

void Heading(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  ImGui::PushFont(Fonts().heading);
  ImGui::TextV(fmt, args);
  ImGui::PopFont();
  va_end(args);
}

void BuildFonts(float pixel_ratio) {
  const auto start = std::chrono::steady_clock::now();
  using namespace nnplay::fonts;
  const Face inter{kInterRegular, kInterRegularSize, kInterRegularHeightPerEm};
  const Face inter_bold{kInterSemiBold, kInterSemiBoldSize, kInterSemiBoldHeightPerEm};
  const Face mono{kJetBrainsMono, kJetBrainsMonoSize, kJetBrainsMonoHeightPerEm};
  const Face dejavu{kDejaVuSans, kDejaVuSansSize, kDejaVuSansHeightPerEm};
  const Face dejavu_mono{kDejaVuSansMono, kDejaVuSansMonoSize, kDejaVuSansMonoHeightPerEm};
  const float r = pixel_ratio > 0.0f ? pixel_ratio : 1.0f;

  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  FontSet& f = MutableFonts();
  f = FontSet{};
  f.pixel_ratio = r;
  // The first font added is ImGui's default: the body.
  // The body also holds the scripts of students' names (the assignment's name field).
  f.body = AddFont(inter, dejavu, kBodyPx, r, kBodyRanges, "Inter");
  f.bold = AddFont(inter_bold, dejavu, kBodyPx, r, kTextRanges, "Inter SemiBold");
  f.heading = AddFont(inter_bold, dejavu, kHeadingPx, r, kTextRanges, "Inter SemiBold");
  for (int i = 0; i < kGridFontCount; ++i) {
    const bool full = kGridPx[i] == kMonoPx;
    f.grid[i] = AddFont(mono, dejavu_mono, kGridPx[i], r, full ? kTextRanges : kNumberRanges,
                        "JetBrains Mono");
    if (full) f.mono = f.grid[i];
  }
  io.FontGlobalScale = 1.0f / r;  // layout in CSS pixels, texels in device pixels
  io.Fonts->Build();
  f.build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace nnplay::web

// ---- export: Module.ccall('nnplay_face_json', 'string', ['string'], ['σ∂₉²ᵀ⌊']) ------------
// The font atlas (texture size, the pixel ratio it was rasterised at, each font's sizes) and,
// for every code point of `text`, whether the body and the mono font have a glyph for it
// (their own or the fallback's); and the theme.
NNPLAY_FACE_EXPORT const char* nnplay_face_json(const char* text) {
  using namespace nnplay::web;
  using nnplay::JsonWriter;
  static std::string json;
  JsonWriter j;
  const FontSet& f = Fonts();
  const ImFontAtlas* atlas = ImGui::GetCurrentContext() ? ImGui::GetIO().Fonts : nullptr;
  j.BeginObject();
  j.Key("theme").String(CurrentTheme() == Theme::kDark ? "dark" : "light");
  j.Key("theme_chosen").Bool(ThemeChosen());
  j.Key("pixel_ratio").Number(f.pixel_ratio);
  j.Key("build_ms").Number(static_cast<float>(f.build_ms));
  j.Key("atlas_width").Int(atlas ? atlas->TexWidth : 0);
  j.Key("atlas_height").Int(atlas ? atlas->TexHeight : 0);
  j.Key("fonts").BeginArray();
  if (atlas) {
    for (const ImFont* font : atlas->Fonts) {
      j.BeginObject();
      j.Key("name").String(font->ConfigData ? font->ConfigData->Name : "");
      j.Key("raster_px").Number(font->FontSize);               // device pixels, line height
      j.Key("css_px").Number(font->FontSize / f.pixel_ratio);  // CSS pixels, line height
      j.Key("glyphs").Int(font->Glyphs.Size);
      j.EndObject();
    }
  }
  j.EndArray();
  j.Key("glyphs").BeginObject();
  const char* p = text ? text : "";
  const char* end = p + std::strlen(p);
  while (p < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    const std::string key(p, static_cast<size_t>(n));
    p += n;
    const auto has = [c](const ImFont* font) {
      return font && c <= 0xFFFF && font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
    };
    j.Key(key).BeginObject();
    j.Key("body").Bool(has(f.body)).Key("bold").Bool(has(f.bold));
    j.Key("heading").Bool(has(f.heading)).Key("mono").Bool(has(f.mono));
    j.EndObject();
  }
  j.EndObject();
  j.EndObject();
  json = j.str();
  return json.c_str();
}
