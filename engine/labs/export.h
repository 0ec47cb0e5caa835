// export.h: "Copy as PyTorch" / "Copy as NumPy". Turns any share link into a short,
// self-contained Python script that rebuilds exactly the lab's state and prints the same
// results the lab shows (no nnplay imports), for a student to paste into a notebook.
//
// The scripts also serve as the test suite's referee (tests/referee/): every script, after
// it prints, leaves a module-level dict `results` that maps paths into the lab's JSON
// (`nnplay eval`) to the values the script computed, e.g.
//   results["output"] = y            (a tensor, nested lists or a number)
//   results["layers/2/z"] = z2
// The referee runs many scripts in one Python process (each in its own namespace) and
// compares every entry against the JSON at that path. tests/referee/README.md has the
// contract in full.
#pragma once

#include <string>
#include <string_view>

#include "link/link.h"

namespace nnplay {

enum class ExportLanguage { kTorch, kNumpy };

// Parses `text` (URL, fragment or bare state) and writes the lab's script. On failure
// (a bad link, or a lab with no exporter) *error says why and *script is untouched.
bool ExportLink(std::string_view text, ExportLanguage language, std::string* script,
                LinkError* error);

// One lab's exporter: the link is already parsed; decode it with the lab's own decoder.
using LabExporter = bool (*)(const Link& link, ExportLanguage language, std::string* script,
                             LinkError* error);

// Per-lab exporters, each in engine/labs/<lab>_export.cpp (declared here so export.cpp's
// table can list them; a lab without one is not in the table yet).
bool ExportConvLab(const Link& link, ExportLanguage language, std::string* script,
                   LinkError* error);
bool ExportMlpLab(const Link& link, ExportLanguage language, std::string* script, LinkError* error);
bool ExportSoftmaxLab(const Link& link, ExportLanguage language, std::string* script,
                      LinkError* error);
bool ExportBatchNormLab(const Link& link, ExportLanguage language, std::string* script,
                        LinkError* error);
bool ExportDropoutLab(const Link& link, ExportLanguage language, std::string* script,
                      LinkError* error);
bool ExportFlowLab(const Link& link, ExportLanguage language, std::string* script,
                   LinkError* error);
bool ExportCostLab(const Link& link, ExportLanguage language, std::string* script,
                   LinkError* error);
bool ExportTrainLab(const Link& link, ExportLanguage language, std::string* script,
                    LinkError* error);
bool ExportCnnLab(const Link& link, ExportLanguage language, std::string* script, LinkError* error);

}  // namespace nnplay
