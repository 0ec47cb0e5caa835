// lab_view.h: what the app needs from a lab's view. Each lab (web/<lab>_view.cpp) owns
// its model state (engine/labs/<lab>_lab.h), draws it, and turns gestures into edits. The
// app around it keeps the link in the address bar, undo/redo, the banner, the gallery.
#pragma once

#include <cstdint>
#include <string>

#include "imgui.h"
#include "json.h"
#include "lab_widgets.h"
#include "link/link.h"

namespace nnplay::web {

// What a frame of the lab did to its state.
enum class LabChange {
  kNone,
  kEdit,      // a value or a setting changed: the address bar follows, no history entry
  kNavigate,  // a preset was picked: a new browser-history entry (back returns here)
};

class LabView {
 public:
  virtual ~LabView() = default;
  virtual const char* Id() const = 0;     // the link's lab name, e.g. "conv"
  virtual const char* Title() const = 0;  // "Convolution"

  // Replaces the state with the link's (whose lab is Id()). On failure returns false,
  // sets *error and leaves the state as it was.
  virtual bool Open(const Link& link, LinkError* error) = 0;
  virtual std::string Encode() const = 0;   // the state as a link, "v1/<lab>?..."
  virtual std::string Json() const = 0;     // the state and results, as `nnplay eval` prints
  virtual std::string Summary() const = 0;  // the results in a sentence, for screen readers
  virtual void Reset() = 0;                 // the lab's default state

  virtual LabChange Draw() = 0;  // draws into the current window
  // Screen rectangles of the lab's grids, as keys of an open JSON object (for tests).
  virtual void Layout(JsonWriter* json) const { (void)json; }
  // An image the user picked (RGBA, row-major); false when the lab takes no images.
  virtual bool LoadImage(const unsigned char* rgba, int w, int h) {
    (void)rgba, (void)w, (void)h;
    return false;
  }
  // CSV data the user picked or pasted; false when the lab takes none. *changed: the state
  // changed (a bad file leaves it, and the lab shows why).
  virtual bool LoadCsv(const std::string& text, bool* changed) {
    (void)text;
    *changed = false;
    return false;
  }
};

// The two-pane layout the labs share. Wide: `controls` in a column `width` wide on the
// left, `results` beside it. Narrow (a phone): results first, then the controls below, in
// the window's one scroll. `controls` returns what it did; `results` returns true when it
// edited the state (a typed cell, a check-my-work entry). A preset wins over an edit.
template <typename Controls, typename Results>
LabChange ShowLabPanes(float width, Controls controls, Results results) {
  LabChange change = LabChange::kNone;
  bool edited = false;
  if (ImGui::GetContentRegionAvail().x < 760.0f) {
    edited = results();
    ImGui::Separator();
    ImGui::PushItemWidth(ControlWidth());
    change = controls();
    ImGui::PopItemWidth();
  } else {
    ImGui::BeginChild("controls", ImVec2(width, 0.0f), false);
    ImGui::PushItemWidth(ControlWidth());
    change = controls();
    ImGui::PopItemWidth();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("results", ImVec2(0.0f, 0.0f), false, ImGuiWindowFlags_HorizontalScrollbar);
    edited = results();
    ImGui::EndChild();
  }
  if (change == LabChange::kNavigate) return change;
  return edited ? LabChange::kEdit : change;
}

// The training labs' links follow their step count: at most every `seconds` while playing,
// at once when training stops (Pause, Step). Past the replay cap a link carries the run's
// checkpoint (a Fashion-MNIST network's is about 200 KB of text to build): while playing such
// a link waits for the stop, so the page builds it once a Pause, not every few seconds (the
// header's Copy link and Export build it on demand). Follow() turns a frame's change into
// kEdit when the address bar should take the new step count; `past_cap`: steps are past the
// replay cap.
class StepLink {
 public:
  explicit StepLink(double seconds) : seconds_(seconds) {}
  void Opened(int steps) { committed_ = steps; }  // the address bar holds `steps`
  LabChange Follow(LabChange change, int steps, bool playing, bool past_cap, double now) {
    const bool due = !playing || (!past_cap && now - last_ > seconds_);
    if (change == LabChange::kNone && steps != committed_ && due) change = LabChange::kEdit;
    if (change != LabChange::kNone) {
      last_ = now;
      committed_ = steps;
    }
    return change;
  }

 private:
  double seconds_;
  double last_ = 0;
  int committed_ = 0;
};

}  // namespace nnplay::web
