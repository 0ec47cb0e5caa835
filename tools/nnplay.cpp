// nnplay: the playground's engine on the command line. The same state strings the page
// keeps in its URL fragment drive it, so a shared link can be checked from a terminal.
//
//   nnplay eval '<link or fragment>'   state and results as JSON on stdout
//   nnplay presets                     every preset: lab, id, link, title (tab-separated)
//
// Bad input: a message on stderr, exit status 1 (2 for bad usage); never a crash.
#include <cstdio>
#include <cstring>
#include <string>

#include "labs/registry.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: nnplay eval '<link or fragment>'   print the state and results as JSON\n"
               "       nnplay presets                     list every preset with its link\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string command = argv[1];
  if (command == "eval" && argc == 3) {
    std::string json;
    nnplay::LinkError error;
    if (!nnplay::EvalLinkToJson(argv[2], &json, &error)) {
      std::fprintf(stderr, "nnplay: bad link: %s\n", error.ToString().c_str());
      return 1;
    }
    std::printf("%s\n", json.c_str());
    return 0;
  }
  if (command == "presets" && argc == 2) {
    for (const nnplay::PresetInfo& p : nnplay::AllPresets())
      std::printf("%s\t%s\t#%s\t%s\n", p.lab.c_str(), p.id.c_str(), p.link.c_str(),
                  p.title.c_str());
    return 0;
  }
  return Usage();
}
