// guide_view.h: the panel that opens every lab: "What this shows" and "Try this", in the
// wording of engine/labs/guide.h. Collapsible (closed, it still shows the first thing to
// try); open by default on a wide window, closed on a phone; the user's choice is
// remembered per lab in local storage (never in the link). A step may carry a "Show me" button that
// opens its preset: the panel only records the request, the app opens it after the lab has drawn.
#pragma once

#include <string>

#include "json.h"

namespace nnplay::web {

// Draws the guide of `lab` ("conv", ...) into the current window, full width. One line at
// the top of a view's Draw().
void ShowGuide(const char* lab);

// The link a "Show me" button asked for since the last call ("" when none).
std::string TakeGuideRequest();

// Writes "guide": {"lab", "open", "rect": [x, y, w, h], "steps", "show_me": {preset: rect}}
// for the panel drawn this frame into an open JSON object (CSS pixels, for tests).
void WriteGuideLayout(JsonWriter* j);

}  // namespace nnplay::web
