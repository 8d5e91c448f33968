/* test_schema.c - the schema checker: every kind of violation with its message and
 * FILE:LINE:COL, all violations reported, and checks of schemas themselves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag_capture.h"
#include "model/schema.h"

typedef struct {
    diag_capture cap; /* the arena and diag's output */
    size_t seen;      /* bytes of cap.out already handed out by take_output() */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    diag_set_quiet(0);
    diag_capture_open(&f->cap);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    diag_capture_close(&f->cap);
    free(f);
    return 0;
}

/* What was printed since the last call, so each check sees only its own messages.
 * Valid until the next message is printed. */
static const char *take_output(fixture *f)
{
    const char *all = output(&f->cap);
    if (!f->cap.out)
        return "";
    const char *fresh = all + f->seen;
    f->seen = f->cap.out_len;
    return fresh;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

#define assert_contains(hay, needle)                                                    \
    do {                                                                                \
        const char *h_ = (hay);                                                         \
        if (!strstr(h_, (needle))) {                                                    \
            print_error("expected to find\n  %s\nin\n  %s\n", (needle), h_);             \
            fail();                                                                     \
        }                                                                               \
    } while (0)

static const cp_node *load_named(fixture *f, const char *name, const char *yaml)
{
    const cp_node *n = yaml_load_string(f->cap.arena, name, yaml, strlen(yaml), NULL);
    assert_non_null(n);
    return n;
}

static const cp_node *schema(fixture *f, const char *yaml)
{
    const cp_node *s = load_named(f, "s.yaml", yaml);
    if (!schema_is_valid(s)) {
        print_error("test schema is invalid:\n%s", take_output(f));
        fail();
    }
    return s;
}

/* Checks `doc` against `s`; asserts it fails with exactly `errors` messages, one of
 * which contains `want`. Returns all the output. */
static const char *refuse(fixture *f, const cp_node *s, const char *doc, int errors,
                          const char *want)
{
    diag_reset();
    take_output(f);
    const cp_node *d = load_named(f, "d.yaml", doc);
    assert_false(schema_check(s, d, NULL));
    const char *out = take_output(f);
    assert_int_equal(diag_error_count(), errors);
    assert_int_equal(count_lines(out), errors);
    assert_contains(out, want);
    return out;
}

static void accept(fixture *f, const cp_node *s, const char *doc)
{
    diag_reset();
    const cp_node *d = load_named(f, "d.yaml", doc);
    if (!schema_check(s, d, NULL)) {
        print_error("expected valid:\n%s\ngot:\n%s", doc, take_output(f));
        fail();
    }
    assert_int_equal(diag_error_count(), 0);
}

static const char *const CAREER =
    "type: map\n"
    "fields:\n"
    "  title: {type: string, required: true, doc: The title on the cover}\n"
    "  tagline: {type: string}\n"
    "  salary: {type: number}\n"
    "  years: {type: integer, min: 0, max: 50}\n"
    "  skills:\n"
    "    type: list\n"
    "    min: 1\n"
    "    max: 3\n"
    "    items:\n"
    "      type: map\n"
    "      fields:\n"
    "        name: {type: string, required: true}\n"
    "        level: {type: rating, required: true}\n";

/* ---- unknown and missing keys ------------------------------------------------------ */

static void test_valid_document(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, CAREER);
    accept(f, s, "title: AI Engineer\nsalary: 95000\nyears: 4\n"
                 "skills: [{name: Python, level: 9.5}, {name: Math, level: 0}]\n");
}

static void test_unknown_key(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, CAREER);
    refuse(f, s, "title: X\nsalry: 10\n", 1,
           "careerpdf: d.yaml:2:1: error: salry: unknown key 'salry', expected one of: "
           "title, tagline, salary, years, skills (did you mean 'salary'?)\n");
}

