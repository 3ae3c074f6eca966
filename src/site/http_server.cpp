#include "site/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstring>

#include "site/text.h"

namespace fs = std::filesystem;

namespace scalebook::site {

HttpServer::HttpServer(fs::path root) : root_(std::move(root)) {}

HttpServer::~HttpServer() {
  for (auto& c : connections_) ::close(c.fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool HttpServer::listen(const std::string& host, int port, std::string& error) {
  std::signal(SIGPIPE, SIG_IGN);
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    error = "bad host address '" + host + "'";
    return false;
  }
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno) +
            (errno == EADDRINUSE ? " (try --port N)" : "");
    return false;
  }
  if (::listen(listen_fd_, 64) < 0) {
    error = std::string("listen: ") + std::strerror(errno);
    return false;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  ::fcntl(listen_fd_, F_SETFL, O_NONBLOCK);
  return true;
}

std::string HttpServer::mime_type(const std::string& path) {
  static const std::pair<const char*, const char*> table[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".xml", "application/xml"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".pdf", "application/pdf"},
  };
  std::string lower = path;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& [ext, type] : table)
    if (ends_with(lower, ext)) return type;
  return "application/octet-stream";
}

bool HttpServer::resolve_url_path(const std::string& url_path, std::string& rel) {
  std::string decoded;
  for (size_t i = 0; i < url_path.size(); ++i) {
    char c = url_path[i];
    if (c == '?' || c == '#') break;
    if (c == '%') {
      if (i + 2 >= url_path.size() || !std::isxdigit(static_cast<unsigned char>(url_path[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(url_path[i + 2])))
        return false;
      c = static_cast<char>(std::stoi(url_path.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
    if (c == '\0' || c == '\\') return false;
    decoded += c;
  }
  if (decoded.empty() || decoded[0] != '/') return false;
  rel.clear();
  size_t pos = 1;
  while (pos <= decoded.size()) {
    size_t slash = decoded.find('/', pos);
    if (slash == std::string::npos) slash = decoded.size();
    std::string seg = decoded.substr(pos, slash - pos);
    pos = slash + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg[0] == '.') return false;  // "..", hidden files
    if (!rel.empty()) rel += '/';
    rel += seg;
  }
  if (!decoded.empty() && decoded.back() == '/') rel += rel.empty() ? "index.html" : "/index.html";
  return true;
}

namespace {

std::string status_text(int code) {
  switch (code) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Error";
  }
}

std::string make_response(int code, const std::string& type, const std::string& body, bool head, const std::string& extra = {}) {
  std::string r = "HTTP/1.1 " + std::to_string(code) + " " + status_text(code) + "\r\n";
  r += "Content-Type: " + type + "\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  r += "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n" + extra + "\r\n";
  if (!head) r += body;
  return r;
}

bool send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 5000) <= 0) return false;
        continue;
      }
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string HttpServer::respond(const std::string& method, const std::string& target) const {
  bool head = method == "HEAD";
  if (method != "GET" && !head) return make_response(405, "text/plain; charset=utf-8", "method not allowed\n", false, "Allow: GET, HEAD\r\n");
  std::string rel;
  if (!resolve_url_path(target, rel)) return make_response(400, "text/plain; charset=utf-8", "bad path\n", head);
  fs::path file = root_ / rel;
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    std::string path = target.substr(0, target.find_first_of("?#"));
    if (path.back() != '/') return make_response(301, "text/plain; charset=utf-8", "", head, "Location: " + path + "/\r\n");
    file /= "index.html";
  }
  std::string body;
  if (fs::is_regular_file(file, ec) && read_file_if_exists(file, body)) return make_response(200, mime_type(file.string()), body, head);
  std::string not_found;
  if (read_file_if_exists(root_ / "404.html", not_found)) return make_response(404, "text/html; charset=utf-8", not_found, head);
  return make_response(404, "text/plain; charset=utf-8", "not found\n", head);
}

bool HttpServer::handle_readable(Connection& c) {
  char buf[8192];
  ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
  if (n <= 0) return n < 0 && (errno == EAGAIN || errno == EINTR);
  c.in.append(buf, static_cast<size_t>(n));
  c.last_active = std::chrono::steady_clock::now();
  if (c.in.size() > 64 * 1024) return false;
  while (true) {
    size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return true;
    std::string request = c.in.substr(0, end);
    c.in.erase(0, end + 4);
    size_t line_end = request.find("\r\n");
    std::string line = request.substr(0, line_end);
    size_t s1 = line.find(' '), s2 = line.rfind(' ');
    if (s1 == std::string::npos || s2 == s1) {
      send_all(c.fd, make_response(400, "text/plain; charset=utf-8", "bad request\n", false, "Connection: close\r\n"));
      return false;
    }
    std::string method = line.substr(0, s1), target = line.substr(s1 + 1, s2 - s1 - 1), version = line.substr(s2 + 1);
    std::string lower = request;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool close = version != "HTTP/1.1" || lower.find("\r\nconnection: close") != std::string::npos;
    if (!send_all(c.fd, respond(method, target))) return false;
    if (close) return false;
  }
}

void HttpServer::serve_for(std::chrono::milliseconds budget) {
  auto deadline = std::chrono::steady_clock::now() + budget;
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    std::vector<pollfd> fds;
    fds.push_back({listen_fd_, POLLIN, 0});
    for (auto& c : connections_) fds.push_back({c.fd, POLLIN, 0});
    int timeout = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count());
    int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready <= 0) continue;
    std::vector<bool> keep(connections_.size(), true);
    for (size_t i = 1; i < fds.size(); ++i)
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) keep[i - 1] = handle_readable(connections_[i - 1]);
    std::vector<Connection> alive;
    auto idle_limit = std::chrono::steady_clock::now() - std::chrono::seconds(30);
    for (size_t i = 0; i < connections_.size(); ++i) {
      if (keep[i] && connections_[i].last_active > idle_limit) alive.push_back(std::move(connections_[i]));
      else ::close(connections_[i].fd);
    }
    connections_ = std::move(alive);
    if (fds[0].revents & POLLIN) {
      while (true) {
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) break;
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        connections_.push_back({fd, {}, std::chrono::steady_clock::now()});
      }
    }
  }
}

}  // namespace scalebook::site
