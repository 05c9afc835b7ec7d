#pragma once
// RAII owners for libfyaml handles, and a quiet diagnostic object that collects errors instead of
// printing them: parse errors become util::Error values naming file:line:col.
#include <libfyaml.h>

#include <memory>
#include <string>

namespace meshdoctor::probe::fyaml {

struct ParserDeleter {
  void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};
// fy_diag_destroy, not fy_diag_unref: only destroy frees the collected errors (and the input
// their tokens keep alive). Owners must release the parser or document using it first.
struct DiagDeleter {
  void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};
struct DocumentDeleter {
  void operator()(fy_document* d) const { fy_document_destroy(d); }
};

using ParserPtr = std::unique_ptr<fy_parser, ParserDeleter>;
using DiagPtr = std::unique_ptr<fy_diag, DiagDeleter>;
using DocumentPtr = std::unique_ptr<fy_document, DocumentDeleter>;

// A diagnostic object that writes nothing to stderr and keeps the errors for first_error().
DiagPtr make_quiet_diag();

// "<name>:<line>:<col>: <message>" for the first collected error, or a generic message.
std::string first_error(fy_diag* diag, const std::string& name);

}  // namespace meshdoctor::probe::fyaml