static void test_unknown_key_list_truncated(void **state)
{
    fixture *f = *state;
    char yaml[8192] = "type: map\nfields:\n";
    for (int i = 0; i < 60; i++) {
        char line[64];
        snprintf(line, sizeof line, "  field_number_%02d: {type: string}\n", i);
        strcat(yaml, line);
    }
    const cp_node *s = schema(f, yaml);
    const char *out = refuse(f, s, "zzz: 1\n", 1, "unknown key 'zzz', expected one of: "
                                                  "field_number_00, field_number_01, ");
    assert_contains(out, ", ...\n");
    assert_null(strstr(out, "field_number_59"));
}

static void test_missing_required_key(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, CAREER);
    refuse(f, s, "# no title\ntagline: hi\n", 1,
           "careerpdf: d.yaml:2:1: error: missing required key 'title', expected a string: "
           "The title on the cover\n");
    /* a nested mapping: reported where that mapping starts, with its path */
    refuse(f, s, "title: X\nskills:\n  - name: A\n    level: 5\n  - {name: B}\n", 1,
           "careerpdf: d.yaml:5:5: error: skills[1]: missing required key 'level', expected "
           "a rating from 0 to 10\n");
}

static void test_values_schema(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: map\nvalues: {type: string}\n");
    accept(f, s, "any: x\nother: y\n");
    refuse(f, s, "any: x\nother: [y]\n", 1,
           "d.yaml:2:8: error: other: expected a string, found a list");

    /* fields first, values for the rest */
    s = schema(f, "type: map\nfields: {n: {type: number}}\nvalues: {type: boolean}\n");
    accept(f, s, "n: 3\nflag: yes\n");
    refuse(f, s, "n: 3\nflag: 3\n", 1, "d.yaml:2:7: error: flag: expected true or false, "
                                      "found \"3\"");
}

/* ---- kinds ------------------------------------------------------------------------ */

static void test_wrong_kind(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, CAREER);
    refuse(f, s, "title: X\nskills: {name: A}\n", 1,
           "d.yaml:2:9: error: skills: expected a list, found a mapping");
    refuse(f, s, "title: X\nskills: Python\n", 1,
           "d.yaml:2:9: error: skills: expected a list, found \"Python\"");
    refuse(f, s, "title: [a, b]\n", 1, "d.yaml:1:8: error: title: expected a string, found a "
                                       "list");
    refuse(f, s, "- title: X\n", 1, "d.yaml:1:1: error: expected a mapping, found a list");
    refuse(f, s, "title:\n", 1, "d.yaml:1:7: error: title: expected a string, found an "
                                "empty value");
}

static void test_numbers(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, CAREER);
    refuse(f, s, "title: X\nsalary: ten\n", 1,
           "d.yaml:2:9: error: salary: expected a number, found \"ten\"\n");
    refuse(f, s, "title: X\nsalary: \"12\"\n", 1,
           "d.yaml:2:9: error: salary: expected a number, found \"12\" (it is quoted, so it "
           "is text: remove the quotes)");
    refuse(f, s, "title: X\nyears: 2.5\n", 1,
           "d.yaml:2:8: error: years: expected a whole number, found 2.5");
    refuse(f, s, "title: X\nyears: 51\n", 1,
           "d.yaml:2:8: error: years: 51 is out of range, expected 0 to 50");
    refuse(f, s, "title: X\nyears: -1\n", 1, "years: -1 is out of range, expected 0 to 50");

    const cp_node *lo = schema(f, "type: number\nmin: 10\n");
    refuse(f, lo, "9.5\n", 1, "d.yaml:1:1: error: 9.5 is too small, expected at least 10");
    const cp_node *hi = schema(f, "type: number\nmax: 10\n");
    refuse(f, hi, "11\n", 1, "d.yaml:1:1: error: 11 is too large, expected at most 10");
    accept(f, hi, "10\n");
}

