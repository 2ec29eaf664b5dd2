/* portnote-table.c
 * The "Port notes" table (UAT) in PortNote's preferences.  It is the
 * profile's portnotes.csv and only edits that file: the notes are always
 * built from the files by the core's parser (portnote-load.c), so a bad
 * row never hides the others.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "portnote-glue.h"

typedef struct {
    char *ports;
    char *transport;
    char *role;
    char *service;
    char *risk;
    char *categories;
    char *threats;
    char *description;
    char *note;
    char *source;
    char *also_risk;
    char *also_categories;
    char *also_threats;
    char *also_note;
} pn_uat_row_t;

/* The row's fields in the notes file's column order. */
static const size_t uat_field_offsets[PN_FIELD_COUNT] = {
    offsetof(pn_uat_row_t, ports),      offsetof(pn_uat_row_t, transport),
    offsetof(pn_uat_row_t, role),       offsetof(pn_uat_row_t, service),
    offsetof(pn_uat_row_t, risk),       offsetof(pn_uat_row_t, categories),
    offsetof(pn_uat_row_t, threats),    offsetof(pn_uat_row_t, description),
    offsetof(pn_uat_row_t, note),       offsetof(pn_uat_row_t, source),
    offsetof(pn_uat_row_t, also_risk),  offsetof(pn_uat_row_t, also_categories),
    offsetof(pn_uat_row_t, also_threats), offsetof(pn_uat_row_t, also_note),
};

static pn_uat_row_t *uat_rows;
static guint uat_row_count;
/* Wireshark 4.0's table loader stops at the first row it is told is bad,
 * and saving the table afterwards would drop the rest of the file.  So
 * rows are taken as they are while the file loads (the notes loader
 * reports bad ones as file:line and skips only those), and validated as
 * soon as the table is loaded, i.e. when a person edits it. */
static gboolean uat_loaded;

UAT_CSTRING_CB_DEF(pn_uat, ports, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, transport, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, role, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, service, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, risk, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, categories, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, threats, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, description, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, note, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, source, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, also_risk, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, also_categories, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, also_threats, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, also_note, pn_uat_row_t)

static char **uat_field(void *row, int index)
{
    return (char **)((char *)row + uat_field_offsets[index]);
}

static void *pn_uat_copy(void *dest, const void *source, size_t len _U_)
{
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        *uat_field(dest, i) = g_strdup(*uat_field((void *)source, i));
    return dest;
}

static void pn_uat_free(void *record)
{
    for (int i = 0; i < PN_FIELD_COUNT; i++) {
        g_free(*uat_field(record, i));
        *uat_field(record, i) = NULL;
    }
}

/** Validates an edited table row with the same rules as the notes files. */
static pn_pref_bool_t pn_uat_update(void *record, char **error)
{
    const char *values[PN_FIELD_COUNT];

    if (!uat_loaded)
        return TRUE;
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        values[i] = *uat_field(record, i);
    return pn_check_fields(values, error);
}

/* The table was loaded or edited: rebuild the notes before the next pass. */
static void pn_uat_post_update(void)
{
    uat_loaded = TRUE;
    portnote_notes_mark_stale();
}

/* The table is about to be reloaded (a profile change). */
static void pn_uat_reset(void)
{
    uat_loaded = FALSE;
}

/** Registers the table; prefs_register_uat_preference() shows it. */
uat_t *portnote_register_notes_table(void)
{
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(pn_uat, ports, "Ports", "A port (23) or a range (6000-6063)"),
        UAT_FLD_CSTRING(pn_uat, transport, "Transport", "tcp, udp or sctp"),
        UAT_FLD_CSTRING(pn_uat, role, "Role",
                        "server (a service's port), client (a port clients send from) "
                        "or ignore (silence earlier notes for these ports)"),
        UAT_FLD_CSTRING(pn_uat, service, "Service", "Short service name"),
        UAT_FLD_CSTRING(pn_uat, risk, "Risk",
                        "The service's own risk, whatever the payload shows: empty, low, medium, high or critical"),
        UAT_FLD_CSTRING(pn_uat, categories, "Categories",
                        "';'-separated, e.g. cleartext-credentials;amplification (not trojan or backdoor)"),
        UAT_FLD_CSTRING(pn_uat, threats, "Threats", "';'-separated worms and attacks that use the service itself"),
        UAT_FLD_CSTRING(pn_uat, description, "Description", "What the service is"),
        UAT_FLD_CSTRING(pn_uat, note, "Note", "The warning in plain words (needed with a risk)"),
        UAT_FLD_CSTRING(pn_uat, source, "Source", "Where the facts come from"),
        UAT_FLD_CSTRING(pn_uat, also_risk, "Also: risk",
                        "Risk from other software that only uses the port number (trojans, backdoors); "
                        "dropped when the payload confirms the service"),
        UAT_FLD_CSTRING(pn_uat, also_categories, "Also: categories", "';'-separated, e.g. trojan;backdoor"),
        UAT_FLD_CSTRING(pn_uat, also_threats, "Also: threats", "';'-separated names of that software"),
        UAT_FLD_CSTRING(pn_uat, also_note, "Also: note", "Their warning in plain words (needed with a risk)"),
        UAT_END_FIELDS
    };

    /* Rows of the first format end after the source: the table reads
     * them with empty also_ fields, as the notes loader does. */
    static const char *defaults[PN_FIELD_COUNT] = {
        [PN_LEGACY_FIELD_COUNT] = "", "", "", ""
    };
    uat_t *table = uat_new("Port notes", sizeof(pn_uat_row_t), PN_NOTES_FILE, TRUE,
                           &uat_rows, &uat_row_count, UAT_AFFECTS_DISSECTION,
                           NULL, pn_uat_copy, pn_uat_update, pn_uat_free,
                           pn_uat_post_update, pn_uat_reset, fields);

    uat_set_default_values(table, defaults);
    return table;
}
