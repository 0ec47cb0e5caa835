// nnplay: the playground's engine on the command line. The same state strings the page
// keeps in its URL fragment drive it, so a shared link can be checked from a terminal.
//
//   nnplay eval '<link or fragment>'   state and results as JSON on stdout
//   nnplay eval state.json             the same for a JSON state file (as the page exports)
//   nnplay encode state.json           the link of a JSON state file
//   nnplay presets                     every preset: lab, id, link, title (tab-separated)
//   nnplay export --torch|--numpy LINK   the lab's state as a PyTorch or NumPy script
//   nnplay eval-batch                  links on stdin, one a line -> one JSON line each
//   nnplay export-batch --torch|--numpy  links on stdin -> {"script":...} JSON lines
//   nnplay grade FILE [--json]         grade assignment links (one a line, or CSV with a
//                                      link column): a CSV (or JSON) table of verdicts
//
// Every command takes `--threads N` (anywhere on the line): the engine's threads,
// 1 to 64; by default every core. Results are the same bits for every N.
//
// The batch commands serve the referee (tests/referee/): one process for hundreds of
// states. A bad link gives the line {"error":"..."} and the batch goes on.
//
// Bad input: a message on stderr, exit status 1 (2 for bad usage); never a crash.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <iostream>

#include "data/fashion.h"
#include "json.h"
#include "labs/export.h"
#include "labs/grade.h"
#include "labs/registry.h"
#include "parallel/thread_pool.h"

namespace {

constexpr long kMaxStateFile = 1 << 20;    // bytes
constexpr long kMaxGradeFile = 64L << 20;  // bytes: a class's links

int Usage() {
  std::fprintf(stderr,
               "usage: nnplay eval '<link or fragment>'   print the state and results as JSON\n"
               "       nnplay eval <state.json>           the same for a JSON state file\n"
               "       nnplay encode <state.json>         print the link of a JSON state file\n"
               "       nnplay presets                     list every preset with its link\n"
               "       nnplay export --torch|--numpy '<link>'  print the lab as a Python script\n"
               "       nnplay eval-batch                  links on stdin -> JSON lines\n"
               "       nnplay export-batch --torch|--numpy  links on stdin -> script JSON lines\n"
               "       nnplay grade <file> [--json]       grade the assignment links in a file\n"
               "       any of them --threads N (1-64)     engine threads (default: all cores)\n");
  return 2;
}

// The link an argument stands for: the argument itself, or, when it names a file, the
// "link" of the JSON state in it (or the file's text). False with a message on failure.
// *from_file: the link came from a file, which may hold a longer one than an argument (a
// training run's checkpoint, docs/link-format.md).
bool ResolveLink(const std::string& arg, bool must_be_file, std::string* link, std::string* error,
                 bool* from_file = nullptr) {
  std::FILE* f = std::fopen(arg.c_str(), "rb");
  if (from_file) *from_file = f != nullptr;
  if (!f) {
    // A name ending in .json means a file, even where a link is allowed: say it is missing
    // rather than reading the name as a link without a version.
    const bool json_name = arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0;
    if (must_be_file || json_name) {
      *error = "cannot open '" + arg + "': " + std::strerror(errno);
      return false;
    }
    *link = arg;
    return true;
  }
  std::string text;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    text.append(buf, n);
    if (static_cast<long>(text.size()) > kMaxStateFile) {
      std::fclose(f);
      *error = "'" + arg + "' is larger than 1 MiB";
      return false;
    }
  }
  const bool failed = std::ferror(f) != 0;  // e.g. a directory
  std::fclose(f);
  if (failed) {
    *error = "cannot read '" + arg + "'";
    return false;
  }
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    std::string why;
    if (!nnplay::JsonTopLevelString(text, "link", link, &why)) {
      *error = "'" + arg + "': " + why;
      return false;
    }
    return true;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  *link = text;
  return true;
}

bool ParseLanguage(const std::string& flag, nnplay::ExportLanguage* language) {
  if (flag == "--torch") {
    *language = nnplay::ExportLanguage::kTorch;
    return true;
  }
  if (flag == "--numpy") {
    *language = nnplay::ExportLanguage::kNumpy;
    return true;
  }
  return false;
}

std::string ErrorLine(const std::string& why) {
  nnplay::JsonWriter w;
  w.BeginObject().Key("error").String(why).EndObject();
  return w.str();
}

// eval-batch / export-batch: one output line per input line (blank lines too, as errors,
// so line N of the output always answers line N of the input).
int Batch(bool export_script, nnplay::ExportLanguage language) {
  constexpr size_t kMaxLine = 1 << 20;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string out;
    nnplay::LinkError error;
    if (line.size() > kMaxLine) {
      out = ErrorLine("line longer than 1 MiB");
    } else if (export_script) {
      std::string script;
      if (nnplay::ExportLink(line, language, &script, &error)) {
        nnplay::JsonWriter w;
        w.BeginObject().Key("script").String(script).EndObject();
        out = w.str();
      } else {
        out = ErrorLine(error.ToString());
      }
    } else if (!nnplay::EvalLinkToJson(line, &out, &error, kMaxLine)) {
      out = ErrorLine(error.ToString());
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fputc('\n', stdout);
  }
  return 0;
}

