#pragma once

#include <string>
#include <vector>

namespace kolokol::cli {

// Rows under a header line, each column left-aligned and as wide as its widest cell (counted in
// UTF-8 characters: display names are often Cyrillic), two spaces apart; the last column is not
// padded, so no line ends in spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Characters of UTF-8 text (bytes that do not continue a sequence).
std::size_t display_width(const std::string& text);

}  // namespace kolokol::cli
