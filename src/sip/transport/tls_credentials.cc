#include "sip/transport/tls_credentials.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace kolokol::sip {
namespace {

template <typename T, void (*Free)(T*)>
struct OpensslDeleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509, X509_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, OpensslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;

struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// Writes via a temporary file and rename, so a crash never leaves half a key behind.
base::Expected<bool, std::string> write_file(const std::filesystem::path& path,
                                             const std::string& content, mode_t mode) {
  const std::string temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return base::unexpected("cannot write " + temp + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return base::unexpected("cannot write " + temp + ": " + why);
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return base::unexpected("cannot create " + path.string() + ": " + ec.message());
  return true;
}

base::Expected<std::pair<std::string, std::string>, std::string> generate(
    const std::string& common_name) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  if (!key || !cert) return base::unexpected(std::string("key generation failed"));
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  RAND_bytes(serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;  // positive
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Kolokol"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), name);
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  if (common_name != "localhost") san = "DNS:" + common_name + "," + san;
  if (!add_extension(cert.get(), NID_subject_alt_name, san) ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement") ||
      !add_extension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth")) {
    return base::unexpected(std::string("certificate extensions rejected (host name ") +
                            common_name + ")");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return base::unexpected(std::string("certificate signing failed"));
  }
  BioPtr key_pem(BIO_new(BIO_s_mem()));
  BioPtr cert_pem(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) ||
      !PEM_write_bio_X509(cert_pem.get(), cert.get())) {
    return base::unexpected(std::string("PEM encoding failed"));
  }
  return std::make_pair(bio_text(cert_pem.get()), bio_text(key_pem.get()));
}

}  // namespace

std::string local_host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

base::Expected<TlsFiles, std::string> ensure_self_signed_certificate(
    const std::string& directory, const std::string& common_name) {
  namespace fs = std::filesystem;
  const fs::path dir(directory);
  TlsFiles files{(dir / "sip-cert.pem").string(), (dir / "sip-key.pem").string(), false};
  std::error_code ec;
  if (fs::exists(files.certificate, ec) && fs::exists(files.private_key, ec)) return files;
  fs::create_directories(dir, ec);
  if (ec) return base::unexpected("cannot create " + directory + ": " + ec.message());
  auto pem = generate(common_name);
  if (!pem) return base::unexpected(pem.error());
  auto key_written = write_file(files.private_key, pem->second, 0600);
  if (!key_written) return base::unexpected(key_written.error());
  auto cert_written = write_file(files.certificate, pem->first, 0644);
  if (!cert_written) return base::unexpected(cert_written.error());
  files.generated = true;
  return files;
}

base::Expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_tls_context(
    const TlsFiles& files) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  context->set_verify_mode(ssl::verify_none);
  boost::system::error_code ec;
  context->use_certificate_chain_file(files.certificate, ec);
  if (ec) {
    return base::unexpected("TLS certificate " + files.certificate + ": " + ec.message());
  }
  context->use_private_key_file(files.private_key, ssl::context::pem, ec);
  if (ec) return base::unexpected("TLS private key " + files.private_key + ": " + ec.message());
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return base::unexpected("TLS private key " + files.private_key + " does not match " +
                            files.certificate);
  }
  return context;
}

}  // namespace kolokol::sip
