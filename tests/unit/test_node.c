/* test_node.c - the YAML loader: values, paths, locations, and every refusal
 * (duplicates, merge keys, aliases, limits, encoding, syntax, file errors). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag_capture.h"
#include "model/node.h"

/* ---- fixture: an arena and captured diagnostics, not quiet (diag_capture.h) ------ */

typedef diag_capture fixture;

static int setup(void **state)
{
    diag_set_quiet(0);
    return diag_capture_setup(state);
}

static cp_node *load(fixture *f, const char *yaml)
{
    return yaml_load_string(f->arena, "t.yaml", yaml, strlen(yaml), NULL);
}

static cp_node *load_lim(fixture *f, const char *yaml, const cp_limits *lim)
{
    return yaml_load_string(f->arena, "t.yaml", yaml, strlen(yaml), lim);
}

#define assert_contains(hay, needle)                                                    \
    do {                                                                                \
        const char *h_ = (hay);                                                         \
        if (!strstr(h_, (needle))) {                                                    \
            print_error("expected to find\n  %s\nin\n  %s\n", (needle), h_);             \
            fail();                                                                     \
        }                                                                               \
    } while (0)

/* Loading fails with exactly one message, which contains `want`. */
static void assert_refused(fixture *f, cp_node *root, const char *want)
{
    assert_null(root);
    assert_int_equal(diag_error_count(), 1);
    assert_contains(diag_last_message(), want);
    assert_contains(output(f), "careerpdf: ");
}

/* ---- values ----------------------------------------------------------------------- */

static void test_scalars_and_plain_flag(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: hello\n"
                            "b: \"12\"\n"
                            "c: 12\n"
                            "d: !!str 12\n"
                            "e: 'single'\n"
                            "f: |\n"
                            "  block\n"
                            "g: caf\xc3\xa9\n"
                            "h:\n");
    assert_non_null(root);
    assert_int_equal(root->kind, NODE_MAP);
    assert_int_equal(root->len, 8);
    assert_string_equal(node_str(root, "a"), "hello");
    assert_true(node_get(root, "a")->plain);
    assert_false(node_get(root, "b")->plain);
    assert_string_equal(node_str(root, "b"), "12");
    assert_true(node_get(root, "c")->plain);
    assert_false(node_get(root, "d")->plain); /* !!str makes it text */
    assert_string_equal(node_str(root, "d"), "12");
    assert_false(node_get(root, "e")->plain);
    assert_false(node_get(root, "f")->plain);
    assert_string_equal(node_str(root, "f"), "block\n");
    assert_string_equal(node_str(root, "g"), "caf\xc3\xa9");
    assert_string_equal(node_str(root, "h"), "");
    assert_true(node_get(root, "h")->plain);
    assert_null(node_get(root, "zz"));
    assert_int_equal(diag_error_count(), 0);
}

static void test_paths(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "salary:\n"
                            "  levels:\n"
                            "    - {min: 1, max: 2}\n"
                            "    - {min: 3, max: 4}\n"
                            "  note: x\n");
    assert_non_null(root);
    assert_string_equal(root->path, "");
    assert_string_equal(node_get(root, "salary")->path, "salary");
    assert_string_equal(node_at(root, "salary.levels")->path, "salary.levels");
    assert_string_equal(node_at(root, "salary.levels[1]")->path, "salary.levels[1]");
    const cp_node *max = node_at(root, "salary.levels[1].max");
    assert_non_null(max);
    assert_string_equal(max->path, "salary.levels[1].max");
    assert_string_equal(max->text, "4");
    assert_string_equal(node_at(root, "salary.note")->path, "salary.note");

    cp_node *seq = load(f, "- a\n- [b, c]\n");
    assert_non_null(seq);
    assert_string_equal(seq->items[0]->path, "[0]");
    assert_string_equal(node_at(seq, "[1][1]")->path, "[1][1]");
    assert_string_equal(node_at(seq, "[1][1]")->text, "c");
}

static void test_node_at_misses(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a:\n  b: [x, y]\n");
    assert_non_null(root);
    assert_ptr_equal(node_at(root, ""), root);
    assert_string_equal(node_at(root, "a.b[0]")->text, "x");
    assert_null(node_at(root, "a.b[2]"));  /* past the end */
    assert_null(node_at(root, "a.b[x]"));  /* not an index */
    assert_null(node_at(root, "a.b[-1]")); /* not an index */
    assert_null(node_at(root, "a[0]"));    /* a is a mapping */
    assert_null(node_at(root, "a.c"));
    assert_null(node_at(root, "a.b.c")); /* b is a list */
    assert_null(node_at(NULL, "a"));
    assert_null(node_get(NULL, "a"));
    assert_null(node_str(root, "a")); /* not a scalar */
}

