#!/usr/bin/env bash
# check --post: Slack, Teams and JSON payloads reach a real HTTP receiver after the report is
# delivered; 429 is retried after Retry-After; a dead endpoint only warns (exit code unchanged)
# unless --post-required (exit 3); the webhook's path never shows in stdout or stderr.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/post_lib.sh"
require_bundle_reader

broken=$src/tests/scenarios/istiocni-not-ambient/bundle
healthy=$src/tests/scenarios/healthy/bundle

# Slack: one body, blocks with a header and a section for the root cause MD301.
start_receiver slack
run check --bundle "$broken" --post "$hook" --post-format slack -vv
expect_rc 1 "slack post keeps the exit code"
expect_out "MD301" "the report is still printed"
expect_posts slack 1 "slack"
expect_query slack 0 'r["contentType"] == "application/json" and r["path"] == "/services/T000/B000/SECRETTOKEN"' "slack request"
expect_query slack 0 'b["blocks"][0]["type"] == "header" and "FAIL" in b["blocks"][0]["text"]["text"]' "slack header"
expect_query slack 0 'any("*MD301*" in x.get("text", {}).get("text", "") for x in b["blocks"] if x["type"] == "section")' "slack root cause section"
expect_query slack 0 '"MD301" in b["text"]' "slack fallback text"
expect_err "posted to 127.0.0.1:" "-v says where it posted (the host)"
expect_no_secret "slack"

# Teams: a MessageCard.
start_receiver teams
run check --bundle "$broken" --post "$hook" --post-format teams
expect_rc 1 "teams post keeps the exit code"
expect_posts teams 1 "teams"
expect_query teams 0 'b["@type"] == "MessageCard" and b["@context"] == "https://schema.org/extensions"' "teams card"
expect_query teams 0 'b["themeColor"] == "D32F2F" and b["sections"][0]["activityTitle"].startswith("MD301 ")' "teams root cause"

# JSON (the default format): the meshdoctor/v1 report.
start_receiver json
run check --bundle "$broken" -o markdown --post "$hook"
expect_rc 1 "json post keeps the exit code"
expect_posts json 1 "json"
expect_query json 0 'b["schemaVersion"] == "meshdoctor/v1" and "MD301" in b["rootCauses"] and b["post"]["kind"] == "report"' "json report"

# --post-on: fail (default) posts nothing for a healthy cluster; always does.
start_receiver on
run check --bundle "$healthy" --post "$hook" -v
expect_rc 0 "healthy"
expect_posts on 0 "--post-on fail, healthy"
expect_err "report not posted: no failure" "-v says why nothing was posted"
run check --bundle "$healthy" --post "$hook" --post-on always
expect_posts on 1 "--post-on always, healthy"
expect_query on 0 'b["summary"]["status"] == "pass"' "always posts the healthy report"

# 429 with Retry-After 1 on the first request: posted on the retry, at least 1 s later.
start_receiver slow --fail 1 --status 429 --retry-after 1
start=$(date +%s.%N)
run check --bundle "$broken" --post "$hook" --post-format slack
end=$(date +%s.%N)
expect_rc 1 "429 then 200 keeps the exit code"
expect_posts slow 2 "429 is retried once"
python3 -c "import sys; sys.exit(0 if $end - $start >= 1.0 else 1)" || fail "Retry-After 1 is waited for"
gap=$(python3 - "$work/slow.posts.jsonl" <<'PY'
import json, sys
t = [json.loads(l)["time"] for l in open(sys.argv[1])]
print("ok" if t[1] - t[0] >= 1.0 else "gap %.3f s" % (t[1] - t[0]))
PY
)
[ "$gap" = ok ] || fail "the retry comes after Retry-After: $gap"

# Always 500: a warning naming the host; exit code unchanged.
start_receiver down --fail 100 --status 500
run check --bundle "$broken" --post "$hook" --post-format slack -vv
expect_rc 1 "a failing endpoint does not change the exit code"
expect_posts down 4 "500 is retried (3 retries)"
expect_err "post to 127.0.0.1:" "the warning names the host"
expect_err "failed: 500 after 4 attempts" "the warning says what failed"
expect_no_secret "500"
run check --bundle "$broken" --post "$hook" --post-required
expect_rc 3 "--post-required: a failing endpoint is exit 3"
expect_err "failed: 500 after 4 attempts" "--post-required names the failure"
expect_no_secret "500 required"

# Nobody listening: warning only, or exit 3 with --post-required; -vv logs no URL either.
dead="http://127.0.0.1:$(closed_port)$hook_path"
run check --bundle "$broken" --post "$dead" -vv
expect_rc 1 "a dead endpoint does not change the exit code"
expect_err "post to 127.0.0.1:" "the warning names the host"
expect_no_secret "dead endpoint, -vv"
run check --bundle "$healthy" --post "$dead" --post-on always --exit-zero
expect_rc 0 "--exit-zero and a dead endpoint"
run check --bundle "$broken" --post "$dead" --post-required -o json --output-file "$work/report.json"
expect_rc 3 "--post-required with a dead endpoint"
expect_err "connection refused" "--post-required says why"
expect_no_secret "dead endpoint, required"
[ -s "$work/report.json" ] || fail "the report is delivered before the post"

# The URL from a file (a mounted Secret) or from $MESHDOCTOR_POST_URL.
start_receiver file
printf '%s\n' "$hook" >"$work/url"
secret_file "$work/url"
run check --bundle "$broken" --post-url-file "$work/url"
expect_rc 1 "--post-url-file"
expect_posts file 1 "--post-url-file posts"
MESHDOCTOR_POST_URL=$hook run check --bundle "$broken"
expect_posts file 2 "\$MESHDOCTOR_POST_URL posts"
run check --bundle "$broken" --post-url-file "$work/missing-url"
expect_rc 3 "an unreadable --post-url-file cannot run"
expect_err "$work/missing-url" "the error names the file"
printf 'not a url SECRETTOKEN\n' >"$work/bad-url"
secret_file "$work/bad-url"
run check --bundle "$broken" --post-url-file "$work/bad-url"
expect_rc 3 "a URL file without a URL"
expect_no_secret "bad URL file"
run check --bundle "$broken" --post "hooks.example$hook_path"
expect_rc 64 "--post needs an http(s) URL"
expect_no_secret "bad --post"
run check --bundle "$broken" --post "$hook" --post-url-file "$work/url"
expect_rc 64 "--post and --post-url-file exclude each other"
run check --bundle "$broken" --post-required
expect_rc 3 "--post-required without a URL"
run check --help
expect_no_secret "help"
expect_out "--post-on" "--help lists the post flags"

finish
