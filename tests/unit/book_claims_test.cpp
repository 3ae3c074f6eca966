// book_claims_test.cpp — issue #17 §1: the text and the widgets must agree, provably.
//
// For every ```widget fence in every chapter of content/ this test
//  (a) finds the fence (a line scan for ```widget NAME … ```, parsed and validated by the
//      site library's parse_widget_fence, presets expanded by effective_params),
//  (b) runs the fence's exact configuration through the real `scalebook sim` binary
//      (SCALEBOOK_TOOL, popen) — plus, for a claim about a change the reader is told to make,
//      exactly that change on top of it — and asserts each number the "Try it" passage states,
//      within the absolute tolerance written beside it (the rounding the prose uses), and
//  (c) fails, naming them, for every fence that has no claim check here.
// Each claim also carries the phrase the chapter prints; the test checks that the fence's
// passage (the prose between the previous heading or fence and the next heading or fence)
// still contains it, so editing the prose without this file, or this file without the prose,
// fails. Fences are identified by chapter file + a substring of their caption.
//
// The seed: the CLI's default seed is 1, the widget's default seed on the page.
// Browser-only quantities: the widgets draw load bars, amber delay tails, a compare lane and
// moving keys; those pictures are not testable natively, so each claim about them checks
// the model quantity behind the picture (keys_max_over_mean for the bars, delay_ms.max for
// the tails, the per-node key counts for "absorbed by all survivors"). `scalebook sim fanout`
// runs one strategy (compare is widget-only), so a fan-out compare lane is run as
// strategy=<the compared strategy> with everything else unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "site/widget_fence.h"

// The claim table below uses designated initializers and leaves unused members at their
// defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

namespace fs = std::filesystem;
using scalebook::site::WidgetFence;

// ---------- a minimal JSON reader (numbers, strings, bools, null, arrays, objects) ----------
struct Json {
  enum Kind { Null, Bool, Num, Str, Arr, Obj } kind = Null;
  double num = 0;
  bool b = false;
  std::string str;
  std::vector<Json> arr;
  std::map<std::string, Json> obj;
};

struct JsonParser {
  const std::string& s;
  std::size_t i = 0;
  bool ok = true;
  void ws() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  std::string string_lit() {
    std::string out;
    ++i;  // opening quote
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) {
        out.push_back(s[i + 1]);
        i += 2;
      } else {
        out.push_back(s[i++]);
      }
    }
    ++i;
    return out;
  }
  Json value() {
    ws();
    Json v;
    if (i >= s.size()) {
      ok = false;
      return v;
    }
    const char c = s[i];
    if (c == '{') {
      v.kind = Json::Obj;
      ++i;
      ws();
      if (s[i] == '}') {
        ++i;
        return v;
      }
      while (ok) {
        ws();
        const std::string k = string_lit();
        ws();
        if (s[i] != ':') ok = false;
        ++i;
        v.obj[k] = value();
        ws();
        if (s[i] == ',') {
          ++i;
          continue;
        }
        if (s[i] == '}') {
          ++i;
          break;
        }
        ok = false;
      }
    } else if (c == '[') {
      v.kind = Json::Arr;
      ++i;
      ws();
      if (s[i] == ']') {
        ++i;
        return v;
      }
      while (ok) {
        v.arr.push_back(value());
        ws();
        if (s[i] == ',') {
          ++i;
          continue;
        }
        if (s[i] == ']') {
          ++i;
          break;
        }
        ok = false;
      }
    } else if (c == '"') {
      v.kind = Json::Str;
      v.str = string_lit();
    } else if (s.compare(i, 4, "true") == 0) {
      v.kind = Json::Bool;
      v.b = true;
      i += 4;
    } else if (s.compare(i, 5, "false") == 0) {
      v.kind = Json::Bool;
      i += 5;
    } else if (s.compare(i, 4, "null") == 0) {
      i += 4;
    } else {
      char* end = nullptr;
      v.kind = Json::Num;
      v.num = std::strtod(s.c_str() + i, &end);
      if (end == s.c_str() + i) ok = false;
      i = static_cast<std::size_t>(end - s.c_str());
    }
    return v;
  }
};

// "results.1.admitted", "compare.operation.moved_fraction": object keys and array indices.
const Json* at(const Json& root, const std::string& path) {
  const Json* cur = &root;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (cur->kind == Json::Obj) {
      auto it = cur->obj.find(part);
      if (it == cur->obj.end()) return nullptr;
      cur = &it->second;
    } else if (cur->kind == Json::Arr) {
      const std::size_t k = std::stoul(part);
      if (k >= cur->arr.size()) return nullptr;
      cur = &cur->arr[k];
    } else {
      return nullptr;
    }
  }
  return cur;
}

// ---------- the chapters' fences ----------
struct FoundFence {
  std::string file;     // "phase-3-distributed-patterns.md"
  int line = 0;         // line of the opening ```
  std::string widget;   // "rate-limiter"
  std::string caption;  // as written
  std::vector<std::pair<std::string, std::string>> params;  // presets expanded
  std::string passage;  // prose from the previous heading/fence to the next heading/fence
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<FoundFence> scan_chapters() {
  std::vector<FoundFence> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(SCALEBOOK_SOURCE_DIR) / "content"))
    if (e.path().extension() == ".md") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::vector<std::string> lines;
    {
      std::stringstream ss(read_file(path));
      std::string l;
      while (std::getline(ss, l)) lines.push_back(l);
    }
    struct Span {
      int open, close;  // 0-based line indices of ``` lines
    };
    std::vector<Span> spans;
    std::vector<int> headings;
    bool in_code = false;
    for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
      const std::string& l = lines[i];
      if (l.rfind("```", 0) == 0) {
        if (!in_code) {
          in_code = true;
          if (scalebook::site::is_widget_info(l.substr(3))) spans.push_back({i, -1});
        } else if (l.find_first_not_of('`') == std::string::npos) {
          in_code = false;
          if (!spans.empty() && spans.back().close < 0) spans.back().close = i;
        }
        continue;
      }
      if (!in_code && l.rfind("#", 0) == 0 && l.find(' ') != std::string::npos &&
          l.find_first_not_of('#') == l.find(' '))
        headings.push_back(i);
    }
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const Span& sp = spans[k];
      EXPECT_GE(sp.close, 0) << path.filename().string() << ":" << sp.open + 1 << ": unclosed widget fence";
      if (sp.close < 0) continue;
      std::string body;
      for (int i = sp.open + 1; i < sp.close; ++i) body += lines[i] + "\n";
      WidgetFence wf;
      std::vector<scalebook::site::Diagnostic> errors;
      const std::string shown = "content/" + path.filename().string();
      const bool ok = scalebook::site::parse_widget_fence(lines[sp.open].substr(3), body, sp.open + 1, shown, wf, errors);
      for (const auto& e : errors) ADD_FAILURE() << e.str();
      if (!ok) continue;
      int from = 0, to = static_cast<int>(lines.size());
      for (int h : headings) {
        if (h < sp.open) from = std::max(from, h);
        if (h > sp.close) to = std::min(to, h);
      }
      if (k > 0) from = std::max(from, spans[k - 1].close + 1);
      if (k + 1 < spans.size()) to = std::min(to, spans[k + 1].open);
      std::string passage;
      for (int i = from; i < to; ++i)
        if (i < sp.open || i > sp.close) passage += lines[i] + "\n";
      FoundFence f;
      f.file = path.filename().string();
      f.line = sp.open + 1;
      f.widget = std::string(wf.widget->name);
      f.caption = wf.caption;
      f.params = scalebook::site::effective_params(wf);
      f.passage = passage;
      out.push_back(std::move(f));
    }
  }
  return out;
}

// ---------- running the real binary ----------
std::string run_sim(const std::string& widget, const std::vector<std::pair<std::string, std::string>>& params,
                    const std::vector<std::string>& reader_sets, bool json, const std::vector<std::string>& run = {}) {
  std::map<std::string, std::string> p(params.begin(), params.end());
  for (const auto& s : reader_sets) {
    const auto eq = s.find('=');
    p[s.substr(0, eq)] = s.substr(eq + 1);
  }
  std::string cmd = std::string("'") + SCALEBOOK_TOOL + "' sim " + widget;
  for (const auto& [k, v] : p) cmd += " --set '" + k + "=" + v + "'";
  for (const auto& a : run) cmd += " '" + a + "'";
  if (json) cmd += " --json";
  cmd += " 2>&1";
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "popen failed: " << cmd;
    return out;
  }
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int rc = pclose(pipe);
  EXPECT_EQ(rc, 0) << cmd << "\n" << out.substr(0, 400);
  return out;
}

