// site_server_test.cpp — the `scalebook serve` static server: path resolution
// (no traversal), MIME types, and real HTTP/1.1 exchanges over a socket.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "site/http_server.h"

namespace fs = std::filesystem;
using scalebook::site::HttpServer;

TEST(SiteServer, ResolvesPathsAndRefusesTraversal) {
  std::string rel;
  ASSERT_TRUE(HttpServer::resolve_url_path("/", rel));
  EXPECT_EQ(rel, "index.html");
  ASSERT_TRUE(HttpServer::resolve_url_path("/assets/book.css?v=1#x", rel));
  EXPECT_EQ(rel, "assets/book.css");
  ASSERT_TRUE(HttpServer::resolve_url_path("/a%20b.html", rel));
  EXPECT_EQ(rel, "a b.html");
  ASSERT_TRUE(HttpServer::resolve_url_path("/figures/", rel));
  EXPECT_EQ(rel, "figures/index.html");
  for (const char* bad : {"/../etc/passwd", "/assets/../../x", "/%2e%2e/etc/passwd", "/a/%2E%2E/%2e%2e/b", "/.git/config",
                          "/a%00b", "/a\\..\\b", "relative", "/%zz"})
    EXPECT_FALSE(HttpServer::resolve_url_path(bad, rel)) << bad;
}

TEST(SiteServer, MimeTypesCoverWhatTheSiteShips) {
  EXPECT_EQ(HttpServer::mime_type("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(HttpServer::mime_type("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HttpServer::mime_type("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(HttpServer::mime_type("a.wasm"), "application/wasm");
  EXPECT_EQ(HttpServer::mime_type("a.svg"), "image/svg+xml");
  EXPECT_EQ(HttpServer::mime_type("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(HttpServer::mime_type("A.PNG"), "image/png");
  EXPECT_EQ(HttpServer::mime_type("x.unknown"), "application/octet-stream");
}

namespace {

std::string exchange(int port, const std::string& request, HttpServer& server) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string response;
  // Serve in slices until the server closes the connection (Connection: close).
  for (int i = 0; i < 40; ++i) {
    server.serve_for(std::chrono::milliseconds(20));
    char buf[65536];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) response.append(buf, static_cast<size_t>(n));
    if (n == 0) break;
  }
  ::close(fd);
  return response;
}

}  // namespace

TEST(SiteServer, ServesFilesOverHttp11) {
  // A folder of this process's own: ctest runs tests in parallel processes.
  const fs::path base = fs::temp_directory_path() / ("sb-server-" + std::to_string(::getpid()));
  fs::path root = base / "site";
  fs::remove_all(base);
  fs::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<p>home</p>";
  std::ofstream(root / "404.html") << "<p>lost</p>";
  std::ofstream(root / "assets" / "w.wasm") << "\0asm";
  std::ofstream(base / "sb-secret.txt") << "secret";
  HttpServer server(root);
  std::string err;
  ASSERT_TRUE(server.listen("127.0.0.1", 0, err)) << err;
  int port = server.port();
  ASSERT_GT(port, 0);

  std::string r = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", server);
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(r.find("Content-Length: 11\r\n"), std::string::npos);
  EXPECT_NE(r.find("\r\n\r\n<p>home</p>"), std::string::npos);

  r = exchange(port, "GET /assets/w.wasm HTTP/1.1\r\nConnection: close\r\n\r\n", server);
  EXPECT_NE(r.find("Content-Type: application/wasm\r\n"), std::string::npos) << r;

  r = exchange(port, "GET /missing.html HTTP/1.1\r\nConnection: close\r\n\r\n", server);
  EXPECT_EQ(r.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("<p>lost</p>"), std::string::npos);

  r = exchange(port, "GET /../sb-secret.txt HTTP/1.1\r\nConnection: close\r\n\r\n", server);
  EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
  EXPECT_EQ(r.find("secret"), std::string::npos);
  r = exchange(port, "GET /%2e%2e/sb-secret.txt HTTP/1.1\r\nConnection: close\r\n\r\n", server);
  EXPECT_EQ(r.find("secret"), std::string::npos) << r;

  r = exchange(port, "HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n", server);
  EXPECT_NE(r.find("Content-Length: 11\r\n"), std::string::npos);
  EXPECT_EQ(r.find("<p>home</p>"), std::string::npos) << "HEAD has no body";

  r = exchange(port, "POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", server);
  EXPECT_EQ(r.rfind("HTTP/1.1 405", 0), 0u) << r;

  // keep-alive: two requests on one connection, answered in order
  r = exchange(port, "GET / HTTP/1.1\r\n\r\nGET /assets/w.wasm HTTP/1.1\r\nConnection: close\r\n\r\n", server);
  EXPECT_NE(r.find("text/html"), std::string::npos);
  EXPECT_NE(r.find("application/wasm"), std::string::npos);
  fs::remove_all(root);
  fs::remove_all(base);
}
