// json.h: a small streaming JSON writer for the engine's results (nnplay eval, the wasm
// export the page and its tests read). Numbers are written with FormatFloat, so they
// read back to the same float; NaN and infinities, which JSON lacks, are written as null.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nnplay {

class Tensor;

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(float value);
  JsonWriter& Int(long long value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // {"shape":[...],"values":[...]}
  JsonWriter& TensorValue(const Tensor& tensor);

  const std::string& str() const { return out_; }

 private:
  void Separate();  // the ',' before a value or key, where one is due

  std::string out_;
  std::vector<bool> first_;  // one entry per open object/array: nothing written yet
  bool after_key_ = false;
};

// Reads the string value of a top-level key of a JSON object, e.g. the "link" of a state
// file that nnplay wrote. Strict about what it reads (strings, nesting, escapes), tolerant
// of what it skips; the input is bounded by the caller. False with *error when the text
// is not a JSON object or has no such string.
bool JsonTopLevelString(std::string_view json, std::string_view key, std::string* value,
                        std::string* error);

}  // namespace nnplay
