// registry.h: every lab, seen from outside: decode any share link into that lab's JSON,
// and list every preset with its link. Used by the nnplay CLI and the web page.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "link/link.h"

namespace nnplay {

struct PresetInfo {
  std::string lab;    // "conv"
  std::string id;     // "e9-vertical-edge"
  std::string title;  // "E9: vertical edge detection"
  std::string link;   // "v1/conv?..."
};

std::vector<PresetInfo> AllPresets();

// Parses a link (URL, fragment or bare state), evaluates its lab and writes the JSON of
// state and results. On failure, *error says which field is wrong and why. `max_length`:
// kMaxLinkLength for a link; a state file may hold a longer one (a training checkpoint).
bool EvalLinkToJson(std::string_view text, std::string* json, LinkError* error,
                    size_t max_length = kMaxLinkLength);

}  // namespace nnplay
