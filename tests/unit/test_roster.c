/* test_roster.c - roster reading (CSV through libcsv, YAML), file names from rows
 * (sanitising, patterns, duplicates) and shard slicing; column mappings, encodings,
 * row digests, the manifest's formula guard and the clean-up of killed runs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <sys/stat.h>
#include <unistd.h>

#include "batch/folder.h"
#include "batch/identity.h"
#include "batch/manifest.h"
#include "batch/names.h"
#include "batch/roster.h"
#include "diag_capture.h"

/* ---- fixture: an arena and captured diagnostics, not quiet (diag_capture.h) ------ */

typedef diag_capture fixture;

static int setup(void **state)
{
    diag_set_quiet(0);
    return diag_capture_setup(state);
}

static cp_roster *csv(const char *text)
{
    return roster_open_mem("r.csv", text, strlen(text), false);
}

/* ---- CSV ------------------------------------------------------------------------------ */

static void test_plain_rows(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("name,career,grade\nAnna Li,ai-engineer,11\nBen,nurse,12\n");
    assert_non_null(r);
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.row, 1);
    assert_int_equal(row.line, 2);
    assert_null(row.error);
    assert_string_equal(node_str(row.node, "name"), "Anna Li");
    assert_string_equal(node_str(row.node, "grade"), "11");
    const cp_node *career = node_get(row.node, "career");
    assert_int_equal(career->loc.line, 2);
    assert_int_equal(career->loc.col, 9);
    assert_string_equal(career->loc.file, "r.csv");
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.row, 2);
    assert_string_equal(node_str(row.node, "career"), "nurse");
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    roster_close(r);
}

static void test_quotes_commas_newlines(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("name,note\n"
                       "\"Li, Anna\",\"She said \"\"hi\"\"\"\n"
                       "Ben,\"line one\nline two\nline three\"\n"
                       "Cara,last\n");
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_string_equal(node_str(row.node, "name"), "Li, Anna");
    assert_string_equal(node_str(row.node, "note"), "She said \"hi\"");
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.line, 3);
    assert_string_equal(node_str(row.node, "note"), "line one\nline two\nline three");
    /* The row after a three-line field starts on line 6. */
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.line, 6);
    assert_string_equal(node_str(row.node, "note"), "last");
    assert_int_equal(node_get(row.node, "note")->loc.col, 6);
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    roster_close(r);
}

static void test_crlf_bom_and_header_names(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("\xEF\xBB\xBF Name ,CAREER,Rate:Python\r\n"
                       "Zo\xC3\xAB,ai-engineer,4\r\n"
                       "\"two\r\nlines\",nurse,\r\n");
    assert_non_null(r);
    assert_true(roster_has_column(r, "name"));
    assert_true(roster_has_column(r, "rate:python"));
    assert_false(roster_has_column(r, "grade"));
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_string_equal(node_str(row.node, "name"), "Zoë");
    assert_string_equal(node_str(row.node, "rate:python"), "4");
    assert_int_equal(node_get(row.node, "career")->loc.col, 5);   /* characters, not bytes */
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.line, 3);
    assert_string_equal(node_str(row.node, "name"), "two\nlines");   /* CRLF in a cell → LF */
    assert_string_equal(node_str(row.node, "rate:python"), "");
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    roster_close(r);
}

static void test_unicode_names(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("name,career\n"
                       "अनन्या अय्यर,ai-engineer\n"
                       "أحمد علي,nurse\n"
                       "王小明,nurse\n"
                       "Zoë 🌟,nurse");   /* and no final line break */
    const char *want[] = {"अनन्या अय्यर", "أحمد علي", "王小明", "Zoë 🌟"};
    cp_roster_row row;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(roster_next(r, f->arena, &row), 1);
        assert_string_equal(node_str(row.node, "name"), want[i]);
        assert_int_equal(row.line, i + 2);
    }
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    roster_close(r);
}

static void test_blank_lines_skipped(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("name,career\n\n,\nAnna,nurse\n\n\nBen,nurse\n  \n");
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.row, 1);
    assert_int_equal(row.line, 4);
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.row, 2);
    assert_int_equal(row.line, 7);
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    roster_close(r);
}