static void test_ratings(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: list\nitems: {type: rating}\n");
    accept(f, s, "[0, 0.5, 7, 9.5, 10]\n");
    refuse(f, s, "[5, 11]\n", 1, "d.yaml:1:5: error: [1]: rating 11 is out of range, "
                                 "expected 0 to 10 in half steps\n");
    refuse(f, s, "[7.3]\n", 1, "d.yaml:1:2: error: [0]: rating 7.3 is not a half step, "
                               "expected 0 to 10 in half steps\n");
    refuse(f, s, "[-0.5]\n", 1, "rating -0.5 is out of range");
    refuse(f, s, "[high]\n", 1, "[0]: expected a rating from 0 to 10, found \"high\"");
}

static void test_boolean(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: map\nfields: {a: {type: boolean}}\n");
    accept(f, s, "a: no\n");
    refuse(f, s, "a: maybe\n", 1, "d.yaml:1:4: error: a: expected true or false, found "
                                  "\"maybe\"\n");
    refuse(f, s, "a: 'true'\n", 1, "found \"true\" (it is quoted, so it is text: remove the "
                                   "quotes)");
}

static void test_string_length_and_enum(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: map\nfields:\n"
                                 "  code: {type: string, min: 2, max: 4}\n"
                                 "  level: {type: string, enum: [low, medium, high]}\n");
    accept(f, s, "code: ab\nlevel: high\n");
    refuse(f, s, "code: a\n", 1, "d.yaml:1:7: error: code: text is 1 characters long, expected at "
                                 "least 2");
    refuse(f, s, "code: abcde\n", 1, "code: text is 5 characters long, expected at most 4");
    refuse(f, s, "level: extreme\n", 1, "d.yaml:1:8: error: level: unknown value 'extreme', "
                                        "expected one of: low, medium, high\n");
    /* numbers are fine as strings */
    accept(f, s, "code: 12\n");
}

static void test_id(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: list\nitems: {type: id}\n");
    accept(f, s, "[ai-engineer, data-scientist-2]\n");
    refuse(f, s, "[ok, AI Engineer]\n", 1,
           "d.yaml:1:6: error: [1]: expected an id (lowercase letters, digits and '-'), found "
           "\"AI Engineer\"");
    refuse(f, s, "[under_score]\n", 1, "found \"under_score\"");
}

static void test_date(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: list\nitems: {type: date}\n");
    accept(f, s, "[2026-01, 2026-01-31, 2024-02-29, \"2025-12\"]\n");
    const char *want = "expected a date (YYYY-MM or YYYY-MM-DD), found ";
    refuse(f, s, "[2026/01]\n", 1, "d.yaml:1:2: error: [0]: expected a date");
    static const char *const bad[] = {"2026-13", "2026-00", "2025-02-29", "2026-04-31",
                                      "2026-1", "26-01-01", "2026-01-01T10:00", "January"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char doc[64], msg[128];
        snprintf(doc, sizeof doc, "[%s]\n", bad[i]);
        snprintf(msg, sizeof msg, "%s\"%s\"", want, bad[i]);
        refuse(f, s, doc, 1, msg);
    }
}

static void test_currency(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: list\nitems: {type: currency}\n");
    accept(f, s, "[USD, INR, EUR, GBP, AED, SAR, CAD, AUD, SGD, JPY, CNY]\n");
    refuse(f, s, "[USD, XYZ]\n", 1, "d.yaml:1:7: error: [1]: unknown currency \"XYZ\", "
                                    "expected one of: USD, INR, EUR, ");
    refuse(f, s, "[usd]\n", 1, "unknown currency \"usd\"");
    assert_true(schema_currency_known("INR"));
    assert_false(schema_currency_known("inr"));
    assert_false(schema_currency_known(NULL));
}

static bool only_rocket(const char *name, void *user)
{
    (*(int *)user)++;
    return strcmp(name, "rocket") == 0;
}