static void test_locations(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "# comment\n"
                            "name: Ada\n"
                            "list:\n"
                            "  - first\n"
                            "  -   \"second\"\n"
                            "map: {k: v}\n");
    assert_non_null(root);
    assert_string_equal(root->loc.file, "t.yaml");
    assert_int_equal(root->loc.line, 2);
    assert_int_equal(root->loc.col, 1);
    /* keys */
    assert_string_equal(root->keys[1], "list");
    assert_int_equal(root->key_locs[1].line, 3);
    assert_int_equal(root->key_locs[1].col, 1);
    /* values */
    const cp_node *name = node_get(root, "name");
    assert_int_equal(name->loc.line, 2);
    assert_int_equal(name->loc.col, 7);
    const cp_node *second = node_at(root, "list[1]");
    assert_int_equal(second->loc.line, 5);
    assert_int_equal(second->loc.col, 7);
    const cp_node *map = node_get(root, "map");
    assert_int_equal(map->loc.line, 6);
    assert_int_equal(map->loc.col, 6);
    assert_int_equal(map->key_locs[0].line, 6);
    assert_int_equal(map->key_locs[0].col, 7);
    assert_int_equal(node_get(map, "k")->loc.col, 10);
}

static void test_numbers(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "[12, -3.5, 1.5e3, +7, .5, ten, \"12\", 1_000, 0x10, inf, .inf, "
                            ".nan, 1e999, '', 12abc, 1e, 1.2.3]");
    assert_non_null(root);
    static const double good[] = {12, -3.5, 1500, 7, 0.5};
    for (size_t i = 0; i < 5; i++) {
        double v = -1;
        assert_true(node_number(root->items[i], &v));
        assert_true(v == good[i]);
    }
    for (size_t i = 5; i < root->len; i++) {
        double v = 42;
        if (node_number(root->items[i], &v)) {
            print_error("'%s' should not be a number\n", root->items[i]->text);
            fail();
        }
        assert_true(v == 42); /* untouched */
    }
    assert_false(node_number(NULL, NULL));
    assert_false(node_number(root, NULL)); /* a list */

    cp_node *map = load(f, "a: 2.5\nb: x\n");
    assert_true(node_num(map, "a", 0) == 2.5);
    assert_true(node_num(map, "b", 9) == 9);       /* not a number */
    assert_true(node_num(map, "missing", 7) == 7); /* absent */
}

static void test_booleans(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "[true, yes, false, no, True, YES, \"true\", on, 1, '']");
    assert_non_null(root);
    bool v = false;
    assert_true(node_bool(root->items[0], &v) && v);
    assert_true(node_bool(root->items[1], &v) && v);
    assert_true(node_bool(root->items[2], &v) && !v);
    assert_true(node_bool(root->items[3], &v) && !v);
    for (size_t i = 4; i < root->len; i++)
        assert_false(node_bool(root->items[i], &v));
}

/* ---- mapping keys ------------------------------------------------------------------ */

static void test_duplicate_key(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "title: A\n"
                            "tagline: B\n"
                            "  \n"
                            "title: C\n");
    assert_refused(f, root, "t.yaml:4:1: error: title: duplicate key 'title', "
                            "first defined at line 1, column 1");
}

static void test_duplicate_key_nested_and_flow(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a:\n  b: {x: 1, y: 2, x: 3}\n");
    assert_refused(f, root, "t.yaml:2:19: error: a.b.x: duplicate key 'x', first defined "
                            "at line 2, column 7");
}

static void test_same_key_in_different_maps(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: {x: 1}\nb: {x: 2}\nc: [{x: 3}, {x: 4}]\n");
    assert_non_null(root);
    assert_string_equal(node_at(root, "c[1].x")->text, "4");
    assert_int_equal(diag_error_count(), 0);
}

static void test_merge_key(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "base: &b {x: 1}\n"
                            "item:\n"
                            "  <<: *b\n");
    assert_refused(f, root, "t.yaml:3:3: error: item.<<: merge keys are not supported");
}

