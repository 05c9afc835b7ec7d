#pragma once
// A minimal expected<T, Error> for run-time failures (network, parse, permission, timeout).
// std::expected is C++23; GCC 12 does not ship it.
#include <string>
#include <utility>
#include <variant>

namespace meshdoctor::util {

struct Error {
  std::string code;     // stable, machine readable: "bundle.not_found", "yaml.parse", ...
  std::string message;  // human readable, names the file/line/object involved
};

template <class T>
class Expected {
 public:
  Expected(T value) : m_v(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Expected(Error error) : m_v(std::move(error)) {}     // NOLINT(google-explicit-constructor)
  bool has_value() const { return m_v.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() { return std::get<0>(m_v); }
  const T& value() const { return std::get<0>(m_v); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

struct Unit {};
using Status = Expected<Unit>;
inline Status ok() { return Unit{}; }

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

}  // namespace meshdoctor::util
