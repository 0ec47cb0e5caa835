// link_fuzzer.cpp: libFuzzer target for the share link, the one input nnplay takes from
// strangers. Built and run by scripts/fuzz.sh (clang, ASan + UBSan + libFuzzer); see
// tests/fuzz/CMakeLists.txt.
//
// Each input is a link (any bytes). Properties, each a __builtin_trap when broken:
//   1. EvalLinkToJson (the whole decode + evaluate path, as `nnplay eval` and the page
//      run it, for every lab) returns; a refusal carries a message; the sanitizers see
//      nothing wrong.
//   2. Every lab: the canonical link of an accepted link (the JSON's "link") opens to the
//      very same JSON. The conv lab, through DecodeConvLab / EncodeConvLab /
//      ConvLabToJson: decoding is deterministic, and the canonical link's fields decode
//      to the same state (same JSON, bit for bit) and re-encode to the same link.
//   3. The canonical link fits the link length limit (kMaxLinkLength), so whatever opens
//      can be shared again: every lab's decoder refuses a link whose state writes itself
//      longer than the limit (CheckWrittenLength, link/link.h).
//
// The training labs replay `steps` training steps when a link opens (bounded by a budget of
// about one second in wasm). Under ASan that can exceed the per-input timeout without
// reaching any new code (every step runs the same path), so a train link asking for more
// than 64 steps is evaluated with 64, a cnn link (up to ~0.8 s a step under ASan for the
// largest network) with 2; the decoder still sees the original text. A link past the cap
// carries its run as a checkpoint (ckpt) and replays only its trace's first steps: it is
// evaluated as it is.
//
//   link_fuzzer --write-seeds DIR   writes the seed corpus (every preset link, as a bare
//                                   state, a fragment and a whole URL; a few hand-written
//                                   links for the other fields) and exits
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "labs/conv_lab.h"
#include "labs/registry.h"
#include "link/link.h"

namespace {

void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "link_fuzzer: property violated: %s\n", what);
  __builtin_trap();
}

// The canonical link split into fields without ParseLink (and so without its length
// limit): the writer's output is "v1/<lab>?k=v&k=v...", nothing else.
bool SplitCanonical(const std::string& text, nnplay::Link* link) {
  const std::string prefix = "v" + std::to_string(nnplay::kLinkVersion) + "/";
  if (text.compare(0, prefix.size(), prefix) != 0) return false;
  const size_t q = text.find('?');
  if (q == std::string::npos) return false;
  link->version = nnplay::kLinkVersion;
  link->lab = text.substr(prefix.size(), q - prefix.size());
  link->fields.clear();
  size_t start = q + 1;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    const size_t eq = part.find('=');
    if (eq == std::string::npos) return false;
    link->fields.emplace_back(part.substr(0, eq), part.substr(eq + 1));
    start = end + 1;
  }
  return true;
}

// The "link" member of a lab's JSON (every lab writes its canonical link there).
bool JsonLink(const std::string& json, std::string* link) {
  const std::string key = "\"link\":\"";
  size_t i = json.find(key);
  if (i == std::string::npos) return false;
  link->clear();
  for (i += key.size(); i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') return true;
    if (c == '\\') {
      if (++i == json.size()) return false;
      c = json[i];
      if (c == 'u') return false;  // a canonical link is printable ASCII
      if (c == 'n') c = '\n';
      if (c == 't') c = '\t';
    }
    *link += c;
  }
  return false;
}

// Every lab: the canonical link of an accepted link opens to the very same JSON.
void CheckCanonicalLink(std::string_view text, const nnplay::Link& link, const std::string& json) {
  std::string canonical;
  Check(JsonLink(json, &canonical), "the JSON has no \"link\"");
  if (canonical.size() > nnplay::kMaxLinkLength) {
    std::fprintf(stderr,
                 "link_fuzzer: a %zu-character %s link re-encodes to %zu characters, over the "
                 "%zu limit: %.200s\n",
                 text.size(), link.lab.c_str(), canonical.size(), nnplay::kMaxLinkLength,
                 std::string(text).c_str());
    Check(false, "the canonical link is longer than kMaxLinkLength");
  }
  std::string json2;
  nnplay::LinkError error;
  Check(nnplay::EvalLinkToJson(canonical, &json2, &error),
        "the canonical link of an accepted link is refused");
  Check(json2 == json, "the canonical link decodes to a different state");
}

