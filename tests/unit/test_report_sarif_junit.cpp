#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "checks/catalogue.hpp"
#include "report/junit_xml.hpp"
#include "report/render.hpp"
#include "report_fixture.hpp"

using namespace meshdoctor;
using nlohmann::json;

namespace {

// Quotes, markup, an escape sequence, a bell, invalid UTF-8 (a lone continuation byte, a
// truncated sequence), a noncharacter U+FFFE and valid non-ASCII text.
const std::string k_hostile =
    "say \"hi\" <b>&amp; 'x'</b>\x01\x1b[31m\x07 \x80 \xC3 caf\xC3\xA9 \xEF\xBF\xBE end";
const std::string k_fffd = "\xEF\xBF\xBD";

json sarif(const checks::Diagnosis& d, report::RenderOptions o = {}) {
  return json::parse(report::render_sarif(d, o));
}

const json& run_of(const json& doc) { return doc["runs"][0]; }

std::vector<json> results_for(const json& doc, const std::string& id) {
  std::vector<json> out;
  for (const auto& r : run_of(doc)["results"]) {
    if (r["ruleId"] == id) out.push_back(r);
  }
  return out;
}

std::string fingerprint_of(const json& result) {
  return result["partialFingerprints"].begin().value().get<std::string>();
}

// ---- a small, strict XML reader for the JUnit tests
// ---------------------------------------------- Enough of XML 1.0 for what the renderer writes
// (declaration, elements, double-quoted attributes, character data, the five entities and numeric
// references). It rejects what a conforming parser rejects in that subset: bad UTF-8, characters
// XML 1.0 forbids, a raw '<' or a stray '&', unbalanced tags.
struct Element {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::vector<Element> children;
  std::string text;

  std::vector<const Element*> all(const std::string& n) const {
    std::vector<const Element*> out;
    for (const auto& c : children) {
      if (c.name == n) out.push_back(&c);
    }
    return out;
  }
  const Element* first(const std::string& n) const {
    auto v = all(n);
    return v.empty() ? nullptr : v.front();
  }
  int attr_int(const std::string& n) const { return std::stoi(attrs.at(n)); }
};

void append_utf8(std::string& out, unsigned long c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool allowed(unsigned long c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Throws unless the whole text is UTF-8 made of characters XML 1.0 allows.
void require_xml_chars(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;  // continuation bytes
    if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
    } else if (b >= 0x80) {
      throw std::runtime_error("bad UTF-8 lead byte at " + std::to_string(i));
    }
    if (i + n >= s.size() && n > 0)
      throw std::runtime_error("truncated UTF-8 at " + std::to_string(i));
    unsigned long c = n == 0 ? b : (b & (0x3Fu >> n));
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb & 0xC0) != 0x80)
        throw std::runtime_error("bad UTF-8 continuation at " + std::to_string(i));
      c = (c << 6) | (cb & 0x3F);
    }
    static const unsigned long k_min[] = {0, 0x80, 0x800, 0x10000};
    if (c < k_min[n]) throw std::runtime_error("overlong UTF-8 at " + std::to_string(i));
    if (!allowed(c))
      throw std::runtime_error("character not allowed in XML at " + std::to_string(i));
    i += n + 1;
  }
}

class XmlReader {
 public:
  explicit XmlReader(const std::string& s) : m_s(s) {}

