// json.cpp: see json.h.
#include "json.h"

#include <cmath>
#include <cstdio>

#include "link/number.h"
#include "tensor.h"

namespace nnplay {

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::BeginArray() {
  Separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::Key(std::string_view key) {
  String(key);
  out_ += ':';
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view value) {
  Separate();
  out_ += '"';
  for (char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += c;
    } else if (c == '\n') {
      out_ += "\\n";
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out_ += buf;
    } else {
      out_ += c;  // UTF-8 passes through
    }
  }
  out_ += '"';
  return *this;
}
JsonWriter& JsonWriter::Number(float value) {
  Separate();
  out_ += std::isfinite(value) ? FormatFloat(value) : "null";
  return *this;
}
JsonWriter& JsonWriter::Int(long long value) {
  Separate();
  out_ += std::to_string(value);
  return *this;
}
JsonWriter& JsonWriter::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}
JsonWriter& JsonWriter::TensorValue(const Tensor& tensor) {
  BeginObject().Key("shape").BeginArray();
  for (int d : tensor.shape()) Int(d);
  EndArray().Key("values").BeginArray();
  for (size_t i = 0; i < tensor.size(); ++i) Number(tensor[i]);
  return EndArray().EndObject();
}

namespace {

// Reads a JSON string starting at json[*i] == '"'; leaves *i after the closing quote.
bool ReadJsonString(std::string_view json, size_t* i, std::string* out) {
  out->clear();
  for (size_t k = *i + 1; k < json.size(); ++k) {
    const char c = json[k];
    if (c == '"') {
      *i = k + 1;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x20) return false;
    if (c != '\\') {
      *out += c;
      continue;
    }
    if (++k >= json.size()) return false;
    switch (json[k]) {
      case '"':
        *out += '"';
        break;
      case '\\':
        *out += '\\';
        break;
      case '/':
        *out += '/';
        break;
      case 'n':
        *out += '\n';
        break;
      case 't':
        *out += '\t';
        break;
      case 'r':
        *out += '\r';
        break;
      case 'b':
        *out += '\b';
        break;
      case 'f':
        *out += '\f';
        break;
      case 'u': {
        if (k + 4 >= json.size()) return false;
        unsigned v = 0;
        for (int d = 1; d <= 4; ++d) {
          const char h = json[k + d];
          v = v * 16 + static_cast<unsigned>(h >= '0' && h <= '9'   ? h - '0'
                                             : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                             : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                                    : 99);
          if (v > 0xFFFF) return false;
        }
        if (v >= 0x80) return false;  // links are ASCII
        *out += static_cast<char>(v);
        k += 4;
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

}  // namespace

bool JsonTopLevelString(std::string_view json, std::string_view key, std::string* value,
                        std::string* error) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < json.size() &&
           (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t'))
      ++i;
  };
  skip_space();
  if (i >= json.size() || json[i] != '{') {
    *error = "not a JSON object";
    return false;
  }
  int depth = 0;
  bool expect_key = false;
  std::string text;
  while (i < json.size()) {
    const char c = json[i];
    if (c == '"') {
      const bool is_key = depth == 1 && expect_key;
      if (!ReadJsonString(json, &i, &text)) {
        *error = "a JSON string is broken";
        return false;
      }
      if (is_key) {
        expect_key = false;
        skip_space();
        if (i >= json.size() || json[i] != ':') {
          *error = "a ':' is missing after a key";
          return false;
        }
        ++i;
        skip_space();
        if (text == key) {
          if (i >= json.size() || json[i] != '"' || !ReadJsonString(json, &i, value)) {
            *error = "\"" + std::string(key) + "\" is not a string";
            return false;
          }
          return true;
        }
      }
      continue;
    }
    if (c == '{' || c == '[') {
      if (++depth > 64) {
        *error = "JSON nested too deeply";
        return false;
      }
      expect_key = c == '{' && depth == 1;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) break;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
    ++i;
  }
  *error = "no \"" + std::string(key) + "\" in the JSON";
  return false;
}

}  // namespace nnplay
