// export.cpp: see export.h. A lab's exporter joins by adding one row to kExporters.
#include "labs/export.h"

#include <utility>

namespace nnplay {
namespace {

struct ExporterEntry {
  const char* lab;
  LabExporter exporter;
};

// One row per lab that has an exporter (engine/labs/<lab>_export.cpp).
const ExporterEntry kExporters[] = {
    {"", nullptr},  // (placeholder so the table is never empty)
    {"conv", ExportConvLab},
    {"softmax", ExportSoftmaxLab},
    {"batchnorm", ExportBatchNormLab},
    {"mlp", ExportMlpLab},
    {"train", ExportTrainLab},
    {"cnn", ExportCnnLab},
    {"dropout", ExportDropoutLab},
    {"flow", ExportFlowLab},
    {"cost", ExportCostLab},
};

}  // namespace

bool ExportLink(std::string_view text, ExportLanguage language, std::string* script,
                LinkError* error) {
  Link link;
  if (!ParseLink(text, &link, error)) return false;
  for (const ExporterEntry& e : kExporters)
    if (e.exporter != nullptr && link.lab == e.lab) {
      std::string out;
      if (!e.exporter(link, language, &out, error)) return false;
      *script = std::move(out);
      return true;
    }
  *error = {"lab", "the " + link.lab + " lab cannot be exported to code yet"};
  return false;
}

}  // namespace nnplay