static void test_quoted_merge_key_is_a_key(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "\"<<\": x\n");
    assert_non_null(root);
    assert_string_equal(node_str(root, "<<"), "x");
}

static void test_non_scalar_keys(void **state)
{
    fixture *f = *state;
    assert_refused(f, load(f, "? [a, b]\n: 1\n"), "t.yaml:1:3: error: a list cannot be a "
                                                   "mapping key");
    diag_reset();
    assert_refused(f, load(f, "x:\n  {a: 1}: 2\n"), "t.yaml:2:3: error: x: a mapping "
                                                     "cannot be a mapping key");
}

/* ---- aliases ---------------------------------------------------------------------- */

static void test_alias_shares_node(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: &x {k: v}\nb: *x\nc: [*x, &s text, *s]\n");
    assert_non_null(root);
    const cp_node *a = node_get(root, "a");
    assert_ptr_equal(node_get(root, "b"), a);
    assert_ptr_equal(node_at(root, "c[0]"), a);
    assert_ptr_equal(node_at(root, "c[2]"), node_at(root, "c[1]"));
    assert_string_equal(node_at(root, "b.k")->text, "v");
    assert_string_equal(a->path, "a"); /* the shared node keeps its own path */
}

static void test_anchored_key_as_alias(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "&k name: 1\nother: *k\n");
    assert_non_null(root);
    assert_string_equal(node_str(root, "other"), "name");
}

static void test_alias_counts_expanded_size(void **state)
{
    fixture *f = *state;
    cp_limits lim = CP_DEFAULT_LIMITS;
    lim.max_nodes = 15;
    /* map + list + 5 scalars = 7 nodes (keys do not count); each alias adds the list's 6 */
    const char *yaml = "a: &l [1, 2, 3, 4, 5]\nb: *l\n";
    assert_non_null(load_lim(f, yaml, &lim));
    assert_int_equal(diag_error_count(), 0);
    cp_node *root = load_lim(f, "a: &l [1, 2, 3, 4, 5]\nb: *l\nc: *l\n", &lim);
    assert_refused(f, root, "t.yaml:3:4: error: c: too many nodes: more than 15");
}

static void test_node_budget_counts_values_not_keys(void **state)
{
    fixture *f = *state;
    cp_limits lim = CP_DEFAULT_LIMITS;
    lim.max_nodes = 3;
    assert_non_null(load_lim(f, "{a: 1, b: 2}", &lim)); /* the map and two values */
    assert_int_equal(diag_error_count(), 0);
    assert_refused(f, load_lim(f, "{a: 1, b: 2, c: 3}", &lim),
                   "t.yaml:1:17: error: c: too many nodes: more than 3");
}

static void test_alias_bomb_refused_quickly(void **state)
{
    fixture *f = *state;
    /* Nine levels of nine aliases each: 9^9 (387 million) nodes when expanded. */
    char yaml[2048];
    size_t n = (size_t)snprintf(yaml, sizeof yaml, "l0: &l0 [lol, lol, lol, lol, lol, lol, "
                                                   "lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "l%d: &l%d [", i, i);
        for (int j = 0; j < 9; j++)
            n += (size_t)snprintf(yaml + n, sizeof yaml - n, "%s*l%d", j ? ", " : "", i - 1);
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "]\n");
    }
    cp_node *root = load(f, yaml);
    assert_refused(f, root, "too many nodes: more than 200000 after expanding aliases");
    /* Refused by counting, not by expanding: the tree built so far stays small (the
     * time this takes is measured by the fuzz and bench targets, not asserted here). */
    assert_true(arena_used(f->arena) < 1024 * 1024);
}

static void test_recursive_alias(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "&r {self: *r}\n");
    assert_refused(f, root, "t.yaml:1:11: error: self: recursive alias '*r'");

    diag_reset();
    root = load(f, "a: &top\n  - x\n  - [y, *top]\n");
    assert_refused(f, root, "t.yaml:3:9: error: a[1][1]: recursive alias '*top'");
}

static void test_unknown_anchor(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: 1\nb: *nope\n");
    assert_refused(f, root, "t.yaml:2:4: error: b: unknown anchor in alias '*nope'");
}

/* ---- limits ----------------------------------------------------------------------- */

