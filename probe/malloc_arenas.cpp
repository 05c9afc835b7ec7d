#include "probe/malloc_arenas.hpp"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace meshdoctor::probe {

void limit_malloc_arenas() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);  // also stops glibc from raising it
  });
#endif
}

}  // namespace meshdoctor::probe
