/* identity.c - what a report was made from, as a SHA-256 digest (GLib's GChecksum).
 *
 * A report's identity covers everything that decides its bytes: the row's cells, the
 * career's files (base and translations), the labels, the layout as loaded (with its
 * parents merged) and the files it names (a logo), and the options that change output.
 * The manifest records it per file, and --skip-existing keeps a file only when the
 * previous run's manifest records the same identity for it. Every value is hashed
 * with its length in front, so no two different inputs run together the same way. */
#include "identity.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "roster.h"

/* Bumped when the output of the same inputs changes, so older files are made again. */
#define IDENTITY_VERSION "careerpdf-identity-1"

struct cp_identity {
    GChecksum *inputs;      /* options, labels, layout: the same for every row */
    GHashTable *careers;    /* career id → hex digest of its files */
    const cp_library *lib;
    const char *password_key;
};

static void put(GChecksum *c, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    snprintf(len, sizeof len, "%zu:", s ? n : (size_t)-1);
    g_checksum_update(c, (const guchar *)len, (gssize)strlen(len));
    if (n)
        g_checksum_update(c, (const guchar *)s, (gssize)n);
}

/* A file's name and bytes; an unreadable file counts as absent. */
static void put_file(GChecksum *c, const char *path)
{
    gchar *data = NULL;
    gsize len = 0;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    put(c, base);
    if (g_file_get_contents(path, &data, &len, NULL)) {
        char n[24];
        snprintf(n, sizeof n, "%zu:", (size_t)len);
        g_checksum_update(c, (const guchar *)n, (gssize)strlen(n));
        g_checksum_update(c, (const guchar *)data, (gssize)len);
    } else {
        put(c, NULL);
    }
    g_free(data);
}

static gint by_name(gconstpointer x, gconstpointer y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every .yaml file of a folder whose name starts with `prefix`, in name order. */
static void put_folder(GChecksum *c, const char *dir, const char *prefix)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (!strncmp(e->d_name, prefix, strlen(prefix)) && n > 5 &&
            !strcmp(e->d_name + n - 5, ".yaml"))
            g_ptr_array_add(names, g_strdup(e->d_name));
    }
    if (d)
        closedir(d);
    g_ptr_array_sort(names, by_name);
    for (guint i = 0; i < names->len; i++) {
        char *p = g_build_filename(dir, names->pdata[i], NULL);
        put_file(c, p);
        g_free(p);
    }
    g_ptr_array_free(names, TRUE);
}

/* The layout as loaded: every key and value, and the bytes of any file a value names
 * beside the layout (a logo). */
static void put_layout(GChecksum *c, const cp_node *n, const char *dir)
{
    if (node_is_scalar(n)) {
        put(c, n->text);
        char *p = dir && *n->text ? g_build_filename(dir, n->text, NULL) : NULL;
        struct stat st;
        if (p && strchr(n->text, '.') && stat(p, &st) == 0 && S_ISREG(st.st_mode))
            put_file(c, p);
        g_free(p);
        return;
    }
    put(c, node_is_map(n) ? "{" : "[");
    for (size_t i = 0; (node_is_map(n) || node_is_seq(n)) && i < n->len; i++) {
        if (node_is_map(n))
            put(c, n->keys[i]);
        put_layout(c, n->items[i], dir);
    }
    put(c, "}");
}

cp_identity *identity_new(const cp_library *lib, const cp_options *o, const cp_node *layout,
                          const char *layout_dir, const char *password_key)
{
    cp_identity *id = g_new0(cp_identity, 1);
    id->lib = lib;
    id->password_key = password_key;
    id->careers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GChecksum *c = id->inputs = g_checksum_new(G_CHECKSUM_SHA256);
    put(c, IDENTITY_VERSION);
    /* Options that change a report's bytes (file names and workers do not). */
    char num[64];
    snprintf(num, sizeof num, "%d %d %d", o->grayscale, (int)o->backend, o->attach_source);
    put(c, num);
    put(c, o->paper);
    put(c, o->lang);
    put(c, o->career);
    put(c, o->permissions);
    char *strings = g_build_filename(lib->content_dir, "strings", NULL);
    put_folder(c, strings, "");
    g_free(strings);
    put_layout(c, layout, layout_dir);
    return id;
}

void identity_free(cp_identity *id)
{
    if (!id)
        return;
    g_checksum_free(id->inputs);
    g_hash_table_destroy(id->careers);
    g_free(id);
}

/* The career's files: ID.yaml and its translations ID.LANG.yaml (once per career). */
static const char *career_digest(cp_identity *id, const char *career)
{
    const char *hex = g_hash_table_lookup(id->careers, career);
    if (hex)
        return hex;
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    cp_arena *a = arena_new();
    if (career_id_valid(career)) {
        char *dir = g_build_filename(id->lib->content_dir, "careers", NULL);
        put_folder(c, dir, arena_printf(a, "%s.", career));
        g_free(dir);
    } else {
        put_file(c, career_path(a, id->lib, career));
    }
    arena_free(a);
    char *out = g_strdup(g_checksum_get_string(c));
    g_checksum_free(c);
    g_hash_table_insert(id->careers, g_strdup(career), out);
    return out;
}

static void put_row(GChecksum *c, const cp_node *row, const char *password_key)
{
    for (size_t i = 0; node_is_map(row) && i < row->len; i++) {
        /* The password stays out: a digest of it in the manifest could be cracked. */
        if (password_key && !strcmp(row->keys[i], password_key))
            continue;
        put(c, row->keys[i]);
        put(c, row->items[i]->text);
    }
}

const char *identity_of_row(cp_arena *a, const cp_node *row, const char *password_key)
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    put_row(c, row, password_key);
    const char *out = arena_strdup(a, g_checksum_get_string(c));
    g_checksum_free(c);
    return out;
}

const char *identity_of_report(cp_identity *id, cp_arena *a, const char *career,
                               const cp_node *row)
{
    GChecksum *c = g_checksum_copy(id->inputs);
    put(c, career);
    put(c, career_digest(id, career));
    put_row(c, row, id->password_key);
    const char *out = arena_strdup(a, g_checksum_get_string(c));
    g_checksum_free(c);
    return out;
}

/* --- the previous run ---------------------------------------------------------------- */

GHashTable *identity_previous(const char *manifest_path)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (access(manifest_path, R_OK) != 0)
        return t;
    cp_roster *r = roster_open(manifest_path, manifest_path, NULL);
    if (!r)
        return t;
    cp_roster_row row;
    int got;
    do {
        cp_arena *a = arena_new();
        got = roster_next(r, a, &row);
        const char *file = node_str(row.node, "file"), *digest = node_str(row.node, "digest");
        const char *status = node_str(row.node, "status");
        if (got == 1 && file && *file && digest && *digest && status &&
            (!strcmp(status, "ok") || !strcmp(status, "skipped")))
            g_hash_table_insert(t, g_strdup(file), g_strdup(digest));
        arena_free(a);
    } while (got == 1);
    roster_close(r);
    return t;
}
