/* careers.c - a roster's career cell to a career id.
 *
 * Students and secretaries write careers as they say them: "AI-Engineer", "NURSE",
 * "Registered Nurse". A value names a career when, compared as a slug (case-folded,
 * every run of other characters one '-'), it equals the career's id, its role (in the
 * base file or a translation) or its title. Anything else gets the nearest id by edit
 * distance as a suggestion. Careers are only loaded for a value that is not an id as
 * written, so a roster of plain ids costs nothing here. */
#include "careers.h"

#include <string.h>

#include <glib.h>

#include "../core/diag.h"

struct cp_careers {
    const cp_library *lib;
    cp_arena *a;
    const char **ids;
    GHashTable *slugs;     /* slug → id, or "" when several careers share it */
};

static char *slug(const char *s)
{
    GString *out = g_string_new(NULL);
    gchar *folded = g_utf8_validate(s, -1, NULL) ? g_utf8_casefold(s, -1) : g_strdup("");
    bool dash = false;
    for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalnum(c) || g_unichar_ismark(c)) {
            if (dash && out->len)
                g_string_append_c(out, '-');
            g_string_append_unichar(out, c);
            dash = false;
        } else {
            dash = true;
        }
    }
    g_free(folded);
    return g_string_free(out, FALSE);
}

cp_careers *careers_new(const cp_library *lib)
{
    cp_careers *c = g_new0(cp_careers, 1);
    c->lib = lib;
    c->a = arena_new();
    c->ids = career_ids(c->a, lib);
    return c;
}

void careers_free(cp_careers *c)
{
    if (!c)
        return;
    if (c->slugs)
        g_hash_table_destroy(c->slugs);
    arena_free(c->a);
    g_free(c);
}

static void add_slug(cp_careers *c, const char *text, const char *id)
{
    if (!text || !*text)
        return;
    char *k = slug(text);
    const char *had = g_hash_table_lookup(c->slugs, k);
    if (!had)
        g_hash_table_insert(c->slugs, k, (gpointer)id);
    else {
        if (strcmp(had, id))
            g_hash_table_insert(c->slugs, g_strdup(k), (gpointer)"");
        g_free(k);
    }
}

/* Every career's id, role and title, in every language it has (once, on first need). */
static void load_names(cp_careers *c)
{
    if (c->slugs)
        return;
    c->slugs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    diag_set_quiet(1);   /* a broken career is reported by the rows that use it */
    for (const char **id = c->ids; *id; id++) {
        add_slug(c, *id, *id);
        const char **langs = career_translations(c->a, c->lib, *id);
        for (size_t i = 0; i == 0 || langs[i - 1]; i++) {
            const cp_node *k = i == 0 ? career_load(c->a, c->lib, *id)
                                      : career_load_lang(c->a, c->lib, *id, langs[i - 1]);
            add_slug(c, node_str(k, "role"), *id);
            add_slug(c, node_str(k, "title"), *id);
        }
    }
    diag_set_quiet(0);
}

static size_t distance(const char *x, const char *y)
{
    size_t n = strlen(y), *row = g_new(size_t, n + 1);
    for (size_t j = 0; j <= n; j++)
        row[j] = j;
    for (size_t i = 1; x[i - 1]; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= n; j++) {
            size_t up = row[j];
            size_t best = diag + (x[i - 1] != y[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[n];
    g_free(row);
    return d;
}

const char *careers_find(cp_careers *c, const char *value, const char **why, cp_arena *a)
{
    load_names(c);
    char *k = slug(value);
    const char *id = g_hash_table_lookup(c->slugs, k);
    *why = NULL;
    if (id && !*id) {
        *why = arena_printf(a, "'%s' names more than one career, expected the career's id "
                            "(see careerpdf --list)", value);
        id = NULL;
    } else if (!id) {
        /* The nearest id, or the id of the nearest role or title. */
        const char *best = NULL;
        size_t best_d = (size_t)-1;
        GHashTableIter it;
        gpointer key, val;
        g_hash_table_iter_init(&it, c->slugs);
        while (g_hash_table_iter_next(&it, &key, &val)) {
            size_t d = distance(k, key);
            if (*(const char *)val &&
                (d < best_d || (d == best_d && strcmp(val, best) < 0))) {
                best = val;
                best_d = d;
            }
        }
        *why = best ? arena_printf(a, "unknown career '%s', did you mean %s? (careerpdf "
                                   "--list shows every id)", value, best)
                    : arena_printf(a, "unknown career '%s', and the content folder has no "
                                   "careers", value);
    }
    g_free(k);
    return id;
}