static void test_bad_rows_fail_alone(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("name,career\n"
                       "Anna,nurse,extra\n"
                       "Bell\x07,nurse\n"
                       "Short\n"
                       "Fine,nurse\n");
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_null(row.node);
    assert_string_equal(row.error, "3 fields, expected 2 as in the header row");
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_non_null(strstr(row.error, "control character U+0007"));
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_non_null(strstr(row.error, "1 fields, expected 2"));
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.row, 4);
    assert_string_equal(node_str(row.node, "name"), "Fine");
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    roster_close(r);
}

/* A byte that is not UTF-8 stops the roster at its place: it is not one bad row but a
 * file in another encoding. A character cut by a chunk's end is not such a byte. */
static void test_not_utf8(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("name,career\nAnna,nurse\nJos\xE9,nurse\n");
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(roster_next(r, f->arena, &row), -1);
    assert_non_null(strstr(output(f), "r.csv:3:4: error: byte 0xE9 is not UTF-8 text"));
    assert_non_null(strstr(output(f), "--roster-encoding windows-1252"));
    roster_close(r);

    GString *s = g_string_new("name,career\n");
    while (s->len < 3 * 65536)
        g_string_append(s, "Zo\xC3\xAB \xE7\x8E\x8B,nurse\n");
    r = roster_open_mem("r.csv", s->str, s->len, false);
    int got;
    size_t rows = 0;
    while ((got = roster_next(r, f->arena, &row)) == 1) {
        assert_non_null(row.node);
        rows++;
    }
    assert_int_equal(got, 0);
    assert_true(rows > 10000);
    roster_close(r);
    g_string_free(s, TRUE);
}

static void test_broken_files(void **state)
{
    fixture *f = *state;
    assert_null(csv(""));
    assert_non_null(strstr(output(f), "the roster is empty"));
    assert_null(csv("name,career,Name\nA,b,c\n"));
    assert_non_null(strstr(output(f), "r.csv:1:13: error: column 'name' appears twice"));

    /* A stray quote stops with its place (rather than merging rows silently). */
    cp_roster *r = csv("name,career\nAnna,nurse\nBen \"B\" Ortiz,nurse\n");
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(roster_next(r, f->arena, &row), -1);
    assert_non_null(strstr(output(f), "r.csv:3:5: error: a quote inside an unquoted field"));
    roster_close(r);

    r = csv("name,career\nAnna,\"nurse\nBen,nurse\n");
    assert_int_equal(roster_next(r, f->arena, &row), -1);
    assert_non_null(strstr(output(f), "r.csv:2:6: error: this quoted field is never closed"));
    roster_close(r);
}

/* n bytes of `fill` (one byte; with '"' each is doubled, as quoted CSV writes it). */
static void append_run(GString *s, char fill, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_string_append_c(s, fill);
        if (fill == '"')
            g_string_append_c(s, '"');
    }
}

static cp_roster *csv_gstring(GString *s)
{
    return roster_open_mem("r.csv", s->str, s->len, false);
}

/* roster_count reads files: the rows of s, counted through one. */
static long roster_count_mem(GString *s)
{
    const char *path = "test_roster_count_mem.csv";
    FILE *fp = fopen(path, "wb");
    fwrite(s->str, 1, s->len, fp);
    fclose(fp);
    long n = roster_count(path, path, NULL);
    remove(path);
    return n;
}

static void expect_too_long(fixture *f, cp_roster *r, int line, const char *column)
{
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_null(row.node);
    assert_int_equal(row.line, line);
    assert_non_null(row.error);
    char want[128];
    snprintf(want, sizeof want, "column '%s': longer than 64 KiB (65,536 bytes)", column);
    assert_non_null(strstr(row.error, want));
}

static void expect_row(fixture *f, cp_roster *r, int line, const char *name,
                       const char *note)
{
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_null(row.error);
    assert_int_equal(row.line, line);
    assert_string_equal(node_str(row.node, "name"), name);
    if (note)
        assert_string_equal(node_str(row.node, "note"), note);
}

/* The limit is the cell's text, exactly: 65,536 bytes pass, 65,537 fail (its text
 * without the enclosing quotes, doubled quotes counted once). */
