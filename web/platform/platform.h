// The platform layer: the one place that knows about SDL2, WebGL 2 and the Emscripten main loop,
// so that an app (web/main.cpp) reads like a desktop Dear ImGui program.
//
//   int main() {
//     nnplay::platform::AppCallbacks app;
//     app.frame = [] { ImGui::Begin("Hello"); ImGui::End(); };
//     return nnplay::platform::RunApp(std::move(app));
//   }
//
// - Coordinates are in CSS pixels; the canvas fills the browser window and is backed by
//   devicePixelRatio times as many pixels, with fonts rasterised at that resolution. The
//   platform owns io.Fonts and rebuilds it when the ratio changes: apps do not add fonts.
// - GL is an OpenGL ES 3.0 context (WebGL 2): shaders use `#version 300 es`.
#pragma once

#include <functional>

namespace nnplay::platform {

struct AppCallbacks {
  const char* title = "nnplay";
  std::function<void()> init;      // after the GL context and the ImGui context exist
  std::function<void()> frame;     // every frame, between ImGui::NewFrame() and ImGui::Render()
  std::function<void()> shutdown;  // before the GL context goes (a browser tab usually just closes)
};

// Runs the app. On the web this never returns: the browser drives frames from then on.
// Returns non-zero if the window or the GL context cannot be created.
int RunApp(AppCallbacks app);

// Puts text into the page's aria-live region, for screen readers (ImGui's canvas is opaque to
// them). Repeating the same text is not announced again.
void AnnounceLive(const char* text);

// Device pixels per CSS pixel, as last applied to the canvas and the font atlas.
float PixelRatio();

}  // namespace nnplay::platform
