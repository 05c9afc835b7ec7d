// lint/yaml_tree: documents with the line of every key, helm's `# Source:` comments, and the
// bounds that keep hostile input from exhausting memory or stack.
#include <doctest/doctest.h>

#include <string>

#include "lint/manifests.hpp"
#include "lint/yaml_tree.hpp"

using namespace meshdoctor::lint;

TEST_SUITE("lint::yaml_tree") {
  TEST_CASE("keys and values keep their 1-based lines in every document") {
    const std::string text =
        "---\n"
        "# Source: mesh/templates/istiocni.yaml\n"
        "apiVersion: sailoperator.io/v1\n"
        "kind: IstioCNI\n"
        "metadata:\n"
        "  name: default\n"
        "spec:\n"
        "  profile: ambient\n"
        "---\n"
        "# Source: mesh/templates/ztunnel.yaml\n"
        "apiVersion: sailoperator.io/v1\n"
        "kind: ZTunnel\n"
        "metadata: {name: default}\n";
    std::vector<Document> docs;
    REQUIRE(parse_documents(text, "rendered.yaml", docs));
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].file == "rendered.yaml");
    CHECK(docs[0].line == 3);
    CHECK(docs[0].template_path == "mesh/templates/istiocni.yaml");
    CHECK(nearest_line(docs[0].root, {"spec", "profile"}) == 8);
    CHECK(text_at(docs[0].root, {"spec", "profile"}) == "ambient");
    CHECK(docs[1].line == 11);
    CHECK(docs[1].template_path == "mesh/templates/ztunnel.yaml");
    CHECK(nearest_line(docs[1].root, {"metadata", "name"}) == 13);
  }

  TEST_CASE("a missing field points at the closest existing parent") {
    std::vector<Document> docs;
    REQUIRE(parse_documents("kind: X\nspec:\n  values:\n    cni: {}\n", "f", docs));
    CHECK(nearest_line(docs[0].root, {"spec", "values", "cni", "ambient", "enabled"}) == 4);
    CHECK(nearest_line(docs[0].root, {"status"}) == 1);
  }

  TEST_CASE("quoted scalars stay strings, plain ones resolve like Kubernetes YAML") {
    std::vector<Document> docs;
    REQUIRE(parse_documents("a: true\nb: \"true\"\nc: yes\nd: ~\n", "f", docs));
    const Node& r = docs[0].root;
    CHECK(as_bool(r.get("a")) == true);
    CHECK_FALSE(as_bool(r.get("b")).has_value());
    CHECK(as_bool(r.get("c")) == true);
    CHECK(r.get("d")->type == Node::Type::null);
    CHECK_FALSE(text_at(r, {"d"}).has_value());
  }

  TEST_CASE("empty documents (a bare ---) are dropped") {
    std::vector<Document> docs;
    REQUIRE(parse_documents("---\n---\n# only a comment\n---\nkind: A\n", "f", docs));
    CHECK(docs.size() == 1);
  }

  TEST_CASE("a parse error names file:line:col and keeps the documents before it") {
    std::vector<Document> docs;
    int line = 0;
    auto st =
        parse_documents("kind: A\n---\nkind: B\nmetadata:\n  name: [x\n", "bad.yaml", docs, &line);
    REQUIRE_FALSE(st);
    CHECK(st.error().message.rfind("bad.yaml:", 0) == 0);
    CHECK(line >= 5);
    CHECK(docs.size() == 1);
  }

  TEST_CASE("a malformed directive is refused before libfyaml sees it") {
    std::vector<Document> docs;
    int line = 0;
    auto st = parse_documents("kind: A\n---\n%YAML \x01\n", "d.yaml", docs, &line);
    REQUIRE_FALSE(st);
    CHECK(line == 3);
  }

  TEST_CASE("nesting beyond the bound is an error, not a stack overflow") {
    std::string deep(5000, '[');
    deep += std::string(5000, ']');
    std::vector<Document> docs;
    auto st = parse_documents(deep, "deep.yaml", docs);
    REQUIRE_FALSE(st);
    CHECK(st.error().message.find("deep.yaml:1:") == 0);
  }

  TEST_CASE("alias expansion is bounded (billion laughs)") {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
      const std::string prev = "*a" + std::to_string(i - 1);
      text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
      for (int k = 0; k < 9; ++k) text += ", " + prev;
      text += "]\n";
    }
    std::vector<Document> docs;
    auto st = parse_documents(text, "bomb.yaml", docs);
    REQUIRE_FALSE(st);
    CHECK(st.error().message.find("nodes") != std::string::npos);
  }

  TEST_CASE("nested anchors count their copies against the bound") {
    std::string text;
    for (int i = 0; i < 150; ++i) text += "&n" + std::to_string(i) + " [";
    for (int i = 0; i < 20000; ++i) text += i ? ",x" : "x";
    text += std::string(150, ']') + "\n";
    std::vector<Document> docs;
    auto st = parse_documents(text, "nest.yaml", docs);
    REQUIRE_FALSE(st);
    CHECK(st.error().message.find("nodes") != std::string::npos);
  }

  TEST_CASE("aliases resolve to copies of their anchor") {
    std::vector<Document> docs;
    REQUIRE(parse_documents("x: &p {profile: ambient}\nspec: *p\n", "f", docs));
    CHECK(text_at(docs[0].root, {"spec", "profile"}) == "ambient");
  }
}

TEST_SUITE("lint::manifests") {
  TEST_CASE("objects, Lists and value files are told apart") {
    ManifestSet set;
    add_text(set,
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
             "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n"
             "  metadata: {name: b}\n---\n"
             "clusterGroup:\n  name: hub\n---\n"
             "just: data\n",
             "in.yaml");
    CHECK(set.files == std::vector<std::string>{"in.yaml"});
    REQUIRE(set.documents.size() == 2);
    CHECK(set.documents[1].line == 8);
    auto ns = set.objects("Namespace");
    REQUIRE(ns.size() == 2);
    CHECK(ns[0].label() == "Namespace a");
    CHECK(ns[1].name == "b");
    CHECK(set.values_files.size() == 1);
    CHECK(set.problems.empty());
  }

  TEST_CASE("a missing path is an error naming it") {
    ManifestSet set;
    auto st = add_path(set, "/nonexistent/meshdoctor-lint");
    REQUIRE_FALSE(st);
    CHECK(st.error().message.find("/nonexistent/meshdoctor-lint") != std::string::npos);
  }

  TEST_CASE("an unparseable text is a problem with its line, not an error") {
    ManifestSet set;
    add_text(set, "kind: A\napiVersion: v1\nx: [\n", "broken.yaml");
    REQUIRE(set.problems.size() == 1);
    CHECK(set.problems[0].file == "broken.yaml");
    CHECK(set.problems[0].line > 0);
  }
}