// ---------- the claims ----------
// A claim: the phrase the passage prints, the reader's changes on top of the fence (if
// the passage tells them to make one), and how to get the number from the run.
struct Claim {
  std::string phrase;
  std::vector<std::string> sets;  // "key=value" edits the passage tells the reader to make
  // What the reader is told to do during the run, as `scalebook sim` arguments:
  // {"--action", "3:crash-leader", "--until", "12"} (widgets with actions).
  std::vector<std::string> run;
  std::string path;               // JSON path; empty when `measure` is given
  // For numbers not in the JSON summary: computed from the JSON (json=true) or from the
  // per-request lines (json=false).
  std::function<double(const Json&, const std::string&)> measure = nullptr;
  double expected = 0;
  double tol = 0;  // absolute
  bool json = true;
};

struct FenceClaims {
  std::string file;
  std::string caption_part;  // identifies the fence within its chapter
  std::vector<Claim> claims;
};

// Survivors whose key count rose after remove-node: `which` = "" (main) or "compare.".
std::function<double(const Json&, const std::string&)> gainers(const std::string& which) {
  return [which](const Json& j, const std::string&) {
    const Json* before = at(j, which + "load.nodes");
    const Json* after = at(j, which + "after.nodes");
    if (!before || !after) return -1.0;
    double n = 0;
    for (std::size_t i = 0; i < after->arr.size() && i < before->arr.size(); ++i)
      if (at(after->arr[i], "keys")->num > at(before->arr[i], "keys")->num) n += 1;
    return n;
  };
}

// Keys on node `i` before the operation (main strategy, or "compare.").
std::function<double(const Json&, const std::string&)> node_keys(const std::string& which, int i) {
  return [which, i](const Json& j, const std::string&) {
    const Json* v = at(j, which + "load.nodes." + std::to_string(i) + ".keys");
    return v ? v->num : -1.0;
  };
}

