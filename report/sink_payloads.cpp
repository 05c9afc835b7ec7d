// Which payload a format posts; the JSON one is the report itself plus what the post is about.
#include <nlohmann/json.hpp>

#include "report/sink.hpp"

namespace meshdoctor::report {

std::string json_payload(const checks::Diagnosis& d, const PayloadContext& ctx) {
  using json = nlohmann::ordered_json;
  json doc = json::parse(render_json(d, ctx.render));
  doc["post"] = {{"kind", ctx.kind}, {"previouslyFailing", ctx.previously_failing}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_payload(PostFormat f, const checks::Diagnosis& d, const PayloadContext& ctx) {
  switch (f) {
    case PostFormat::slack:
      return slack_payload(d, ctx);
    case PostFormat::teams:
      return teams_payload(d, ctx);
    case PostFormat::json:
      return json_payload(d, ctx);
  }
  return json_payload(d, ctx);
}

}  // namespace meshdoctor::report
