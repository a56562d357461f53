// TransportLayer::reload_tls: new connections get the new certificate, open ones keep theirs,
// and a bad certificate or key leaves the one in use.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <fstream>
#include <memory>

#include "loopback_harness.h"
#include "sip/transport/tls_credentials.h"

namespace kolokol::sip {
namespace {

using namespace kolokol::sip::testing;
namespace ssl = boost::asio::ssl;
namespace fs = std::filesystem;

// A TLS client that connects and handshakes asynchronously (the server runs on the same
// io_context) and reports the common name of the certificate the server presented.
struct TlsClient {
  TlsClient(boost::asio::io_context& io, ssl::context& context, const Endpoint& server)
      : stream(io, context) {
    stream.next_layer().connect({boost::asio::ip::make_address(server.address), server.port});
    stream.async_handshake(ssl::stream_base::client, [this](const boost::system::error_code& ec) {
      handshake_error = ec;
      done = true;
    });
  }

  std::string peer_common_name() {
    X509* cert = SSL_get1_peer_certificate(stream.native_handle());
    if (cert == nullptr) return {};
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof name);
    X509_free(cert);
    return name;
  }

  ssl::stream<boost::asio::ip::tcp::socket> stream;
  boost::system::error_code handshake_error;
  bool done = false;
};

class TlsReload : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kolokol-tls-reload-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto a = ensure_self_signed_certificate((dir_ / "a").string(), "cert-a.test");
    auto b = ensure_self_signed_certificate((dir_ / "b").string(), "cert-b.test");
    ASSERT_TRUE(a && b);
    a_ = *a;
    b_ = *b;
    client_context_.set_verify_mode(ssl::verify_none);
  }
  void TearDown() override { fs::remove_all(dir_); }

  TransportConfig config_with(const TlsFiles& files) {
    auto config = loopback_config({{Transport::Tls, "127.0.0.1", 0}});
    config.data_dir = (dir_ / "data").string();
    config.tls_certificate_file = files.certificate;
    config.tls_private_key_file = files.private_key;
    return config;
  }

  // The common name a new connection to `server` sees ("" when the handshake failed).
  std::string common_name_of_new_connection(boost::asio::io_context& io, const Endpoint& server) {
    TlsClient client(io, client_context_, server);
    if (!run_until(io, [&] { return client.done; }) || client.handshake_error) return {};
    return client.peer_common_name();
  }

  static void write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
  }

  fs::path dir_;
  TlsFiles a_;
  TlsFiles b_;
  ssl::context client_context_{ssl::context::tls_client};
};

TEST_F(TlsReload, NewConnectionsGetTheNewCertificateAndOpenOnesKeepWorking) {
  boost::asio::io_context io;
  Peer server(io, config_with(a_));
  ASSERT_TRUE(server.start_error.empty()) << server.start_error;
  const auto endpoint = server.endpoint(Transport::Tls);
  EXPECT_EQ(common_name_of_new_connection(io, endpoint), "cert-a.test");

  TlsClient before(io, client_context_, endpoint);
  ASSERT_TRUE(run_until(io, [&] { return before.done; }));
  ASSERT_FALSE(before.handshake_error) << before.handshake_error.message();

  auto reloaded = server.layer.reload_tls(b_.certificate, b_.private_key);
  ASSERT_TRUE(reloaded) << reloaded.error();
  EXPECT_EQ(*reloaded, b_.certificate);
  EXPECT_EQ(server.layer.tls_certificate_file(), b_.certificate);
  EXPECT_EQ(common_name_of_new_connection(io, endpoint), "cert-b.test");

  // The connection opened with certificate A still carries messages.
  const std::string wire =
      "OPTIONS sip:peer@127.0.0.1 SIP/2.0\r\n"
      "Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bKreload1\r\n"
      "Max-Forwards: 70\r\nTo: <sip:peer@127.0.0.1>\r\nFrom: <sip:a@127.0.0.1>;tag=r\r\n"
      "Call-ID: reload-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(before.peer_common_name(), "cert-a.test");
  bool written = false;
  boost::asio::async_write(
      before.stream, boost::asio::buffer(wire),
      [&](const boost::system::error_code& ec, std::size_t) { written = !ec; });
  ASSERT_TRUE(run_until(io, [&] { return written && server.received.size() == 1; }));
  EXPECT_EQ(server.received[0].message.call_id(), "reload-1");
}

