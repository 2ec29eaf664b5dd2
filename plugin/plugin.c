/* plugin.c
 * Wireshark plugin entry points for PortNote.  The plugin loader API
 * changed in 4.2 (plugin_describe) and again in 4.4/4.6
 * (WIRESHARK_PLUGIN_REGISTER_EPAN); one source serves them all.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <ws_version.h>
#include <ws_symbol_export.h>
/* plugins.h carries the 4.2+ plugin descriptors; 4.0 does not install it. */
#if defined(__has_include)
#if __has_include(<wsutil/plugins.h>)
#include <wsutil/plugins.h>
#endif
#endif
#include <epan/proto.h>
#include <epan/tap.h>

#include "portnote-tap.h"

#ifndef PORTNOTE_VERSION
#define PORTNOTE_VERSION "0.0.0"
#endif

void proto_register_portnote(void);
void proto_reg_handoff_portnote(void);

#ifndef WIRESHARK_PLUGIN_REGISTER
WS_DLL_PUBLIC_DEF const char plugin_version[] = PORTNOTE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#ifdef WS_PLUGIN_DESC_DISSECTOR
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void plugin_register(void)
#else
static void plugin_register(void)
#endif
{
    static proto_plugin portnote_plugin;
    static tap_plugin portnote_stats_plugin;
    static tap_plugin portnote_findings_plugin;
    static tap_plugin portnote_services_plugin;

    portnote_plugin.register_protoinfo = proto_register_portnote;
    portnote_plugin.register_handoff = proto_reg_handoff_portnote;
    proto_register_plugin(&portnote_plugin);
    portnote_stats_plugin.register_tap_listener = portnote_register_stats;
    tap_register_plugin(&portnote_stats_plugin);
    portnote_findings_plugin.register_tap_listener = portnote_register_findings;
    tap_register_plugin(&portnote_findings_plugin);
    portnote_services_plugin.register_tap_listener = portnote_register_services_view;
    tap_register_plugin(&portnote_services_plugin);
}

#ifdef WIRESHARK_PLUGIN_REGISTER
static struct ws_module portnote_module = {
    .flags = WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER,
    .version = PORTNOTE_VERSION,
    .spdx_id = "GPL-2.0-or-later",
    .home_url = "",
    .blurb = "Port notes: service and security notes for transport ports",
    .register_cb = &plugin_register,
};

WIRESHARK_PLUGIN_REGISTER_EPAN(&portnote_module, 0)
#endif