static void test_icon(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: list\nitems: {type: icon}\n");
    const cp_node *d = load_named(f, "d.yaml", "[rocket, rokcet]\n");
    int calls = 0;
    cp_schema_env env = {only_rocket, &calls};
    diag_reset();
    take_output(f);
    assert_false(schema_check(s, d, &env));
    assert_int_equal(calls, 2);
    assert_int_equal(diag_error_count(), 1);
    assert_contains(take_output(f), "d.yaml:1:10: error: [1]: unknown icon \"rokcet\", "
                                    "expected a name from fonts/icons.yaml");
    /* without a lookup, any name passes */
    assert_true(schema_check(s, d, NULL));
    cp_schema_env none = {NULL, NULL};
    assert_true(schema_check(s, d, &none));
}

static void test_list_counts_and_items(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, CAREER);
    refuse(f, s, "title: X\nskills: []\n", 1,
           "d.yaml:2:9: error: skills: has 0 items, expected at least 1");
    refuse(f, s, "title: X\nskills: [{name: a, level: 1}, {name: b, level: 1}, "
                 "{name: c, level: 1}, {name: d, level: 1}]\n",
           1, "skills: has 4 items, expected at most 3");
    refuse(f, s, "title: X\nskills:\n  - name: a\n    level: 1\n  - name: b\n    level: 12\n",
           1, "d.yaml:6:12: error: skills[1].level: rating 12 is out of range");
}

static void test_any(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: map\nfields: {x: {type: any}}\n");
    accept(f, s, "x: [1, {a: b}]\n");
    accept(f, s, "x: text\n");
}

/* ---- reporting ---------------------------------------------------------------------- */

static void test_reports_every_violation(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, CAREER);
    const char *out = refuse(f, s,
                             "tagline: [x]\n"
                             "salary: lots\n"
                             "colour: red\n"
                             "skills:\n"
                             "  - {name: a, level: 11}\n",
                             5, "d.yaml:1:1: error: missing required key 'title'");
    assert_contains(out, "d.yaml:1:10: error: tagline: expected a string, found a list\n");
    assert_contains(out, "d.yaml:2:9: error: salary: expected a number, found \"lots\"\n");
    assert_contains(out, "d.yaml:3:1: error: colour: unknown key 'colour'");
    assert_contains(out, "d.yaml:5:22: error: skills[0].level: rating 11 is out of range");
    /* in document order */
    assert_true(strstr(out, "tagline:") < strstr(out, "salary:"));
    assert_true(strstr(out, "salary:") < strstr(out, "colour:"));
}

static void test_alias_reported_at_its_path(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: map\nvalues: {type: list, items: {type: rating}}\n");
    const char *out = refuse(f, s, "a: &r [11]\nb: *r\n", 2, "error: a[0]: rating 11");
    assert_contains(out, "error: b[0]: rating 11"); /* the path of the alias, not the anchor */
}

static void test_subtree_keeps_its_path(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: map\nfields: {n: {type: number}}\n");
    const cp_node *d = load_named(f, "d.yaml", "outer:\n  inner: {n: x}\n");
    diag_reset();
    take_output(f);
    assert_false(schema_check(s, node_at(d, "outer.inner"), NULL));
    assert_contains(take_output(f), "d.yaml:2:14: error: outer.inner.n: expected a number");
}

/* ---- schemas themselves ---------------------------------------------------------------- */

static void refuse_schema(fixture *f, const char *yaml, int errors, const char *want)
{
    diag_reset();
    take_output(f);
    const cp_node *s = load_named(f, "s.yaml", yaml);
    assert_false(schema_is_valid(s));
    const char *out = take_output(f);
    assert_int_equal(diag_error_count(), errors);
    assert_contains(out, want);
}

