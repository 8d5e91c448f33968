/* manifest.c - the run's record, in roster order, written whole or not at all. */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "../core/outfile.h"
#include "../core/xalloc.h"

struct cp_manifest {
    cp_outfile out;
    size_t next;          /* seq of the next entry to write */
    GHashTable *waiting;  /* seq → formatted line, for entries that came early */
};

static const char HEADER[] = "row,line,name,career,file,pages,bytes,status,error,digest\n";

cp_manifest *manifest_open(const char *path)
{
    cp_manifest *m = xcalloc(1, sizeof *m);
    if (!outfile_open(&m->out, path)) {
        free(m);
        return NULL;
    }
    fputs(HEADER, m->out.fp);
    m->waiting = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return m;
}

void manifest_put_field(FILE *f, const char *text)
{
    if (!text)
        text = "";
    /* A spreadsheet runs a cell that starts like a formula (=HYPERLINK(...), +, -, @,
     * or a tab or carriage return before one): a leading apostrophe makes it text
     * there, as OWASP advises for CSV files. */
    char *guarded = NULL;
    if (strchr("=+-@\t\r", text[0]) && text[0])
        text = guarded = g_strconcat("'", text, NULL);
    size_t n = strlen(text);
    bool quote = strpbrk(text, ",\"\r\n") != NULL ||
                 (n && (text[0] == ' ' || text[n - 1] == ' '));
    if (!quote) {
        fputs(text, f);
    } else {
        fputc('"', f);
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    }
    g_free(guarded);
}

static char *format(const cp_manifest_entry *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = xopen_memstream(&buf, &len);
    fprintf(f, "%zu,%d,", e->row, e->line);
    manifest_put_field(f, e->name);
    fputc(',', f);
    manifest_put_field(f, e->career);
    fputc(',', f);
    manifest_put_field(f, e->file);
    fputc(',', f);
    if (e->pages)
        fprintf(f, "%u", e->pages);
    fputc(',', f);
    if (e->bytes)
        fprintf(f, "%llu", e->bytes);
    fputc(',', f);
    manifest_put_field(f, e->status);
    fputc(',', f);
    manifest_put_field(f, e->error);
    fputc(',', f);
    manifest_put_field(f, e->digest);
    fputc('\n', f);
    fclose(f);
    /* g_free releases what the table holds: copy into glib's allocator. */
    char *line = g_strdup(buf);
    free(buf);
    return line;
}

static void drain(cp_manifest *m)
{
    char *line;
    while ((line = g_hash_table_lookup(m->waiting, GSIZE_TO_POINTER(m->next + 1)))) {
        fputs(line, m->out.fp);
        g_hash_table_remove(m->waiting, GSIZE_TO_POINTER(m->next + 1));
        m->next++;
    }
}

void manifest_add(cp_manifest *m, size_t seq, const cp_manifest_entry *e)
{
    /* Keys are seq + 1: a NULL key would read as "absent". */
    g_hash_table_insert(m->waiting, GSIZE_TO_POINTER(seq + 1), format(e));
    drain(m);
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
    gsize x = GPOINTER_TO_SIZE(a), y = GPOINTER_TO_SIZE(b);
    return x < y ? -1 : x > y;
}

bool manifest_commit(cp_manifest *m)
{
    /* Rows never finished leave gaps: write the rest in order past them. */
    GList *keys = g_list_sort(g_hash_table_get_keys(m->waiting), by_seq);
    for (GList *k = keys; k; k = k->next)
        fputs(g_hash_table_lookup(m->waiting, k->data), m->out.fp);
    g_list_free(keys);
    bool ok = outfile_commit(&m->out);
    g_hash_table_destroy(m->waiting);
    free(m);
    return ok;
}

void manifest_abort(cp_manifest *m)
{
    outfile_abort(&m->out);
    g_hash_table_destroy(m->waiting);
    free(m);
}
