/* summary.c - the JSON record of a batch run (summary.h). */
#include "summary.h"

#include <stdlib.h>

#include "../core/json.h"
#include "../core/outfile.h"
#include "../core/xalloc.h"

typedef struct {
    size_t seq, row;
    int line;
    char *name, *career, *file, *status, *error, *digest;
    unsigned pages;
    unsigned long long bytes;
} entry;

struct cp_summary {
    cp_outfile out;
    GArray *entries;   /* of entry, in the order rows finished */
};

static void entry_clear(gpointer p)
{
    entry *e = p;
    g_free(e->name);
    g_free(e->career);
    g_free(e->file);
    g_free(e->status);
    g_free(e->error);
    g_free(e->digest);
}

cp_summary *summary_open(const char *path)
{
    cp_summary *s = xcalloc(1, sizeof *s);
    if (!outfile_open(&s->out, path)) {
        free(s);
        return NULL;
    }
    s->entries = g_array_new(FALSE, FALSE, sizeof(entry));
    g_array_set_clear_func(s->entries, entry_clear);
    return s;
}

void summary_add(cp_summary *s, size_t seq, const cp_manifest_entry *e)
{
    entry x = {seq, e->row, e->line, g_strdup(e->name), g_strdup(e->career),
               g_strdup(e->file), g_strdup(e->status), g_strdup(e->error),
               g_strdup(e->digest), e->pages, e->bytes};
    g_array_append_val(s->entries, x);
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
    size_t x = ((const entry *)a)->seq, y = ((const entry *)b)->seq;
    return x < y ? -1 : x > y;
}

/* A string member, or null when there is none. */
static void member_str(JsonBuilder *b, const char *key, const char *value)
{
    json_builder_set_member_name(b, key);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

static void member_int(JsonBuilder *b, const char *key, gint64 value)
{
    json_builder_set_member_name(b, key);
    json_builder_add_int_value(b, value);
}

/* pages and bytes: 0 in an entry means "not known", null in JSON. */
static void member_known(JsonBuilder *b, const char *key, unsigned long long value)
{
    json_builder_set_member_name(b, key);
    if (value)
        json_builder_add_int_value(b, (gint64)value);
    else
        json_builder_add_null_value(b);
}

static void add_rows(JsonBuilder *b, GArray *entries)
{
    g_array_sort(entries, by_seq);
    json_builder_set_member_name(b, "rows");
    json_builder_begin_array(b);
    for (guint i = 0; i < entries->len; i++) {
        const entry *e = &g_array_index(entries, entry, i);
        json_builder_begin_object(b);
        member_int(b, "row", (gint64)e->row);
        member_int(b, "line", e->line);
        member_str(b, "name", e->name);
        member_str(b, "career", e->career);
        member_str(b, "file", e->file);
        member_known(b, "pages", e->pages);
        member_known(b, "bytes", e->bytes);
        member_str(b, "status", e->status);
        member_str(b, "error", e->error);
        member_str(b, "digest", e->digest);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

static const char *status_of(const cp_summary_totals *t)
{
    return t->disk_full ? "disk_full" : t->stopped || t->interrupted ? "interrupted"
         : t->failed ? "some_failed" : "ok";
}

bool summary_commit(cp_summary *s, const cp_summary_totals *t)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    member_str(b, "roster", t->roster);
    member_str(b, "out_dir", t->out_dir);
    member_str(b, "merge", t->merge);
    member_str(b, "manifest", t->manifest);
    json_builder_set_member_name(b, "shard");
    if (t->shard_n) {
        json_builder_begin_object(b);
        member_int(b, "k", t->shard_k);
        member_int(b, "n", t->shard_n);
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    member_str(b, "status", status_of(t));
    json_builder_set_member_name(b, "counts");
    json_builder_begin_object(b);
    member_int(b, "rows", (gint64)s->entries->len);
    member_int(b, "written", (gint64)t->written);
    member_int(b, "skipped", (gint64)t->skipped);
    member_int(b, "failed", (gint64)t->failed);
    member_int(b, "interrupted", (gint64)t->interrupted);
    json_builder_end_object(b);
    /* Whole milliseconds: json-glib prints doubles with 17 digits (0.52500000000000002). */
    member_int(b, "milliseconds", (gint64)(t->seconds * 1000 + 0.5));
    add_rows(b, s->entries);
    json_builder_end_object(b);
    char *text = json_text(b, true);
    g_object_unref(b);
    fputs(text, s->out.fp);
    g_free(text);
    bool ok = outfile_commit(&s->out);
    g_array_free(s->entries, TRUE);
    free(s);
    return ok;
}

void summary_abort(cp_summary *s)
{
    outfile_abort(&s->out);
    g_array_free(s->entries, TRUE);
    free(s);
}
