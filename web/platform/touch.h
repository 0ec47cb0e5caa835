// touch.h: phones and tablets. ImGui under SDL never raises a phone's on-screen keyboard, so
// while ImGui wants text after a touch the page focuses an off-screen <input> (web/platform/
// pre.js) and relays what is typed into it back here (nnplay_text_input, nnplay_key_input);
// on a coarse pointer the style gets tap targets of at least 40 CSS px; and a swipe on empty
// space scrolls.
#pragma once

struct ImGuiStyle;

namespace nnplay::platform {

// True when the primary pointer is coarse (a finger): CSS media query (pointer: coarse).
bool CoarsePointer();

// Enlarges `style` for fingers: frames at least kTouchTarget tall for a font of font_px CSS
// px, wider spacing, grabs and scrollbars. Apply it after building the style (palette, theme),
// and only when CoarsePointer().
constexpr float kTouchTarget = 40.0f;
void ApplyTouchStyle(ImGuiStyle* style, float font_px);

// The relay, called by the platform's frame: BeforeNewFrame hands ImGui the next relayed
// keystroke (a key is held for one frame and released the next, as ImGui 1.86 needs);
// AfterFrame tells the page when ImGui starts or stops wanting text.
void TouchRelayBeforeNewFrame();
void TouchRelayAfterFrame();

// A lifted finger hovers nothing (after the platform backend's NewFrame, before
// ImGui::NewFrame): SDL keeps reporting the last touch position as the mouse, so without this a
// tooltip or a hover highlight would stay where the finger was until the next touch. The frame
// of the release still sees the position, so a tap is a click as before.
void TouchHoverBeforeNewFrame();

// Swipe scrolling (after ImGui::NewFrame): a finger pressed on a window's empty space and
// moved more than kSwipeSlop CSS px scrolls the innermost scrollable window under it, as a
// page would. A press on a widget (slider, grid, button) stays the widget's.
constexpr float kSwipeSlop = 8.0f;
void TouchSwipeAfterNewFrame();

}  // namespace nnplay::platform
