#include "media/codec/codec_factory.h"

#include "media/codec/g711.h"
#include "media/codec/g722.h"
#include "media/codec/g729.h"
#include "media/codec/gsm_codec.h"

namespace kolokol::media {

base::Expected<AudioEncoderPtr, CodecError> make_encoder(CodecId codec,
                                                         const CodecOptions& options) {
  switch (codec) {
    case CodecId::Pcmu:
      return make_g711_encoder(G711Law::MuLaw);
    case CodecId::Pcma:
      return make_g711_encoder(G711Law::ALaw);
    case CodecId::G722:
      return make_g722_encoder();
    case CodecId::Opus:
      return make_opus_encoder(options.opus);
    case CodecId::G729:
      return make_g729_encoder(options.g729_vad);
    case CodecId::Gsm:
      return make_gsm_encoder();
  }
  return base::unexpected(CodecError::UnknownCodec);
}

base::Expected<AudioDecoderPtr, CodecError> make_decoder(CodecId codec,
                                                         const CodecOptions& options) {
  switch (codec) {
    case CodecId::Pcmu:
      return make_g711_decoder(G711Law::MuLaw);
    case CodecId::Pcma:
      return make_g711_decoder(G711Law::ALaw);
    case CodecId::G722:
      return make_g722_decoder();
    case CodecId::Opus:
      return make_opus_decoder(options.opus.sample_rate);
    case CodecId::G729:
      return make_g729_decoder();
    case CodecId::Gsm:
      return make_gsm_decoder();
  }
  return base::unexpected(CodecError::UnknownCodec);
}

}  // namespace kolokol::media
