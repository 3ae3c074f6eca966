// http_server.h — a small HTTP/1.1 static file server for `scalebook serve`.
//
// Implemented: GET and HEAD, keep-alive, several connections at once (poll),
// MIME types for everything the site ships (.html .js .css .svg .wasm
// .webmanifest …), index.html for directories, 404.html with status 404,
// Cache-Control: no-cache. Refuses directory traversal (.., encoded or not) and
// hidden files. Not implemented: ranges, compression, TLS — it is a local
// authoring server bound to 127.0.0.1.
#pragma once
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace scalebook::site {

class HttpServer {
 public:
  explicit HttpServer(std::filesystem::path root);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // port 0 picks a free port (see port()).
  bool listen(const std::string& host, int port, std::string& error);
  int port() const { return port_; }
  // Accepts and answers requests for about `budget`, then returns.
  void serve_for(std::chrono::milliseconds budget);

  static std::string mime_type(const std::string& path);
  // Decodes the URL path and maps it under the root; false for traversal,
  // hidden files or malformed escapes. `rel` has no leading '/'.
  static bool resolve_url_path(const std::string& url_path, std::string& rel);
  // The full response (status line, headers, body) for one request.
  std::string respond(const std::string& method, const std::string& target) const;

 private:
  struct Connection {
    int fd = -1;
    std::string in;
    std::chrono::steady_clock::time_point last_active;
  };
  std::filesystem::path root_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<Connection> connections_;
  bool handle_readable(Connection& c);  // false = close
};

}  // namespace scalebook::site
