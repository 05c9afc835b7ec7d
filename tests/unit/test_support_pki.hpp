#pragma once
// A throwaway PKI for the TLS tests, made with the openssl CLI once per test process: a CA, a
// server certificate for 127.0.0.1 and meshdoctor.test, a client certificate, a second unrelated
// CA, and an expired server certificate (issued with `openssl ca` and a start/end date in 2020,
// since `x509 -days` cannot go negative).
#include <cstdlib>
#include <string>

#include "test_support_env.hpp"

namespace meshdoctor::test {

struct TestPki {
  bool ok = false;
  std::string dir;
  std::string ca_cert, other_ca_cert;
  std::string server_cert, server_key, expired_cert;
  std::string client_cert, client_key;
};

inline bool run_openssl(const std::string& dir, const std::string& args) {
  const std::string command = "cd '" + dir + "' && openssl " + args + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

inline bool make_key_and_csr(const std::string& dir, const std::string& name, const std::string& cn) {
  return run_openssl(dir, "req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
                              name + ".key -out " + name + ".csr -subj /CN=" + cn);
}

inline bool make_ca(const std::string& dir, const std::string& name) {
  return run_openssl(dir, "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
                              name + ".key -out " + name + ".crt -days 2 -subj /CN=" + name);
}

inline bool sign(const std::string& dir, const std::string& name, const std::string& ext) {
  write_file(dir + "/" + name + ".ext", ext + "\n");
  return run_openssl(dir, "x509 -req -in " + name + ".csr -CA ca.crt -CAkey ca.key -CAcreateserial"
                          " -days 2 -out " + name + ".crt -extfile " + name + ".ext");
}

inline bool sign_expired(const std::string& dir) {
  write_file(dir + "/index.txt", "");
  write_file(dir + "/serial", "1000\n");
  write_file(dir + "/ca.cnf",
             "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\n"
             "serial = serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n"
             "[any]\ncommonName = supplied\n");
  return run_openssl(dir, "ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -in server.csr"
                          " -out expired.crt -notext -startdate 20200101000000Z"
                          " -enddate 20200102000000Z -extfile server.ext");
}

inline TestPki build_pki(const std::string& dir) {
  TestPki pki;
  pki.dir = dir;
  pki.ok = make_ca(dir, "ca") && make_ca(dir, "other-ca") &&
           make_key_and_csr(dir, "server", "127.0.0.1") &&
           sign(dir, "server", "subjectAltName=IP:127.0.0.1,DNS:meshdoctor.test") &&
           make_key_and_csr(dir, "client", "meshdoctor-client") &&
           sign(dir, "client", "extendedKeyUsage=clientAuth") && sign_expired(dir);
  pki.ca_cert = dir + "/ca.crt";
  pki.other_ca_cert = dir + "/other-ca.crt";
  pki.server_cert = dir + "/server.crt";
  pki.server_key = dir + "/server.key";
  pki.expired_cert = dir + "/expired.crt";
  pki.client_cert = dir + "/client.crt";
  pki.client_key = dir + "/client.key";
  return pki;
}

// Built on first use and kept for the process; the folder is removed at exit.
inline const TestPki& test_pki() {
  static TempDir dir;
  static const TestPki pki = build_pki(dir.path());
  return pki;
}

}  // namespace meshdoctor::test