  Element document() {
    require_xml_chars(m_s);
    if (m_s.rfind("<?xml ", 0) == 0) m_p = m_s.find("?>") + 2;
    skip_space();
    Element root = element();
    skip_space();
    if (m_p != m_s.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + " at offset " + std::to_string(m_p));
  }
  void skip_space() {
    while (m_p < m_s.size() && std::string(" \t\r\n").find(m_s[m_p]) != std::string::npos) ++m_p;
  }
  std::string name() {
    std::size_t start = m_p;
    while (m_p < m_s.size() &&
           (std::isalnum(static_cast<unsigned char>(m_s[m_p])) || m_s[m_p] == '-' ||
            m_s[m_p] == '_' || m_s[m_p] == '.' || m_s[m_p] == ':'))
      ++m_p;
    if (start == m_p) fail("expected a name");
    return m_s.substr(start, m_p - start);
  }
  std::string reference() {  // at '&'
    std::size_t end = m_s.find(';', m_p);
    if (end == std::string::npos || end - m_p > 10) fail("stray '&'");
    std::string ref = m_s.substr(m_p + 1, end - m_p - 1);
    m_p = end + 1;
    static const std::map<std::string, std::string> k_named{
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
    if (auto it = k_named.find(ref); it != k_named.end()) return it->second;
    if (ref.size() > 1 && ref[0] == '#') {
      unsigned long c =
          ref[1] == 'x' ? std::stoul(ref.substr(2), nullptr, 16) : std::stoul(ref.substr(1));
      if (!allowed(c)) fail("reference to a character XML forbids");
      std::string out;
      append_utf8(out, c);
      return out;
    }
    fail("unknown entity &" + ref + ";");
  }
  // Attribute-value normalisation: raw tab, CR and LF become spaces; references keep them.
  std::string attribute_value() {
    if (m_s[m_p] != '"') fail("attribute value without double quotes");
    ++m_p;
    std::string out;
    while (m_p < m_s.size() && m_s[m_p] != '"') {
      char c = m_s[m_p];
      if (c == '<') fail("raw '<' in an attribute value");
      if (c == '&') {
        out += reference();
        continue;
      }
      out += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
      ++m_p;
    }
    if (m_p >= m_s.size()) fail("unterminated attribute value");
    ++m_p;
    return out;
  }
  Element element() {
    if (m_s[m_p] != '<') fail("expected '<'");
    ++m_p;
    Element e;
    e.name = name();
    for (;;) {
      skip_space();
      if (m_s.compare(m_p, 2, "/>") == 0) {
        m_p += 2;
        return e;
      }
      if (m_s[m_p] == '>') {
        ++m_p;
        break;
      }
      std::string key = name();
      if (m_s[m_p] != '=') fail("expected '=' after " + key);
      ++m_p;
      if (!e.attrs.emplace(key, attribute_value()).second) fail("duplicate attribute " + key);
    }
    for (;;) {
      if (m_p >= m_s.size()) fail("unclosed <" + e.name + ">");
      if (m_s.compare(m_p, 2, "</") == 0) {
        m_p += 2;
        if (name() != e.name) fail("mismatched end tag for <" + e.name + ">");
        skip_space();
        if (m_s[m_p] != '>') fail("expected '>'");
        ++m_p;
        return e;
      }
      if (m_s[m_p] == '<') {
        e.children.push_back(element());
      } else if (m_s[m_p] == '&') {
        e.text += reference();
      } else if (m_s[m_p] == '>' && m_p >= 2 && m_s.compare(m_p - 2, 2, "]]") == 0) {
        fail("']]>' in character data");
      } else {
        e.text += m_s[m_p++];
      }
    }
  }

  const std::string& m_s;
  std::size_t m_p = 0;
};

Element junit(const checks::Diagnosis& d, report::RenderOptions o = {}) {
  std::string text = report::render_junit(d, o);
  Element root;
  try {
    root = XmlReader(text).document();
  } catch (const std::exception& e) {
    FAIL("not well-formed XML: " << e.what() << "\n" << text);
  }
  return root;
}

const Element* testcase(const Element& root, const std::string& id) {
  for (const auto* suite : root.all("testsuite")) {
    for (const auto* tc : suite->all("testcase")) {
      if (tc->attrs.at("name").rfind(id + " ", 0) == 0) return tc;
    }
  }
  return nullptr;
}

int count_status(const checks::Diagnosis& d, checks::Status s) {
  int n = 0;
  for (const auto& f : d.findings) n += f.status == s;
  return n;
}

checks::Finding* find_mut(checks::Diagnosis& d, const std::string& id) {
  for (auto& f : d.findings) {
    if (f.id == id) return &f;
  }
  FAIL("no finding " << id);
  return nullptr;
}

}  // namespace

