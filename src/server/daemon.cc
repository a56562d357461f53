#include "server/daemon.h"

#include <malloc.h>
#include <unistd.h>

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "api/http/health.h"
#include "api/http/server.h"
#include "api/http/standard_routes.h"
#include "base/log.h"
#include "base/metrics.h"
#include "config/value_parsers.h"
#include "runtime/fd_limit.h"
#include "server/admin_api.h"
#include "server/admin_token.h"
#include "server/pbx_store.h"
#include "server/pbx_writes.h"
#include "server/sip_stack.h"
#include "server/version.h"
#include "server/write_behind.h"

namespace kolokol::server {
namespace {

std::string bracketed(const std::string& address) {
  return config::is_ipv6_literal(address) ? "[" + address + "]" : address;
}

media::MediaEngineConfig media_engine_config(const config::MediaSettings& settings) {
  media::MediaEngineConfig out;
  out.bind_address = settings.address;
  out.advertised_address = settings.advertised_address;
  out.port_min = settings.rtp_port_min;
  out.port_max = settings.rtp_port_max;
  out.workers = static_cast<unsigned>(settings.workers);
  out.rtp_timeout = settings.rtp_timeout;
  out.inband_dtmf = settings.inband_dtmf;
  return out;
}

// The keys SIGHUP cannot apply, with whether each differs between two configurations.
std::vector<std::string> restart_only_changes(const config::Config& a, const config::Config& b) {
  std::vector<std::string> changed;
  auto note = [&](bool differs, const char* key) {
    if (differs) changed.emplace_back(key);
  };
  note(a.sip.listen != b.sip.listen, "sip.listen");
  note(a.sip.advertised_host != b.sip.advertised_host, "sip.advertised_host");
  note(a.sip.tcp_idle_timeout != b.sip.tcp_idle_timeout, "sip.tcp_idle_timeout");
  note(a.sip.max_connections != b.sip.max_connections, "sip.max_connections");
  note(a.sip.timers != b.sip.timers, "sip.timers");
  note(a.sip.user_agent != b.sip.user_agent, "sip.user_agent");
  note(a.http != b.http, "http");
  note(a.data_dir != b.data_dir, "data_dir");
  note(a.log.file != b.log.file, "log.file");
  note(a.database != b.database, "database");
  note(a.registrar != b.registrar, "registrar");
  note(a.security != b.security, "security");
  note(a.calls != b.calls, "calls");
  note(a.media != b.media, "media");
  note(a.demo_tenant != b.demo_tenant, "demo_tenant");
  note(a.tenants != b.tenants, "tenants");
  return changed;
}

// Everything one run of the daemon owns, in construction order. The control loop (signals,
// reload, the stop sequence) runs on the thread that called Daemon::run().
class Running {
 public:
  Running(ConfigSource& source, config::Config& config, base::LogHub& logs)
      : source_(source),
        config_(config),
        logs_(logs),
        log_(logs.get("server")),
        health_(std::string(kVersion)),
        signals_(io_, SIGINT, SIGTERM, SIGHUP) {}

  int run() {
    wait_for_signal();
    if (!start()) {
      stop_components();
      logs_.flush();
      return 1;
    }
    io_.run();
    return 0;
  }

