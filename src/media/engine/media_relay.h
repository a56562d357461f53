#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include <optional>
#include <string>

#include "media/engine/relay_types.h"
#include "media/engine/transcoding_path.h"
#include "media/record/recording_sink_factory.h"

namespace kolokol::media {

class MediaEngine;
class MediaWorker;
class RtpRelay;

// The owner's handle of an anchored call's relay (held by the call on its signalling thread).
// Every change is posted to the relay's worker; destroying the handle closes the sockets there.
class MediaRelay {
 public:
  MediaRelay(MediaEngine& engine, MediaWorker& worker, std::array<std::uint16_t, 2> local_ports,
             std::shared_ptr<std::array<RelayLegCounters, 2>> counters,
             std::shared_ptr<RtpRelay> relay);
  ~MediaRelay();
  MediaRelay(const MediaRelay&) = delete;
  MediaRelay& operator=(const MediaRelay&) = delete;

  // The RTP port of our socket facing the leg (RTCP is the port above it).
  std::uint16_t local_port(RelaySide side) const { return local_ports_[index_of(side)]; }
  void set_remote(RelaySide side, const RelayRemote& remote);
  // Transcode between the legs' codecs (nullopt: copy packets unchanged). An error names the
  // codec pair that cannot be transcoded; the relay then keeps copying.
  std::optional<std::string> set_transcoding(std::optional<std::pair<LegCodec, LegCodec>> legs);
  RelayLegStats stats(RelaySide side) const;
  // Records the call from now on (caller left, callee right) into `path`, which must not exist;
  // the file is finished when the relay ends. The directory must exist.
  void start_recording(std::string path, RecordingFileFormat format);

 private:
  friend class MediaEngine;
  MediaEngine& engine_;
  MediaWorker& worker_;
  std::array<std::uint16_t, 2> local_ports_;
  std::shared_ptr<std::array<RelayLegCounters, 2>> counters_;
  // Owned by the worker thread from creation on; the handle only posts tasks that use it.
  std::shared_ptr<RtpRelay> relay_;
};

}  // namespace kolokol::media