static void test_deep_flow_nesting_refused_quickly(void **state)
{
    fixture *f = *state;
    size_t n = 100000;
    char *yaml = malloc(2 * n + 1);
    memset(yaml, '[', n);
    memset(yaml + n, ']', n);
    yaml[2 * n] = '\0';
    cp_node *root = load(f, yaml);
    free(yaml);
    /* Column 65: the loader stopped at the first bracket over the limit, so the other
     * 99,935 are never parsed into nodes. */
    assert_refused(f, root, "t.yaml:1:65: error: ");
    assert_contains(diag_last_message(), "nesting is deeper than 64 levels");
    assert_true(arena_used(f->arena) < 1024 * 1024);
}

static void test_deep_block_nesting_refused(void **state)
{
    fixture *f = *state;
    /* 70 levels of "- " on one line: a block sequence nested 70 deep */
    char yaml[256] = "";
    for (int i = 0; i < 70; i++)
        strcat(yaml, "- ");
    strcat(yaml, "x\n");
    assert_refused(f, load(f, yaml), "t.yaml:1:129: error: ");
    assert_contains(diag_last_message(), "nesting is deeper than 64 levels");
}

static void test_depth_at_limit_accepted(void **state)
{
    fixture *f = *state;
    char yaml[200];
    memset(yaml, '[', 64);
    memset(yaml + 64, ']', 64);
    yaml[128] = '\0';
    assert_non_null(load(f, yaml));
    cp_limits lim = CP_DEFAULT_LIMITS;
    lim.max_depth = 63;
    assert_null(load_lim(f, yaml, &lim));
    assert_contains(diag_last_message(), "nesting is deeper than 63 levels");
}

static void test_scalar_too_long(void **state)
{
    fixture *f = *state;
    cp_limits lim = CP_DEFAULT_LIMITS;
    lim.max_scalar = 8;
    assert_non_null(load_lim(f, "a: 12345678\n", &lim));
    assert_refused(f, load_lim(f, "a: ok\nb: 123456789\n", &lim),
                   "t.yaml:2:4: error: b: scalar of 9 bytes is too long, expected at most 8");
}

static void test_input_too_large(void **state)
{
    fixture *f = *state;
    cp_limits lim = CP_DEFAULT_LIMITS;
    lim.max_file_bytes = 10;
    assert_refused(f, load_lim(f, "a: 12345678901\n", &lim),
                   "t.yaml: error: file is 15 bytes, expected at most 10");
}

static void test_default_limits(void **state)
{
    (void)state;
    assert_int_equal(CP_DEFAULT_LIMITS.max_file_bytes, 4 * 1024 * 1024);
    assert_int_equal(CP_DEFAULT_LIMITS.max_depth, 64);
    assert_int_equal(CP_DEFAULT_LIMITS.max_nodes, 200000);
    assert_int_equal(CP_DEFAULT_LIMITS.max_scalar, 256 * 1024);
}

/* ---- encoding, syntax, documents ------------------------------------------------------ */

static void test_invalid_utf8(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: ok\nb: x\xff y\n");
    assert_refused(f, root, "t.yaml:2:5: error: invalid UTF-8");
    assert_contains(diag_last_message(), "0xff");

    /* columns count characters: two 2-byte characters before the bad byte */
    diag_reset();
    root = load(f, "\xc3\xa9\xc3\xa9: \xc0\xaf\n");
    assert_refused(f, root, "t.yaml:1:5: error: invalid UTF-8");

    /* a 3-byte character missing its last byte: reported at its first byte */
    diag_reset();
    root = load(f, "a: b\r\nc: \xe2\x82\n");
    assert_refused(f, root, "t.yaml:2:4: error: invalid UTF-8 (broken multi-byte character, "
                            "byte 0xe2)");

    diag_reset();
    root = load(f, "a: \xe2\xc3\xa9\n"); /* the next character's lead byte comes too early */
    assert_refused(f, root, "t.yaml:1:4: error: invalid UTF-8 (broken multi-byte character, "
                            "byte 0xe2)");

    diag_reset();
    root = load(f, "a: b\nc: \xe2\x82"); /* cut off by the end of the input */
    assert_refused(f, root, "t.yaml:2:4: error: invalid UTF-8 (multi-byte character cut off");

    diag_reset();
    root = load(f, "a: \xed\xa0\x80\n"); /* a UTF-16 surrogate encoded as UTF-8 */
    assert_refused(f, root, "t.yaml:1:4: error: invalid Unicode character (U+D800)");

    diag_reset();
    static const char utf16[] = "\xff\xfe" "a\0:\0 \0" "1\0\n\0"; /* not guessed */
    root = yaml_load_string(f->arena, "t.yaml", utf16, sizeof utf16 - 1, NULL);
    assert_refused(f, root, "t.yaml:1:1: error: invalid UTF-8");
}

