/* table-save.c
 * Saves the Port notes table the way Wireshark's table dialog does
 * (UatModel::applyChanges: uat_save(), then the post-update callback), so
 * that tests/tshark-tests.sh (case table-save) can open the file as the GUI
 * writes it.  Run with the staged plugin and a private configuration:
 *   table-save edit     shows the table as loaded (built-in rows count),
 *                       changes 23/tcp's risk to critical, adds a row for
 *                       40404/tcp, saves, and prints the table's file name
 *   table-save show     prints "ROWS<TAB>23/tcp risk<TAB>40404/tcp service"
 *                       of the table as loaded
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <ws_version.h>
#include <epan/epan.h>
#include <epan/prefs.h>
#include <epan/uat-int.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#define TABLE "Port notes"

/** Sets field name of a record the way the dialog's editor does. */
static void set_field(uat_t *uat, void *record, const char *name, const char *value)
{
    for (guint c = 0; c < uat->ncols; c++) {
        uat_field_t *f = &uat->fields[c];
        if (strcmp(f->name, name) == 0) {
            f->cb.set(record, value, (unsigned)strlen(value), f->cbdata.set, f->fld_data);
            return;
        }
    }
    fprintf(stderr, "no field %s\n", name);
    exit(2);
}

static char *get_field(uat_t *uat, void *record, const char *name)
{
    for (guint c = 0; c < uat->ncols; c++)
        if (strcmp(uat->fields[c].name, name) == 0)
            return uat_fld_tostr(record, &uat->fields[c]);
    return NULL;
}

/** The first shown row of ports/transport, or NULL. */
static void *find_row(uat_t *uat, const char *ports, const char *transport)
{
    for (guint i = 0; i < uat->raw_data->len; i++) {
        void *rec = UAT_INDEX_PTR(uat, i);
        char *p = get_field(uat, rec, "ports"), *t = get_field(uat, rec, "transport");
        gboolean found = strcmp(p, ports) == 0 && strcmp(t, transport) == 0;
        g_free(p);
        g_free(t);
        if (found)
            return rec;
    }
    return NULL;
}

static int edit(uat_t *uat)
{
    void *telnet = find_row(uat, "23", "tcp");
    void *added = g_malloc0(uat->record_size);
    static const char *const row[][2] = {
        { "ports", "40404" }, { "transport", "tcp" }, { "role", "server" }, { "service", "Lab console" },
        { "risk", "" }, { "categories", "" }, { "threats", "" }, { "description", "Our lab's console" },
        { "note", "" }, { "source", "our inventory" }, { "also_risk", "" }, { "also_categories", "" },
        { "also_threats", "" }, { "also_note", "" },
    };
    char *error = NULL;

    if (!telnet) {
        fprintf(stderr, "23/tcp is not shown in the table (%u rows)\n", uat->raw_data->len);
        return 1;
    }
    set_field(uat, telnet, "risk", "critical");
    for (size_t i = 0; i < G_N_ELEMENTS(row); i++)
        set_field(uat, added, row[i][0], row[i][1]);
    uat_add_record(uat, added, TRUE);
    uat->free_cb(added);
    g_free(added);
    uat->changed = TRUE;
    /* as UatModel::applyChanges() */
    if (!uat_save(uat, &error)) {
        fprintf(stderr, "uat_save: %s\n", error);
        return 1;
    }
    if (uat->post_update_cb)
        uat->post_update_cb();
    printf("%s\n", uat_get_actual_filename(uat, FALSE));
    return 0;
}

static int show(uat_t *uat)
{
    void *telnet = find_row(uat, "23", "tcp"), *added = find_row(uat, "40404", "tcp");

    printf("%u\t%s\t%s\n", uat->raw_data->len, telnet ? get_field(uat, telnet, "risk") : "-",
           added ? get_field(uat, added, "service") : "-");
    return 0;
}

int main(int argc, char **argv)
{
    uat_t *uat;

    if (argc != 2 || (strcmp(argv[1], "edit") != 0 && strcmp(argv[1], "show") != 0)) {
        fprintf(stderr, "usage: %s edit|show\n", argv[0]);
        return 2;
    }
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 6)
    ws_log_init(NULL);
    init_process_policies();
    configuration_init(argv[0]);
#else
    ws_log_init("table-save", NULL);
    init_process_policies();
    configuration_init(argv[0], NULL);
#endif
    wtap_init(TRUE);
    if (!epan_init(NULL, NULL, TRUE))
        return 1;
    epan_load_settings();
    uat = uat_get_table_by_name(TABLE);
    if (!uat) {
        fprintf(stderr, "no table \"%s\": is the plugin loaded?\n", TABLE);
        return 1;
    }
    return strcmp(argv[1], "edit") == 0 ? edit(uat) : show(uat);
}