 private:
  bool start() {
    log_.info("kolokold {} starting (pid {})", kVersion, ::getpid());
    if (auto limit = runtime::raise_fd_limit()) {
      log_.info("file descriptor limit {} (hard {})", limit->soft, limit->hard);
      if (limit->soft < config_.sip.max_connections + 256) {
        log_.warn(
            "file descriptor limit {} is below sip.max_connections {} plus headroom; "
            "raise LimitNOFILE",
            limit->soft, config_.sip.max_connections);
      }
    } else {
      log_.warn("cannot raise the file descriptor limit: {}", limit.error());
    }
    std::error_code ec;
    std::filesystem::create_directories(config_.data_dir, ec);
    if (ec || !std::filesystem::is_directory(config_.data_dir)) {
      log_.error("cannot create data directory {}: {}", config_.data_dir,
                 ec ? ec.message() : "not a directory");
      return false;
    }
    auto store = PbxStore::open(config_, logs_.get("storage"));
    if (!store) {
      log_.error("{}", store.error());
      return false;
    }
    store_ = std::move(*store);
    binding_writes_ = std::make_unique<WriteBehind<registrar::BindingChange>>(
        *store_, [log = logs_.get("storage")](storage::Database& db, auto changes) {
          write_binding_changes(db, std::move(changes), log);
        });
    call_record_writes_ = std::make_unique<WriteBehind<storage::CallRecord>>(
        *store_, [log = logs_.get("storage")](storage::Database& db, auto records) {
          write_call_records(db, std::move(records), log);
        });
    if (auto issued = store_->bootstrap(config_, default_realm(config_)); !issued) {
      log_.error("{}", issued.error());
      return false;
    }
    auto snapshot = store_->load();
    if (!snapshot) {
      log_.error("{}", snapshot.error());
      return false;
    }
    if (config_.media.anchor && config_.media.record_calls) {
      std::error_code error;
      std::filesystem::create_directories(recording_dir(config_), error);
      if (error) {
        log_.error("media.recording_dir {}: {}", recording_dir(config_), error.message());
        return false;
      }
    }
    if (config_.media.anchor) {
      auto engine = media::MediaEngine::start(media_engine_config(config_.media),
                                              logs_.get("media"), metrics_);
      if (!engine) {
        log_.error("media: {}", engine.error());
        return false;
      }
      media_ = std::move(engine.value());
    }
    sip_ = std::make_unique<SipStack>(config_, logs_, metrics_, persistence(), media_.get());
    if (auto error = sip_->start()) {
      log_.error("SIP: {}", *error);
      return false;
    }
    store_->start();
    sip_->load(std::move(*snapshot));
    // Parsing a large configuration and loading the database leave tens of MiB free inside
    // glibc's heap (100,000 extensions: 343 MiB resident before this, see docs/performance.md).
    ::malloc_trim(0);
    auto token = load_or_create_admin_token(config_.data_dir);
    if (!token) {
      log_.error("{}", token.error());
      return false;
    }
    if (token->created) log_.info("admin API token written to {} (mode 0600)", token->path);
    if (token->readable_by_others) {
      log_.warn("{} is readable by other users: chmod 600 it", token->path);
    }
    http::Router router;
    http::add_standard_routes(router, health_, metrics_);
    add_admin_routes(router, {*store_, *sip_, token->value, logs_.get("admin")});
    http::ServerOptions options;
    options.address = config_.http.address;
    options.port = config_.http.port;
    options.max_body_bytes = config_.http.max_body_size;
    options.read_timeout = config_.http.read_timeout;
    options.server_name = "kolokold/" + std::string(kVersion);
    http_ = std::make_unique<http::Server>(options, std::move(router), logs_.get("http"));
    if (auto port = http_->start(); !port) {
      log_.error("{}", port.error());
      return false;
    }
    health_.set_ready();
    std::string sip_listeners;
    for (const auto& listener : sip_->listeners()) {
      sip_listeners += (sip_listeners.empty() ? "" : ", ") + listener;
    }
    log_.info("kolokold {} ready: sip {}; http {}:{}; data_dir {}", kVersion,
              sip_listeners.empty() ? "(none)" : sip_listeners, bracketed(config_.http.address),
              http_->port(), config_.data_dir);
    return true;
  }

