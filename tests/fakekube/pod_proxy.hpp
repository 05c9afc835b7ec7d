#pragma once
// The API server pod proxy to ztunnel, answered from meshdoctor/ extras:
//   <pod>:15021/proxy/healthz/ready     → status and body from ztunnel-readiness.json
//   <pod>:15020/proxy/stats/prometheus  → meshdoctor/ztunnel-metrics/<pod>.txt, else a small
//                                          fixed exposition (istio_tcp_* only when Ready)
// A bundle without ztunnel-readiness.json answers 403 (pods/proxy not permitted): offline that
// evidence is "not collected", so both sides report unknown. A pod missing from the file: 503.
#include <string>

#include "api_types.hpp"
#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

// target: "<pod>:<port>" or "<scheme>:<pod>:<port>"; subpath: what follows ".../proxy/".
ApiResponse pod_proxy(const Bundle& bundle, const std::string& ns, const std::string& target,
                      const std::string& subpath);

// The exposition served for a pod without a metrics file.
std::string synthetic_metrics(const std::string& pod, bool ready);

}  // namespace meshdoctor::fakekube