static void test_invalid_schemas(void **state)
{
    fixture *f = *state;
    refuse_schema(f, "fields: {}\n", 1, "s.yaml:1:1: error: missing required key 'type', "
                                        "expected one of: string, text, number");
    refuse_schema(f, "type: strnig\n", 1, "s.yaml:1:7: error: type: unknown type \"strnig\", "
                                          "expected one of: string, text, number, integer, "
                                          "rating, boolean, id, date, currency, icon, length, "
                                          "color, list, map, any");
    refuse_schema(f, "type: string\nrequird: true\n", 1,
                  "s.yaml:2:1: error: requird: unknown key 'requird', expected one of: type, "
                  "required, doc, min, max, enum, items, fields, values, tag, what, "
                  "variants, defs, ref, one_of (did you mean 'required'?)");
    refuse_schema(f, "type: string\nrequired: sometimes\n", 1,
                  "s.yaml:2:11: error: required: expected true or false, found \"sometimes\"");
    refuse_schema(f, "type: boolean\nmin: 1\n", 1,
                  "s.yaml:2:6: error: min: 'min' does not apply to type 'boolean', expected "
                  "it only with number, integer, list, string or text");
    refuse_schema(f, "type: number\nmin: 5\nmax: 1\n", 1,
                  "s.yaml:3:6: error: max: max 1 is below min 5, expected max >= min");
    refuse_schema(f, "type: number\nmax: lots\n", 1,
                  "s.yaml:2:6: error: max: expected a number, found \"lots\"");
    refuse_schema(f, "type: string\nenum: low\n", 1,
                  "s.yaml:2:7: error: enum: expected a non-empty list of allowed values, "
                  "found \"low\"");
    refuse_schema(f, "type: string\nenum: []\n", 1, "found an empty list");
    refuse_schema(f, "type: list\nfields: {}\n", 1,
                  "s.yaml:2:9: error: fields: 'fields' does not apply to type 'list'");
    refuse_schema(f, "type: map\nfields: [a]\n", 1,
                  "s.yaml:2:9: error: fields: expected a mapping of key: schema, found a list");
    refuse_schema(f, "- type: map\n", 1,
                  "s.yaml:1:1: error: expected a schema (a mapping with 'type'), found a list");
    /* nested problems carry their path, and all are reported */
    refuse_schema(f, "type: map\nfields:\n  a: {type: list, items: {type: nope}}\n"
                     "  b: {tpye: string}\n",
                  3, "s.yaml:3:33: error: fields.a.items.type: unknown type \"nope\"");
    refuse_schema(f, "type: list\nitems: text\n", 1,
                  "s.yaml:2:8: error: items: expected a schema (a mapping with 'type'), found "
                  "\"text\"");
    assert_false(schema_is_valid(NULL));
}

static void test_schema_load(void **state)
{
    fixture *f = *state;
    const char *base = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/cp_schema_XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
    char good[600], bad[600];
    snprintf(good, sizeof good, "%s/good.yaml", dir);
    snprintf(bad, sizeof bad, "%s/bad.yaml", dir);
    FILE *fp = fopen(good, "w");
    fputs(CAREER, fp);
    fclose(fp);
    fp = fopen(bad, "w");
    fputs("type: map\nfields:\n  x: {type: numbr}\n", fp);
    fclose(fp);

    const cp_node *s = NULL;
    assert_true(schema_load(f->cap.arena, good, &s));
    assert_non_null(s);
    assert_non_null(node_at(s, "fields.skills.items.fields.level"));

    const cp_node *untouched = NULL;
    assert_false(schema_load(f->cap.arena, bad, &untouched));
    assert_null(untouched);
    char want[700];
    snprintf(want, sizeof want, "%s:3:13: error: fields.x.type: unknown type \"numbr\"", bad);
    assert_contains(take_output(f), want);

    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.yaml", dir);
    assert_false(schema_load(f->cap.arena, missing, &untouched));
    assert_contains(take_output(f), "cannot open file");

    unlink(good);
    unlink(bad);
    rmdir(dir);
}

/* ---- tagged variants, refs, unions, lengths and colours (the layout schema) -------- */

