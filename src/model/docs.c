#include "docs.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "money.h"

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool icon_known_in(const char *name, void *user)
{
    return node_str(node_get((const cp_node *)user, "icons"), name) != NULL;
}

bool library_open(cp_library *lib, cp_arena *a)
{
    const char *schema_path = arena_printf(a, "%s/schema/career.yaml", lib->content_dir);
    const char *strings_path = arena_printf(a, "%s/schema/strings.yaml", lib->content_dir);
    const char *layout_path = arena_printf(a, "%s/schema/layout.yaml", lib->content_dir);
    const char *icons_path = arena_printf(a, "%s/icons.yaml", lib->fonts_dir);
    return schema_load(a, schema_path, &lib->career_schema) &&
           schema_load(a, strings_path, &lib->strings_schema) &&
           schema_load(a, layout_path, &lib->layout_schema) &&
           (lib->icons = yaml_load_file(a, icons_path, &CP_DEFAULT_LIMITS)) != NULL;
}

bool career_id_valid(const char *id)
{
    if (!id || !*id || strlen(id) > 64 || id[0] == '-')
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

static bool is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".yaml"));
}

const char *career_path(cp_arena *a, const cp_library *lib, const char *id_or_path)
{
    if (is_path(id_or_path))
        return id_or_path;
    return arena_printf(a, "%s/careers/%s.yaml", lib->content_dir, id_or_path);
}

/* File name without folder and .yaml: what the id inside must match. */
static const char *stem(cp_arena *a, const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && !strcmp(base + n - 5, ".yaml"))
        n -= 5;
    /* Translations (ai-engineer.hi.yaml) carry the base id. */
    const char *dot = memchr(base, '.', n);
    return arena_strndup(a, base, dot ? (size_t)(dot - base) : n);
}

static bool check_range(const cp_node *m)
{
    double lo, hi;
    const cp_node *min = node_get(m, "min"), *max = node_get(m, "max");
    if (!node_number(min, &lo) || !node_number(max, &hi) || lo <= hi)
        return true;
    diag_error(&max->loc, max->path, "max %s is below min %s, expected max >= min",
               max->text, min->text);
    return false;
}

static bool check_ranges(const cp_node *c)
{
    bool ok = check_range(node_at(c, "stats.salary"));
    const char *lists[] = {"salary.levels", "salary.regions"};
    for (size_t l = 0; l < 2; l++) {
        const cp_node *seq = node_at(c, lists[l]);
        for (size_t i = 0; node_is_seq(seq) && i < seq->len; i++)
            ok &= check_range(seq->items[i]);
    }
    return ok;
}

static bool career_exists(cp_arena *a, const cp_library *lib, const char *id)
{
    struct stat st;
    return career_id_valid(id) &&
           stat(arena_printf(a, "%s/careers/%s.yaml", lib->content_dir, id), &st) == 0 &&
           S_ISREG(st.st_mode);
}

static bool check_reference(cp_arena *a, const cp_library *lib, const cp_node *ref)
{
    if (!node_is_scalar(ref) || career_exists(a, lib, ref->text))
        return true;
    diag_error(&ref->loc, ref->path, "no career '%s' in %s/careers, expected the id of "
               "another career file", ref->text, diag_path(lib->content_dir));
    return false;
}

static bool check_references(cp_arena *a, const cp_library *lib, const cp_node *c)
{
    bool ok = check_reference(a, lib, node_at(c, "comparison.with"));
    ok &= check_reference(a, lib, node_at(c, "examples.see_also.career"));
    const cp_node *rel = node_get(c, "related");
    for (size_t i = 0; node_is_seq(rel) && i < rel->len; i++)
        ok &= check_reference(a, lib, node_get(rel->items[i], "id"));
    const cp_node *ill = node_get(c, "illustrative");
    for (size_t i = 0; node_is_seq(ill) && i < ill->len; i++)
        if (node_is_scalar(ill->items[i]) && !node_at(c, ill->items[i]->text)) {
            diag_error(&ill->items[i]->loc, ill->items[i]->path, "'%s' names no data in "
                       "this career, expected a path like salary.regions",
                       ill->items[i]->text);
            ok = false;
        }
    return ok;
}

static cp_node *merge(cp_arena *a, const cp_node *base, const cp_node *over);

/* Schema and cross-reference checks of a loaded career; `path` names the file (NULL for
 * standard input, which has no name for the id to match). */