static void test_cell_limit_exact(void **state)
{
    fixture *f = *state;
    GString *s = g_string_new("name,note\n");
    g_string_append(s, "A,");
    append_run(s, 'x', ROSTER_MAX_CELL);
    g_string_append(s, "\nB,");
    append_run(s, 'x', ROSTER_MAX_CELL + 1);
    g_string_append(s, "\nC,\"");
    append_run(s, '"', ROSTER_MAX_CELL);
    g_string_append(s, "\"\nD,\"");
    append_run(s, 'x', ROSTER_MAX_CELL - 1);
    append_run(s, '"', 2);
    g_string_append(s, "\"\nE,");
    append_run(s, 'x', ROSTER_MAX_CELL);
    g_string_append(s, "   \nF,fine\n");
    cp_roster *r = csv_gstring(s);
    assert_non_null(r);
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_null(row.error);
    assert_int_equal(strlen(node_str(row.node, "note")), ROSTER_MAX_CELL);
    expect_too_long(f, r, 3, "note");
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_null(row.error);
    assert_int_equal(strlen(node_str(row.node, "note")), ROSTER_MAX_CELL);
    assert_int_equal(node_str(row.node, "note")[0], '"');
    expect_too_long(f, r, 5, "note");
    /* Trailing blanks of an unquoted cell are not its text. */
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_null(row.error);
    assert_int_equal(strlen(node_str(row.node, "note")), ROSTER_MAX_CELL);
    expect_row(f, r, 7, "F", "fine");
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    assert_string_equal(output(f), "");   /* row errors are the caller's to print */
    roster_close(r);
    g_string_free(s, TRUE);
}

/* A cell far over the limit (more than the parser buffers) fails only its row, without
 * being held in memory: quoted with commas, line breaks and quotes inside, quoted with
 * blanks after its closing quote, unquoted, and last in a file without a final line
 * break. The rows between are read as usual, at their right lines. */
static void test_huge_cell_fails_its_row(void **state)
{
    fixture *f = *state;
    size_t big = 4 * ROSTER_MAX_CELL, pieces = big / 7;
    GString *s = g_string_new("name,note,grade\n");
    g_string_append(s, "A,\"");
    for (size_t i = 0; i < pieces; i++)
        g_string_append(s, "ab,\ncd\"\"");   /* 7 bytes of text, one line break */
    g_string_append(s, "\",11\n");
    int line = 2 + (int)pieces;
    g_string_append(s, "B,short,12\n");
    g_string_append(s, "C,\"");
    append_run(s, 'x', big);
    g_string_append(s, "\"   ,12\n");
    g_string_append(s, "D,");
    append_run(s, 'y', big);
    g_string_append(s, "  ,12\n");
    g_string_append(s, "\"E\",\"x, \"\"y\"\"\"  ,12\n");
    g_string_append(s, "F,short,");
    append_run(s, 'z', big);
    cp_roster *r = csv_gstring(s);
    assert_non_null(r);
    expect_too_long(f, r, 2, "note");
    expect_row(f, r, line + 1, "B", "short");
    expect_too_long(f, r, line + 2, "note");
    expect_too_long(f, r, line + 3, "note");
    expect_row(f, r, line + 4, "E", "x, \"y\"");
    expect_too_long(f, r, line + 5, "grade");
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    assert_string_equal(output(f), "");
    roster_close(r);
    assert_int_equal(roster_count_mem(s), 6);
    g_string_free(s, TRUE);

    /* A quoted cell that is never closed is still that, whatever its length. */
    s = g_string_new("name,note\nA,b\nB,\"");
    append_run(s, 'x', big);
    r = csv_gstring(s);
    expect_row(f, r, 2, "A", "b");
    assert_int_equal(roster_next(r, f->arena, &row), -1);
    assert_non_null(strstr(output(f), "r.csv:3:3: error: this quoted field is never closed"));
    roster_close(r);
    g_string_free(s, TRUE);
}

/* A column name over the limit: the header is unusable, so the roster is refused. */
static void test_huge_header_cell(void **state)
{
    fixture *f = *state;
    GString *s = g_string_new("name,");
    append_run(s, 'n', ROSTER_MAX_CELL + 1);
    g_string_append(s, "\nA,b\n");
    assert_null(csv_gstring(s));
    assert_non_null(strstr(output(f), "r.csv:1:6: error: this column name is longer than "
                                      "64 KiB"));
    g_string_free(s, TRUE);
}

