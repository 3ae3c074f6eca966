// input.cpp — browser input → ImGuiIO for one widget's canvas, on emscripten/html5.h.
//
// Not Emscripten's GLFW emulation: that listens on window, eats Backspace/Tab for the
// whole page, always swallows the wheel and ignores touch moves. Here every listener
// is bound to the widget's own canvas (document-level only while a drag is under way):
//  [x] mouse, with a drag released outside the canvas still releasing the button
//  [x] wheel: the page scrolls unless the reader engaged the widget (clicked into it)
//  [x] touch: a finger drives the mouse; only an active drag (slider) blocks scrolling
//  [x] keyboard only when the canvas has focus; Tab is never taken (focus can leave)
//  [x] paste arrives through the page's paste event (web/scalebook.js → sb_paste)
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <cstring>

#include "platform/web/host.h"

namespace scalebook::platform {
namespace {

EM_JS(void, js_request_frame, (int handle), {
  if (Module.requestFrame) Module.requestFrame(handle);
});
// Canvas-relative CSS pixel position of a client point.
EM_JS(double, js_canvas_left, (const char* selector), {
  const c = document.querySelector(UTF8ToString(selector));
  return c ? c.getBoundingClientRect().left : 0;
});
EM_JS(double, js_canvas_top, (const char* selector), {
  const c = document.querySelector(UTF8ToString(selector));
  return c ? c.getBoundingClientRect().top : 0;
});

EM_JS(int, js_canvas_exists, (const char* selector), {
  return document.querySelector(UTF8ToString(selector)) ? 1 : 0;
});
EM_JS(void, js_focus, (const char* selector), {
  const c = document.querySelector(UTF8ToString(selector));
  if (c && document.activeElement !== c) c.focus({preventScroll: true});
});

WidgetHost* host_of(void* user) { return static_cast<WidgetHost*>(user); }

// The widget holding the pointer (a button went down on its canvas and is still down).
// Document-level mouseup/mousemove are registered once for the whole instance and go
// to it: per-widget document handlers would be removed together by Emscripten (it
// unregisters by target + event type), so destroying one widget would break the others.
WidgetHost* g_capture = nullptr;
bool g_doc_bound = false;

void set_mouse_pos(WidgetHost* h, double css_x, double css_y) {
  ImGui::GetIO().MousePos = ImVec2(static_cast<float>(css_x * h->dpr), static_cast<float>(css_y * h->dpr));
}

bool any_down(const WidgetHost* h) { return h->mouse_down[0] || h->mouse_down[1] || h->mouse_down[2]; }

void press(WidgetHost* h, int button) {
  if (button < 0 || button > 2) return;
  h->mouse_down[button] = true;
  h->press_unseen[button] = true;
  h->release_pending[button] = false;
  ImGui::GetIO().MouseDown[button] = true;
  g_capture = h;
}

void release(WidgetHost* h, int button) {
  if (button < 0 || button > 2) return;
  h->mouse_down[button] = false;
  if (h->press_unseen[button])
    h->release_pending[button] = true;  // the next frame sees the press, the one after the release
  else
    ImGui::GetIO().MouseDown[button] = false;
  if (!any_down(h) && g_capture == h) g_capture = nullptr;
}

EM_BOOL on_mouse_down(int, const EmscriptenMouseEvent* e, void* user) {
  auto* h = host_of(user);
  h->make_current();
  set_mouse_pos(h, static_cast<double>(e->targetX), static_cast<double>(e->targetY));
  press(h, e->button);
  h->engaged = true;
  js_request_frame(h->handle);
  return EM_FALSE;  // keep default so the canvas takes focus
}

// Document-level: releases a drag that ends outside the canvas.
EM_BOOL on_doc_mouse_up(int, const EmscriptenMouseEvent* e, void*) {
  auto* h = g_capture;
  if (!h) return EM_FALSE;
  h->make_current();
  release(h, e->button);
  js_request_frame(h->handle);
  return EM_FALSE;
}

EM_BOOL on_mouse_move(int, const EmscriptenMouseEvent* e, void* user) {
  auto* h = host_of(user);
  if (g_capture == h) return EM_FALSE;  // the document handler tracks drags
  h->make_current();
  set_mouse_pos(h, static_cast<double>(e->targetX), static_cast<double>(e->targetY));
  js_request_frame(h->handle);
  return EM_FALSE;
}

// Document-level move: only while dragging, so sliders follow the pointer off-canvas.
EM_BOOL on_doc_mouse_move(int, const EmscriptenMouseEvent* e, void*) {
  auto* h = g_capture;
  if (!h) return EM_FALSE;
  h->make_current();
  set_mouse_pos(h, static_cast<double>(e->clientX) - js_canvas_left(h->selector.c_str()),
                static_cast<double>(e->clientY) - js_canvas_top(h->selector.c_str()));
  js_request_frame(h->handle);
  return EM_FALSE;
}

EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent*, void* user) {
  auto* h = host_of(user);
  if (any_down(h)) return EM_FALSE;
  h->make_current();
  ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  js_request_frame(h->handle);
  return EM_FALSE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void* user) {
  auto* h = host_of(user);
  if (!h->engaged) return EM_FALSE;  // the page scrolls
  h->make_current();
  ImGuiIO& io = ImGui::GetIO();
  const double unit = e->deltaMode == DOM_DELTA_PIXEL ? 100.0 : (e->deltaMode == DOM_DELTA_LINE ? 3.0 : 1.0);
  io.MouseWheel -= static_cast<float>(e->deltaY / unit);
  io.MouseWheelH -= static_cast<float>(e->deltaX / unit);
  js_request_frame(h->handle);
  return EM_TRUE;
}

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void* user) {
  auto* h = host_of(user);
  if (e->numTouches < 1) return EM_FALSE;
  h->make_current();
  const EmscriptenTouchPoint& t = e->touches[0];
  set_mouse_pos(h, static_cast<double>(t.targetX), static_cast<double>(t.targetY));
  bool block_scroll = false;
  if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
    press(h, 0);
    h->engaged = true;
    js_focus(h->selector.c_str());
  } else if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
    block_scroll = ImGui::IsAnyItemActive();  // dragging a slider: keep the page still
  } else {
    release(h, 0);
    // No compatibility mousedown/mouseup/click after a tap: ImGui already saw this
    // press, a second one would toggle a button back.
    block_scroll = true;
  }
  js_request_frame(h->handle);
  return block_scroll ? EM_TRUE : EM_FALSE;
}

