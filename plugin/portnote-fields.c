/* portnote-fields.c
 * PortNote's fields and subtrees: their registration, the cache of their
 * registered infos that portnote_fields_wanted() reads, and the value of
 * the service field, which the display and the taps share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/addr_resolv.h>

#include "portnote-glue.h"
#include "portnote-fields.h"

int hf_portnote_max_risk = -1;
int hf_portnote_summary = -1;
int hf_portnote_port = -1;
int hf_portnote_transport = -1;
int hf_portnote_role = -1;
int hf_portnote_service = -1;
int hf_portnote_description = -1;
int hf_portnote_risk = -1;
int hf_portnote_category = -1;
int hf_portnote_threat = -1;
int hf_portnote_also_used_by = -1;
int hf_portnote_note = -1;
int hf_portnote_source = -1;
int hf_portnote_defined_at = -1;
int hf_portnote_evidence = -1;
int hf_portnote_observed = -1;
int hf_portnote_tunnelled = -1;
int hf_portnote_iana_only = -1;
int hf_portnote_exposure = -1;

int ett_portnote = -1;
int ett_portnote_note = -1;

/* The risk fields' names, pn_risk_name()'s (filled at registration);
 * "none" is never shown, as the fields are left out without a risk. */
static value_string risk_vals[PN_RISK_COUNT];

header_field_info **portnote_field_infos;
int portnote_first_field_id;
int portnote_field_count;
header_field_info *portnote_protocol_info;

/** "LDAP (non-standard port)": what the payload showed on a port with no
 * notes (names of up to four letters are initialisms, longer ones words). */
static char *observed_services[PN_PROTO_COUNT];

static const char *observed_service(pn_proto_t proto)
{
    char **names = observed_services;
    const char *name = pn_proto_name(proto);

    if (!names[proto]) {
        char *shown = strlen(name) <= 4 ? g_ascii_strup(name, -1) : g_strdup(name);
        shown[0] = g_ascii_toupper(shown[0]);
        names[proto] = g_strdup_printf("%s (non-standard port)", shown);
        g_free(shown);
    }
    return names[proto];
}

/** A note's service: its row's, else the IANA name where that is wanted,
 * else the protocol the payload showed. */
const char *portnote_note_service(const pn_note_t *note)
{
    const char *iana;

    if (note->entry)
        return note->entry->service;
    iana = note->kind == PN_NOTE_IANA || portnote_prefs.iana_names
        ? try_serv_name_lookup(pn_port_type((pn_transport_t)note->transport), note->port) : NULL;
    if (iana)
        return iana;
    return note->observed != PN_PROTO_NONE && note->observed < PN_PROTO_COUNT
        ? observed_service((pn_proto_t)note->observed) : "undocumented";
}

/** Frees the names made by observed_service() (shutdown routine). */
static void free_observed_services(void)
{
    for (int p = 0; p < PN_PROTO_COUNT; p++) {
        g_free(observed_services[p]);
        observed_services[p] = NULL;
    }
}

/** Keeps the registered infos of PortNote and its fields for
 * portnote_fields_wanted() and the display. */
static void remember_field_infos(const hf_register_info *hf, int count)
{
    int last = 0;

    portnote_protocol_info = proto_registrar_get_nth(proto_portnote);
    portnote_first_field_id = G_MAXINT;
    for (int i = 0; i < count; i++) {
        portnote_first_field_id = MIN(portnote_first_field_id, *hf[i].p_id);
        last = MAX(last, *hf[i].p_id);
    }
    portnote_field_count = last - portnote_first_field_id + 1;
    /* one bit each in a pn_field_set_t */
    if (portnote_field_count > (int)(8 * sizeof(pn_field_set_t)))
        g_error("PortNote registers more fields than a pn_field_set_t holds");
    portnote_field_infos = wmem_alloc0_array(wmem_epan_scope(), header_field_info *,
                                             (gsize)portnote_field_count);
    for (int i = 0; i < count; i++)
        portnote_field_infos[*hf[i].p_id - portnote_first_field_id] = proto_registrar_get_nth(*hf[i].p_id);
    /* one registration gives consecutive ids: no gaps to skip */
    for (int i = 0; i < portnote_field_count; i++)
        if (!portnote_field_infos[i])
            g_error("PortNote's field ids are not consecutive");
}