/* YAML rosters have the same limit, as exact. */
static void test_yaml_cell_limit(void **state)
{
    fixture *f = *state;
    GString *s = g_string_new("- {name: A, note: ");
    append_run(s, 'x', ROSTER_MAX_CELL);
    g_string_append(s, "}\n- {name: B, note: ");
    append_run(s, 'x', ROSTER_MAX_CELL + 1);
    g_string_append(s, "}\n- {name: C, note: c}\n");
    cp_roster *r = roster_open_mem("r.yaml", s->str, s->len, true);
    assert_non_null(r);
    expect_row(f, r, 1, "A", NULL);
    expect_too_long(f, r, 2, "note");
    expect_row(f, r, 3, "C", "c");
    roster_close(r);
    g_string_free(s, TRUE);
}

static void test_count(void **state)
{
    (void)state;
    const char *path = "test_roster_count.csv";
    FILE *fp = fopen(path, "w");
    fputs("name,career\n", fp);
    for (int i = 0; i < 5000; i++)
        fprintf(fp, "\"Student %d\nsecond line\",nurse\n", i);
    fclose(fp);
    assert_int_equal(roster_count(path, path, NULL), 5000);
    remove(path);
    assert_int_equal(roster_count("no-such-roster.csv", "no-such-roster.csv", NULL), -1);
}

/* ---- YAML ----------------------------------------------------------------------------- */

static void test_yaml_roster(void **state)
{
    fixture *f = *state;
    const char *y = "- {name: Anna Li, career: ai-engineer, Grade: 11}\n"
                    "- name: Ben\n"
                    "  career: nurse\n"
                    "  note: ~\n"
                    "- just text\n"
                    "- {name: Cara, skills: [a, b]}\n";
    cp_roster *r = roster_open_mem("r.yaml", y, strlen(y), true);
    assert_non_null(r);
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_string_equal(node_str(row.node, "name"), "Anna Li");
    assert_string_equal(node_str(row.node, "grade"), "11");   /* keys lower-cased */
    assert_int_equal(row.line, 1);
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_int_equal(row.line, 2);
    assert_string_equal(node_str(row.node, "note"), "");
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_null(row.node);
    assert_non_null(strstr(row.error, "expected a mapping"));
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_non_null(strstr(row.error, "column 'skills': expected a single value"));
    assert_int_equal(roster_next(r, f->arena, &row), 0);
    roster_close(r);

    assert_null(roster_open_mem("r.yaml", "name: Anna\n", 11, true));
    assert_non_null(strstr(output(f), "a YAML roster is a list of students"));
}

static void test_rating_columns(void **state)
{
    fixture *f = *state;
    assert_string_equal(roster_skill_column(f->arena, "Programming logic (Python, C++, Rust)"),
                        "rate:programming-logic");
    assert_string_equal(roster_skill_column(f->arena, "Clear, precise technical writing"),
                        "rate:clear-precise-technical-writing");
    assert_string_equal(roster_skill_column(f->arena, "SQL & data wrangling [basics]"),
                        "rate:sql-data-wrangling");
    const char *csv_text = "name,rate:programming-logic,rate:2,rate:other\nAnna,4,1,5\n";
    cp_roster *r = csv(csv_text);
    cp_roster_row row;
    roster_next(r, f->arena, &row);
    const char *skills[] = {"Programming logic (Python, C++, Rust)", "Linear algebra",
                            "Deep learning"};
    const cp_node *m = roster_rate_by_index(f->arena, row.node, skills, 3);
    assert_string_equal(node_str(m, "rate:1"), "4");
    assert_int_equal(node_get(m, "rate:1")->loc.col, 6);   /* where the value really is */
    assert_string_equal(node_get(m, "rate:1")->path, "rate:programming-logic");
    assert_string_equal(node_str(m, "rate:2"), "1");       /* given by position: kept */
    assert_null(node_get(m, "rate:3"));
    assert_string_equal(node_str(m, "name"), "Anna");
    /* Nothing to add: the row itself. */
    const char *none[] = {"Cooking"};
    assert_ptr_equal(roster_rate_by_index(f->arena, row.node, none, 1), row.node);
    roster_close(r);
}

