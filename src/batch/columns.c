/* columns.c - which roster column each field is read from, and which columns a run uses.
 *
 * Schools export rosters with their own headers ("Student Name", "Grade Level"). A
 * mapping (--columns FILE, then --column FIELD=HEADER, the command line winning) tells
 * the roster which column holds each field; everything else that names a column
 * ({student.X} in --name-pattern or the layout) is checked against the header before
 * any work, and a column nothing reads is named once, so no cell is silently dropped. */
#include "columns.h"

#include <string.h>

#include <glib.h>

#include "../core/diag.h"

/* The fields careerpdf itself reads from a row (besides rate:SKILL columns). */
static const char *const FIELDS[] = {"name",    "career", "grade", "school",
                                     "counselor", "note", "lang",  NULL};

static bool is_rating(const char *field)
{
    return !strncmp(field, "rate:", 5) && field[5];
}

static bool known_field(const char *field)
{
    for (const char *const *f = FIELDS; *f; f++)
        if (!strcmp(*f, field))
            return true;
    return is_rating(field);
}

/* "name, career, grade" or "(none)": what a message offers instead. */
static const char *column_list(cp_arena *a, const cp_roster *r)
{
    size_t n;
    const char *const *cols = roster_columns(r, &n);
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        if (*cols[i])
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", cols[i]);
    const char *out = arena_strdup(a, s->len ? s->str : "(none)");
    g_string_free(s, TRUE);
    return out;
}

static bool map_one(cp_arena *a, cp_roster *r, const char *roster, const char *field,
                    const char *header, const cp_loc *loc, const char *what)
{
    if (!known_field(field)) {
        diag_error(loc, NULL, "%s: unknown field '%s', expected one of name, career, grade, "
                   "school, counselor, note, lang or rate:SKILL", what, field);
        return false;
    }
    if (!roster_alias(r, field, header)) {
        diag_error(loc, NULL, "%s: %s has no column '%s', expected one of: %s", what, roster,
                   column_key(a, header, strlen(header)), column_list(a, r));
        return false;
    }
    return true;
}

static bool map_file(cp_arena *a, cp_roster *r, const char *roster, const char *path)
{
    const cp_node *m = yaml_load_file(a, path, &CP_DEFAULT_LIMITS);
    if (!m)
        return false;
    if (!node_is_map(m)) {
        diag_error(&m->loc, NULL, "expected a mapping of field: header, such as "
                   "name: Student Name");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < m->len; i++) {
        const cp_node *v = m->items[i];
        if (!node_is_scalar(v) || !*v->text) {
            diag_error(&v->loc, NULL, "%s: expected the header of a roster column, such as "
                       "%s: Student Name", m->keys[i], m->keys[i]);
            ok = false;
            continue;
        }
        ok &= map_one(a, r, roster, column_key(a, m->keys[i], strlen(m->keys[i])), v->text,
                      &v->loc, m->keys[i]);
    }
    return ok;
}

bool columns_apply(cp_arena *a, cp_roster *r, const cp_options *o, const char *roster)
{
    bool ok = !o->columns_file || map_file(a, r, roster, o->columns_file);
    cp_loc none = {NULL, 0, 0};
    for (int i = 0; i < o->n_columns; i++) {
        const char *arg = o->columns[i], *eq = strchr(arg, '=');
        const char *what = arena_printf(a, "--column %s", arg);
        if (!eq || eq == arg || !eq[1]) {
            diag_error(&none, NULL, "%s: expected FIELD=HEADER, such as "
                       "--column name=\"Student Name\"", what);
            ok = false;
            continue;
        }
        ok &= map_one(a, r, roster, column_key(a, arg, (size_t)(eq - arg)), eq + 1, &none,
                      what);
    }
    return ok;
}

/* --- what names a column ------------------------------------------------------------- */

