#pragma once
// glibc gives each thread that allocates its own malloc arena; the threads of a live run or a
// bundle read each parse pages or files whose memory is freed in another arena's pattern, and
// every arena keeps its own free memory resident. Two arenas hold a 150,000-pod read some 15%
// lower at no measurable cost in time.
// glibc also raises its mmap threshold each time a large block (a list page, a log body) is freed,
// up to 32 MiB, after which those blocks come from the heap and leave it fragmented: a fixed
// threshold of 64 KiB keeps them mapped and returned on free. A live check of 150,000 pods peaks
// at 138 MB instead of 191 MB (bench/README.md), for ~0.1 s more.
namespace meshdoctor::probe {

// Caps the arenas at two and fixes the mmap threshold for the rest of the process (once; no-op
// off glibc). Called before the first reading thread starts.
void limit_malloc_arenas();

}  // namespace meshdoctor::probe