bool is_single_char(const char* utf8) {
  if (!utf8[0]) return false;
  const auto c = static_cast<unsigned char>(utf8[0]);
  const int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
  return static_cast<int>(std::strlen(utf8)) == len;
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void* user) {
  auto* h = host_of(user);
  if (e->keyCode == 9) return EM_FALSE;  // Tab: the browser moves focus out
  h->make_current();
  ImGuiIO& io = ImGui::GetIO();
  const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  if (down || !h->keys_unseen) {
    io.KeyCtrl = e->ctrlKey;
    io.KeyShift = e->shiftKey;
    io.KeyAlt = e->altKey;
    io.KeySuper = e->metaKey;
    h->mods_pending = false;
  } else {
    // A modifier released before the frame that sees the shortcut's key: keep the frame's
    // view of the modifiers, apply the release after it (apply_pending_releases).
    h->mods_pending = true;
    h->pending_mods[0] = e->ctrlKey;
    h->pending_mods[1] = e->shiftKey;
    h->pending_mods[2] = e->altKey;
    h->pending_mods[3] = e->metaKey;
  }
  // Ctrl/Cmd+V: leave it to the browser, whose paste event brings the text (sb_paste).
  if ((e->ctrlKey || e->metaKey) && e->keyCode == 86) return EM_FALSE;
  if (e->keyCode < 512) {
    unsigned char& f = h->key_flags[e->keyCode];
    if (down) {
      io.KeysDown[e->keyCode] = true;
      f = 1;
      h->keys_unseen = true;
    } else if (f & 1) {
      f |= 2;  // released before any frame saw the press: release after the next frame
    } else {
      io.KeysDown[e->keyCode] = false;
    }
  }
  bool consumed = io.WantCaptureKeyboard || io.WantTextInput;
  if (down && io.WantTextInput && !e->ctrlKey && !e->metaKey && is_single_char(e->key)) {
    io.AddInputCharactersUTF8(e->key);
    consumed = true;
  }
  js_request_frame(h->handle);
  return consumed ? EM_TRUE : EM_FALSE;
}

EM_BOOL on_focus(int type, const EmscriptenFocusEvent*, void* user) {
  auto* h = host_of(user);
  h->make_current();
  ImGuiIO& io = ImGui::GetIO();
  if (type == EMSCRIPTEN_EVENT_BLUR) {
    h->engaged = false;
    std::memset(io.KeysDown, 0, sizeof io.KeysDown);
    std::memset(h->key_flags, 0, sizeof h->key_flags);
    h->keys_unseen = h->mods_pending = false;
    io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
    // Focus left the canvas (a click elsewhere on the page, Tab): close any open popup
    // (the "story" combo's list), as a native <select> closes. ImGui 1.86 only closes
    // popups on clicks inside its own window, so it would stay open, stale, until the
    // reader came back.
    if (ImGui::GetCurrentContext()->OpenPopupStack.Size > 0) ImGui::ClosePopupsOverWindow(nullptr, false);
  }
  io.AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);
  js_request_frame(h->handle);
  return EM_FALSE;
}

}  // namespace