  void wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;  // cancelled at the end of the stop sequence
      if (signal == SIGHUP) {
        reload();
      } else {
        begin_stop(signal == SIGTERM ? "SIGTERM" : "SIGINT");
      }
      if (!finished_) wait_for_signal();
    });
  }

  void begin_stop(const char* signal_name) {
    if (stopping_) {
      log_.warn("{} again: stopping without waiting for the drain", signal_name);
      return finish(0);
    }
    stopping_ = true;
    health_.set_draining();
    const auto timeout = config_.shutdown.drain_timeout;
    log_.info("{}: stopping; new requests get 503, waiting up to {} for transactions in progress",
              signal_name, config::format_duration(timeout));
    if (!sip_) return finish(0);
    sip_->drain(timeout, [this](std::size_t remaining) {
      boost::asio::post(io_, [this, remaining] { finish(remaining); });
    });
  }

  void finish(std::size_t remaining) {
    if (finished_) return;
    finished_ = true;
    if (remaining > 0) {
      log_.warn("drain timeout: {} transactions still without a final response", remaining);
    } else {
      log_.info("no transaction in progress");
    }
    stop_components();
    log_.info("kolokold stopped");
    logs_.flush();
    signals_.cancel();
    io_.stop();
  }

  // HTTP first (its handlers may wait on the SIP and database threads), then SIP, then the
  // database once every write the SIP side posted has run.
  void stop_components() {
    if (http_) http_->stop();
    if (sip_) sip_->stop();
    if (binding_writes_) binding_writes_->flush_now();
    if (call_record_writes_) call_record_writes_->flush_now();
    if (store_) store_->stop();
  }

  // What the PBX hands to the database thread.
  pbx::PbxPersistence persistence() {
    pbx::PbxPersistence out;
    out.binding_changed = [this](const registrar::BindingChange& change) {
      binding_writes_->add(change);
    };
    out.call_ended = [this](storage::CallRecord record) {
      call_record_writes_->add(std::move(record));
    };
    return out;
  }

  void reload() {
    if (!source_.file) {
      log_.info("SIGHUP: running on embedded defaults, there is no file to reload");
      return;
    }
    log_.info("SIGHUP: reloading {}", *source_.file);
    auto loaded = config::load_config(source_.file, source_.overrides, source_.defaults);
    if (!loaded) {
      for (const auto& error : loaded.error()) log_.error("reload: {}", error.to_string());
      log_.error("SIGHUP: {} rejected; the running configuration stays", *source_.file);
      return;
    }
    apply_reload(*loaded);
  }

  void apply_reload(const config::Config& next) {
    if (next.log.level != config_.log.level) {
      logs_.set_level(next.log.level);
      log_.info("reload: log.level {} -> {}", config_.log.level, next.log.level);
      config_.log.level = next.log.level;
    }
    if (next.sip.domains != config_.sip.domains) {
      if (sip_) sip_->set_domains(next.sip.domains);
      log_.info("reload: sip.domains now {} entries", next.sip.domains.size());
      config_.sip.domains = next.sip.domains;
    }
    if (next.shutdown != config_.shutdown) {
      log_.info("reload: shutdown.drain_timeout {}",
                config::format_duration(next.shutdown.drain_timeout));
      config_.shutdown = next.shutdown;
    }
    if (sip_ && listens_on_tls(next)) reload_tls(next.sip.tls);
    for (const auto& key : restart_only_changes(config_, next)) {
      log_.warn("reload: {} changed; restart kolokold to apply it", key);
    }
    log_.info("SIGHUP: reload done");
  }

  static bool listens_on_tls(const config::Config& config) {
    return std::any_of(
        config.sip.listen.begin(), config.sip.listen.end(),
        [](const config::SipListener& l) { return l.transport == config::SipTransport::Tls; });
  }

  // Also with unchanged paths: SIGHUP is how a renewed certificate is picked up. The result
  // comes back from the SIP thread and is logged (and the paths recorded) on this one.
  void reload_tls(const config::TlsFiles& files) {
    sip_->reload_tls(files.certificate, files.private_key,
                     [this, files](base::Expected<std::string, std::string> result) {
                       boost::asio::post(io_, [this, files, result = std::move(result)] {
                         if (result) {
                           log_.info("reload: TLS certificate reloaded from {}", *result);
                           config_.sip.tls = files;
                         } else {
                           log_.error("reload: TLS certificate not reloaded, the old one stays: {}",
                                      result.error());
                         }
                       });
                     });
  }

  ConfigSource& source_;
  config::Config& config_;
  base::LogHub& logs_;
  base::Logger log_;
  base::MetricsRegistry metrics_;
  http::HealthState health_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  // Before store_: the store's thread runs their last flush when it stops.
  std::unique_ptr<WriteBehind<registrar::BindingChange>> binding_writes_;
  std::unique_ptr<WriteBehind<storage::CallRecord>> call_record_writes_;
  std::unique_ptr<PbxStore> store_;
  std::unique_ptr<media::MediaEngine> media_;  // outlives the calls of sip_, which hold relays
  std::unique_ptr<SipStack> sip_;
  std::unique_ptr<http::Server> http_;
  bool stopping_ = false;
  bool finished_ = false;
};

}  // namespace

Daemon::Daemon(ConfigSource source, config::Config config)
    : source_(std::move(source)), config_(std::move(config)) {}

int Daemon::run() {
  std::unique_ptr<base::LogHub> logs;
  try {
    logs = std::make_unique<base::LogHub>(config_.log.level, config_.log.file);
  } catch (const std::exception& e) {
    std::cerr << "kolokold: cannot open the log file " << config_.log.file << ": " << e.what()
              << "\n";
    return 1;
  }
  return Running(source_, config_, *logs).run();
}

}  // namespace kolokol::server
