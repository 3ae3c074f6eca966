// commands.h — the `scalebook` subcommands. main.cpp only dispatches.
#pragma once
#include <string>
#include <vector>

namespace scalebook::cli {

// Site commands (site_commands.cpp): build, serve, check, render, loader.
// `args` excludes the subcommand name. Messages for the user go to stdout/stderr
// directly; returns the process exit code.
int cmd_build(const std::vector<std::string>& args);
int cmd_serve(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_render(const std::vector<std::string>& args);
int cmd_loader(const std::vector<std::string>& args);  // writes the assembled widget loader

}  // namespace scalebook::cli