/* Calls back for each {student.X} in `text`, with X as a column key. */
static bool each_placeholder(cp_arena *a, const char *text,
                             bool (*fn)(void *, const char *, const char *), void *ctx)
{
    bool ok = true;
    for (const char *p = text ? strstr(text, "{student.") : NULL; p;
         p = strstr(p + 1, "{student.")) {
        const char *close = strchr(p, '}');
        if (!close)
            break;
        const char *key = column_key(a, p + 9, (size_t)(close - p - 9));
        ok &= fn(ctx, key, arena_strndup(a, p, (size_t)(close - p + 1)));
    }
    return ok;
}

typedef struct {
    cp_arena *a;
    const cp_roster *r;
    const char *roster;
    GHashTable *used;       /* column keys something reads */
    const cp_loc *loc;      /* where the text is (NULL: --name-pattern) */
    const char *path;       /* its data path in the layout */
} scan;

static bool use_placeholder(void *ctx, const char *key, const char *written)
{
    scan *sc = ctx;
    if (roster_has_field(sc->r, key)) {
        g_hash_table_add(sc->used, (gpointer)key);
        return true;
    }
    cp_loc none = {NULL, 0, 0};
    diag_error(sc->loc ? sc->loc : &none, sc->path, "%s%s: %s has no column '%s', expected "
               "one of: %s", sc->loc ? "" : "--name-pattern ", written, sc->roster, key,
               column_list(sc->a, sc->r));
    return false;
}

static bool scan_layout(scan *sc, const cp_node *n)
{
    if (node_is_scalar(n)) {
        sc->loc = &n->loc;
        sc->path = n->path;
        return each_placeholder(sc->a, n->text, use_placeholder, sc);
    }
    bool ok = true;
    for (size_t i = 0; (node_is_map(n) || node_is_seq(n)) && i < n->len; i++)
        ok &= scan_layout(sc, n->items[i]);
    return ok;
}

/* The field a column's name suggests ("grade level" holds the word "grade"), or NULL. */
static const char *field_in(const char *column)
{
    gchar **words = g_strsplit_set(column, " _-.", -1);
    const char *out = NULL;
    for (gchar **w = words; *w && !out; w++)
        for (const char *const *f = FIELDS; *f && !out; f++)
            if (!strcmp(*w, *f) || (!strcmp(*f, "counselor") && !strcmp(*w, "counsellor")))
                out = *f;
    g_strfreev(words);
    return out;
}

static const char *hint(cp_arena *a, const char *column)
{
    const char *f = field_in(column);
    return f ? arena_printf(a, "; to read the %s from it: --column %s=\"%s\"", f, f, column)
             : "";
}

const char *columns_guess(const cp_roster *r, const char *field)
{
    size_t n;
    const char *const *cols = roster_columns(r, &n);
    for (size_t i = 0; i < n; i++) {
        const char *f = field_in(cols[i]);
        if (f && !strcmp(f, field))
            return cols[i];
    }
    return NULL;
}

bool columns_check(cp_arena *a, const cp_roster *r, const cp_options *o, const char *roster,
                   const char *pattern, const cp_node *layout)
{
    scan sc = {a, r, roster, g_hash_table_new(g_str_hash, g_str_equal), NULL, NULL};
    bool ok = each_placeholder(a, pattern, use_placeholder, &sc);
    ok &= scan_layout(&sc, layout);
    size_t n;
    const char *const *cols = roster_columns(r, &n);
    for (size_t i = 0; ok && i < n; i++) {
        const char *c = cols[i];
        bool used = !*c || known_field(c) || roster_is_mapped(r, c) ||
                    g_hash_table_contains(sc.used, c) ||
                    (o->password_column && !strcmp(column_key(a, o->password_column,
                                                              strlen(o->password_column)), c));
        if (!used) {
            cp_loc loc = {roster, 0, 0};
            diag_warning(&loc, NULL, "column '%s' is not used: no field reads it and no "
                         "{student.X} in the layout or --name-pattern names it%s", c,
                         hint(a, c));
        }
    }
    g_hash_table_destroy(sc.used);
    return ok;
}