TEST_SUITE("report::sarif") {
  TEST_CASE("one SARIF 2.1.0 run by meshdoctor, with the invocation's exit code") {
    auto d = testing::sample_diagnosis();
    json doc = sarif(d);
    CHECK(doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
    CHECK(doc["version"] == "2.1.0");
    REQUIRE(doc["runs"].size() == 1);
    const json& driver = run_of(doc)["tool"]["driver"];
    CHECK(driver["name"] == "meshdoctor");
    CHECK(driver["version"] == "0.1.0");
    CHECK(driver["informationUri"].get<std::string>().rfind("https://", 0) == 0);
    const json& inv = run_of(doc)["invocations"];
    REQUIRE(inv.size() == 1);
    CHECK(inv[0]["executionSuccessful"] == true);
    CHECK(inv[0]["exitCode"] == checks::exit_code(d, false));
    CHECK(inv[0]["exitCode"] == 1);
    report::RenderOptions zero;
    zero.exit_zero = true;
    CHECK(sarif(d, zero)["runs"][0]["invocations"][0]["exitCode"] == 0);
    CHECK(run_of(doc)["properties"]["rootCauses"] == json::array({"MD301"}));
    CHECK(run_of(doc)["properties"]["summary"]["fail"] == d.summary.fail);
  }

  TEST_CASE("one rule per check of the diagnosis, from the catalogue") {
    auto d = testing::sample_diagnosis();
    json doc = sarif(d);
    const json& rules = run_of(doc)["tool"]["driver"]["rules"];
    CHECK(rules.size() == d.findings.size());  // distinct IDs, passes included
    std::set<std::string> ids;
    for (const auto& r : rules) ids.insert(r["id"].get<std::string>());
    CHECK(ids.size() == rules.size());
    for (const auto& r : rules) {
      const auto* info = checks::find_check(r["id"]);
      REQUIRE(info != nullptr);
      CAPTURE(info->id);
      CHECK(r["name"] == info->name);
      CHECK(r["shortDescription"]["text"] == info->title);
      CHECK(r["fullDescription"]["text"] == info->cause);
      CHECK(r["help"]["text"] == info->fix);
      CHECK(r["help"]["markdown"].get<std::string>().find("meshdoctor explain " + info->id) !=
            std::string::npos);
      CHECK(r.value("helpUri", "") == info->docs);
      CHECK(r["properties"]["category"] == info->category);
      CHECK(r["defaultConfiguration"]["level"] ==
            (info->severity == checks::Severity::warn ? "warning" : "error"));
    }
  }

  TEST_CASE("results: every finding but the passes, with kind and level per the spec") {
    auto d = testing::sample_diagnosis();
    json doc = sarif(d);
    const json& results = run_of(doc)["results"];
    CHECK(results.size() ==
          d.findings.size() - static_cast<std::size_t>(count_status(d, checks::Status::pass)));
    const json& rules = run_of(doc)["tool"]["driver"]["rules"];
    for (const auto& r : results) {
      CHECK(rules[r["ruleIndex"].get<int>()]["id"] == r["ruleId"]);
      if (r["kind"] != "fail") CHECK(r["level"] == "none");
    }
    CHECK(results_for(doc, "MD101").empty());
    auto kind_level = [&](const std::string& id) {
      auto rs = results_for(doc, id);
      REQUIRE(rs.size() == 1);
      return rs[0]["kind"].get<std::string>() + "/" + rs[0]["level"].get<std::string>();
    };
    CHECK(kind_level("MD301") == "fail/error");
    CHECK(kind_level("MD302") == "fail/warning");
    CHECK(kind_level("MD404") == "open/none");
    CHECK(kind_level("MD305") == "notApplicable/none");
  }

  TEST_CASE("results carry the decision tree") {
    json doc = sarif(testing::sample_diagnosis());
    json root = results_for(doc, "MD301").at(0);
    CHECK(root["properties"]["rootCause"] == true);
    CHECK(root["properties"]["explains"] == json::array({"MD304", "MD403"}));
    CHECK(root["message"]["text"].get<std::string>().find("root cause of MD304, MD403") !=
          std::string::npos);
    CHECK(root["properties"]["fix"].get<std::string>().find("oc patch istiocni default") !=
          std::string::npos);
    CHECK(root["properties"]["evidence"].size() == 2);
    json explained = results_for(doc, "MD403").at(0);
    CHECK(explained["properties"]["rootCause"] == false);
    CHECK(explained["properties"]["explainedBy"] == json::array({"MD301", "MD304"}));
    CHECK(explained["message"]["text"].get<std::string>().find("explained by MD301, MD304") !=
          std::string::npos);
  }

  TEST_CASE("evidence with a file becomes one result per file and line, with a region") {
    auto d = testing::sample_diagnosis();
    auto* f = find_mut(d, "MD503");
    f->evidence = {
        {"Deployment bookinfo/reviews", "spec.template lacks the label",
         "manifests/review app.yaml", 12},
        {"Deployment bookinfo/reviews", "again on the same line", "manifests/review app.yaml", 12},
        {"Namespace bookinfo", "not ambient", "./manifests/ns.yaml", 3},
        {"Namespace bookinfo", "whole file", "/srv/manifests/all.yaml", 0},
        {"cluster", "no file here", "", 0}};
    json doc = sarif(d);
    auto rs = results_for(doc, "MD503");
    REQUIRE(rs.size() == 3);
    const json& p0 = rs[0]["locations"][0]["physicalLocation"];
    CHECK(p0["artifactLocation"]["uri"] == "manifests/review%20app.yaml");
    CHECK(p0["artifactLocation"]["uriBaseId"] == "SRCROOT");
    CHECK(p0["region"]["startLine"] == 12);
    CHECK(rs[0]["message"]["text"].get<std::string>().find("spec.template lacks the label") !=
          std::string::npos);
    const json& p1 = rs[1]["locations"][0]["physicalLocation"];
    CHECK(p1["artifactLocation"]["uri"] == "manifests/ns.yaml");
    CHECK(p1["region"]["startLine"] == 3);
    const json& p2 = rs[2]["locations"][0]["physicalLocation"];
    CHECK(p2["artifactLocation"]["uri"] == "file:///srv/manifests/all.yaml");
    CHECK_FALSE(p2["artifactLocation"].contains("uriBaseId"));
    CHECK_FALSE(p2.contains("region"));
    CHECK(run_of(doc)["originalUriBaseIds"].contains("SRCROOT"));
    std::set<std::string> prints;
    for (const auto& r : rs) prints.insert(fingerprint_of(r));
    CHECK(prints.size() == 3);
    // Without relative files, no base is declared.
    CHECK_FALSE(run_of(sarif(testing::sample_diagnosis())).contains("originalUriBaseIds"));
  }

  TEST_CASE("without a file, the objects or else the evidence source are logical locations") {
    auto d = testing::sample_diagnosis();
    find_mut(d, "MD503")->objects = {{"Pod", "bookinfo", "reviews-v2-abc"},
                                     {"Pod", "bookinfo", "ratings-v1-def"},
                                     {"Pod", "bookinfo", "reviews-v2-abc"}};
    json doc = sarif(d);
    const json locs = results_for(doc, "MD503").at(0)["locations"];
    REQUIRE(locs.size() == 2);  // the repeated object once
    const json& l0 = locs[0]["logicalLocations"][0];
    CHECK(l0["fullyQualifiedName"] == "bookinfo/Pod/reviews-v2-abc");
    CHECK(l0["name"] == "reviews-v2-abc");
    CHECK(l0["properties"]["kubernetesKind"] == "Pod");
    CHECK(l0["properties"]["namespace"] == "bookinfo");
    const json src = results_for(doc, "MD301").at(0)["locations"];
    REQUIRE(src.size() == 1);
    CHECK(src[0]["logicalLocations"][0]["fullyQualifiedName"] ==
          "sailoperator.io/v1 IstioCNI default");
    CHECK_FALSE(results_for(doc, "MD203").at(0).contains("locations"));  // no evidence, no objects
  }

  TEST_CASE("fingerprints depend on the rule and the location, not on messages or order") {
    auto d = testing::sample_diagnosis();
    find_mut(d, "MD503")->objects = {{"Pod", "bookinfo", "a"}, {"Pod", "bookinfo", "b"}};
    const std::string before = fingerprint_of(results_for(sarif(d), "MD503").at(0));
    auto* f = find_mut(d, "MD503");
    f->message = "1/5 pods enrolled";
    f->objects = {{"Pod", "bookinfo", "b"}, {"Pod", "bookinfo", "a"}};
    CHECK(fingerprint_of(results_for(sarif(d), "MD503").at(0)) == before);
    f->objects = {{"Pod", "other", "a"}};
    CHECK(fingerprint_of(results_for(sarif(d), "MD503").at(0)) != before);
    json doc = sarif(testing::sample_diagnosis());
    CHECK(fingerprint_of(results_for(doc, "MD402").at(0)) !=
          fingerprint_of(results_for(doc, "MD403").at(0)));
  }

  TEST_CASE("hostile text and invalid UTF-8 are escaped or replaced, never thrown") {
    auto d = testing::sample_diagnosis();
    auto* f = find_mut(d, "MD301");
    f->message = k_hostile;
    f->evidence = {{k_hostile, k_hostile, "dir/" + k_hostile + ".yaml", 7}};
    f->objects = {{"Pod", "ns", k_hostile}};
    d.warnings = {k_hostile};
    std::string text;
    REQUIRE_NOTHROW(text = report::render_sarif(d, {}));
    json doc = json::parse(text);  // valid UTF-8 JSON
    json r = results_for(doc, "MD301").at(0);
    const std::string msg = r["message"]["text"];
    CHECK(msg.find("say \"hi\" <b>&amp; 'x'</b>\x01\x1b[31m\x07 ") == 0);
    CHECK(msg.find(k_fffd) != std::string::npos);  // the invalid bytes
    CHECK(msg.find("caf\xC3\xA9") != std::string::npos);
    const std::string uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    CHECK(uri.rfind("dir/say%20%22hi%22%20%3Cb%3E%26amp%3B%20%27x%27%3C/b%3E%01%1B", 0) == 0);
    CHECK(uri.find_first_of(" \"<>\x01\x80") == std::string::npos);
    CHECK(run_of(doc)["invocations"][0]["toolExecutionNotifications"].size() == 1);
  }

  TEST_CASE("an ID the catalogue does not know still gets a rule") {
    checks::Diagnosis d;
    d.findings = {
        checks::make_finding("ML999", checks::Status::fail, "a rule of a newer catalogue")};
    checks::link_findings(d);
    json doc = sarif(d);
    const json& rule = run_of(doc)["tool"]["driver"]["rules"].at(0);
    CHECK(rule["id"] == "ML999");
    CHECK(rule["shortDescription"]["text"] == "ML999");
    CHECK_FALSE(rule.contains("helpUri"));
    CHECK(run_of(doc)["results"].size() == 1);
  }
}

TEST_SUITE("report::junit") {
  TEST_CASE("one testsuite per category, counts that add up") {
    auto d = testing::sample_diagnosis();
    report::RenderOptions o;
    o.duration_ms = 1234;
    Element root = junit(d, o);
    CHECK(root.name == "testsuites");
    CHECK(root.attrs.at("name") == "meshdoctor");
    CHECK(root.attrs.at("time") == "1.234");
    CHECK(root.attr_int("tests") == static_cast<int>(d.findings.size()));
    CHECK(root.attr_int("failures") == count_status(d, checks::Status::fail));
    CHECK(root.attr_int("errors") == count_status(d, checks::Status::unknown));
    CHECK(root.attr_int("skipped") == count_status(d, checks::Status::skipped));
    std::vector<std::string> suites, expected;
    for (const auto& f : d.findings) {
      const std::string c = checks::find_check(f.id)->category;
      if (std::find(expected.begin(), expected.end(), c) == expected.end()) expected.push_back(c);
    }
    int tests = 0, failures = 0, errors = 0, skipped = 0, cases = 0;
    for (const auto* s : root.all("testsuite")) {
      suites.push_back(s->attrs.at("name"));
      tests += s->attr_int("tests");
      failures += s->attr_int("failures");
      errors += s->attr_int("errors");
      skipped += s->attr_int("skipped");
      for (const auto* tc : s->all("testcase")) {
        ++cases;
        CHECK(tc->attrs.at("classname") == "meshdoctor." + s->attrs.at("name"));
      }
      CHECK(s->all("testcase").size() == static_cast<std::size_t>(s->attr_int("tests")));
      REQUIRE(s->first("properties") != nullptr);
    }
    CHECK(suites == expected);
    CHECK(tests == root.attr_int("tests"));
    CHECK(cases == tests);
    CHECK(failures == root.attr_int("failures"));
    CHECK(errors == root.attr_int("errors"));
    CHECK(skipped == root.attr_int("skipped"));
  }

  TEST_CASE("fail, unknown, skipped and warn map to failure, error, skipped and system-out") {
    auto d = testing::sample_diagnosis();
    Element root = junit(d);
    const Element* md301 = testcase(root, "MD301");
    REQUIRE(md301 != nullptr);
    CHECK(md301->attrs.at("name") == "MD301 " + checks::find_check("MD301")->name);
    CHECK(md301->attrs.at("classname") == "meshdoctor.cni");
    const Element* failure = md301->first("failure");
    REQUIRE(failure != nullptr);
    CHECK(failure->attrs.at("message") == "IstioCNI/default is not in the ambient profile");
    CHECK(failure->attrs.at("type") == "fail");
    CHECK(failure->text.find("root cause; explains MD304, MD403") != std::string::npos);
    CHECK(failure->text.find("sailoperator.io/v1 IstioCNI default: spec.profile is not set") !=
          std::string::npos);
    CHECK(failure->text.find("oc patch istiocni default") != std::string::npos);
    CHECK(testcase(root, "MD403")->first("failure")->text.find("explained by MD301, MD304") !=
          std::string::npos);
    const Element* error = testcase(root, "MD404")->first("error");
    REQUIRE(error != nullptr);
    CHECK(error->attrs.at("message") == "readiness bodies are not in the bundle");
    const Element* skipped = testcase(root, "MD305")->first("skipped");
    REQUIRE(skipped != nullptr);
    CHECK(skipped->attrs.at("message") == "not on a node");
    const Element* warn = testcase(root, "MD302");
    CHECK(warn->first("failure") == nullptr);
    REQUIRE(warn->first("system-out") != nullptr);
    CHECK(warn->first("system-out")->text.find("reconcileIptablesOnStartup is not enabled") == 0);
    const Element* pass = testcase(root, "MD101");
    CHECK(pass->children.size() == 1);
    CHECK(pass->first("system-out") != nullptr);
  }

  TEST_CASE("--strict makes a warning a failure, as the exit code counts it") {
    auto d = testing::sample_diagnosis();
    report::RenderOptions strict;
    strict.strict = true;
    Element root = junit(d, strict);
    CHECK(root.attr_int("failures") ==
          count_status(d, checks::Status::fail) + count_status(d, checks::Status::warn));
    const Element* failure = testcase(root, "MD302")->first("failure");
    REQUIRE(failure != nullptr);
    CHECK(failure->attrs.at("type") == "warn");
  }

  TEST_CASE("hostile text stays well-formed: markup escaped, forbidden characters replaced") {
    auto d = testing::sample_diagnosis();
    auto* f = find_mut(d, "MD301");
    f->message = k_hostile + "\nsecond line\twith tab\r";
    f->evidence = {{k_hostile, k_hostile, "", 0}};
    f->fix = "echo ']]>' && cat <<'EOF'\n" + k_hostile + "\nEOF";
    find_mut(d, "MD305")->message = k_hostile;
    Element root = junit(d);  // parses: no forbidden character, no stray markup
    const Element* failure = testcase(root, "MD301")->first("failure");
    REQUIRE(failure != nullptr);
    const std::string expected = "say \"hi\" <b>&amp; 'x'</b>" + k_fffd + k_fffd + "[31m" + k_fffd +
                                 " " + k_fffd + " " + k_fffd + " caf\xC3\xA9 " + k_fffd + " end";
    // Newline, tab and CR survive in the attribute as character references.
    CHECK(failure->attrs.at("message") == expected + "\nsecond line\twith tab\r");
    CHECK(failure->text.find(expected) == 0);
    CHECK(failure->text.find("echo ']]>' && cat <<'EOF'") != std::string::npos);
    CHECK(testcase(root, "MD305")->first("skipped")->attrs.at("message") == expected);
  }
}

TEST_SUITE("report::xml") {
  TEST_CASE("sanitize keeps valid UTF-8 and replaces what XML 1.0 cannot hold") {
    CHECK(report::xml::sanitize("plain\ttab\nline\r") == "plain\ttab\nline\r");
    CHECK(report::xml::sanitize("\xF0\x9F\x94\xA5 ok") == "\xF0\x9F\x94\xA5 ok");  // 4-byte
    CHECK(report::xml::sanitize("\xC0\xAF") == k_fffd + k_fffd);                   // overlong
    CHECK(report::xml::sanitize("\xED\xA0\x80") == k_fffd + k_fffd + k_fffd);      // surrogate
    CHECK(report::xml::sanitize("\xF4\x90\x80\x80") ==
          k_fffd + k_fffd + k_fffd + k_fffd);                              // > U+10FFFF
    CHECK(report::xml::sanitize("ab\xE2\x82") == "ab" + k_fffd + k_fffd);  // truncated
    CHECK(report::xml::sanitize(std::string("a\0b", 3)) == "a" + k_fffd + "b");
    CHECK(report::xml::sanitize("\xEF\xBF\xBF") == k_fffd);  // U+FFFF
  }

  TEST_CASE("text and attribute escaping") {
    CHECK(report::xml::text("a<b>&\"'") == "a&lt;b&gt;&amp;\"'");
    CHECK(report::xml::attribute("a<b>&\"'\n\t") == "a&lt;b&gt;&amp;&quot;&apos;&#10;&#9;");
    CHECK(report::xml::text("\r\n") == "&#13;\n");
  }
}