TEST_F(TlsReload, RereadsChangedFilesAtTheSamePath) {
  boost::asio::io_context io;
  const fs::path cert = dir_ / "live-cert.pem";
  const fs::path key = dir_ / "live-key.pem";
  fs::create_directories(dir_);
  fs::copy_file(a_.certificate, cert);
  fs::copy_file(a_.private_key, key);
  Peer server(io, config_with(TlsFiles{cert.string(), key.string(), false}));
  ASSERT_TRUE(server.start_error.empty()) << server.start_error;
  const auto endpoint = server.endpoint(Transport::Tls);
  EXPECT_EQ(common_name_of_new_connection(io, endpoint), "cert-a.test");

  fs::copy_file(b_.certificate, cert, fs::copy_options::overwrite_existing);
  fs::copy_file(b_.private_key, key, fs::copy_options::overwrite_existing);
  auto reloaded = server.layer.reload_tls(cert.string(), key.string());
  ASSERT_TRUE(reloaded) << reloaded.error();
  EXPECT_EQ(common_name_of_new_connection(io, endpoint), "cert-b.test");
}

TEST_F(TlsReload, BadFilesFailAndTheCertificateInUseStays) {
  boost::asio::io_context io;
  Peer server(io, config_with(a_));
  ASSERT_TRUE(server.start_error.empty()) << server.start_error;
  const auto endpoint = server.endpoint(Transport::Tls);
  ASSERT_TRUE(server.layer.reload_tls(b_.certificate, b_.private_key));

  const fs::path garbage = dir_ / "garbage-key.pem";
  write_file(garbage, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
  auto invalid = server.layer.reload_tls(a_.certificate, garbage.string());
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.error().find("garbage-key.pem"), std::string::npos) << invalid.error();

  auto mismatched = server.layer.reload_tls(a_.certificate, b_.private_key);
  ASSERT_FALSE(mismatched);
  // OpenSSL reports the mismatch while loading the key ("key values mismatch").
  EXPECT_NE(mismatched.error().find(b_.private_key), std::string::npos) << mismatched.error();

  auto missing = server.layer.reload_tls((dir_ / "nope.pem").string(), a_.private_key);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope.pem"), std::string::npos) << missing.error();

  auto half = server.layer.reload_tls(a_.certificate, "");
  EXPECT_FALSE(half);

  EXPECT_EQ(server.layer.tls_certificate_file(), b_.certificate);
  EXPECT_EQ(common_name_of_new_connection(io, endpoint), "cert-b.test");
}

TEST_F(TlsReload, EmptyPathsSwitchToTheGeneratedPair) {
  boost::asio::io_context io;
  Peer server(io, config_with(a_));
  ASSERT_TRUE(server.start_error.empty()) << server.start_error;
  auto reloaded = server.layer.reload_tls("", "");
  ASSERT_TRUE(reloaded) << reloaded.error();
  EXPECT_EQ(*reloaded, (dir_ / "data" / "tls" / "sip-cert.pem").string());
  EXPECT_EQ(common_name_of_new_connection(io, server.endpoint(Transport::Tls)), local_host_name());
}

TEST_F(TlsReload, WithoutATlsListenerReloadIsAnError) {
  boost::asio::io_context io;
  auto config = config_with(a_);
  config.listeners = {{Transport::Tcp, "127.0.0.1", 0}};
  Peer server(io, config);
  ASSERT_TRUE(server.start_error.empty()) << server.start_error;
  EXPECT_FALSE(server.layer.reload_tls(b_.certificate, b_.private_key));
}

}  // namespace
}  // namespace kolokol::sip
