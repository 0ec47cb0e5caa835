// SDL2 + WebGL 2 + Emscripten implementation of platform.h: window and GL context, the
// requestAnimationFrame main loop, device-pixel-ratio handling and the page hooks that browser
// tests and the HTML side channel use.
#include "platform/platform.h"

#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdio>
#include <utility>

#include "fonts.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "platform/touch.h"
#include "theme.h"

// Page-side helpers. EM_JS rather than EM_ASM: EM_ASM's $0 and empty variadic arguments trip
// -Wpedantic, and both compile to plain functions in index.js (no eval, so CSP-safe).
// clang-format must stay off here: it reads the JS as C++ and turns `===` into `== =`.
// clang-format off
EM_JS(void, nnplay_js_first_frame, (), {
  // The mark lets tests and benchmarks read "navigation to first frame" from the page.
  performance.mark('nnplay-first-frame');
  var el = document.getElementById('loading');
  if (el) el.remove();
  // The canvas is the whole app: give it the keyboard unless the user already focused something.
  if (document.activeElement === document.body) Module['canvas'].focus();
});
EM_JS(void, nnplay_js_fatal, (const char* text), { Module['nnplayFatal'](UTF8ToString(text)); });
EM_JS(void, nnplay_js_set_live, (const char* text), {
  var el = document.getElementById('live');
  var value = UTF8ToString(text);
  if (el && el.textContent !== value) el.textContent = value;
});
// clang-format on

namespace nnplay::platform {
namespace {

struct State {
  AppCallbacks app;
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  float pixel_ratio = 0.0f;
  int frames = 0;
  // CPU time of the last frames (app, ImGui and GL submission), for nnplay_frame_stats.
  static constexpr int kTimed = 240;
  double frame_ms[kTimed] = {};
};

State& GetState() {
  static State state;  // lives on after RunApp: the browser keeps calling Frame()
  return state;
}

// The fonts are rasterised at the device pixel ratio and drawn scaled back by 1/ratio, so text
// has one texel per device pixel (crisp at DPR 1, 2 and 3); see web/fonts.h.
void ApplyPixelRatio(State& s, float ratio) {
  s.pixel_ratio = ratio;
  nnplay::web::BuildFonts(ratio);
  // Before the first frame the backend has no GL objects yet and builds them all lazily.
  if (s.frames > 0) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }

  // A ratio change does not always come with a window resize event (e.g. moving to another
  // screen); re-setting the same size makes SDL re-read the ratio and resize the backing store.
  int width = 0, height = 0;
  SDL_GetWindowSize(s.window, &width, &height);
  if (width > 0 && height > 0) SDL_SetWindowSize(s.window, width, height);
}

void Frame() {
  const double start = emscripten_get_now();
  State& s = GetState();
  SDL_Event event;
  while (SDL_PollEvent(&event)) ImGui_ImplSDL2_ProcessEvent(&event);
  TouchRelayBeforeNewFrame();  // keys typed on a phone's keyboard (touch.h)

  // SDL resizes the canvas backing store on window resize events; the font atlas and a ratio
  // change without a resize (another screen) are ours to follow.
  float ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (ratio != s.pixel_ratio) ApplyPixelRatio(s, ratio);

  ImGui_ImplOpenGL3_NewFrame();  // also (re)builds the font texture when it is missing
  ImGui_ImplSDL2_NewFrame();
  // Under headless Chromium's virtual time two frames can share a timestamp, and ImGui asserts
  // on a zero DeltaTime.
  ImGuiIO& io = ImGui::GetIO();
  if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 1000.0f;
  TouchHoverBeforeNewFrame();  // a lifted finger hovers nothing (touch.h)
  ImGui::NewFrame();
  TouchSwipeAfterNewFrame();
  if (s.app.frame) s.app.frame();
  TouchRelayAfterFrame();
  ImGui::Render();

  int width = 0, height = 0;
  SDL_GL_GetDrawableSize(s.window, &width, &height);
  glViewport(0, 0, width, height);
  const nnplay::web::Rgba page = nnplay::web::Pal().page;  // the window background
  glClearColor(page.r / 255.0f, page.g / 255.0f, page.b / 255.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  s.frame_ms[s.frames % State::kTimed] = emscripten_get_now() - start;
  if (++s.frames == 1) nnplay_js_first_frame();
}

void ShowFatal(const char* text) {
  std::fprintf(stderr, "nnplay: %s\n", text);
  nnplay_js_fatal(text);
}

}  // namespace

int RunApp(AppCallbacks app) {
  State& s = GetState();
  s.app = std::move(app);

  // Keys go to the canvas only (focused on load and on click by pre.js), so that HTML inputs on
  // the page still get typed into: with the default (window) SDL would eat their Backspace.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    ShowFatal(SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);  // 2-D only: save the depth and stencil buffers
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

  // RESIZABLE + a CSS-sized canvas makes SDL follow the CSS size; ALLOW_HIGHDPI makes it back
  // the canvas with devicePixelRatio times as many pixels. The size here is only a fallback.
  const Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
  s.window = SDL_CreateWindow(s.app.title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1280,
                              800, flags);
  if (s.window) s.gl = SDL_GL_CreateContext(s.window);
  if (!s.gl) {
    ShowFatal("nnplay needs WebGL 2, which this browser did not provide.");
    return 1;
  }
  SDL_GL_MakeCurrent(s.window, s.gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no filesystem; layout state will live in the share link
  nnplay::web::InitTheme();  // the style and the theme's colours
  ImGui_ImplSDL2_InitForOpenGL(s.window, s.gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  ApplyPixelRatio(s, static_cast<float>(emscripten_get_device_pixel_ratio()));
  // After the style and the fonts (touch.h): frames tall enough for a finger at the body's size.
  if (CoarsePointer())
    ApplyTouchStyle(&ImGui::GetStyle(), nnplay::web::FontPx(nnplay::web::Fonts().body));

  if (s.app.init) s.app.init();

  // fps 0: requestAnimationFrame. simulate_infinite_loop: unwind main() now, as on the desktop
  // the loop would never return.
  emscripten_set_main_loop(Frame, 0, true);
  return 0;
}

void AnnounceLive(const char* text) {
  nnplay_js_set_live(text);
}

float PixelRatio() {
  return GetState().pixel_ratio;
}

}  // namespace nnplay::platform

// Page hooks, callable as Module.ccall('nnplay_frame_count', 'number', [], []).
extern "C" EMSCRIPTEN_KEEPALIVE int nnplay_frame_count() {
  return nnplay::platform::GetState().frames;
}

// The CPU time of frame (nnplay_frame_count() - 1 - back), in ms; back < 240.
extern "C" EMSCRIPTEN_KEEPALIVE double nnplay_frame_ms(int back) {
  const auto& s = nnplay::platform::GetState();
  if (back < 0 || back >= nnplay::platform::State::kTimed || back >= s.frames) return -1.0;
  return s.frame_ms[(s.frames - 1 - back) % nnplay::platform::State::kTimed];
}
