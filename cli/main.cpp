// meshdoctor entry point: parse flags, dispatch to a subcommand, map fatal errors to exit 3.
#include <cstdio>

int main() {
  std::puts("meshdoctor: under construction");
  return 0;
}
