// registry.cpp: see registry.h. A new lab adds one row to kLabs and one loop to AllPresets.
#include "labs/registry.h"

#include <utility>

#include "labs/assignment.h"
#include "labs/batchnorm_lab.h"
#include "labs/cnn_lab.h"
#include "labs/conv_lab.h"
#include "labs/cost_lab.h"
#include "labs/dropout_lab.h"
#include "labs/flow_lab.h"
#include "labs/mlp_lab.h"
#include "labs/softmax_lab.h"
#include "labs/train_lab.h"

namespace nnplay {
namespace {

// Every lab has the same three entry points: decode its link fields into a state,
// evaluate the state, write state and result as JSON.
template <typename State, typename Result>
bool Eval(const Link& link, std::string* json, LinkError* error,
          bool (*decode)(const Link&, State*, LinkError*), Result (*evaluate)(const State&),
          std::string (*to_json)(const State&, const Result&)) {
  State state;
  if (!decode(link, &state, error)) return false;
  *json = to_json(state, evaluate(state));
  return true;
}

#define NNPLAY_LAB(id, Name)                                                              \
  {                                                                                       \
    id, [](const Link& l, std::string* j, LinkError* e) {                                 \
      return Eval<Name##LabState, Name##LabResult>(l, j, e, Decode##Name##Lab,            \
                                                   Evaluate##Name##Lab, Name##LabToJson); \
    }                                                                                     \
  }

struct LabEntry {
  const char* id;
  bool (*eval)(const Link&, std::string*, LinkError*);
};

const LabEntry kLabs[] = {
    NNPLAY_LAB("conv", Conv),
    NNPLAY_LAB("softmax", Softmax),
    NNPLAY_LAB("batchnorm", BatchNorm),
    NNPLAY_LAB("dropout", Dropout),
    NNPLAY_LAB("mlp", Mlp),
    NNPLAY_LAB("flow", Flow),
    NNPLAY_LAB("cost", Cost),
    NNPLAY_LAB("train", Train),
    NNPLAY_LAB("cnn", Cnn),
};

#undef NNPLAY_LAB

}  // namespace

std::vector<PresetInfo> AllPresets() {
  std::vector<PresetInfo> out;
  for (PresetInfo& p : ConvLabPresets()) out.push_back(std::move(p));
  for (const SoftmaxPreset& p : SoftmaxPresets())
    out.push_back({"softmax", p.id, p.title, EncodeSoftmaxLab(p.state)});
  for (const BatchNormPreset& p : BatchNormPresets())
    out.push_back({"batchnorm", p.id, p.title, EncodeBatchNormLab(p.state)});
  for (const DropoutPreset& p : DropoutPresets())
    out.push_back({"dropout", p.id, p.title, EncodeDropoutLab(p.state)});
  for (const MlpPreset& p : MlpPresets())
    out.push_back({"mlp", p.id, p.title, EncodeMlpLab(p.make())});
  for (const FlowPreset& p : FlowPresets())
    out.push_back({"flow", p.id, p.title, EncodeFlowLab(p.state)});
  for (const CostPreset& p : CostPresets())
    out.push_back({"cost", p.id, p.title, EncodeCostLab(p.state)});
  for (const TrainPreset& p : TrainPresets())
    out.push_back({"train", p.id, p.title, EncodeTrainLab(p.state)});
  for (const CnnPreset& p : CnnPresets())
    out.push_back({"cnn", p.id, p.title, EncodeCnnLab(p.state)});
  return out;
}

bool EvalLinkToJson(std::string_view text, std::string* json, LinkError* error, size_t max_length) {
  Link link;
  if (!ParseLink(text, &link, error, max_length)) return false;
  for (const LabEntry& lab : kLabs)
    if (link.lab == lab.id) return lab.eval(link, json, error);
  if (link.lab == "course") {  // an assignment link (labs/assignment.h)
    Assignment a;
    if (!DecodeAssignment(link, &a, error)) return false;
    *json = AssignmentToJson(a);
    return true;
  }
  *error = {"lab", "there is no lab called '" + link.lab + "'"};
  return false;
}

}  // namespace nnplay
