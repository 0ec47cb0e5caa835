// landing_view.h: the page a first visit opens on (and the header's "Labs & presets"): a
// title, what nnplay is, a card per lab with a small live thumbnail drawn from the lab's
// engine model and one sentence (engine/labs/guide.h), the course's exercises E1-E13 each
// opening its preset, the assignment (E1-E13 as one piece of work), and every preset by lab.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "json.h"

namespace nnplay::web {

// What the user picked on the page: a lab (open it as it is) or a preset's link.
struct LandingPick {
  std::string lab;   // "conv": open that lab
  std::string link;  // "v1/conv?...": open this link
};

class LandingPage {
 public:
  LandingPage();
  ~LandingPage();
  // Draws the page into the current window. `current` is the lab open behind the page
  // ("" on a first visit).
  LandingPick Draw(const std::string& current);
  // "landing": {"cards": {lab: [x, y, w, h]}, "exercises": {"E1": [...]}, "thumbnails": n}
  void Layout(JsonWriter* j) const;

 private:
  struct Thumbnails;
  std::unique_ptr<Thumbnails> thumbs_;
  std::vector<std::pair<std::string, ImVec4>> cards_, exercises_;
  ImVec4 assignment_rect_;           // the assignment's button
  std::string assignment_link_;      // the saved assignment the progress below is for
  std::string assignment_progress_;  // "3 done, 2 partly, 8 not started"
};

}  // namespace nnplay::web
