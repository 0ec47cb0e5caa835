// registry.cpp: see registry.h. A new lab adds its presets and its decode + evaluate here.
#include "labs/registry.h"

#include <utility>

#include "labs/conv_lab.h"

namespace nnplay {

std::vector<PresetInfo> AllPresets() {
  std::vector<PresetInfo> out;
  for (PresetInfo& p : ConvLabPresets()) out.push_back(std::move(p));
  return out;
}

bool EvalLinkToJson(std::string_view text, std::string* json, LinkError* error) {
  Link link;
  if (!ParseLink(text, &link, error)) return false;
  if (link.lab == "conv") {
    ConvLabState state;
    if (!DecodeConvLab(link, &state, error)) return false;
    *json = ConvLabToJson(state, EvaluateConvLab(state));
    return true;
  }
  *error = {"lab", "there is no lab called '" + link.lab + "'"};
  return false;
}

}  // namespace nnplay