// Per-request output with two compared algorithms: requests whose decisions differ.
double differing_decisions(const Json&, const std::string& raw) {
  std::stringstream ss(raw);
  std::string line;
  double differ = 0, rows = 0;
  while (std::getline(ss, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string first = line.substr(line.rfind(' ', tab) + 1, tab - line.rfind(' ', tab) - 1);
    const std::string second = line.substr(tab + 1);
    rows += 1;
    if (first != second) differ += 1;
  }
  return rows > 0 ? differ : -1.0;
}

// The first Raft fence: the first election, then a crashed leader replaced between 1.2 and
// 1.4 s later wherever in the run the reader crashes it, then three crashes.
std::vector<Claim> raft_claims() {
  std::vector<Claim> c = {
      {.phrase = "is elected leader of term 1 at 1.11 s", .run = {"--until", "3"}, .path = "state.last_elected_us",
       .expected = 1.11e6, .tol = 0.005e6},
      {.phrase = "n5, runs a pre-election, wins it", .run = {"--until", "3"},
       .measure = [](const Json& j, const std::string&) {
         return at(j, "state.leader")->num == 5 ? at(j, "state.pre_campaigns")->num : -1.0;
       },
       .expected = 1},
      {.phrase = "a third leader takes term 3",
       .run = {"--action", "3:crash-leader", "--action", "8:crash-leader", "--until", "12"},
       .path = "state.max_term", .expected = 3},
      {.phrase = "leaves the committed count at 49 for the rest of the run",
       .run = {"--action", "3:crash-leader", "--action", "8:crash-leader", "--action", "13:crash-leader", "--until", "14"},
       .path = "state.committed_proposals", .expected = 49},
      {.phrase = "leaves the committed count at 49 for the rest of the run",
       .run = {"--action", "3:crash-leader", "--action", "8:crash-leader", "--action", "13:crash-leader", "--until", "60"},
       .path = "state.committed_proposals", .expected = 49},
      {.phrase = "their term stays at 3",
       .run = {"--action", "3:crash-leader", "--action", "8:crash-leader", "--action", "13:crash-leader", "--until", "60"},
       .path = "state.max_term", .expected = 3},
  };
  // "whenever you crash it, a new leader is elected between 1.2 and 1.4 seconds later, in term 2"
  for (const char* at_s : {"2", "3.3", "5", "7.7", "10", "14.2", "20", "31.5", "45"}) {
    const double t = std::stod(at_s);
    c.push_back({.phrase = "a new leader is elected between 1.2 and 1.4 seconds later, in term 2",
                 .run = {"--action", std::string(at_s) + ":crash-leader", "--until", std::to_string(t + 5)},
                 .measure = [t](const Json& j, const std::string&) {
                   if (at(j, "state.max_term")->num != 2 || at(j, "state.leader")->num == 0) return -1.0;
                   return at(j, "state.last_elected_us")->num / 1e6 - t;
                 },
                 .expected = 1.3, .tol = 0.1});
  }
  return c;
}

std::vector<Claim> breaker_claims() {
  const std::vector<std::string> slow = {"--action", "10:slow", "--until", "30"};
  const std::vector<std::string> slow_recover = {"--action", "10:slow", "--action", "30:recover", "--until", "40"};
  const auto transition = [](int i, const char* to) {
    return [i, to](const Json& j, const std::string&) {
      const std::string k = "state.breaker.log." + std::to_string(i);
      return at(j, k + ".to")->str == to ? at(j, k + ".time_us")->num : -1.0;
    };
  };
  return {
      {.phrase = "The pool of 50 is full 0.6 s later", .run = {"--action", "10:slow", "--until", "10.6"},
       .path = "state.threads.max_busy", .expected = 50, .tol = 0},
      {.phrase = "The pool of 50 is full 0.6 s later", .run = {"--action", "10:slow", "--until", "10.5"},
       .measure = [](const Json& j, const std::string&) { return at(j, "state.threads.max_busy")->num < 50 ? 1.0 : 0.0; },
       .expected = 1},
      {.phrase = "by 17 s, 378 have been", .run = {"--action", "10:slow", "--until", "17"},
       .path = "state.totals.turned_away", .expected = 378, .tol = 0},
      {.phrase = "The breaker meanwhile stays CLOSED", .run = {"--action", "10:slow", "--until", "17"},
       .measure = [](const Json& j, const std::string&) {
         return at(j, "state.breaker.state")->str == "CLOSED" ? at(j, "state.breaker.opened")->num : -1.0;
       },
       .expected = 0},
      {.phrase = "the thousand successes of the ten healthy seconds", .run = {"--action", "10:slow", "--until", "10"},
       .path = "state.totals.ok", .expected = 1000, .tol = 20},
      {.phrase = "the breaker opens at 17.05 s", .run = slow, .path = "state.breaker.first_open_us", .expected = 17.05e6,
       .tol = 0.005e6},
      {.phrase = "no request is turned away for the rest of the 30-second run: 385 in all", .run = slow,
       .path = "state.totals.turned_away", .expected = 385, .tol = 0},
      {.phrase = "Five seconds later the breaker goes half-open", .run = slow, .measure = transition(1, "HALF_OPEN"),
       .expected = 22.05e6, .tol = 0.05e6},
      {.phrase = "at 23.20 s it is OPEN again", .run = slow, .measure = transition(2, "OPEN"), .expected = 23.20e6,
       .tol = 0.005e6},
      {.phrase = "closes at 34.46 s, when ten trial calls have succeeded", .run = slow_recover,
       .path = "state.breaker.last_closed_us", .expected = 34.46e6, .tol = 0.005e6},
      {.phrase = "the service turns away 1,053 requests", .sets = {"breaker=false"}, .run = slow_recover,
       .path = "state.totals.turned_away", .expected = 1053, .tol = 0},
      {.phrase = "and 986 calls time out", .sets = {"breaker=false"}, .run = slow_recover,
       .path = "state.totals.timeouts", .expected = 986, .tol = 0},
      {.phrase = "against 385 and 370 with the breaker", .run = slow_recover, .path = "state.totals.turned_away",
       .expected = 385, .tol = 0},
      {.phrase = "against 385 and 370 with the breaker", .run = slow_recover, .path = "state.totals.timeouts",
       .expected = 370, .tol = 0},
      {.phrase = "which answered 1,703 from the fallback instead", .run = slow_recover, .path = "state.totals.fallback",
       .expected = 1703, .tol = 0},
      {.phrase = "the breaker opens at 11.12 s, just over a second after the fault",
       .sets = {"window_type=count", "window_size=20"}, .run = slow, .path = "state.breaker.first_open_us",
       .expected = 11.12e6, .tol = 0.005e6},
      {.phrase = "only 51 requests are turned away by 30 s", .sets = {"window_type=count", "window_size=20"},
       .run = slow, .path = "state.totals.turned_away", .expected = 51, .tol = 0},
  };
}

// Quorum replication (Section 2.2): the defaults (N = 3, R = W = 2), then the sloppy preset
// (hinted_handoff=true), with the reader's crashes and split as actions.
std::vector<Claim> quorum_claims() {
  const std::vector<std::string> minute = {"--until", "60"};
  const std::vector<std::string> one_crash = {"--action", "10:crash:2", "--until", "60"};
  const std::vector<std::string> two_crashes = {"--action", "10:crash:2", "--action", "20:crash:4", "--until", "60"};
  return {
      {.phrase = "five nodes, n1 to n5", .run = minute, .measure = [](const Json& j, const std::string&) {
         return static_cast<double>(at(j, "state.nodes")->arr.size());
       },
       .expected = 5},
      {.phrase = "Fifty writes and fifty reads a second go to ten keys", .run = minute, .path = "state.writes.issued",
       .expected = 3000, .tol = 60},
      {.phrase = "Fifty writes and fifty reads a second go to ten keys", .run = minute, .path = "state.reads.issued",
       .expected = 3000, .tol = 60},
      {.phrase = "Of 3,037 reads, none is stale", .run = minute, .path = "state.reads.ok", .expected = 3037},
      {.phrase = "Of 3,037 reads, none is stale", .run = minute, .path = "state.stale_reads", .expected = 0},
      {.phrase = "89 of them received two different versions", .run = minute, .path = "state.mismatched_reads",
       .expected = 89},
      {.phrase = "A write takes 7.2 ms at the median", .run = minute, .path = "state.latency_us.write_p50",
       .expected = 7200, .tol = 50},
      {.phrase = "and 18.6 ms at the 99th percentile", .run = minute, .path = "state.latency_us.write_p99",
       .expected = 18600, .tol = 50},
      {.phrase = "Nothing fails: every key still has two live replicas", .run = one_crash, .measure =
           [](const Json& j, const std::string&) {
             return at(j, "state.writes.failed")->num + at(j, "state.reads.failed")->num;
           },
       .expected = 0},
      {.phrase = "the reads' 99th percentile rises to 28.5 ms", .run = one_crash, .path = "state.latency_us.read_p99",
       .expected = 28500, .tol = 50},
      {.phrase = "the reads' 99th percentile rises to 28.5 ms", .run = minute, .path = "state.latency_us.read_p99",
       .expected = 18900, .tol = 50},  // from the run without a crash
      {.phrase = "1,378 writes and 1,430 reads fail by 60 s", .run = two_crashes, .path = "state.writes.unavailable",
       .expected = 1378},
      {.phrase = "1,378 writes and 1,430 reads fail by 60 s", .run = two_crashes, .path = "state.reads.unavailable",
       .expected = 1430},
      {.phrase = "The writes' 99th percentile falls to 12.1 ms", .sets = {"r=1", "w=1"}, .run = minute,
       .path = "state.latency_us.write_p99", .expected = 12100, .tol = 50},
      {.phrase = "32 of the 3,037 reads, 1.1%, return an old value", .sets = {"r=1", "w=1"}, .run = minute,
       .path = "state.stale_reads", .expected = 32},
      {.phrase = "32 of the 3,037 reads, 1.1%, return an old value", .sets = {"r=1", "w=1"}, .run = minute,
       .measure = [](const Json& j, const std::string&) {
         return 100 * at(j, "state.stale_reads")->num / at(j, "state.reads.ok")->num;
       },
       .expected = 1.1, .tol = 0.05},
  };
}

std::vector<Claim> quorum_sloppy_claims() {
  const std::vector<std::string> split = {"--action", "10:split:2", "--action", "30:heal", "--until", "60"};
  const std::vector<std::string> split_31 = {"--action", "10:split:2", "--action", "30:heal", "--until", "31"};
  return {
      {.phrase = "All 2,994 writes of the minute succeed", .run = split, .path = "state.writes.issued",
       .expected = 2994},
      {.phrase = "All 2,994 writes of the minute succeed", .run = split, .path = "state.writes.failed", .expected = 0},
      {.phrase = "1,117 of them through stand-ins", .run = split, .path = "state.hinted_writes", .expected = 1117},
      {.phrase = "the first stale read comes at 10.15 s", .run = split, .path = "state.first_stale_us",
       .expected = 10.15e6, .tol = 0.005e6},
      {.phrase = "251 of the 2,517 answered reads, 10.0%, are stale", .run = split, .path = "state.stale_reads",
       .expected = 251},
      {.phrase = "251 of the 2,517 answered reads, 10.0%, are stale", .run = split, .path = "state.reads.ok",
       .expected = 2517},
      {.phrase = "(520 reads fail", .run = split, .path = "state.reads.unavailable", .expected = 520},
      {.phrase = "Within a second of the heal all 20 hints", .run = split_31, .path = "state.hints_delivered",
       .expected = 20},
      {.phrase = "Within a second of the heal all 20 hints", .run = split_31, .path = "state.hints_waiting",
       .expected = 0},
      {.phrase = "key 0's replicas agree again", .run = split_31, .measure = [](const Json& j, const std::string&) {
         return at(j, "state.watched_key.agree")->b ? 1.0 : 0.0;
       },
       .expected = 1},
      {.phrase = "and no read is stale after that", .run = split_31, .path = "state.stale_reads", .expected = 251},
      {.phrase = "505 writes and the same 520 reads fail", .sets = {"hinted_handoff=false"}, .run = split,
       .path = "state.writes.unavailable", .expected = 505},
      {.phrase = "505 writes and the same 520 reads fail", .sets = {"hinted_handoff=false"}, .run = split,
       .path = "state.reads.unavailable", .expected = 520},
      {.phrase = "and not one read is stale", .sets = {"hinted_handoff=false"}, .run = split,
       .path = "state.stale_reads", .expected = 0},
      {.phrase = "the 505 writes fail as before and nothing is stale", .sets = {"sloppy_quorum=false"}, .run = split,
       .path = "state.writes.unavailable", .expected = 505},
      {.phrase = "the 505 writes fail as before and nothing is stale", .sets = {"sloppy_quorum=false"}, .run = split,
       .path = "state.stale_reads", .expected = 0},
      {.phrase = "still bring the minority's replicas up to date", .sets = {"sloppy_quorum=false"}, .run = split,
       .measure = [](const Json& j, const std::string&) {
         return at(j, "state.hints_stored")->num > 0 && at(j, "state.hints_waiting")->num == 0 &&
                        at(j, "state.watched_key.agree")->b
                    ? 1.0
                    : 0.0;
       },
       .expected = 1},
  };
}

// Members (not gone) holding exactly `n` partitions.
std::function<double(const Json&, const std::string&)> members_holding(int n) {
  return [n](const Json& j, const std::string&) {
    const Json* ms = at(j, "state.members");
    if (!ms) return -1.0;
    double k = 0;
    for (const auto& m : ms->arr)
      if (at(m, "state")->str != "gone" && static_cast<int>(at(m, "partitions")->arr.size()) == n) k += 1;
    return k;
  };
}

// How long the group's first rebalance round lasted, µs.
double first_round_us(const Json& j, const std::string&) {
  return at(j, "state.rounds.0.end_us")->num - at(j, "state.rounds.0.start_us")->num;
}

// The consumer-group passage (kafka, Section 3.4), fence 1: the defaults (12 partitions, 6
// consumers, range, 6,000 records/s, 2,000/s per consumer, 3 s rounds). The "Cooperative
// rebalancing" preset is assignor=cooperative-sticky (kafka/info.cpp).
std::vector<Claim> kafka_rebalance_claims() {
  const std::vector<std::string> join = {"--action", "10:join", "--until", "30"};
  const std::vector<std::string> coop = {"assignor=cooperative-sticky"};
  return {
      {.phrase = "with 12 partitions, a 13th consumer sits idle", .sets = {"consumers=13"}, .run = {"--until", "1"},
       .measure = members_holding(0), .expected = 1},
      {.phrase = "six consumers reading a topic of twelve partitions, two each", .run = {"--until", "1"},
       .measure = members_holding(2), .expected = 6},
      {.phrase = "Producers append 6,000 records a second", .run = {"--until", "10"}, .path = "state.totals.appended",
       .expected = 60000},
      {.phrase = "each consumer can process 2,000 a second", .sets = {"produce_rate=20000"}, .run = {"--until", "10"},
       .path = "state.totals.processed", .expected = 120000},
      {.phrase = "Consumers commit their offsets every 5 seconds", .run = {"--until", "7"},
       .path = "state.partitions.0.committed", .expected = 2500},
      {.phrase = "a rebalance round takes 3 seconds", .run = join, .measure = first_round_us, .expected = 3e6},
      {.phrase = "Press **Add a consumer** at 10 s", .run = join, .path = "state.rounds.0.start_us", .expected = 10e6},
      {.phrase = "All 12 partitions are revoked at once", .run = join, .path = "state.rounds.0.revoked", .expected = 12},
      {.phrase = "for the 3.0 s of the round nobody reads anything", .run = join,
       .path = "state.totals.stalled_partition_us", .expected = 36e6},
      {.phrase = "The lag climbs to 18,000 records", .run = join, .path = "state.totals.max_lag", .expected = 18000},
      {.phrase = "the group loses 36 partition-seconds of reading", .run = join,
       .path = "state.totals.stalled_partition_us", .expected = 36e6},
      {.phrase = "five consumers hold two partitions each and two hold one", .run = join,
       .measure = members_holding(2), .expected = 5},
      {.phrase = "five consumers hold two partitions each and two hold one", .run = join,
       .measure = members_holding(1), .expected = 2},
      {.phrase = "Two rebalances follow instead of one", .sets = coop, .run = join, .path = "state.totals.rebalances",
       .expected = 2},
      {.phrase = "takes just one partition from its owner", .sets = coop, .run = join,
       .path = "state.rounds.0.revoked", .expected = 1},
      {.phrase = "so the lag peaks at 3,000 records", .sets = coop, .run = join, .path = "state.totals.max_lag",
       .expected = 3000},
      {.phrase = "loses 3 partition-seconds instead of 36", .sets = coop, .run = join,
       .path = "state.totals.stalled_partition_us", .expected = 3e6},
      {.phrase = "The price is 1,500 records delivered twice", .sets = coop, .run = join,
       .path = "state.totals.duplicates", .expected = 1500},
  };
}

// Fence 2: the static-membership preset (static_membership=true); the dynamic runs the
// passage describes first are the same with static_membership=false.
std::vector<Claim> kafka_crash_claims() {
  const std::vector<std::string> dynamic = {"static_membership=false"};
  const std::vector<std::string> crash = {"--action", "22.5:crash:1", "--until", "90"};
  const std::vector<std::string> leave = {"--action", "22.5:leave:1", "--until", "90"};
  const std::vector<std::string> restart = {"--action", "22.5:crash:1", "--action", "40:restart:1", "--until", "90"};
  return {
      {.phrase = "the last one at 21 s", .sets = dynamic, .run = {"--action", "22.5:crash:1", "--until", "30"},
       .path = "state.members.0.expires_us", .expected = 66e6},
      {.phrase = "so the crash is noticed at 66 s, 43.5 seconds after it happened", .sets = dynamic, .run = crash,
       .path = "state.rounds.0.start_us", .expected = 66e6},
      {.phrase = "The 2,500 records the crashed consumer processed after that commit are delivered twice",
       .sets = dynamic, .run = crash, .path = "state.totals.duplicates", .expected = 2500},
      {.phrase = "the group's lag peaks at 64,000 records", .sets = dynamic, .run = crash, .path = "state.totals.max_lag",
       .expected = 64000},
      {.phrase = "the rebalance begins at 22.50 s, and nothing is delivered twice", .sets = dynamic, .run = leave,
       .path = "state.rounds.0.start_us", .expected = 22.5e6},
      {.phrase = "the rebalance begins at 22.50 s, and nothing is delivered twice", .sets = dynamic, .run = leave,
       .path = "state.totals.duplicates", .expected = 0},
      {.phrase = "Restart it at 40 s and it rejoins with a new `member.id`, which starts a rebalance at once",
       .sets = dynamic, .run = restart, .path = "state.rounds.0.start_us", .expected = 40e6},
      {.phrase = "until that member's session expires at 66 s, 26 seconds during which no consumer reads anything",
       .sets = dynamic, .run = restart, .measure = first_round_us, .expected = 26e6},
      {.phrase = "the lag reaches 176,000 records", .sets = dynamic, .run = restart, .path = "state.totals.max_lag",
       .expected = 176000},
      {.phrase = "the group never rebalances", .run = restart, .path = "state.totals.rebalances", .expected = 0},
      {.phrase = "the lag peaks at 20,000 records", .run = restart, .path = "state.totals.max_lag", .expected = 20000},
      {.phrase = "the 2,500 records processed after the last commit are still delivered twice", .run = restart,
       .path = "state.totals.duplicates", .expected = 2500},
  };
}

// The presets the passage names, written out (static-batching is mode=static, prefix-cache
// shared_prefix=1024, kv-pressure kv_blocks=300; llm/info.cpp).
std::vector<Claim> llm_claims() {
  const std::vector<std::string> minute = {"--until", "60"};
  const auto per_s = [](const Json& j, const std::string&) { return at(j, "state.output_tokens")->num / 60.0; };
  const std::vector<std::string> shared = {"shared_prefix=1024"}, shared_off = {"shared_prefix=1024", "prefix_caching=false"};
  return {
      {.phrase = "Continuous batching generates 59,069 tokens, 984 a second", .run = minute, .path = "state.output_tokens",
       .expected = 59069},
      {.phrase = "Continuous batching generates 59,069 tokens, 984 a second", .run = minute, .measure = per_s,
       .expected = 984, .tol = 0.5},
      {.phrase = "and 207 requests finish", .run = minute, .path = "state.finished", .expected = 207},
      {.phrase = "the median request sees its first token after 81 ms", .run = minute, .path = "state.ttft_p50_us",
       .expected = 81000, .tol = 500},
      {.phrase = "the 99th percentile after 217 ms", .run = minute, .path = "state.ttft_p99_us", .expected = 217000,
       .tol = 500},
      {.phrase = "nobody is left waiting at the end", .run = minute, .path = "state.waiting", .expected = 0},
      {.phrase = "Throughput falls to 687 tokens a second", .sets = {"mode=static"}, .run = minute,
       .measure = per_s, .expected = 687, .tol = 0.5},
      {.phrase = "only 128 requests finish", .sets = {"mode=static"}, .run = minute, .path = "state.finished",
       .expected = 128},
      {.phrase = "69 are still queued at 60 s", .sets = {"mode=static"}, .run = minute,
       .path = "state.waiting", .expected = 69},
      {.phrase = "the median time to first token is 9.36 s", .sets = {"mode=static"}, .run = minute,
       .path = "state.ttft_p50_us", .expected = 9.36e6, .tol = 0.005e6},
      {.phrase = "its 99th-percentile gap between two tokens is 12 ms", .sets = {"mode=static"},
       .run = minute, .path = "state.itl_p99_us", .expected = 12000, .tol = 500},
      {.phrase = "against 94 ms for continuous batching", .run = minute, .path = "state.itl_p99_us", .expected = 94000,
       .tol = 500},
      {.phrase = "229,696 prompt tokens come from the cache", .sets = shared, .run = minute,
       .path = "state.prefix_hit_tokens", .expected = 229696},
      {.phrase = "keeps 981 tokens a second", .sets = shared, .run = minute, .measure = per_s, .expected = 981, .tol = 0.5},
      {.phrase = "with a median time to first token of 88 ms", .sets = shared, .run = minute, .path = "state.ttft_p50_us",
       .expected = 88000, .tol = 500},
      {.phrase = "the scheduler preempts 85 times", .sets = shared_off, .run = minute, .path = "state.preemptions",
       .expected = 85},
      {.phrase = "throughput drops to 534 tokens a second", .sets = shared_off, .run = minute, .measure = per_s,
       .expected = 534, .tol = 0.5},
      {.phrase = "the median time to first token to 15.09 s", .sets = shared_off, .run = minute,
       .path = "state.ttft_p50_us", .expected = 15.09e6, .tol = 0.005e6},
      {.phrase = "the scheduler preempts 67 times", .sets = {"kv_blocks=300"}, .run = minute,
       .path = "state.preemptions", .expected = 67},
      {.phrase = "throughput falls to 592 tokens a second", .sets = {"kv_blocks=300"}, .run = minute,
       .measure = per_s, .expected = 592, .tol = 0.5},
  };
}

std::vector<FenceClaims> all_claims() {
  return {
      // ---- introduction.md: the warm-up widget ----
      {"introduction.md", "A warm-up widget",
       {{.phrase = "it starts with three", .path = "state.waves", .expected = 3, .tol = 0},
        {.phrase = "A wave with 3 crests",
         .measure = [](const Json& j, const std::string&) {
           const Json* s = at(j, "summary");
           return s && s->str.find("A wave with 3 crests") != std::string::npos ? 1.0 : 0.0;
         },
         .expected = 1}}},

      // ---- phase-1 §1.2: round robin against least connections with one slow backend (lb) ----
      {"phase-1-foundations.md", "Four backends, one of them five times slower",
       {{.phrase = "fed the same 20,000 requests at 50% of the pool's nominal capacity", .path = "requests",
         .expected = 20000, .tol = 0},
        {.phrase = "at 50% of the pool's nominal capacity", .path = "utilisation", .expected = 0.5, .tol = 0},
        {.phrase = "Round robin sends backend a every fourth request, 5,000 of the 20,000",
         .path = "lanes.0.backends.0.requests", .expected = 5000, .tol = 0},
        {.phrase = "to 2,991 waiting requests", .path = "lanes.0.backends.0.max_queue", .expected = 2991, .tol = 0},
        {.phrase = "after the last request arrives at 100 s", .measure = [](const Json& j, const std::string&) {
           return at(j, "requests")->num / at(j, "arrival_rate_per_s")->num;
         },
         .expected = 100},
        {.phrase = "the run ends only at 254 s, with a busy all the way", .path = "run_us", .expected = 253.6e6,
         .tol = 0.5e6},
        {.phrase = "the run ends only at 254 s, with a busy all the way", .path = "lanes.0.backends.0.utilisation",
         .expected = 1.0, .tol = 0.001},
        {.phrase = "were busy only about 20% of the run", .path = "lanes.0.backends.1.utilisation", .expected = 0.2,
         .tol = 0.01},
        {.phrase = "The 99th-percentile response time is about 145 s", .path = "lanes.0.latency_us.p99",
         .expected = 145e6, .tol = 0.5e6},
        {.phrase = "The median still looks healthy at 15.5 ms", .path = "lanes.0.latency_us.p50", .expected = 15500,
         .tol = 50},
        {.phrase = "Least connections sends a only 1,827 requests", .path = "lanes.1.backends.0.requests",
         .expected = 1827, .tol = 0},
        {.phrase = "and its 99th percentile is 174 ms", .path = "lanes.1.latency_us.p99", .expected = 174000, .tol = 500},
        {.phrase = "and the 99th percentile is 397 ms", .sets = {"compare=envoy-p2c"}, .path = "lanes.1.latency_us.p99",
         .expected = 397000, .tol = 500}}},

      // ---- phase-2: ketama against a one-point ring (Section 2.2) ----
      {"phase-2-data-layer.md", "Ketama (160 points per server) against a ring with one point",
       {{.phrase = "Ketama's largest server holds 1.13× the average share", .path = "load.keys_max_over_mean",
         .expected = 1.13, .tol = 0.005},
        {.phrase = "one server holding 7,505 of the 10,000 keys (3.0× the average) and another only 3",
         .measure = node_keys("compare.", 2), .expected = 7505, .tol = 0},
        {.phrase = "(3.0× the average)", .path = "compare.load.keys_max_over_mean", .expected = 3.0, .tol = 0.05},
        {.phrase = "and another only 3", .measure = node_keys("compare.", 1), .expected = 3, .tol = 0},
        {.phrase = "Ketama moves 18.8% of the keys", .path = "operation.moved_fraction", .expected = 0.188,
         .tol = 0.0005},
        {.phrase = "the one-point ring moves only 9.7%", .path = "compare.operation.moved_fraction", .expected = 0.097,
         .tol = 0.0005},
        {.phrase = "raise the ring's virtual nodes to 100: its largest server falls to 1.12×",
         .sets = {"vnodes=100"}, .path = "compare.load.keys_max_over_mean", .expected = 1.12, .tol = 0.005},
        {.phrase = "moves 18.2% of the keys", .sets = {"vnodes=100"}, .path = "compare.operation.moved_fraction",
         .expected = 0.182, .tol = 0.0005},
        {.phrase = "Set **compare with** to `mod-n` to see the alternative: 80% of the keys move",
         .sets = {"compare=mod-n"}, .path = "compare.operation.moved_fraction", .expected = 0.80, .tol = 0.005},
        // "goes to its one clockwise neighbour": the view draws the moving keys; natively, the
        // number of survivors whose key count rose.
        {.phrase = "all of the removed server's keys go to its one clockwise neighbour",
         .sets = {"operation=remove-node"}, .measure = gainers("compare."), .expected = 1, .tol = 0},
        {.phrase = "ketama spreads them over all three survivors", .sets = {"operation=remove-node"},
         .measure = gainers(""), .expected = 3, .tol = 0}}},

      // ---- phase-2 §2.3: eviction policies under periodic scans (the cache widget) ----
      {"phase-2-data-layer.md", "Exact LRU against W-TinyLFU under periodic scans",
       {{.phrase = "two caches of 100 items each", .path = "capacity", .expected = 100, .tol = 0},
        {.phrase = "At the end of the run LRU has served 44.4% of the requests", .path = "policies.0.hit_ratio",
         .expected = 0.444, .tol = 0.0005},
        {.phrase = "W-TinyLFU 54.1%", .path = "policies.1.hit_ratio", .expected = 0.541, .tol = 0.0005},
        {.phrase = "and OPT 64.8%", .path = "opt.hit_ratio", .expected = 0.648, .tol = 0.0005},
        {.phrase = "(56.1% at 200 items)", .path = "policies.0.curve.4.hit_ratio", .expected = 0.561, .tol = 0.0005},
        {.phrase = "(56.1% at 200 items)", .path = "policies.0.curve.4.size", .expected = 200, .tol = 0},
        {.phrase = "serves only 39.4%", .sets = {"compare=redis-lru"}, .path = "policies.1.hit_ratio",
         .expected = 0.394, .tol = 0.0005},
        {.phrase = "no better than FIFO (39.7%)", .sets = {"compare=fifo"}, .path = "policies.1.hit_ratio",
         .expected = 0.397, .tol = 0.0005},
        {.phrase = "raising `samples` to 64 barely helps (39.5%)", .sets = {"compare=redis-lru", "samples=64"},
         .path = "policies.1.hit_ratio", .expected = 0.395, .tol = 0.0005},
        {.phrase = "(43.9% against 44.4%)", .sets = {"compare=redis-lru", "rate=20"}, .path = "policies.1.hit_ratio",
         .expected = 0.439, .tol = 0.0005},
        {.phrase = "LRU never hits at all", .sets = {"workload=loop"}, .path = "policies.0.hits", .expected = 0,
         .tol = 0},
        {.phrase = "while W-TinyLFU serves 95.8%", .sets = {"workload=loop"}, .path = "policies.1.hit_ratio",
         .expected = 0.958, .tol = 0.0005},
        {.phrase = "53.5% instead of 54.1%", .sets = {"tinylfu_window=fixed"}, .path = "policies.1.hit_ratio",
         .expected = 0.535, .tol = 0.0006},
        {.phrase = "97.3% against 95.8%", .sets = {"workload=loop", "tinylfu_window=fixed"},
         .path = "policies.1.hit_ratio", .expected = 0.973, .tol = 0.0005},
        {.phrase = "and OPT 98.5%", .sets = {"workload=loop"}, .path = "opt.hit_ratio", .expected = 0.985,
         .tol = 0.0005}}},

      // ---- phase-2 §2.3: the thundering herd (the stampede widget, generic sim, 10 s) ----
      {"phase-2-data-layer.md", "A hot key expiring every 2 s under 1,000 readers a second",
       {{.phrase = "The key expires four times in the run", .path = "state.lanes.0.run.expiries", .expected = 4, .tol = 0},
        {.phrase = "Without protection the database receives 217 queries", .path = "state.lanes.0.run.db_queries",
         .expected = 217, .tol = 0},
        {.phrase = "up to 57 in flight at once", .path = "state.lanes.0.run.peak_in_flight", .expected = 57, .tol = 0},
        {.phrase = "With leases it receives exactly 4", .path = "state.lanes.1.run.db_queries", .expected = 4, .tol = 0},
        {.phrase = "so 99% of reads finish within 32.0 ms", .path = "state.lanes.1.run.p99_us", .expected = 32000, .tol = 50},
        {.phrase = "against 50.5 ms without protection", .path = "state.lanes.0.run.p99_us", .expected = 50500, .tol = 50},
        {.phrase = "stale-while-revalidate also needs only 4 queries", .sets = {"compare=swr"},
         .path = "state.lanes.1.run.db_queries", .expected = 4, .tol = 0},
        {.phrase = "(99% within 0.50 ms)", .sets = {"compare=swr"}, .path = "state.lanes.1.run.p99_us", .expected = 500,
         .tol = 5},
        {.phrase = "serves 207 reads a value that has already expired", .sets = {"compare=swr"},
         .path = "state.lanes.1.run.stale_reads", .expected = 207, .tol = 0},
        {.phrase = "the database sees 9 queries", .sets = {"compare=xfetch"}, .path = "state.lanes.1.run.db_queries",
         .expected = 9, .tol = 0},
        {.phrase = "the key never expires at all", .sets = {"compare=xfetch"}, .path = "state.lanes.1.run.expiries",
         .expected = 0, .tol = 0},
        {.phrase = "32 queries in all", .sets = {"compare=coalesce", "servers=8"}, .path = "state.lanes.1.run.db_queries",
         .expected = 32, .tol = 0},
        {.phrase = "and at most 8 at once", .sets = {"compare=coalesce", "servers=8"},
         .path = "state.lanes.1.run.peak_in_flight", .expected = 8, .tol = 0},
        {.phrase = "without protection 1,065 of the 2,274 queries", .sets = {"write_every=0.1", "db_jitter_ms=25"},
         .path = "state.lanes.0.run.stale_sets", .expected = 1065, .tol = 0},
        {.phrase = "of the 2,274 queries", .sets = {"write_every=0.1", "db_jitter_ms=25"},
         .path = "state.lanes.0.run.db_queries", .expected = 2274, .tol = 0},
        {.phrase = "With leases none does", .sets = {"write_every=0.1", "db_jitter_ms=25"},
         .path = "state.lanes.1.run.stale_sets", .expected = 0, .tol = 0},
        {.phrase = "memcached refuses 12 such sets", .sets = {"write_every=0.1", "db_jitter_ms=25"},
         .path = "state.lanes.1.run.refused_sets", .expected = 12, .tol = 0},
        {.phrase = "but 7,201 readers are handed the stale value", .sets = {"write_every=0.1", "db_jitter_ms=25"},
         .path = "state.lanes.1.run.stale_reads", .expected = 7201, .tol = 0}}},

      // ---- phase-3 §3.5 Try it: burst preset (token bucket, nginx, shaper) ----
      {"phase-3-distributed-patterns.md", "A 30-request spike against a token bucket, nginx limit_req",
       {{.phrase = "turn away about a third of the 60 requests", .path = "requests", .expected = 60, .tol = 0},
        {.phrase = "rejects 21 requests, delaying none", .path = "results.0.rejected", .expected = 21, .tol = 0},
        {.phrase = "delaying none", .path = "results.0.delayed", .expected = 0, .tol = 0},
        {.phrase = "so it lets 12 through within a single second", .path = "results.0.max_released_per_window",
         .expected = 12, .tol = 0},
        {.phrase = "nginx rejects 20", .path = "results.1.rejected", .expected = 20, .tol = 0},
        {.phrase = "and delays 12, by up to 997 ms", .path = "results.1.delayed", .expected = 12, .tol = 0},
        {.phrase = "by up to 997 ms", .path = "results.1.delay_ms.max", .expected = 997, .tol = 0.5},
        {.phrase = "releasing at most 10 in any second", .path = "results.1.max_released_per_window",
         .expected = 10, .tol = 0},
        {.phrase = "The shaper rejects the same 20", .path = "results.2.rejected", .expected = 20, .tol = 0},
        {.phrase = "but delays 24", .path = "results.2.delayed", .expected = 24, .tol = 0},
        // the amber tails are drawn by the view; their length is the delay.
        {.phrase = "by up to 1,997 ms", .path = "results.2.delay_ms.max", .expected = 1997, .tol = 0.5},
        {.phrase = "never releases more than 5 in a second", .path = "results.2.max_released_per_window",
         .expected = 5, .tol = 0}}},

      // ---- phase-3 §3.5: boundary preset ----
      {"phase-3-distributed-patterns.md", "The boundary attack: a fixed window against the sliding log",
       {{.phrase = "The fixed window admits all 100 requests of the run", .path = "results.0.admitted",
         .expected = 100, .tol = 0},
        {.phrase = "20 of them within one second", .path = "results.0.max_released_per_window", .expected = 20,
         .tol = 0},
        {.phrase = "The sliding log and the sliding window counter each admit 50", .path = "results.1.admitted",
         .expected = 50, .tol = 0},
        {.phrase = "each admit 50", .path = "results.2.admitted", .expected = 50, .tol = 0},
        {.phrase = "never more than 10 in any second", .path = "results.1.max_released_per_window", .expected = 10,
         .tol = 0},
        {.phrase = "never more than 10 in any second", .path = "results.2.max_released_per_window", .expected = 10,
         .tol = 0},
        {.phrase = "the counter's estimate is essentially exact", .path = "results.2.counter_error.mean_abs",
         .expected = 0, .tol = 0.001}}},

      // ---- phase-3 §3.5: GCRA against a token bucket ----
      {"phase-3-distributed-patterns.md", "GCRA (redis-cell) with max_burst 15",
       {{.phrase = "both admit 16 within one second", .path = "results.0.max_released_per_window", .expected = 16,
         .tol = 0},
        {.phrase = "both admit 16 within one second", .path = "results.1.max_released_per_window", .expected = 16,
         .tol = 0},
        {.phrase = "both admit the same 45 of the 50 requests", .path = "results.0.admitted", .expected = 45,
         .tol = 0},
        {.phrase = "both admit the same 45 of the 50 requests", .path = "results.1.admitted", .expected = 45,
         .tol = 0},
        {.phrase = "of the 50 requests", .path = "requests", .expected = 50, .tol = 0},
        {.phrase = "the same 45", .measure = differing_decisions, .expected = 0, .tol = 0, .json = false}}},

      // ---- phase-3 §3.5: distributed drift preset ----
      {"phase-3-distributed-patterns.md", "Eight gateways syncing a shared counter every 500 ms",
       {{.phrase = "admits 100 requests in the 10-second run", .path = "results.0.admitted", .expected = 100,
         .tol = 0},
        {.phrase = "The eight gateways together admit 387", .path = "results.1.admitted", .expected = 387, .tol = 0},
        {.phrase = "and in their worst second 49", .path = "results.1.max_released_per_window", .expected = 49,
         .tol = 0},
        {.phrase = "Set **sync** to 0 and the gateways admit 100", .sets = {"sync=0"}, .path = "results.1.admitted",
         .expected = 100, .tol = 0},
        {.phrase = "set **gateways** to 2 and they admit 200", .sets = {"gateways=2"}, .path = "results.1.admitted",
         .expected = 200, .tol = 0}}},

      // ---- phase-4 §4.5: ketama, ten servers, an eleventh joins ----
      {"phase-4-real-world-designs.md", "Ketama consistent hashing (as memcached clients compute it)",
       {{.phrase = "the largest server holds 1.09× the average share", .path = "load.keys_max_over_mean",
         .expected = 1.09, .tol = 0.005},
        {.phrase = "a typical server is within 7% of it", .path = "load.keys_cv", .expected = 0.07, .tol = 0.005},
        {.phrase = "ketama moves 9.5% of the keys", .path = "operation.moved_fraction", .expected = 0.095,
         .tol = 0.0005},
        {.phrase = "moves 90.8% of them", .path = "compare.operation.moved_fraction", .expected = 0.908,
         .tol = 0.0005},
        {.phrase = "ketama moves the removed server's 9.1% of the keys", .sets = {"operation=remove-node"},
         .path = "operation.moved_fraction", .expected = 0.091, .tol = 0.0005},
        {.phrase = "absorbed by all nine survivors", .sets = {"operation=remove-node"}, .measure = gainers(""),
         .expected = 9, .tol = 0}}},

      // ---- phase-4 §4.6: hybrid against push (compare lane run as strategy=push) ----
      {"phase-4-real-world-designs.md", "A celebrity posts: hybrid fan-out against pure push",
       {{.phrase = "writes each post into 220 timelines on average", .sets = {"strategy=push"},
         .path = "write_amplification", .expected = 220, .tol = 0.5},
        {.phrase = "a backlog of about 72,000 inserts", .sets = {"strategy=push"}, .path = "backlog_peak_inserts",
         .expected = 72000, .tol = 500},
        {.phrase = "the last celebrity delivery lands 72 s after its post", .sets = {"strategy=push"},
         .path = "celebrity_last_delivery_us", .expected = 72e6, .tol = 0.5e6},
        {.phrase = "the median delivery takes 42 s", .sets = {"strategy=push"}, .path = "delivery_latency_us_p50",
         .expected = 42e6, .tol = 0.5e6},
        {.phrase = "37 inserts per post", .path = "write_amplification", .expected = 37, .tol = 0.5},
        {.phrase = "a backlog peak of about 1,460", .path = "backlog_peak_inserts", .expected = 1460, .tol = 5},
        {.phrase = "99% of deliveries within 1.4 s", .path = "delivery_latency_us_p99", .expected = 1.4e6,
         .tol = 0.05e6},
        {.phrase = "a read now makes 13.9 fetches on average", .path = "read_fetches_mean", .expected = 13.9,
         .tol = 0.05},
        {.phrase = "against push's 2.8", .sets = {"strategy=push"}, .path = "read_fetches_mean", .expected = 2.8,
         .tol = 0.05},
        {.phrase = "at 100 followers reads cost 24.4 fetches", .sets = {"threshold=100"}, .path = "read_fetches_mean",
         .expected = 24.4, .tol = 0.05},
        {.phrase = "at 30,000 (above every account) the hybrid is pure push again", .sets = {"threshold=30000"},
         .path = "write_amplification", .expected = 220, .tol = 0.5},
        {.phrase = "no inserts at all", .sets = {"strategy=pull"}, .path = "deliveries", .expected = 0, .tol = 0},
        {.phrase = "and 42.6 fetches per read", .sets = {"strategy=pull"}, .path = "read_fetches_mean",
         .expected = 42.6, .tol = 0.05}}},

      // ---- phase-4 §4.6: the estimate mode ----
      {"phase-4-real-world-designs.md", "The back-of-envelope estimate at Twitter's 2013 scale",
       {{.phrase = "Pushing costs 347,250 inserts per second", .path = "deliveries_per_s", .expected = 347250,
         .tol = 0},
        {.phrase = "77% of that tier", .path = "fanout_utilisation", .expected = 0.77, .tol = 0.005},
        {.phrase = "take 7.2 TB of memory", .path = "memory_bytes", .expected = 7.2e12, .tol = 0.05e12},
        {.phrase = "needs 292 s, about five minutes", .path = "celebrity_drain_s", .expected = 292, .tol = 0.5},
        {.phrase = "has 513,750 followers", .path = "max_followers_within_target", .expected = 513750, .tol = 0},
        {.phrase = "pushing needs 926,000 inserts per second", .sets = {"est_mean_followers=200"},
         .path = "deliveries_per_s", .expected = 926000, .tol = 0},
        {.phrase = "more than twice what the tier can do", .sets = {"est_mean_followers=200"},
         .measure = [](const Json& j, const std::string&) {
           const Json* u = at(j, "fanout_utilisation");
           return u && u->num > 2 ? 1.0 : 0.0;
         },
         .expected = 1}}},

      // ---- phase-8: rate limiter design ----
      {"phase-8-practice.md", "A token bucket and a fixed window facing the same burst",
       {{.phrase = "The token bucket admits 10 of each 40-request burst, 50 in the whole run",
         .path = "results.0.admitted", .expected = 50, .tol = 0},
        {.phrase = "40-request burst", .path = "requests", .expected = 200, .tol = 0},  // 5 bursts of 20 + 20
        {.phrase = "never more than 10 in a second", .path = "results.0.max_released_per_window", .expected = 10,
         .tol = 0},
        {.phrase = "20 within a fraction of a second, twice its limit", .path = "results.1.max_released_per_window",
         .expected = 20, .tol = 0},
        {.phrase = "Raise the capacity to 20 and the token bucket admits 20 per burst", .sets = {"capacity=20"},
         .path = "results.0.max_released_per_window", .expected = 20, .tol = 0}}},

      // ---- phase-8: news feed, push against pull (compare lane run as strategy=pull) ----
      {"phase-8-practice.md", "Fan-out on write against fan-out on read",
       {{.phrase = "Push writes 49 timeline inserts per post on average", .path = "write_amplification",
         .expected = 49, .tol = 0.5},
        {.phrase = "the last one reaches its followers 7.3 s after it was posted", .path = "celebrity_last_delivery_us",
         .expected = 7.3e6, .tol = 0.05e6},
        {.phrase = "Pull writes nothing", .sets = {"strategy=pull"}, .path = "deliveries", .expected = 0, .tol = 0},
        {.phrase = "42.4 fetches per feed read", .sets = {"strategy=pull"}, .path = "read_fetches_mean",
         .expected = 42.4, .tol = 0.05},
        {.phrase = "against push's 1.8", .path = "read_fetches_mean", .expected = 1.8, .tol = 0.05}}},

      // ---- phase-3 §3.2: Raft as etcd runs it (raft) ----
      {"phase-3-distributed-patterns.md", "Five Raft nodes as etcd runs them",
       raft_claims()},
      {"phase-3-distributed-patterns.md", "Without PreVote: a node cut off",
       {{.phrase = "by 15 s its term has climbed from 1 to 7", .run = {"--action", "5:isolate:1", "--until", "15"},
         .path = "state.nodes.0.term", .expected = 7, .tol = 0},
        {.phrase = "the other four still sit in term 1 under n5", .run = {"--action", "5:isolate:1", "--until", "15"},
         .measure = [](const Json& j, const std::string&) {
           double worst = 0;
           for (int i = 1; i < 5; ++i) worst = std::max(worst, at(j, "state.nodes." + std::to_string(i) + ".term")->num);
           return at(j, "state.leader")->num == 5 ? worst : -1.0;
         },
         .expected = 1},
        {.phrase = "n3 is elected about 1.5 s after the heal, in term 9",
         .run = {"--action", "5:isolate:1", "--action", "15:heal", "--until", "20"}, .path = "state.last_elected_us",
         .expected = 16.5e6, .tol = 0.1e6},
        {.phrase = "n3 is elected about 1.5 s after the heal, in term 9",
         .run = {"--action", "5:isolate:1", "--action", "15:heal", "--until", "20"},
         .measure = [](const Json& j, const std::string&) {
           return at(j, "state.leader")->num == 3 ? at(j, "state.nodes.2.term")->num : -1.0;
         },
         .expected = 9},
        {.phrase = "n1's pre-elections fail without changing its term, which stays at 1",
         .sets = {"pre_vote=true", "check_quorum=true"},
         .run = {"--action", "5:isolate:1", "--action", "15:heal", "--until", "20"}, .path = "state.nodes.0.term",
         .expected = 1},
        {.phrase = "n5 leads in term 1 throughout", .sets = {"pre_vote=true", "check_quorum=true"},
         .run = {"--action", "5:isolate:1", "--action", "15:heal", "--until", "20"},
         .measure = [](const Json& j, const std::string&) {
           return at(j, "state.leader")->num == 5 ? at(j, "state.leaders_elected")->num : -1.0;
         },
         .expected = 1}}},

      // ---- phase-3 §3.3: a circuit breaker as resilience4j runs it (breaker) ----
      {"phase-3-distributed-patterns.md", "A service with 50 threads calling one dependency", breaker_claims()},

      // ---- phase-2 §2.2: leaderless quorums, then Dynamo's sloppy quorum (quorum) ----
      {"phase-2-data-layer.md", "Five nodes, each key on three of them (N = 3)", quorum_claims()},
      {"phase-2-data-layer.md", "Hinted handoff with Dynamo's sloppy quorum", quorum_sloppy_claims()},

      // ---- phase-6 §6.1: kube-proxy's random pick against a sidecar's least request (lb) ----
      {"phase-6-infrastructure-devops.md", "Eight Pods, one of them three times slower",
       {{.phrase = "on the same 20,000 requests", .path = "requests", .expected = 20000},
        {.phrase = "offered 60% of their nominal capacity", .path = "utilisation", .expected = 0.6},
        {.phrase = "There are eight Pods", .path = "backends", .expected = 8},
        {.phrase = "The random lane gives a its full share, 2,473 requests", .path = "lanes.0.backends.0.requests",
         .expected = 2473},
        {.phrase = "The last request arrives at about 42 s", .measure = [](const Json& j, const std::string&) {
           return at(j, "requests")->num / at(j, "arrival_rate_per_s")->num;
         },
         .expected = 41.7, .tol = 0.5},
        {.phrase = "which peaks at 1,047 requests", .path = "lanes.0.backends.0.max_queue", .expected = 1047},
        {.phrase = "keeps it busy until 74.9 s", .path = "run_us", .expected = 74.9e6, .tol = 0.05e6},
        {.phrase = "keeps it busy until 74.9 s", .path = "lanes.0.backends.0.utilisation", .expected = 1.0, .tol = 0.001},
        {.phrase = "the 99th-percentile response time is 30.7 s", .path = "lanes.0.latency_us.p99", .expected = 30.7e6,
         .tol = 0.05e6},
        {.phrase = "The median, 20.2 ms", .path = "lanes.0.latency_us.p50", .expected = 20200, .tol = 50},
        {.phrase = "Least request sends a only 1,277 requests", .path = "lanes.1.backends.0.requests", .expected = 1277},
        {.phrase = "so its queue never grows beyond 6 and", .path = "lanes.1.backends.0.max_queue", .expected = 6},
        {.phrase = "and the 99th percentile is 133 ms", .path = "lanes.1.latency_us.p99", .expected = 133000, .tol = 500},
        {.phrase = "a tail more than two hundred times shorter", .measure = [](const Json& j, const std::string&) {
           return at(j, "lanes.0.latency_us.p99")->num / at(j, "lanes.1.latency_us.p99")->num;
         },
         .expected = 230, .tol = 30},
        {.phrase = "(118 ms against 64 ms)", .sets = {"slow_backend=1"}, .path = "lanes.0.latency_us.p99",
         .expected = 118000, .tol = 500},
        {.phrase = "(118 ms against 64 ms)", .sets = {"slow_backend=1"}, .path = "lanes.1.latency_us.p99",
         .expected = 64000, .tol = 500}}},

      // ---- phase-7 §7.3: Raft across regions (raft, preset wan: latency_ms=80, jitter_ms=20,
      //      heartbeat_ms=200, election_ms=2000), against the Section 3.2 settings ----
      {"phase-7-advanced-patterns.md", "Five etcd Raft nodes in different regions",
       {{.phrase = "The first leader is elected only at 2.48 s", .run = {"--until", "10"}, .path = "state.last_elected_us",
         .expected = 2.48e6, .tol = 0.005e6},
        {.phrase = "n4 is elected at 12.94 s", .run = {"--action", "10:crash-leader", "--until", "30"},
         .path = "state.last_elected_us", .expected = 12.94e6, .tol = 0.005e6},
        {.phrase = "n4 is elected at 12.94 s", .run = {"--action", "10:crash-leader", "--until", "30"},
         .path = "state.leader", .expected = 4},
        {.phrase = "and 10 proposals are dropped because there is no leader", .run = {"--action", "10:crash-leader", "--until", "30"},
         .path = "state.proposals_dropped", .expected = 16},  // 16 by 30 s, of which 6 before the first election
        {.phrase = "and 10 proposals are dropped because there is no leader", .run = {"--until", "10"},
         .path = "state.proposals_dropped", .expected = 6},
        {.phrase = "n4 is elected at 11.23 s, after 1.23 s, with 1 proposal dropped",
         .sets = {"latency_ms=10", "jitter_ms=5", "heartbeat_ms=100", "election_ms=1000"},
         .run = {"--action", "10:crash-leader", "--until", "30"}, .path = "state.last_elected_us", .expected = 11.23e6,
         .tol = 0.005e6},
        {.phrase = "n4 is elected at 11.23 s, after 1.23 s, with 1 proposal dropped",
         .sets = {"latency_ms=10", "jitter_ms=5", "heartbeat_ms=100", "election_ms=1000"},
         .run = {"--action", "10:crash-leader", "--until", "30"}, .path = "state.proposals_dropped", .expected = 4},
        {.phrase = "n4 is elected at 11.23 s, after 1.23 s, with 1 proposal dropped",
         .sets = {"latency_ms=10", "jitter_ms=5", "heartbeat_ms=100", "election_ms=1000"}, .run = {"--until", "10"},
         .path = "state.proposals_dropped", .expected = 3}}},

      // ---- phase-3 §3.4: a Kafka consumer group rebalancing (kafka) ----
      {"phase-3-distributed-patterns.md", "A consumer group of six consumers reading a topic", kafka_rebalance_claims()},
      {"phase-3-distributed-patterns.md", "Static membership: each consumer has a group.instance.id",
       kafka_crash_claims()},

      // ---- phase-5 §5.2: vLLM's scheduler (llm) ----
      {"phase-5-ai-ml-design.md", "vLLM's V1 scheduler serving a stream of requests", llm_claims()},

      // ---- phase-8: distributed KV store, a fifth node ----
      {"phase-8-practice.md", "Adding a fifth node to a key-value store",
       {{.phrase = "17.8% of the keys move", .path = "operation.moved_fraction", .expected = 0.178, .tol = 0.0005},
        {.phrase = "moves 80.0%, about four fifths", .path = "compare.operation.moved_fraction", .expected = 0.800,
         .tol = 0.0005},
        {.phrase = "Lower the virtual nodes per server to 1 and the largest node holds 3.0×", .sets = {"vnodes=1"},
         .path = "load.keys_max_over_mean", .expected = 3.0, .tol = 0.05},
        {.phrase = "at 160 it holds 1.05×", .path = "load.keys_max_over_mean", .expected = 1.05, .tol = 0.005}}},
  };
}

const FoundFence* find_fence(const std::vector<FoundFence>& fences, const FenceClaims& fc, int& matches) {
  const FoundFence* hit = nullptr;
  matches = 0;
  for (const auto& f : fences)
    if (f.file == fc.file && f.caption.find(fc.caption_part) != std::string::npos) {
      hit = &f;
      ++matches;
    }
  return hit;
}

TEST(BookClaims, FindsTheChaptersFences) {
  const auto fences = scan_chapters();
  EXPECT_GE(fences.size(), 12u);
  for (const auto& f : fences) EXPECT_FALSE(f.caption.empty()) << f.file << ":" << f.line << ": fence has no caption";
}

TEST(BookClaims, EveryClaimHoldsForItsFencesExactConfiguration) {
  const auto fences = scan_chapters();
  for (const auto& fc : all_claims()) {
    int matches = 0;
    const FoundFence* f = find_fence(fences, fc, matches);
    ASSERT_EQ(matches, 1) << fc.file << ": caption containing \"" << fc.caption_part << "\" matches " << matches
                          << " fences";
    std::map<std::string, std::string> cache;  // one run per (reader edits, json)
    for (const auto& c : fc.claims) {
      const std::string where = f->file + ":" + std::to_string(f->line) + " (" + f->widget + ")";
      EXPECT_NE(f->passage.find(c.phrase), std::string::npos)
          << where << ": the passage no longer says \"" << c.phrase << "\"";
      std::string key = c.json ? "json" : "lines";
      for (const auto& s : c.sets) key += " " + s;
      for (const auto& a : c.run) key += " " + a;
      if (!cache.count(key)) cache[key] = run_sim(f->widget, f->params, c.sets, c.json, c.run);
      const std::string& raw = cache[key];
      Json root;
      if (c.json) {
        JsonParser p{raw};
        root = p.value();
        ASSERT_TRUE(p.ok) << where << ": unparsable JSON: " << raw.substr(0, 300);
      }
      double got = 0;
      if (c.measure) {
        got = c.measure(root, raw);
      } else {
        const Json* v = at(root, c.path);
        ASSERT_TRUE(v && v->kind == Json::Num) << where << ": no number at " << c.path;
        got = v->num;
      }
      std::string edits;
      for (const auto& s : c.sets) edits += " " + s;
      for (const auto& a : c.run) edits += " " + a;
      EXPECT_LE(std::fabs(got - c.expected), c.tol)
          << where << ": \"" << c.phrase << "\" claims " << c.expected << " ±" << c.tol << " ("
          << (c.path.empty() ? "computed" : c.path) << (edits.empty() ? "" : ", with" + edits) << "), measured "
          << got;
    }
  }
}

TEST(BookClaims, EveryFenceHasAClaimCheck) {
  const auto fences = scan_chapters();
  const auto claims = all_claims();
  std::vector<std::string> unchecked;
  for (const auto& f : fences) {
    bool covered = false;
    for (const auto& fc : claims)
      if (f.file == fc.file && f.caption.find(fc.caption_part) != std::string::npos && !fc.claims.empty())
        covered = true;
    if (!covered) unchecked.push_back(f.file + ":" + std::to_string(f.line) + " (" + f.widget + ") \"" + f.caption + "\"");
  }
  std::string list;
  for (const auto& u : unchecked) list += "\n  " + u;
  EXPECT_EQ(unchecked.size(), 0u) << "widget fences with no claim check in book_claims_test.cpp:" << list;
}

}  // namespace