/* ---- names ---------------------------------------------------------------------------- */

static const char *clean(const char *in)
{
    static char buf[1024];
    name_sanitize(in, buf, sizeof buf);
    return buf;
}

static void test_sanitize(void **state)
{
    (void)state;
    assert_string_equal(clean("Anna Li"), "Anna_Li");
    assert_string_equal(clean("  Anna   Li  "), "Anna_Li");
    assert_string_equal(clean("O'Brien, Sean"), "O-Brien-Sean");
    assert_string_equal(clean("../../etc/passwd"), "etc-passwd");
    assert_string_equal(clean("a/b\\c:d*e?f\"g<h>i|j"), "a-b-c-d-e-f-g-h-i-j");
    assert_string_equal(clean(".hidden"), "hidden");
    assert_string_equal(clean("J. R. R. Tolkien"), "J_R_R_Tolkien");
    assert_string_equal(clean("Mary-Jane Watson"), "Mary-Jane_Watson");
    assert_string_equal(clean("अनन्या अय्यर"), "अनन्या_अय्यर");
    assert_string_equal(clean("أحمد علي"), "أحمد_علي");
    assert_string_equal(clean("王小明"), "王小明");
    assert_string_equal(clean("김민준"), "김민준");
    assert_string_equal(clean("Zoë 🌟"), "Zoë");
    assert_string_equal(clean("Zoe\xCC\x88"), "Zoë");                 /* NFC */
    assert_string_equal(clean("evil\xE2\x80\xAE" "fdp.exe"), "evilfdp.exe");  /* RLO dropped */
    assert_string_equal(clean("tab\there\nnewline"), "tab_here_newline");
    assert_string_equal(clean("🌟🌟"), "");
    assert_string_equal(clean("bad \xFF utf8"), "");
}

static void test_names_from_pattern(void **state)
{
    fixture *f = *state;
    const char *y = "- {name: \"Anna Li\", grade: \"11\", school: \"\"}\n"
                    "- {name: CON}\n"
                    "- {name: \"🌟\"}\n";
    cp_roster *r = roster_open_mem("r.yaml", y, strlen(y), true);
    cp_roster_row a, con, star;
    roster_next(r, f->arena, &a);
    roster_next(r, f->arena, &con);
    roster_next(r, f->arena, &star);
    assert_string_equal(name_for_row(f->arena, NAME_DEFAULT_PATTERN, a.node, "ai-engineer", 1),
                        "Anna_Li-ai-engineer.pdf");
    assert_string_equal(name_for_row(f->arena, "{student.grade}-{student.name}", a.node,
                                     "ai-engineer", 1), "11-Anna_Li.pdf");
    assert_string_equal(name_for_row(f->arena, "{student.school}-{student.name}-{row}.PDF",
                                     a.node, "x", 7), "Anna_Li-7.pdf");
    assert_string_equal(name_for_row(f->arena, "{student.name}.pdf", con.node, "x", 2),
                        "_CON.pdf");
    assert_string_equal(name_for_row(f->arena, NAME_DEFAULT_PATTERN, con.node, "nurse", 2),
                        "CON-nurse.pdf");
    assert_string_equal(name_for_row(f->arena, NAME_DEFAULT_PATTERN, star.node, "nurse", 3),
                        "row-3-nurse.pdf");
    roster_close(r);

    const char *why;
    assert_true(name_pattern_ok(NAME_DEFAULT_PATTERN, &why));
    assert_true(name_pattern_ok("{row}", &why));
    assert_false(name_pattern_ok("{career.id}.pdf", &why));
    assert_false(name_pattern_ok("../{student.name}.pdf", &why));
    assert_false(name_pattern_ok("out/{student.name}.pdf", &why));
    assert_false(name_pattern_ok(".{student.name}", &why));
    assert_false(name_pattern_ok("{student.name} {row}", &why));
    assert_false(name_pattern_ok("{career.title}-{row}", &why));
    assert_false(name_pattern_ok("{student.name", &why));
}