// Takes `--threads N` out of argv (and sets the engine's threads); false on a bad N.
bool TakeThreadsFlag(int* argc, char** argv) {
  for (int i = 1; i < *argc; ++i) {
    if (std::strcmp(argv[i], "--threads") != 0) continue;
    char* end = nullptr;
    const long n = i + 1 < *argc ? std::strtol(argv[i + 1], &end, 10) : 0;
    if (i + 1 >= *argc || end == argv[i + 1] || *end != '\0' || n < 1 ||
        n > nnplay::ThreadPool::kMaxThreads) {
      std::fprintf(stderr, "nnplay: --threads needs a whole number from 1 to %d\n",
                   nnplay::ThreadPool::kMaxThreads);
      return false;
    }
    nnplay::SetEngineThreads(static_cast<int>(n));
    for (int j = i; j + 2 <= *argc; ++j) argv[j] = argv[j + 2];
    *argc -= 2;
    --i;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (!TakeThreadsFlag(&argc, argv)) return 2;
  if (argc < 2) return Usage();
  // Fashion-MNIST links read the build's asset, on first use only.
  const char* asset = std::getenv("NNPLAY_FASHION_ASSET");
  nnplay::SetFashionAssetPath(asset && *asset ? asset : NNPLAY_FASHION_ASSET);
  const std::string command = argv[1];
  if ((command == "eval" || command == "encode") && argc == 3) {
    std::string link, why;
    bool from_file = false;
    if (!ResolveLink(argv[2], command == "encode", &link, &why, &from_file)) {
      std::fprintf(stderr, "nnplay: %s\n", why.c_str());
      return 1;
    }
    std::string json;
    nnplay::LinkError error;
    if (!nnplay::EvalLinkToJson(
            link, &json, &error,
            from_file ? static_cast<size_t>(kMaxStateFile) : nnplay::kMaxLinkLength)) {
      std::fprintf(stderr, "nnplay: bad link: %s\n", error.ToString().c_str());
      return 1;
    }
    // A Fashion-MNIST link without its images: say so rather than print an untrained state.
    std::string missing;
    if (link.find("data=fashion") != std::string::npos && !nnplay::FashionAsset(&missing)) {
      std::fprintf(stderr, "nnplay: %s\n", missing.c_str());
      if (command == "eval") return 1;
    }
    if (command == "encode") {
      // The canonical link of the state: what the JSON holds after decoding.
      std::string canonical, ignored;
      nnplay::JsonTopLevelString(json, "link", &canonical, &ignored);
      std::printf("#%s\n", canonical.c_str());
    } else {
      std::printf("%s\n", json.c_str());
    }
    return 0;
  }
  if (command == "grade" && (argc == 3 || (argc == 4 && std::strcmp(argv[3], "--json") == 0))) {
    // One link a line (or a CSV with a link column); bad lines are reported and skipped.
    std::FILE* f = std::fopen(argv[2], "rb");
    if (!f) {
      std::fprintf(stderr, "nnplay: cannot open '%s': %s\n", argv[2], std::strerror(errno));
      return 1;
    }
    std::string text;
    char buf[1 << 16];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
      text.append(buf, n);
      if (static_cast<long>(text.size()) > kMaxGradeFile) {
        std::fclose(f);
        std::fprintf(stderr, "nnplay: '%s' is larger than 64 MiB\n", argv[2]);
        return 1;
      }
    }
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) {
      std::fprintf(stderr, "nnplay: cannot read '%s'\n", argv[2]);
      return 1;
    }
    const nnplay::GradeRun run = nnplay::GradeText(text);
    for (const nnplay::SkippedLine& s : run.skipped)
      std::fprintf(stderr, "nnplay: line %d skipped: %s\n", s.line, s.error.c_str());
    const std::string out = argc == 4 ? nnplay::GradeJson(run) + "\n" : nnplay::GradeCsv(run);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  if (command == "presets" && argc == 2) {
    for (const nnplay::PresetInfo& p : nnplay::AllPresets())
      std::printf("%s\t%s\t#%s\t%s\n", p.lab.c_str(), p.id.c_str(), p.link.c_str(),
                  p.title.c_str());
    return 0;
  }
  nnplay::ExportLanguage language{};
  if (command == "export" && argc == 4 && ParseLanguage(argv[2], &language)) {
    std::string link, why;
    if (!ResolveLink(argv[3], false, &link, &why)) {
      std::fprintf(stderr, "nnplay: %s\n", why.c_str());
      return 1;
    }
    std::string script;
    nnplay::LinkError error;
    if (!nnplay::ExportLink(link, language, &script, &error)) {
      std::fprintf(stderr, "nnplay: cannot export: %s\n", error.ToString().c_str());
      return 1;
    }
    std::fwrite(script.data(), 1, script.size(), stdout);
    if (script.empty() || script.back() != '\n') std::fputc('\n', stdout);
    return 0;
  }
  if (command == "eval-batch" && argc == 2) return Batch(false, language);
  if (command == "export-batch" && argc == 3 && ParseLanguage(argv[2], &language))
    return Batch(true, language);
  return Usage();
}