// The conv lab, through its own functions: decoding is deterministic, EncodeConvLab is
// the JSON's link, and its fields decode to the same state whatever their length.
void CheckConvRoundTrip(const nnplay::Link& link, const std::string& json) {
  nnplay::LinkError error;
  nnplay::ConvLabState state;
  Check(nnplay::DecodeConvLab(link, &state, &error), "DecodeConvLab refuses an accepted link");
  Check(nnplay::ConvLabToJson(state, nnplay::EvaluateConvLab(state)) == json,
        "decoding twice gives different JSON");
  const std::string canonical = nnplay::EncodeConvLab(state);
  std::string json_link;
  Check(JsonLink(json, &json_link) && json_link == canonical,
        "the JSON's link is not EncodeConvLab's");
  nnplay::Link canonical_link;
  Check(SplitCanonical(canonical, &canonical_link), "EncodeConvLab wrote an unexpected shape");
  nnplay::ConvLabState state2;
  Check(nnplay::DecodeConvLab(canonical_link, &state2, &error),
        "the fields of the canonical link are refused");
  Check(nnplay::ConvLabToJson(state2, nnplay::EvaluateConvLab(state2)) == json,
        "the canonical fields decode to a different state");
  Check(nnplay::EncodeConvLab(state2) == canonical, "the writer is not canonical");
}

void WriteFile(const std::string& path, const std::string& data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "link_fuzzer: cannot write %s\n", path.c_str());
    std::exit(1);
  }
  std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
}

