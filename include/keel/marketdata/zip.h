// keel/marketdata/zip.h: reading one entry of a zip archive held in memory (minizip).
//
// Kenneth French's data library ships each dataset as a zip with one CSV inside. Encrypted
// entries are refused (keel implements no zip crypto); a damaged archive or entry (bad CRC,
// truncated data) is an invalid_input error naming the archive.
//
// Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keel::marketdata {

struct ZipEntry {
  std::string name;
  std::string data;
};

// Names of the entries of `archive`. Throws keel::Error(invalid_input) when it is not a zip.
std::vector<std::string> zip_entry_names(std::string_view archive, const std::string& what);
// The first entry whose name ends with `suffix` (case-insensitive), inflated and CRC-checked.
// Throws keel::Error(invalid_input) naming `what` when there is none or it cannot be read.
ZipEntry zip_find_entry(std::string_view archive, const std::string& suffix, const std::string& what);
// Every entry whose name ends with `suffix` (case-insensitive), in the archive's order, inflated and
// CRC-checked; folders, `__MACOSX/` and `._` files are passed over. Throws keel::Error(invalid_input)
// naming `what` when one cannot be read or they inflate to more than `max_total_bytes` together.
std::vector<ZipEntry> zip_read_entries(std::string_view archive, const std::string& suffix, const std::string& what,
                                       std::size_t max_total_bytes = std::size_t{512} << 20);

}  // namespace keel::marketdata
