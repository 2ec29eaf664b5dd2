/* portnote-table.c
 * The "Port notes" table (UAT) in PortNote's preferences.  It is the
 * profile's portnotes.csv and only edits that file: the notes are always
 * built from the files by the core's parser (portnote-load.c), so a bad
 * row never hides the others.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "portnote-glue.h"
#include "portnote-row.h"

#define PN_UAT_MEMBER(name, title, help) char *name;
typedef struct {
    PN_ROW_FIELDS(PN_UAT_MEMBER)
} pn_uat_row_t;

/* The row's fields in the notes file's column order. */
#define PN_UAT_OFFSET(name, title, help) offsetof(pn_uat_row_t, name),
static const size_t uat_field_offsets[] = { PN_ROW_FIELDS(PN_UAT_OFFSET) };
G_STATIC_ASSERT(G_N_ELEMENTS(uat_field_offsets) == PN_FIELD_COUNT);

static pn_uat_row_t *uat_rows;
static guint uat_row_count;
/* Wireshark 4.0's table loader stops at the first row it is told is bad,
 * and saving the table afterwards would drop the rest of the file.  So
 * rows are taken as they are while the file loads (the notes loader
 * reports bad ones as file:line and skips only those), and validated as
 * soon as the table is loaded, i.e. when a person edits it. */
static gboolean uat_loaded;

#define PN_UAT_CALLBACKS(name, title, help) UAT_CSTRING_CB_DEF(pn_uat, name, pn_uat_row_t)
PN_ROW_FIELDS(PN_UAT_CALLBACKS)

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
#define PN_UAT_FIELD(name, title, help) UAT_FLD_CSTRING(pn_uat, name, title, help),
    static uat_field_t fields[] = {
        PN_ROW_FIELDS(PN_UAT_FIELD)
        UAT_END_FIELDS
    };

    /* Rows of the older formats end after the source (1) or the also_
     * note (2): the table reads them with the later fields empty, as the
     * notes loader does. */
    static const char *defaults[PN_FIELD_COUNT] = {
        [PN_LEGACY_FIELD_COUNT] = "", "", "", "", "", ""
    };
    uat_t *table = uat_new("Port notes", sizeof(pn_uat_row_t), PN_NOTES_FILE, TRUE,
                           &uat_rows, &uat_row_count, UAT_AFFECTS_DISSECTION,
                           NULL, pn_uat_copy, pn_uat_update, pn_uat_free,
                           pn_uat_post_update, pn_uat_reset, fields);

    uat_set_default_values(table, defaults);
    return table;
}