static const cp_node *career_checked(cp_arena *a, const cp_library *lib, const char *path,
                                     const cp_node *c)
{
    cp_schema_env env = {.icon_known = icon_known_in, .user = (void *)lib->icons};
    if (!schema_check(lib->career_schema, c, &env))
        return NULL;
    bool ok = check_ranges(c);
    ok = check_references(a, lib, c) && ok;   /* both report, whatever the first found */
    const cp_node *id = node_get(c, "id");
    const char *want = path ? stem(a, path) : id->text;   /* NULL: standard input */
    if (strcmp(id->text, want)) {
        diag_error(&id->loc, id->path, "id '%s' does not match the file name, expected "
                   "'%s'", id->text, want);
        ok = false;
    }
    return ok ? c : NULL;
}

static bool is_stdin(const cp_library *lib, const char *ref)
{
    return lib->stdin_text && !strcmp(ref, CAREER_STDIN);
}

static bool valid_ref(const cp_library *lib, const char *id_or_path)
{
    if (is_path(id_or_path) || career_id_valid(id_or_path) || is_stdin(lib, id_or_path))
        return true;
    diag_error(NULL, NULL, "'%s' is not a career id, expected lower-case letters, digits "
               "and dashes (see careerpdf --list) or a path to a .yaml file", id_or_path);
    return false;
}

/* An id without a file: say so, point to --list and suggest the nearest id. */
static bool career_known(cp_arena *a, const cp_library *lib, const char *id_or_path)
{
    if (is_path(id_or_path) || career_exists(a, lib, id_or_path))
        return true;
    const char **ids = career_ids(a, lib);
    size_t n = 0;
    while (ids[n])
        n++;
    const char *near = schema_closest(id_or_path, ids, n);
    diag_report(DIAG_ERROR, NULL, NULL, "career.unknown-id",
                near ? arena_printf(a, "did you mean '%s'?", near) : NULL,
                "no career '%s' in %s/careers, expected an id that careerpdf --list shows",
                id_or_path, diag_path(lib->content_dir));
    return false;
}

const cp_node *career_load(cp_arena *a, const cp_library *lib, const char *id_or_path)
{
    if (!valid_ref(lib, id_or_path) ||
        (!is_stdin(lib, id_or_path) && !career_known(a, lib, id_or_path)))
        return NULL;
    if (is_stdin(lib, id_or_path)) {
        const cp_node *c = yaml_load_string(a, CAREER_STDIN_NAME, lib->stdin_text,
                                            lib->stdin_len, &CP_DEFAULT_LIMITS);
        return c ? career_checked(a, lib, NULL, c) : NULL;
    }
    const char *path = career_path(a, lib, id_or_path);
    const cp_node *c = yaml_load_file(a, path, &CP_DEFAULT_LIMITS);
    return c ? career_checked(a, lib, path, c) : NULL;
}

static void report_fallbacks(const cp_node *base, const cp_node *tr, const char *lang)
{
    for (size_t i = 0; i < base->len; i++)
        if (!node_get(tr, base->keys[i]))
            diag_warning(&tr->loc, base->keys[i], "not translated to '%s', the base "
                         "file's text is used", lang);
}

const cp_node *career_load_lang(cp_arena *a, const cp_library *lib, const char *id_or_path,
                                const char *lang)
{
    if (!valid_ref(lib, id_or_path))
        return NULL;
    struct stat st;
    const char *tr_path = lang && !is_path(id_or_path) && career_id_valid(lang)
        ? arena_printf(a, "%s/careers/%s.%s.yaml", lib->content_dir, id_or_path, lang)
        : NULL;
    if (!tr_path || stat(tr_path, &st) != 0)
        return career_load(a, lib, id_or_path);
    const char *base_path = career_path(a, lib, id_or_path);
    const cp_node *base = yaml_load_file(a, base_path, &CP_DEFAULT_LIMITS);
    const cp_node *tr = yaml_load_file(a, tr_path, &CP_DEFAULT_LIMITS);
    if (!base || !tr)
        return NULL;
    if (!node_is_map(tr)) {
        diag_error(&tr->loc, "", "a translation is a mapping, expected the fields of "
                   "the career in another language");
        return NULL;
    }
    if (lib->warn_fallbacks)
        report_fallbacks(base, tr, lang);
    return career_checked(a, lib, tr_path, merge(a, base, tr));
}

const char **career_translations(cp_arena *a, const cp_library *lib, const char *id)
{
    cp_vec langs = {0};
    size_t n = strlen(id);
    DIR *dir = opendir(arena_printf(a, "%s/careers", lib->content_dir));
    for (struct dirent *e; dir && (e = readdir(dir));) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (len > n + 6 && !strncmp(name, id, n) && name[n] == '.' &&
            !strcmp(name + len - 5, ".yaml")) {
            const char *lang = arena_strndup(a, name + n + 1, len - n - 6);
            if (career_id_valid(lang))
                vec_push(a, &langs, (void *)lang);
        }
    }
    if (dir)
        closedir(dir);
    if (langs.len)   /* qsort(NULL, 0) is undefined */
        qsort(langs.items, langs.len, sizeof *langs.items, cmp_str);
    vec_push(a, &langs, NULL);
    return (const char **)langs.items;
}

