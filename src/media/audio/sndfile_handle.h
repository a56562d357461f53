#pragma once

#include <sndfile.h>

#include <memory>

namespace kolokol::media {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
// An open libsndfile handle; closing it also finishes the header of a file being written.
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

}  // namespace kolokol::media