static void test_long_names(void **state)
{
    fixture *f = *state;
    char longa[600], longb[600];
    memset(longa, 'a', 400);
    longa[400] = '\0';
    memcpy(longb, longa, 401);
    longb[399] = 'b';
    /* Devanagari is 3 bytes a character: the cut must not split one. */
    char deva[1200] = "";
    for (int i = 0; i < 100; i++)
        strcat(deva, "अनु");
    const char *names[] = {longa, longb, deva};
    const char *got[3];
    for (int i = 0; i < 3; i++) {
        char *y = g_strdup_printf("- {name: \"%s\"}\n", names[i]);
        cp_roster *r = roster_open_mem("r.yaml", y, strlen(y), true);
        cp_roster_row row;
        roster_next(r, f->arena, &row);
        got[i] = name_for_row(f->arena, NAME_DEFAULT_PATTERN, row.node, "ai-engineer", 1);
        assert_true(strlen(got[i]) <= NAME_MAX_BYTES);
        assert_true(g_utf8_validate(got[i], -1, NULL));
        assert_non_null(strstr(got[i], ".pdf"));
        roster_close(r);
        g_free(y);
    }
    assert_string_not_equal(got[0], got[1]);   /* same beginning, different hash */
    assert_int_equal(strncmp(got[0], got[1], 60), 0);
}

static void test_duplicates(void **state)
{
    fixture *f = *state;
    cp_names *n = names_new();
    assert_string_equal(names_claim(n, f->arena, "Anna-x.pdf"), "Anna-x.pdf");
    assert_string_equal(names_claim(n, f->arena, "Anna-x.pdf"), "Anna-x-2.pdf");
    assert_string_equal(names_claim(n, f->arena, "anna-X.pdf"), "anna-X-3.pdf");  /* case */
    assert_string_equal(names_claim(n, f->arena, "Anna-x-2.pdf"), "Anna-x-2-2.pdf");
    assert_string_equal(names_claim(n, f->arena, "Zoe\xCC\x88.pdf"), "Zoe\xCC\x88.pdf");
    assert_string_equal(names_claim(n, f->arena, "Zo\xC3\xAB.pdf"), "Zo\xC3\xAB-2.pdf");
    /* Many rows with one name: each gets its own number, the table grows. */
    const char *last = NULL;
    for (int i = 0; i < 5000; i++)
        last = names_claim(n, f->arena, "Same.pdf");
    assert_string_equal(last, "Same-5000.pdf");
    names_free(n);
}

/* ---- shards ----------------------------------------------------------------------------- */

static void test_shards_cover_once(void **state)
{
    (void)state;
    for (int n = 1; n <= 9; n++)
        for (size_t rows = 0; rows <= 103; rows += 17)
            for (size_t row = 1; row <= rows; row++) {
                int owners = 0;
                for (int k = 1; k <= n; k++)
                    owners += shard_has(row, k, n);
                assert_int_equal(owners, 1);
            }
    assert_true(shard_has(5, 0, 0));   /* no sharding: every row */
    /* Slices differ in size by at most one row. */
    size_t size[4] = {0};
    for (size_t row = 1; row <= 1001; row++)
        for (int k = 1; k <= 4; k++)
            size[k - 1] += shard_has(row, k, 4);
    assert_int_equal(size[0], 251);
    assert_int_equal(size[3], 250);
}

/* ---- schools' exports ---------------------------------------------------------------- */

static void test_column_aliases(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("\"Student Name\",Name,\" Grade Level \"\nEmily Chen,ignored,11\n");
    assert_true(roster_alias(r, "name", "STUDENT NAME"));
    assert_true(roster_alias(r, "grade", "grade level"));
    assert_false(roster_alias(r, "school", "School Name"));
    assert_true(roster_has_field(r, "grade"));
    assert_true(roster_is_mapped(r, "grade level"));
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_string_equal(node_str(row.node, "name"), "Emily Chen");   /* the mapped column */
    assert_string_equal(node_str(row.node, "grade"), "11");
    assert_string_equal(node_str(row.node, "student name"), "Emily Chen");
    size_t names = 0;
    for (size_t i = 0; i < row.node->len; i++)
        names += !strcmp(row.node->keys[i], "name");
    assert_int_equal(names, 1);   /* the column "Name" is shadowed, not doubled */
    roster_close(r);

    const char *y = "- {name: A, sid: 1}\n- {name: B, Homeroom: 7}\n";
    r = roster_open_mem("r.yaml", y, strlen(y), true);
    size_t n;
    const char *const *cols = roster_columns(r, &n);
    assert_int_equal(n, 3);
    assert_string_equal(cols[2], "homeroom");
    assert_false(roster_has_column(r, "career"));
    roster_close(r);
}

