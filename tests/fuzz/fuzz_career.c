/* fuzz_career.c - the career loader: YAML text to nodes (every limit of
 * CP_DEFAULT_LIMITS) and the schema check against content/schema/career.yaml, plus the
 * lookups every later stage uses on what the loader returns. */
#include "fuzz.h"

#include "model/node.h"
#include "model/schema.h"

static const cp_node *schema, *icons;

static bool icon_known(const char *name, void *user)
{
    return node_str(node_get((const cp_node *)user, "icons"), name) != NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static cp_arena *a; /* lives as long as the process (static: no leak report) */
    a = arena_new();
    char path[4096];
    snprintf(path, sizeof path, "%s/content/schema/career.yaml", fuzz_root());
    fuzz_require(schema_load(a, path, &schema), path);
    snprintf(path, sizeof path, "%s/fonts/icons.yaml", fuzz_root());
    fuzz_require((icons = yaml_load_file(a, path, &CP_DEFAULT_LIMITS)) != NULL, path);
    fuzz_quiet();
    return 0;
}

/* Every scalar read as each type, every node found again by its path: what the layout
 * engine does with a loaded document. Bounded by the loader's node budget. */
static void walk(const cp_node *root, const cp_node *n, int depth)
{
    if (depth > 100)
        __builtin_trap(); /* the loader's max_depth failed */
    double d;
    bool b;
    if (node_is_scalar(n)) {
        node_number(n, &d);
        node_bool(n, &b);
        return;
    }
    (void)node_at(root, n->path);
    for (size_t i = 0; i < n->len; i++) {
        if (node_is_map(n) && i < 8) /* node_get is linear: all keys would be quadratic */
            (void)node_get(n, n->keys[i]);
        walk(root, n->items[i], depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cp_arena *a = arena_new();
    const cp_node *doc = yaml_load_string(a, "fuzz.yaml", (const char *)data, size,
                                          &CP_DEFAULT_LIMITS);
    if (doc) {
        cp_schema_env env = {.icon_known = icon_known, .user = (void *)icons};
        schema_check(schema, doc, &env);
        /* The document as a schema, too: schema files are YAML like any other. */
        schema_is_valid(doc);
        /* Shared (aliased) nodes are walked once per reference: the node budget keeps
         * that bounded, which is exactly what this checks. */
        walk(doc, doc, 0);
    }
    arena_free(a);
    diag_reset();
    return 0;
}
