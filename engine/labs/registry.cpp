// registry.cpp: see registry.h. A new lab adds its presets and its decode + evaluate here.
#include "labs/registry.h"

#include "labs/conv_lab.h"

namespace nnplay {

std::vector<PresetInfo> AllPresets() {
  std::vector<PresetInfo> out;
  const ConvLabState e9 = ConvLabDefault();
  out.push_back({"conv", "e9-vertical-edge", "E9: vertical edge detection (6x6 image, 3x3 filter)",
                 EncodeConvLab(e9)});
  for (const ConvFilterPreset& f : ConvFilterPresets()) {
    ConvLabState s = e9;
    ApplyFilterPreset(f, &s);
    out.push_back({"conv", std::string("filter-") + f.id,
                   std::string(f.title) + " filter on the E9 image", EncodeConvLab(s)});
  }
  for (const ConvInputPreset& in : ConvInputPresets()) {
    ConvLabState s = e9;
    ApplyInputPreset(in, &s);
    out.push_back({"conv", std::string("input-") + in.id,
                   std::string(in.title) + " image, vertical-edge filter", EncodeConvLab(s)});
  }
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