/** Registers PortNote's fields, subtrees and Expert Info. */
void portnote_register_fields(void)
{
    static hf_register_info hf[] = {
        { &hf_portnote_max_risk,
          { "Highest risk", "portnote.max_risk", FT_UINT8, BASE_DEC, VALS(risk_vals), 0x0,
            "The highest risk among the packet's notes (one value per packet, for columns and "
            "colouring); absent when no note has a warning", HFILL }},
        { &hf_portnote_summary,
          { "Note summary", "portnote.summary", FT_STRING, BASE_NONE, NULL, 0x0,
            "One self-contained value per note: port/transport, role, service, risk, threats "
            "and the payload's verdict, so that exports never pair a value with the wrong port", HFILL }},
        { &hf_portnote_port,
          { "Port", "portnote.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            "The documented port", HFILL }},
        { &hf_portnote_transport,
          { "Transport", "portnote.transport", FT_STRING, BASE_NONE, NULL, 0x0,
            "Transport protocol of the port: tcp, udp or sctp", HFILL }},
        { &hf_portnote_role,
          { "Role", "portnote.role", FT_STRING, BASE_NONE, NULL, 0x0,
            "Whether the port is the server or the client side here: server, client or unknown", HFILL }},
        { &hf_portnote_service,
          { "Service", "portnote.service", FT_STRING, BASE_NONE, NULL, 0x0,
            "Service documented for the port", HFILL }},
        { &hf_portnote_description,
          { "Description", "portnote.description", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the service is (long text comes in several items)", HFILL }},
        { &hf_portnote_risk,
          { "Risk", "portnote.risk", FT_UINT8, BASE_DEC, VALS(risk_vals), 0x0,
            "Risk level of the note; absent when there is no warning", HFILL }},
        { &hf_portnote_category,
          { "Category", "portnote.category", FT_STRING, BASE_NONE, NULL, 0x0,
            "Kind of abuse documented for the port", HFILL }},
        { &hf_portnote_threat,
          { "Threat", "portnote.threat", FT_STRING, BASE_NONE, NULL, 0x0,
            "Worm, trojan, backdoor or attack that stands for this traffic", HFILL }},
        { &hf_portnote_also_used_by,
          { "Also used by", "portnote.also_used_by", FT_STRING, BASE_NONE, NULL, 0x0,
            "Software known to use the port number that this traffic gives no sign of: "
            "context, not a warning (the payload confirmed the service, or nothing points "
            "away from it)", HFILL }},
        { &hf_portnote_note,
          { "Note", "portnote.note", FT_STRING, BASE_NONE, NULL, 0x0,
            "The security note in plain words (long notes come in several items)", HFILL }},
        { &hf_portnote_source,
          { "Source", "portnote.source", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where the entry's facts come from", HFILL }},
        { &hf_portnote_defined_at,
          { "Defined at", "portnote.defined_at", FT_STRING, BASE_NONE, NULL, 0x0,
            "Notes file and line the entry was read from", HFILL }},
        { &hf_portnote_evidence,
          { "Evidence", "portnote.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the note rests on: port (the port number alone) or payload (the payload "
            "confirmed the port's protocol, or contradicts it)", HFILL }},
        { &hf_portnote_observed,
          { "Observed protocol", "portnote.observed", FT_STRING, BASE_NONE, NULL, 0x0,
            "The protocol the conversation's first payloads look like (ssh, http, tls, smb, "
            "rdp, dns, ...: the payload check's names)", HFILL }},
        { &hf_portnote_tunnelled,
          { "Tunnelled protocol", "portnote.tunnelled", FT_STRING, BASE_NONE, NULL, 0x0,
            "What a proxy's or an upgrade's tunnel carries once it is open (tls after a "
            "SOCKS handshake, an HTTP CONNECT or STARTTLS): the tunnel's content, never a "
            "verdict on the port", HFILL }},
        { &hf_portnote_exposure,
          { "Exposure", "portnote.exposure", FT_STRING, BASE_NONE, NULL, 0x0,
            "Who talks to whom across the edge of the local networks (preference "
            "local_networks): loopback, internal, inbound (client outside), outbound (server "
            "outside) or external (neither end local); the risks of exposed services, worms, "
            "default passwords and remote access depend on it", HFILL }},
        { &hf_portnote_iana_only,
          { "IANA name only", "portnote.iana_only", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The port is not in the notes database; the service is Wireshark's IANA name for it", HFILL }},
    };
    static int *ett[] = { &ett_portnote, &ett_portnote_note };

    for (int r = PN_RISK_LOW; r < PN_RISK_COUNT; r++)
        risk_vals[r - PN_RISK_LOW] = (value_string){ r, pn_risk_name((pn_risk_t)r) };
    proto_register_field_array(proto_portnote, hf, array_length(hf));
    register_shutdown_routine(free_observed_services);
    remember_field_infos(hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    portnote_register_expert();
}