const cp_node *strings_load(cp_arena *a, const cp_library *lib, const char *lang)
{
    if (!career_id_valid(lang)) {
        diag_error(NULL, NULL, "'%s' is not a language code, expected e.g. en, hi, ar",
                   lang ? lang : "");
        return NULL;
    }
    const cp_node *s = yaml_load_file(
        a, arena_printf(a, "%s/strings/%s.yaml", lib->content_dir, lang), &CP_DEFAULT_LIMITS);
    /* Every label is required, so an incomplete translation fails here, naming the key,
     * instead of printing blanks. */
    return s && schema_check(lib->strings_schema, s, NULL) ? s : NULL;
}

/* --- layouts ---------------------------------------------------------------------------- */

static cp_node *merge(cp_arena *a, const cp_node *base, const cp_node *over)
{
    if (!node_is_map(base) || !node_is_map(over))
        return (cp_node *)over;
    cp_node *m = node_new_map(a, base->len + over->len, over->loc, over->path);
    for (size_t i = 0; i < base->len; i++) {
        const cp_node *o = node_get(over, base->keys[i]);
        node_add(a, m, base->keys[i], base->key_locs[i],
                 o ? merge(a, base->items[i], o) : base->items[i]);
    }
    for (size_t i = 0; i < over->len; i++)
        if (!node_get(base, over->keys[i]))
            node_add(a, m, over->keys[i], over->key_locs[i], over->items[i]);
    return m;
}

static const char *dir_of(cp_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? arena_strndup(a, path, (size_t)(slash - path)) : ".";
}

static const cp_node *layout_chain(cp_arena *a, const cp_library *lib, const char *name,
                                   const char **dir_out, int depth)
{
    const char *path = is_path(name) ? name : arena_printf(a, "%s/%s.yaml", lib->layouts_dir,
                                                           name);
    if (!is_path(name) && !career_id_valid(name)) {
        diag_error(NULL, NULL, "'%s' is not a layout name, expected report, handout, "
                   "poster or a path to a .yaml file", name);
        return NULL;
    }
    const cp_node *l = yaml_load_file(a, path, &CP_DEFAULT_LIMITS);
    if (!l)
        return NULL;
    if (!node_is_map(l)) {
        diag_error(&l->loc, "", "a layout is a mapping, expected page, theme and blocks");
        return NULL;
    }
    cp_schema_env env = {.icon_known = icon_known_in, .user = (void *)lib->icons};
    if (lib->layout_schema && !schema_check(lib->layout_schema, l, &env))
        return NULL;
    if (dir_out && !*dir_out)
        *dir_out = dir_of(a, path);
    const cp_node *ext = node_get(l, "extends");
    if (!ext) {
        if (!node_get(l, "blocks")) {
            diag_error(&l->loc, "", "missing required key 'blocks', expected the list of "
                       "blocks (or extends: a layout that has them)");
            return NULL;
        }
        return l;
    }
    if (depth > 8) {
        diag_error(&ext->loc, ext->path, "extends chain more than 9 layouts deep, expected "
                   "a shorter chain (is there a loop?)");
        return NULL;
    }
    const cp_node *base = layout_chain(a, lib, ext->text, NULL, depth + 1);
    return base ? merge(a, base, l) : NULL;
}

const cp_node *layout_load(cp_arena *a, const cp_library *lib, const char *name_or_path,
                           const char **dir_out)
{
    if (dir_out)
        *dir_out = NULL;
    return layout_chain(a, lib, name_or_path, dir_out, 0);
}


const char **career_ids(cp_arena *a, const cp_library *lib)
{
    cp_vec ids = {0};
    DIR *dir = opendir(arena_printf(a, "%s/careers", lib->content_dir));
    for (struct dirent *e; dir && (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        const char *id = n > 5 ? arena_strndup(a, e->d_name, n - 5) : NULL;
        if (id && !strcmp(e->d_name + n - 5, ".yaml") && career_id_valid(id))
            vec_push(a, &ids, (void *)id);
    }
    if (dir)
        closedir(dir);
    if (ids.len)
        qsort(ids.items, ids.len, sizeof *ids.items, cmp_str);
    vec_push(a, &ids, NULL);
    return (const char **)ids.items;
}
