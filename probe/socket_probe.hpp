#pragma once
// MD305's node-local evidence: does the ZDS socket exist, is it a socket, and does a
// SOCK_SEQPACKET connect to it succeed? istio-cni serves ZDS there and ztunnel connects to it,
// so a refused connect means the agent that created the socket is gone.
#include <string>

#include "probe/facts.hpp"

namespace meshdoctor::probe {

inline constexpr const char* k_default_ztunnel_socket = "/var/run/ztunnel/ztunnel.sock";

struct SocketProbe {
  SocketState state = SocketState::unprobed;
  // Evidence: "stat: No such file or directory", "a regular file", "connect: Connection refused
  // (nothing listens: stale socket file)", "SOCK_SEQPACKET connect accepted".
  std::string detail;
  int err = 0;  // the errno behind the outcome, 0 when there is none
};

// Probes one path: stat, then a non-blocking AF_UNIX/SOCK_SEQPACKET connect waited on for at
// most timeout_ms. Never throws; the connection is closed before returning.
SocketProbe probe_socket(const std::string& path, int timeout_ms = 1000);

// Runs probe_socket on `path` (empty = the default) and records it for MD305: sets node_local,
// socket_path, socket_state and socket (collected when the probe could tell; forbidden on
// EACCES/EPERM; error otherwise).
void probe_ztunnel_socket(const std::string& path, Facts& facts);

}  // namespace meshdoctor::probe
