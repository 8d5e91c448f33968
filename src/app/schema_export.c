/* schema_export.c - `careerpdf --schema NAME [--json-schema]`: the schema of a kind of
 * file (content/schema/NAME.yaml) as written, or as a JSON Schema for editors
 * (src/model/schema_json.h). */
#include "schema_export.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/diag.h"
#include "../model/schema_json.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "career, strings": the schemas the content folder has, for the error message. */
static const char *known_schemas(cp_arena *a, const char *dir)
{
    const char *names[64];
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) && n < 64;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml") && e->d_name[0] != '.')
            names[n++] = arena_printf(a, "%.*s", (int)(len - 5), e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof *names, by_name);
    const char *out = "";
    for (size_t i = 0; i < n; i++)
        out = arena_printf(a, "%s%s%s", out, i ? ", " : "", names[i]);
    return n ? out : "none (the folder has no schema files)";
}

static bool copy_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return true;
}

int app_schema(cp_session *s, const char *name, bool json)
{
    cp_arena *a = arena_new();
    const char *dir = arena_printf(a, "%s/schema", s->lib.content_dir);
    const char *path = arena_printf(a, "%s/%s.yaml", dir, name);
    const cp_node *schema = NULL;
    int rc = EXIT_BAD;
    if (!career_id_valid(name) || access(path, R_OK) != 0) {   /* [a-z0-9-]: no path */
        cp_loc loc = {"--schema", 0, 0};
        diag_error(&loc, NULL, "no schema '%s', expected one of: %s", name,
                   known_schemas(a, dir));
    } else if (!json) {
        rc = copy_file(path) ? EXIT_OK : EXIT_BAD;
    } else if (schema_load(a, path, &schema)) {
        const cp_node *icons = node_get(s->lib.icons, "icons");
        cp_json_schema_env env = {
            .title = arena_printf(a, "careerpdf %s file (content/schema/%s.yaml)", name, name),
            .icons = (const char *const *)(icons ? icons->keys : NULL),
            .n_icons = node_is_map(icons) ? icons->len : 0,
        };
        char *text = schema_json(schema, &env);
        fputs(text, stdout);
        g_free(text);
        rc = EXIT_OK;
    }
    arena_free(a);
    return rc;
}