static const char *write_file(fixture *f, const char *name, const char *bytes, size_t len)
{
    const char *path = arena_printf(f->arena, "%s", name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    fclose(fp);
    return path;
}

static void test_roster_encoding(void **state)
{
    fixture *f = *state;
    const char cp1252[] = "name,career\nRen\xe9" "e \x80,nurse\n";
    const char *path = write_file(f, "test_roster_cp1252.csv", cp1252, sizeof cp1252 - 1);
    cp_roster *r = roster_open(path, path, "windows-1252");
    cp_roster_row row;
    assert_int_equal(roster_next(r, f->arena, &row), 1);
    assert_string_equal(node_str(row.node, "name"), "Ren\xc3\xa9" "e \xe2\x82\xac");
    roster_close(r);
    unlink(path);

    /* UTF-16: a surrogate pair cut in two by the first 64 KiB chunk waits for its
     * second half; half a unit at the very end is refused. BOM and header take 26
     * bytes, 3 lines of 20 and 3,636 of 18 bring the emoji to byte 65,534. */
    GString *s = g_string_new(NULL);
    g_string_append_len(s, "\xff\xfe" "n\0a\0m\0e\0,\0c\0a\0r\0e\0e\0r\0\n\0", 26);
    for (int i = 0; i < 3; i++)
        g_string_append_len(s, "Z\0o\0\xeb\0,\0n\0u\0r\0s\0e\0\n\0", 20);
    for (int i = 0; i < 3636; i++)
        g_string_append_len(s, "Z\0o\0,\0n\0u\0r\0s\0e\0\n\0", 18);
    assert_int_equal(s->len, 65534);
    g_string_append_len(s, "\x3d\xd8\x00\xde,\0n\0u\0r\0s\0e\0\n\0", 18);   /* U+1F600 */
    g_string_append_len(s, "X", 1);
    path = write_file(f, "test_roster_utf16.csv", s->str, s->len);
    r = roster_open(path, path, "utf-16");
    size_t got = 0;
    int rc;
    const char *last = NULL;
    while ((rc = roster_next(r, f->arena, &row)) == 1) {
        last = node_str(row.node, "name");
        got++;
    }
    assert_int_equal(rc, -1);
    assert_int_equal(got, 3 + 3636 + 1);
    assert_string_equal(last, "\xf0\x9f\x98\x80");
    assert_non_null(strstr(output(f), "is not utf-16 text"));
    roster_close(r);
    unlink(path);
    g_string_free(s, TRUE);
}

static void test_row_digests(void **state)
{
    fixture *f = *state;
    cp_roster *r = csv("name,note,pw\nEmily,first,secret\nEmily,second,secret\n"
                       "Emily,first,other\n");
    cp_roster_row a, b, c;
    roster_next(r, f->arena, &a);
    roster_next(r, f->arena, &b);
    roster_next(r, f->arena, &c);
    const char *da = identity_of_row(f->arena, a.node, "pw");
    assert_int_equal(strlen(da), 64);
    assert_string_not_equal(da, identity_of_row(f->arena, b.node, "pw"));
    /* the password is never part of it */
    assert_string_equal(da, identity_of_row(f->arena, c.node, "pw"));
    assert_string_not_equal(da, identity_of_row(f->arena, c.node, NULL));
    roster_close(r);

    cp_names *t = names_new();
    names_tally(t, "Emily-nurse.pdf");
    names_tally(t, "EMILY-nurse.pdf");
    names_tally(t, "Omar-nurse.pdf");
    assert_int_equal(names_tallied(t, "emily-NURSE.pdf"), 2);
    assert_int_equal(names_tallied(t, "Omar-nurse.pdf"), 1);
    assert_int_equal(names_tallied(t, "Nobody.pdf"), 0);
    names_free(t);
    assert_string_equal(name_with_suffix(f->arena, "Emily-nurse.pdf", "3f9a2c1"),
                        "Emily-nurse-3f9a2c1.pdf");
}

static void test_manifest_formulas(void **state)
{
    (void)state;
    const char *in[] = {"=HYPERLINK(\"x\")", "+1", "-2", "@A1", "\tx", "\rx", "Anna", "a,b",
                        "", NULL};
    const char *out[] = {"\"'=HYPERLINK(\"\"x\"\")\"", "'+1", "'-2", "'@A1", "'\tx",
                         "\"'\rx\"", "Anna", "\"a,b\"", ""};
    for (size_t i = 0; in[i]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        manifest_put_field(fp, in[i]);
        fclose(fp);
        assert_string_equal(buf, out[i]);
        free(buf);
    }
}

static void test_killed_run_leftovers(void **state)
{
    fixture *f = *state;
    char dir[] = "test_roster_dir.XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *names[] = {".Anna-nurse.pdf.tmp.a1B2c3", ".manifest.csv.tmp.Zz9Yy8",
                           ".manifest-2-of-3.csv.tmp.abcdef", "Anna-nurse.pdf", ".hidden",
                           "notes.tmp.abcdef", ".photo.png.tmp.abcdef", ".merged.pdf.tmp.qwerty",
                           ".merged.manifest.csv.tmp.qwerty", ".mergedX.pdf.tmp.qwerty", NULL};
    for (const char **n = names; *n; n++)
        write_file(f, arena_printf(f->arena, "%s/%s", dir, *n), "x", 1);
    assert_int_equal(folder_clean(dir, "merged"), 2);
    assert_int_equal(folder_clean(dir, NULL), 4);   /* both reports' and manifests' */
    const char *kept[] = {"Anna-nurse.pdf", ".hidden", "notes.tmp.abcdef",
                          ".photo.png.tmp.abcdef", NULL};
    for (const char **n = kept; *n; n++) {
        const char *p = arena_printf(f->arena, "%s/%s", dir, *n);
        assert_int_equal(access(p, F_OK), 0);
        unlink(p);
    }
    assert_int_equal(rmdir(dir), 0);

    /* One run per folder: a second lock fails at once; a shard shares it. */
    assert_non_null(mkdtemp(strcpy(dir, "test_roster_dir.XXXXXX")));
    bool alone;
    cp_folder_lock *l = folder_lock(dir, 0, 0, &alone);
    assert_non_null(l);
    assert_true(alone);
    assert_null(folder_lock(dir, 0, 0, &alone));
    assert_non_null(strstr(output(f), "another careerpdf run (pid "));
    folder_unlock(l);
    cp_folder_lock *s1 = folder_lock(dir, 1, 2, &alone);
    cp_folder_lock *s2 = folder_lock(dir, 2, 2, &alone);
    assert_non_null(s1);
    assert_non_null(s2);
    assert_false(alone);
    assert_null(folder_lock(dir, 2, 2, &alone));   /* the same shard twice */
    assert_null(folder_lock(dir, 0, 0, &alone));   /* a whole run while shards work */
    folder_unlock(s2);
    folder_unlock(s1);
    assert_int_equal(rmdir(dir), 0);                /* the last one out removed the file */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, diag_capture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_plain_rows),
        T(test_quotes_commas_newlines),
        T(test_crlf_bom_and_header_names),
        T(test_unicode_names),
        T(test_blank_lines_skipped),
        T(test_not_utf8),
        T(test_bad_rows_fail_alone),
        T(test_broken_files),
        T(test_cell_limit_exact),
        T(test_huge_cell_fails_its_row),
        T(test_huge_header_cell),
        T(test_yaml_cell_limit),
        T(test_count),
        T(test_yaml_roster),
        T(test_rating_columns),
        T(test_sanitize),
        T(test_names_from_pattern),
        T(test_long_names),
        T(test_duplicates),
        T(test_shards_cover_once),
        T(test_column_aliases),
        T(test_roster_encoding),
        T(test_row_digests),
        T(test_manifest_formulas),
        T(test_killed_run_leftovers),
    };
#undef T
    return cmocka_run_group_tests_name("roster", tests, NULL, NULL);
}