static void test_control_character(void **state)
{
    fixture *f = *state;
    assert_refused(f, load(f, "a: \x01\n"), "t.yaml:1:4: error: control characters are not "
                                            "allowed (U+0001)");
}

static void test_nul_escape_refused(void **state)
{
    fixture *f = *state;
    assert_refused(f, load(f, "a: \"x\\0y\"\n"), "t.yaml:1:4: error: a: text contains a NUL");
}

static void test_empty_input(void **state)
{
    fixture *f = *state;
    static const char *const empties[] = {"", "   \n", "# only a comment\n", "---\n", "~\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        diag_reset();
        assert_refused(f, load(f, empties[i]), "t.yaml: error: file is empty, expected a "
                                               "YAML mapping");
    }
}

static void test_multiple_documents(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: 1\n---\nb: 2\n");
    assert_refused(f, root, "t.yaml:2:1: error: only one YAML document per file");
    diag_reset();
    assert_non_null(load(f, "---\na: 1\n...\n")); /* one explicit document is fine */
}

static void test_syntax_error(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: [1, 2\nb: 3\n");
    assert_refused(f, root, "t.yaml:2:2: error: syntax error: did not find expected ',' or "
                            "']' (while parsing a flow sequence at line 1, column 4)");

    diag_reset();
    root = load(f, "a:\n  b: 1\n c: 2\n");
    assert_refused(f, root, "t.yaml:3:2: error: syntax error: ");
}

static void test_tab_indentation_hint(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a:\n\tb: 1\n");
    assert_refused(f, root, "t.yaml:2:1: error: syntax error: ");
    assert_contains(diag_last_message(), "tabs cannot indent YAML, expected spaces");
}

/* ---- files ------------------------------------------------------------------------ */

static char *temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/cp_node_XXXXXX", base && *base ? base : "/tmp");
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return strdup(dir);
}

static char *write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return path;
}