void init_keymap(ImGuiIO& io) {
  io.KeyMap[ImGuiKey_Tab] = 9;
  io.KeyMap[ImGuiKey_LeftArrow] = 37;
  io.KeyMap[ImGuiKey_RightArrow] = 39;
  io.KeyMap[ImGuiKey_UpArrow] = 38;
  io.KeyMap[ImGuiKey_DownArrow] = 40;
  io.KeyMap[ImGuiKey_PageUp] = 33;
  io.KeyMap[ImGuiKey_PageDown] = 34;
  io.KeyMap[ImGuiKey_Home] = 36;
  io.KeyMap[ImGuiKey_End] = 35;
  io.KeyMap[ImGuiKey_Insert] = 45;
  io.KeyMap[ImGuiKey_Delete] = 46;
  io.KeyMap[ImGuiKey_Backspace] = 8;
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeyMap[ImGuiKey_Enter] = 13;
  io.KeyMap[ImGuiKey_Escape] = 27;
  io.KeyMap[ImGuiKey_KeyPadEnter] = 13;
  io.KeyMap[ImGuiKey_A] = 65;
  io.KeyMap[ImGuiKey_C] = 67;
  io.KeyMap[ImGuiKey_V] = 86;
  io.KeyMap[ImGuiKey_X] = 88;
  io.KeyMap[ImGuiKey_Y] = 89;
  io.KeyMap[ImGuiKey_Z] = 90;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
}

void apply_pending_releases(WidgetHost* h) {
  ImGuiIO& io = ImGui::GetIO();
  for (int b = 0; b < 3; ++b) {
    if (h->release_pending[b]) {
      io.MouseDown[b] = false;
      h->release_pending[b] = false;
      h->settle_frames = std::max(h->settle_frames, 2);
    }
    h->press_unseen[b] = false;
  }
  for (int k = 0; k < 512; ++k) {
    if (!h->key_flags[k]) continue;
    if (h->key_flags[k] & 2) {
      io.KeysDown[k] = false;
      h->settle_frames = std::max(h->settle_frames, 2);
    }
    h->key_flags[k] = 0;
  }
  h->keys_unseen = false;
  if (h->mods_pending) {
    io.KeyCtrl = h->pending_mods[0];
    io.KeyShift = h->pending_mods[1];
    io.KeyAlt = h->pending_mods[2];
    io.KeySuper = h->pending_mods[3];
    h->mods_pending = false;
    h->settle_frames = std::max(h->settle_frames, 2);
  }
}

void release_pointer(WidgetHost* h) {
  if (g_capture == h) g_capture = nullptr;
}

void bind_input(WidgetHost* h) {
  if (h->input_bound) return;
  h->input_bound = true;
  if (!g_doc_bound) {
    g_doc_bound = true;
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_doc_mouse_up);
    emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_doc_mouse_move);
  }
  const char* c = h->selector.c_str();
  emscripten_set_mousedown_callback(c, h, EM_FALSE, on_mouse_down);
  emscripten_set_mousemove_callback(c, h, EM_FALSE, on_mouse_move);
  emscripten_set_mouseleave_callback(c, h, EM_FALSE, on_mouse_leave);
  emscripten_set_wheel_callback(c, h, EM_FALSE, on_wheel);
  emscripten_set_touchstart_callback(c, h, EM_FALSE, on_touch);
  emscripten_set_touchmove_callback(c, h, EM_FALSE, on_touch);
  emscripten_set_touchend_callback(c, h, EM_FALSE, on_touch);
  emscripten_set_touchcancel_callback(c, h, EM_FALSE, on_touch);
  emscripten_set_keydown_callback(c, h, EM_FALSE, on_key);
  emscripten_set_keyup_callback(c, h, EM_FALSE, on_key);
  emscripten_set_focus_callback(c, h, EM_FALSE, on_focus);
  emscripten_set_blur_callback(c, h, EM_FALSE, on_focus);
}

void unbind_input(WidgetHost* h) {
  if (!h->input_bound) return;
  h->input_bound = false;
  const char* c = h->selector.c_str();
  // Already removed from the page (the element was disconnected): Emscripten cannot find
  // the target to unregister from and would throw; the detached canvas fires no events.
  if (!js_canvas_exists(c)) return;
  emscripten_set_mousedown_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_mousemove_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_mouseleave_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_wheel_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchstart_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchmove_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchend_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchcancel_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_keydown_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_keyup_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_focus_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_blur_callback(c, nullptr, EM_FALSE, nullptr);
}

}  // namespace scalebook::platform
