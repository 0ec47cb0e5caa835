// touch.cpp: see touch.h.
#include "platform/touch.h"

#include <SDL.h>
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cfloat>
#include <deque>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // the hovered window and the active id, for swipe scrolling

// clang-format off
EM_JS(int, nnplay_js_coarse_pointer, (), {
  return window.matchMedia && window.matchMedia('(pointer: coarse)').matches ? 1 : 0;
});
EM_JS(int, nnplay_js_last_pointer_touch, (), {
  return Module['nnplayLastPointer'] === 'touch' ? 1 : 0;
});
EM_JS(void, nnplay_js_want_text, (int want), {
  if (Module['nnplayWantText']) Module['nnplayWantText'](want !== 0);
});
// clang-format on

namespace nnplay::platform {
namespace {

// What the page relayed, in order: text, or a key (ImGuiKey_*) with Shift.
struct Relayed {
  std::string text;
  int key = -1;
  bool shift = false;
};

struct Relay {
  std::deque<Relayed> queue;
  int held = -1;  // the ImGuiKey pressed last frame, released this frame
  bool want_text = false;
  // Swipe scrolling: the window a finger pressed on empty space of, where, and its scroll then.
  ImGuiWindow* swipe_window = nullptr;
  ImVec2 swipe_start, swipe_scroll;
  bool swiping = false;
  bool was_down = false;  // the primary button, last frame (TouchHoverBeforeNewFrame)
};

Relay& GetRelay() {
  static Relay relay;
  return relay;
}

// The numbers pre.js sends (NNPLAY_KEYS there).
int KeyFromCode(int code) {
  switch (code) {
    case 1:
      return ImGuiKey_Enter;
    case 2:
      return ImGuiKey_Backspace;
    case 3:
      return ImGuiKey_Escape;
    case 4:
      return ImGuiKey_Tab;
    case 5:
      return ImGuiKey_LeftArrow;
    case 6:
      return ImGuiKey_RightArrow;
    case 7:
      return ImGuiKey_UpArrow;
    case 8:
      return ImGuiKey_DownArrow;
    case 9:
      return ImGuiKey_Delete;
    case 10:
      return ImGuiKey_Home;
    case 11:
      return ImGuiKey_End;
    default:
      return -1;
  }
}

}  // namespace

bool CoarsePointer() {
  return nnplay_js_coarse_pointer() != 0;
}

void ApplyTouchStyle(ImGuiStyle* style, float font_px) {
  const float pad_y = std::max(style->FramePadding.y, (kTouchTarget - font_px) * 0.5f);
  style->FramePadding = ImVec2(std::max(style->FramePadding.x, 12.0f), pad_y);
  style->ItemSpacing =
      ImVec2(std::max(style->ItemSpacing.x, 12.0f), std::max(style->ItemSpacing.y, 10.0f));
  style->ItemInnerSpacing =
      ImVec2(std::max(style->ItemInnerSpacing.x, 10.0f), std::max(style->ItemInnerSpacing.y, 8.0f));
  style->GrabMinSize = std::max(style->GrabMinSize, 28.0f);
  style->ScrollbarSize = std::max(style->ScrollbarSize, 24.0f);
  style->IndentSpacing = std::max(style->IndentSpacing, 24.0f);
}

void TouchRelayBeforeNewFrame() {
  Relay& r = GetRelay();
  ImGuiIO& io = ImGui::GetIO();
  if (r.held >= 0) {
    io.KeysDown[io.KeyMap[r.held]] = false;
    r.held = -1;
    io.KeyShift = (SDL_GetModState() & KMOD_SHIFT) != 0;
    return;  // a release and the next press in one frame would read as no press at all
  }
  if (r.queue.empty()) return;
  Relayed next = std::move(r.queue.front());
  r.queue.pop_front();
  if (next.key < 0) {
    io.AddInputCharactersUTF8(next.text.c_str());
    return;
  }
  io.KeysDown[io.KeyMap[next.key]] = true;
  io.KeyShift = next.shift;
  r.held = next.key;
}

void TouchHoverBeforeNewFrame() {
  Relay& r = GetRelay();
  ImGuiIO& io = ImGui::GetIO();
  const bool down = io.MouseDown[0] || io.MouseDown[1];
  if (!down && !r.was_down && nnplay_js_last_pointer_touch())
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // ImGui's "no pointer"
  r.was_down = down;
}

void TouchSwipeAfterNewFrame() {
  Relay& r = GetRelay();
  ImGuiContext& g = *GImGui;
  const ImGuiIO& io = g.IO;
  if (!io.MouseDown[0]) {
    r.swipe_window = nullptr;
    r.swiping = false;
    return;
  }
  // A finger that went down on empty space: ImGui makes the window's move id active (even for
  // windows that cannot move); on a widget (a button, a slider, a grid) the widget's id is.
  const bool on_void =
      g.ActiveId != 0 && g.ActiveIdWindow && g.ActiveId == g.ActiveIdWindow->MoveId;
  if (io.MouseClicked[0]) {
    r.swipe_window = nullptr;
    r.swiping = false;
    if (!nnplay_js_last_pointer_touch()) return;
    // The innermost window under the finger that can scroll.
    for (ImGuiWindow* w = g.HoveredWindow; w; w = w->ParentWindow) {
      if (w->ScrollMax.y > 0.0f || w->ScrollMax.x > 0.0f) {
        r.swipe_window = w;
        break;
      }
    }
    r.swipe_start = io.MousePos;
    if (r.swipe_window) r.swipe_scroll = r.swipe_window->Scroll;
    return;
  }
  if (!r.swipe_window) return;
  if (!r.swiping) {
    if (!on_void) return;
    const ImVec2 d(io.MousePos.x - r.swipe_start.x, io.MousePos.y - r.swipe_start.y);
    if (d.x * d.x + d.y * d.y < kSwipeSlop * kSwipeSlop) return;
    r.swiping = true;
    g.MovingWindow = nullptr;  // a swipe on a movable window's background scrolls it instead
  }
  ImGui::SetScrollY(r.swipe_window, r.swipe_scroll.y - (io.MousePos.y - r.swipe_start.y));
  if (r.swipe_window->ScrollMax.x > 0.0f)
    ImGui::SetScrollX(r.swipe_window, r.swipe_scroll.x - (io.MousePos.x - r.swipe_start.x));
}

void TouchRelayAfterFrame() {
  Relay& r = GetRelay();
  const bool want = ImGui::GetIO().WantTextInput;
  if (want == r.want_text) return;
  r.want_text = want;
  nnplay_js_want_text(want ? 1 : 0);
}

}  // namespace nnplay::platform

// Page hooks for pre.js's relay input.
extern "C" EMSCRIPTEN_KEEPALIVE void nnplay_text_input(const char* text) {
  if (text && *text && nnplay::platform::GetRelay().queue.size() < 256)
    nnplay::platform::GetRelay().queue.push_back({text, -1, false});
}

extern "C" EMSCRIPTEN_KEEPALIVE void nnplay_key_input(int code, int shift) {
  const int key = nnplay::platform::KeyFromCode(code);
  if (key >= 0 && nnplay::platform::GetRelay().queue.size() < 256)
    nnplay::platform::GetRelay().queue.push_back({"", key, shift != 0});
}