static void test_file_errors(void **state)
{
    fixture *f = *state;
    char *dir = temp_dir();
    char msg[1024];

    char *good = write_file(dir, "good.yaml", "a: 1\n", 5);
    cp_node *root = yaml_load_file(f->arena, good, NULL);
    assert_non_null(root);
    assert_string_equal(root->loc.file, good);
    assert_int_equal(diag_error_count(), 0);

    char *missing = malloc(strlen(dir) + 20);
    sprintf(missing, "%s/missing.yaml", dir);
    assert_null(yaml_load_file(f->arena, missing, NULL));
    snprintf(msg, sizeof msg, "%s: error: cannot open file: No such file or directory", missing);
    assert_contains(diag_last_message(), msg);

    assert_null(yaml_load_file(f->arena, dir, NULL));
    snprintf(msg, sizeof msg, "%s: error: is a directory, expected a YAML file", dir);
    assert_contains(diag_last_message(), msg);

    char *empty = write_file(dir, "empty.yaml", "", 0);
    assert_null(yaml_load_file(f->arena, empty, NULL));
    snprintf(msg, sizeof msg, "%s: error: file is empty, expected a YAML mapping", empty);
    assert_contains(diag_last_message(), msg);

    char *big = write_file(dir, "big.yaml", "a: 1234567890\n", 14);
    cp_limits lim = CP_DEFAULT_LIMITS;
    lim.max_file_bytes = 8;
    assert_null(yaml_load_file(f->arena, big, &lim));
    snprintf(msg, sizeof msg, "%s: error: file is 14 bytes, expected at most 8", big);
    assert_contains(diag_last_message(), msg);

    char *bad = write_file(dir, "bad.yaml", "a: 1\nb: \xfe\n", 9);
    assert_null(yaml_load_file(f->arena, bad, NULL));
    snprintf(msg, sizeof msg, "%s:2:4: error: invalid UTF-8", bad);
    assert_contains(diag_last_message(), msg);
    assert_int_equal(diag_error_count(), 5);

    char *paths[] = {good, empty, big, bad};
    for (size_t i = 0; i < 4; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
    free(missing);
    rmdir(dir);
    free(dir);
}

/* ---- trees built in code ------------------------------------------------------ */

static void test_built_map_reads_like_a_loaded_one(void **state)
{
    fixture *f = *state;
    cp_node *row = node_new_map(f->arena, 1, (cp_loc){"r.csv", 4, 1}, "");
    node_add_scalar(f->arena, row, "name", "Ana", (cp_loc){"r.csv", 4, 1});
    /* Past the room asked for: the map grows, earlier children stay. */
    for (int i = 0; i < 20; i++)
        node_add_scalar(f->arena, row, arena_printf(f->arena, "rate:%d", i + 1), "3",
                        (cp_loc){"r.csv", 4, 10 + i});
    assert_int_equal(row->len, 21);
    assert_string_equal(node_str(row, "name"), "Ana");
    const cp_node *v = node_get(row, "rate:20");
    assert_non_null(v);
    assert_string_equal(v->path, "rate:20");
    assert_int_equal(v->loc.line, 4);
    assert_int_equal(v->loc.col, 29);
    assert_int_equal(row->key_locs[20].col, 29);
    double d;
    assert_true(node_number(v, &d)); /* plain: read as a number, like a CSV cell */
    assert_true(d == 3.0);
    assert_ptr_equal(node_at(row, "rate:1"), row->items[1]);
}

static void test_built_list_and_nesting(void **state)
{
    fixture *f = *state;
    cp_node *root = node_new_map(f->arena, 0, (cp_loc){"x", 1, 1}, "");
    cp_node *list = node_new_seq(f->arena, 0, (cp_loc){"x", 2, 3}, "levels");
    for (int i = 0; i < 5; i++)
        node_add(f->arena, list, NULL, (cp_loc){0},
                 node_new_scalar(f->arena, arena_printf(f->arena, "%d", i), false,
                                 (cp_loc){"x", 3 + i, 5},
                                 arena_printf(f->arena, "levels[%d]", i)));
    node_add(f->arena, root, "levels", (cp_loc){"x", 2, 1}, list);
    assert_true(node_is_seq(node_get(root, "levels")));
    const cp_node *v = node_at(root, "levels[4]");
    assert_non_null(v);
    assert_string_equal(v->text, "4");
    assert_string_equal(v->path, "levels[4]");
    double d;
    assert_false(node_number(v, &d)); /* quoted (not plain): text, not a number */
}

/* A loaded mapping can be extended: it grows like a full built one. */
static void test_add_to_loaded_map(void **state)
{
    fixture *f = *state;
    cp_node *root = load(f, "a: 1\nb: 2\n");
    assert_non_null(root);
    node_add_scalar(f->arena, root, "c", "3", (cp_loc){"t.yaml", 3, 4});
    assert_int_equal(root->len, 3);
    assert_string_equal(node_str(root, "a"), "1");
    assert_string_equal(node_str(root, "c"), "3");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, diag_capture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_scalars_and_plain_flag),
        T(test_paths),
        T(test_node_at_misses),
        T(test_locations),
        T(test_numbers),
        T(test_booleans),
        T(test_duplicate_key),
        T(test_duplicate_key_nested_and_flow),
        T(test_same_key_in_different_maps),
        T(test_merge_key),
        T(test_quoted_merge_key_is_a_key),
        T(test_non_scalar_keys),
        T(test_alias_shares_node),
        T(test_anchored_key_as_alias),
        T(test_alias_counts_expanded_size),
        T(test_node_budget_counts_values_not_keys),
        T(test_alias_bomb_refused_quickly),
        T(test_recursive_alias),
        T(test_unknown_anchor),
        T(test_deep_flow_nesting_refused_quickly),
        T(test_deep_block_nesting_refused),
        T(test_depth_at_limit_accepted),
        T(test_scalar_too_long),
        T(test_input_too_large),
        T(test_default_limits),
        T(test_invalid_utf8),
        T(test_control_character),
        T(test_nul_escape_refused),
        T(test_empty_input),
        T(test_multiple_documents),
        T(test_syntax_error),
        T(test_tab_indentation_hint),
        T(test_file_errors),
        T(test_built_map_reads_like_a_loaded_one),
        T(test_built_list_and_nesting),
        T(test_add_to_loaded_map),
    };
#undef T
    return cmocka_run_group_tests_name("node", tests, NULL, NULL);
}
