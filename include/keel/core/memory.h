// keel/core/memory.h: hints about how large buffers are backed.
#pragma once

#include <cstddef>

namespace keel {

// Asks Linux to back [data, data + bytes) with transparent huge pages (2 MiB): a buffer of
// hundreds of megabytes first touched as it is written otherwise takes one page fault per 4 KiB.
// A hint only: no effect where huge pages are disabled or on other systems, none on contents. Only
// whole 2 MiB pages inside the buffer are advised, so memory the buffer does not own is never
// touched.
void advise_huge_pages(const void* data, std::size_t bytes);

}  // namespace keel
