#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "base/expected.h"

namespace kolokol::sip {

struct TlsFiles {
  std::string certificate;  // PEM path
  std::string private_key;  // PEM path
  bool generated = false;   // created by this call (else reused or configured)
};

// The self-signed certificate in <directory>: reused when both files exist, else generated
// (EC P-256, SHA-256, 10 years, CN = common_name, SAN DNS:common_name, DNS:localhost,
// IP:127.0.0.1, IP:::1). The key file is written with mode 0600. Blocking file I/O: call it at
// start-up, not from the SIP thread's hot path.
base::Expected<TlsFiles, std::string> ensure_self_signed_certificate(
    const std::string& directory, const std::string& common_name);

// A TLS context for both roles (server for accepted connections, client for outgoing ones):
// TLS 1.2 or newer, the given certificate and key. Peer certificates are not verified (SIP
// peers commonly present self-signed ones); the error names the file that failed.
base::Expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_tls_context(
    const TlsFiles& files);

// The machine's host name ("localhost" when unknown).
std::string local_host_name();

}  // namespace kolokol::sip
