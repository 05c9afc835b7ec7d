// Selector parsing and matching.
#include "selectors.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace meshdoctor::fakekube {
namespace {

using Op = LabelRequirement::Op;

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  const auto end = s.find_last_not_of(" \t");
  return std::string(s.substr(begin, end - begin + 1));
}

// Commas inside "in (a,b)" do not separate requirements.
std::vector<std::string> split_requirements(std::string_view text) {
  std::vector<std::string> out;
  int depth = 0;
  std::string current;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(trim(current));
  return out;
}

bool valid_key(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
  });
}

util::Error invalid(const std::string& term) {
  return util::make_error("selector", "unable to parse requirement: found '" + term + "', expected: valid label selector");
}

// "key in (a, b)" / "key notin (a, b)"
std::optional<LabelRequirement> parse_set(const std::string& term) {
  for (const auto& [word, op] : {std::pair{" notin ", Op::not_in}, std::pair{" in ", Op::in}}) {
    const auto at = term.find(word);
    if (at == std::string::npos) continue;
    const std::string rest = trim(std::string_view(term).substr(at + std::string_view(word).size()));
    if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') return std::nullopt;
    LabelRequirement r{trim(std::string_view(term).substr(0, at)), op, {}};
    for (const auto& v : split_requirements(std::string_view(rest).substr(1, rest.size() - 2))) {
      if (!v.empty()) r.values.push_back(v);
    }
    return r;
  }
  return std::nullopt;
}

util::Expected<LabelRequirement> parse_label_term(const std::string& term) {
  if (auto set = parse_set(term)) return *set;
  if (term.starts_with("!")) return LabelRequirement{trim(std::string_view(term).substr(1)), Op::not_exists, {}};
  for (const auto& [token, op] : std::array{std::pair{"!=", Op::not_equals}, std::pair{"==", Op::equals},
                                           std::pair{"=", Op::equals}}) {
    const auto at = term.find(token);
    if (at == std::string::npos) continue;
    return LabelRequirement{trim(std::string_view(term).substr(0, at)), op,
                            {trim(std::string_view(term).substr(at + std::string_view(token).size()))}};
  }
  return LabelRequirement{term, Op::exists, {}};
}

bool matches_one(const LabelRequirement& r, const StoredObject& object) {
  const std::string* value = object.label(r.key);
  const bool listed = value && std::find(r.values.begin(), r.values.end(), *value) != r.values.end();
  switch (r.op) {
    case Op::exists: return value != nullptr;
    case Op::not_exists: return value == nullptr;
    case Op::equals: return value && listed;
    case Op::not_equals: return !value || !listed;
    case Op::in: return value && listed;
    case Op::not_in: return !value || !listed;
  }
  return false;
}

constexpr std::array k_fields = {"metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"};

}  // namespace

util::Expected<std::vector<LabelRequirement>> parse_label_selector(std::string_view text) {
  std::vector<LabelRequirement> out;
  if (trim(text).empty()) return out;
  for (const auto& term : split_requirements(text)) {
    auto r = parse_label_term(term);
    if (!r || !valid_key(r->key)) return invalid(term);
    out.push_back(std::move(*r));
  }
  return out;
}

util::Expected<std::vector<FieldRequirement>> parse_field_selector(std::string_view text) {
  std::vector<FieldRequirement> out;
  if (trim(text).empty()) return out;
  for (const auto& term : split_requirements(text)) {
    const auto neq = term.find("!=");
    const auto eq = term.find('=');
    if (eq == std::string::npos) return util::make_error("selector", "invalid selector: '" + term + "'; can't understand '" + term + "'");
    const bool equals = neq == std::string::npos;
    const auto op_at = equals ? eq : neq;
    const auto value_at = equals ? (term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1) : neq + 2;
    FieldRequirement r{trim(std::string_view(term).substr(0, op_at)), equals, trim(std::string_view(term).substr(value_at))};
    if (std::find(k_fields.begin(), k_fields.end(), r.field) == k_fields.end()) {
      return util::make_error("selector", "field label not supported: " + r.field);
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool matches_labels(const std::vector<LabelRequirement>& selector, const StoredObject& object) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& r) { return matches_one(r, object); });
}

bool matches_fields(const std::vector<FieldRequirement>& selector, const StoredObject& object) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& r) {
    return (object.field(r.field) == r.value) == r.equals;
  });
}

}  // namespace meshdoctor::fakekube