static const char *const BLOCKS =
    "type: map\n"
    "fields:\n"
    "  blocks: {type: list, items: {ref: block}}\n"
    "defs:\n"
    "  entry:\n"
    "    one_of: [{ref: block}, {type: list, items: {ref: block}}]\n"
    "    doc: a block or a list of blocks\n"
    "  block:\n"
    "    type: map\n"
    "    tag: kind\n"
    "    what: block kind\n"
    "    fields: {kind: {type: string}, space: {type: length}}\n"
    "    variants:\n"
    "      faq: {fields: {limit: {type: integer, min: 1}}}\n"
    "      heading: {fields: {title: {type: string, required: true}}}\n"
    "      box: {fields: {fill: {type: color}, inside: {type: list, items: {ref: entry}}}}\n"
    "      page_break: {}\n";

static void test_variants(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, BLOCKS);
    accept(f, s, "blocks: [page_break, {kind: faq, limit: 2, space: 12mm},\n"
                 "  {kind: box, fill: \"#0F5132\", inside: [faq, [page_break]]}]\n");
}

static void test_variant_messages(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, BLOCKS);
    refuse(f, s, "blocks: [{kind: faq, limt: 2}]\n", 1,
           "d.yaml:1:22: error: blocks[0].limt: not an option of block kind faq, expected one "
           "of: limit, kind, space (did you mean 'limit'?)");
    refuse(f, s, "blocks: [covr]\n", 1, "blocks[0]: unknown block kind \"covr\"");
    refuse(f, s, "blocks: [{kind: hedaing}]\n", 1,
           "blocks[0].kind: unknown block kind \"hedaing\", expected one of: faq, heading, box, "
           "page_break (did you mean 'heading'?)");
    refuse(f, s, "blocks: [heading]\n", 1, "block kind heading needs 'title'");
    refuse(f, s, "blocks: [{limit: 2}]\n", 1, "missing required key 'kind'");
    refuse(f, s, "blocks: [{kind: box, inside: [[{kind: faq, limit: 0}]]}]\n", 1,
           "blocks[0].inside[0][0].limit: 0 is too small");
    refuse(f, s, "blocks: [{kind: box, inside: [7]}]\n", 1, "blocks[0].inside[0]: unknown "
           "block kind \"7\"");
    refuse(f, s, "blocks: [{kind: box, fill: \"#12345\"}]\n", 1,
           "blocks[0].fill: expected a colour");
    refuse(f, s, "blocks: [{kind: faq, space: 12px}]\n", 1,
           "blocks[0].space: expected a length");
}

static void test_enum_did_you_mean(void **state)
{
    fixture *f = *state;
    const cp_node *s = schema(f, "type: map\nfields: {tone: {type: string, enum: [good, warn]}}\n");
    refuse(f, s, "tone: wran\n", 1, "unknown value 'wran', expected one of: good, warn "
                                   "(did you mean 'warn'?)");
}

static void test_invalid_refs(void **state)
{
    fixture *f = *state;
    diag_reset();
    const cp_node *s = load_named(f, "s.yaml", "type: map\nfields: {a: {ref: nowhere}}\n");
    assert_false(schema_is_valid(s));
    assert_contains(take_output(f), "fields.a.ref: names no schema");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_valid_document),
        T(test_unknown_key),
        T(test_unknown_key_list_truncated),
        T(test_missing_required_key),
        T(test_values_schema),
        T(test_wrong_kind),
        T(test_numbers),
        T(test_ratings),
        T(test_boolean),
        T(test_string_length_and_enum),
        T(test_id),
        T(test_date),
        T(test_currency),
        T(test_icon),
        T(test_list_counts_and_items),
        T(test_any),
        T(test_reports_every_violation),
        T(test_alias_reported_at_its_path),
        T(test_subtree_keeps_its_path),
        T(test_invalid_schemas),
        T(test_schema_load),
        T(test_variants),
        T(test_variant_messages),
        T(test_enum_did_you_mean),
        T(test_invalid_refs),
    };
#undef T
    return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
