#pragma once
// A section that grows to 150,000 pods must not double its vector on the way there: at the last
// doubling the old and the new buffer together hold twice the pods. SectionSpool takes the items
// away in chunks of fixed size as they arrive and gives them all back once, in arrival order, in
// a vector reserved to the exact count. Chunks are mapped pages of their own, returned to the
// system as soon as they are emptied, so giving back costs the final vector and one chunk.
#include <sys/mman.h>

#include <cstddef>
#include <iterator>
#include <new>
#include <utility>
#include <vector>

namespace meshdoctor::probe {

template <class T>
struct MappedAllocator {
  using value_type = T;
  MappedAllocator() = default;
  template <class U>
  MappedAllocator(const MappedAllocator<U>&) {}
  T* allocate(std::size_t n) {
    void* p = mmap(nullptr, n * sizeof(T), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) { munmap(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const MappedAllocator<U>&) const { return true; }
};

template <class T>
class SectionSpool {
 public:
  static constexpr std::size_t k_chunk = 4096;

  // Moves the items out of `items` once it holds a chunk's worth; its capacity is kept for the
  // next ones.
  void take(std::vector<T>& items) {
    if (items.size() < k_chunk) return;
    Chunk chunk;
    chunk.reserve(items.size());
    std::move(items.begin(), items.end(), std::back_inserter(chunk));
    items.clear();
    m_count += chunk.size();
    m_chunks.push_back(std::move(chunk));
  }

  // Puts everything taken back, in front of what `items` holds now.
  void restore(std::vector<T>& items) {
    if (m_chunks.empty()) return;
    std::vector<T> all;
    all.reserve(m_count + items.size());
    for (Chunk& chunk : m_chunks) {
      std::move(chunk.begin(), chunk.end(), std::back_inserter(all));
      Chunk().swap(chunk);
    }
    std::move(items.begin(), items.end(), std::back_inserter(all));
    items.swap(all);
    m_chunks.clear();
    m_count = 0;
  }

 private:
  using Chunk = std::vector<T, MappedAllocator<T>>;
  std::vector<Chunk> m_chunks;
  std::size_t m_count = 0;
};

}  // namespace meshdoctor::probe
