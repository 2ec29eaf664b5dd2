/* portnote-row.h
 * The fields of a notes row, in the notes files' column order, written
 * once: X(name, title, help) for each.  The Port notes table's columns
 * (portnote-table.c) are made from this list; the parser's field indices
 * can be (PN_ROW_FIELD_<name>), and tests/row-fields-test.sh checks the
 * header of data/portnotes.csv against it.  No epan: the core may use it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_ROW_H
#define PORTNOTE_ROW_H

#define PN_ROW_FIELDS(X) \
    X(ports, "Ports", "A port (23) or a range (6000-6063)") \
    X(transport, "Transport", "tcp, udp or sctp") \
    X(role, "Role", "server (a service's port), client (a port clients send from) " \
      "or ignore (silence earlier notes for these ports)") \
    X(service, "Service", "Short service name") \
    X(risk, "Risk", "The service's own risk, whatever the payload shows: " \
      "empty, low, medium, high or critical") \
    X(categories, "Categories", \
      "';'-separated, e.g. cleartext-credentials;amplification (not trojan or backdoor)") \
    X(threats, "Threats", "';'-separated worms and attacks that use the service itself") \
    X(description, "Description", "What the service is") \
    X(note, "Note", "The warning in plain words (needed with a risk)") \
    X(source, "Source", "Where the facts come from") \
    X(also_risk, "Also: risk", "Risk from other software that only uses the port number " \
      "(trojans, backdoors): it stands when the payload points away from the service, " \
      "or before any payload when rated high (the likelier explanation)") \
    X(also_categories, "Also: categories", "';'-separated, e.g. trojan;backdoor") \
    X(also_threats, "Also: threats", "';'-separated names of that software") \
    X(also_note, "Also: note", "Their warning in plain words (needed with a risk)") \
    X(exposure_risks, "Exposure: risks", "Where the rubric's levels per exposure do not fit: " \
      "';'-separated EXPOSURES=RISK, e.g. internal,outbound=low (exposures: loopback, " \
      "internal, inbound, outbound, external)") \
    X(exposure_note, "Exposure: note", "A note for some exposures only, e.g. " \
      "\"outbound: SMB to the Internet leaks NTLM credentials\"")

/* PN_ROW_FIELD_ports, ... in column order, and their count. */
#define PN_ROW_FIELD_INDEX(name, title, help) PN_ROW_FIELD_##name,
enum pn_row_field {
    PN_ROW_FIELDS(PN_ROW_FIELD_INDEX)
    PN_ROW_FIELD_COUNT
};

#endif /* PORTNOTE_ROW_H */