void WriteSeeds(const std::string& dir) {
  std::vector<std::string> seeds;
  for (const nnplay::PresetInfo& p : nnplay::AllPresets()) {
    seeds.push_back(p.link);
    seeds.push_back("#" + p.link);
    seeds.push_back("http://127.0.0.1:8080/#" + p.link);
  }
  // The other fields' values, the grammar's corners, and refusals for each check.
  const char* const extra[] = {
      "v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=same&stride=2&dil=1",
      "v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:1,0,-1,2,0,-2,1,0,-1&pad=1&stride=2&dil=1",
      "v1/conv?in=5x7:(1,-0.5,.25,1e-3,-2E+2,0,3.)*5&f=2x3:0*6&pad=3&stride=4&dil=3",
      "v1/conv?in=64x64:0*4096&f=7x7:1*49&pad=same&stride=1&dil=3",
      "v1/conv?in=1x1:1&f=7x7:(1,2,3,4,5,6,7)*7&dil=3",
      "v1/conv?in=2x2:3.4028235e38,-3.4028235e38,1e-45,-0&f=1x1:1",
      "v1/conv?f=1x1:1&in=1x1:1",
      "v1%2Fconv%3Fin%3D2x2%3A1*4%26f%3D1x1%3A2",
      "v1/conv?in=2x2:1*4&f=1x1:1&pad=valid&pad=same",
      "v1/conv?in=2x2:(1,(2)*2)*2&f=1x1:1",
      "v2/conv?in=1x1:1&f=1x1:1",
      "v1/pool?size=2",
      // The conv lab's later fields and the assignment links (2026-12-02).
      "v1/conv?in=2x6x7:(1,-2,0,3)*21&f=4x1x2x3:0.5*24&pad=1,0,2,1&stride=2x1&dil=1x2&groups=2"
      "&act=relu&pool=max:3x2:2&ppad=1&pdil=2&ceil=1",
      "v1/conv?in=3x3:1,2,3,4,5,6,7,8,9&f=3x3:1*9&pad=1&stride=2&dil=1&mode=transposed&outpad=1",
      "v1/conv?in=7x7:1*49&f=1x1:1&pad=valid&stride=1&dil=1&pool=avg:3:2&ppad=1&cip=0",
      "v1/conv?in=6x6:1*36&f=3x3:1*9&pool=amax:2x3",
      "v1/course?ex=1-13&name=Ann+Lee&seed=7&e4=z1:0.15,-0.2;a1:0.15,0&h4=z2:2",
      "v1/course?ex=2,4,6&e2=z1:1/2,1/2&e6=mu:6;sigma:3.464&h6=sigma:3",
  };
  for (const char* s : extra) seeds.push_back(s);
  // Training runs past the replay cap, with their checkpoints (those that fit a link).
  const char* const ckpt[] = {
#include "../engine/link_corpus_ckpt_2026-12.inc"
  };
  for (const char* s : ckpt)
    if (std::strlen(s) <= nnplay::kMaxLinkLength) seeds.push_back(s);
  // Names past ASCII (percent-encoded UTF-8 in the assignment's text field).
  const char* const names[] = {
#include "../engine/link_corpus_names_2026-12.inc"
  };
  for (const char* s : names) seeds.push_back(s);
  // Training links with imported points (imp).
  const char* const imported[] = {
#include "../engine/link_corpus_imp_2026-12.inc"
  };
  for (const char* s : imported) seeds.push_back(s);
  // The binary tensor form, as the writer makes it from text links with many values: a
  // 32x32 of 200 levels and a 48x48 of two (palette), 20x20 distinct values (raw).
  std::string levels, two, distinct;
  for (int i = 0; i < 32 * 32; ++i)
    levels += (i ? "," : "") + std::to_string((i * i * 7 + i / 3) % 200);
  for (int i = 0; i < 48 * 48; ++i)
    two += (i ? "," : "") + std::string((i * 2654435761u) >> 31 ? "10" : "0");
  for (int i = 0; i < 20 * 20; ++i) distinct += (i ? "," : "") + std::to_string(i) + ".123";
  for (const std::string& text :
       {"v1/conv?in=32x32:" + levels + "&f=3x3:(1,0,-1)*3", "v1/conv?in=48x48:" + two + "&f=1x1:1",
        "v1/conv?in=20x20:" + distinct + "&f=2x2:" + distinct.substr(0, 23)}) {
    std::string json, canonical;
    nnplay::LinkError error;
    if (nnplay::EvalLinkToJson(text, &json, &error) && JsonLink(json, &canonical) &&
        canonical.size() <= nnplay::kMaxLinkLength)
      seeds.push_back(canonical);
  }
  // Links at the written-length limit (link_length_test.cpp): a tensor in groups the writer
  // does not find, and a train link that leaves out the fields the writer adds. Both are just
  // over it (refused); their mutations fall on either side.
  std::string group, add, rm, edit;
  for (int i = 1; i <= 300; ++i) group += (i > 1 ? "," : "") + std::to_string(i) + ".5";
  seeds.push_back("v1/conv?in=64x64:(" + group + ")*6,0,(" + group + ")*7,0*195&f=1x1:1");
  for (int i = 0; i < 200; ++i) add += std::string(i ? ";" : "") + "-5.9999995,-5.9999995,1";
  for (int i = 0; i < 400; ++i) rm += (i ? "," : "") + std::to_string(i);
  for (int i = 0; i < 100; ++i)
    edit += std::string(i ? ";" : "") + "0," + std::to_string(1000 + i) + ",-99.99999";
  seeds.push_back(
      "v1/train?feat=x,y,x2,y2,xy,sinx,siny&layers=16,16,16,16,16,16,16,16&act=sigmoid,sigmoid,"
      "sigmoid,sigmoid,sigmoid,sigmoid,sigmoid,tanh&add=" +
      add + "&rm=" + rm + "&edit=" + edit);
  for (size_t i = 0; i < seeds.size(); ++i) WriteFile(dir + "/seed-" + std::to_string(i), seeds[i]);
  std::printf("link_fuzzer: wrote %zu seeds to %s\n", seeds.size(), dir.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  for (int i = 1; i + 1 < *argc; ++i) {
    if (std::strcmp((*argv)[i], "--write-seeds") == 0) {
      WriteSeeds((*argv)[i + 1]);
      std::exit(0);
    }
  }
  return 0;
}

long FuzzSteps(const std::string& lab) {
  return lab == "cnn" ? 2 : 64;
}

// A train/cnn link with more than FuzzSteps steps, rewritten with FuzzSteps (see top).
// Returns false, leaving *text alone, for every other input.
bool ShortenReplay(std::string* text) {
  nnplay::Link link;
  nnplay::LinkError error;
  if (!nnplay::ParseLink(*text, &link, &error)) return false;
  if (link.lab != "train" && link.lab != "cnn") return false;
  if (link.Find("ckpt")) return false;  // restored, not replayed
  bool changed = false;
  for (auto& [key, value] : link.fields) {
    if (key != "steps" || value.empty() || value.size() > 12) continue;
    if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    if (std::strtol(value.c_str(), nullptr, 10) <= FuzzSteps(link.lab)) continue;
    value = std::to_string(FuzzSteps(link.lab));
    changed = true;
  }
  if (!changed) return false;
  *text = link.ToString();
  return true;
}

// Whether a rewritten link reads back as exactly the fields it was written from (a value
// holding a decoded '&' or '=' would not); such inputs are skipped.
bool ReadsBack(const std::string& text, const std::string& original) {
  nnplay::Link a, b;
  nnplay::LinkError error;
  if (!nnplay::ParseLink(original, &a, &error) || !nnplay::ParseLink(text, &b, &error))
    return false;
  if (a.lab != b.lab || a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); ++i)
    if (a.fields[i].first != b.fields[i].first) return false;
  return true;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string original(reinterpret_cast<const char*>(data), size);
  std::string input = original;
  nnplay::LinkError error;
  if (ShortenReplay(&input) && !ReadsBack(input, original)) return 0;
  const std::string_view text(input);
  std::string json;
  if (!nnplay::EvalLinkToJson(text, &json, &error)) {
    Check(!error.message.empty(), "a refusal without a message");
    return 0;
  }
  Check(!json.empty() && error.message.empty(), "an accepted link with no JSON or an error");
  nnplay::Link link;
  Check(nnplay::ParseLink(text, &link, &error), "ParseLink refuses a link EvalLinkToJson took");
  CheckCanonicalLink(text, link, json);
  if (link.lab == "conv") CheckConvRoundTrip(link, json);
  return 0;
}
