/* test_pdf_rules.c - the document-level rules every writer shares: the document date
 * (render/pdf_date.h), page label ranges (render/pdf_labels.h), and the password and
 * permission policy (render/pdf_security.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/arena.h"
#include "render/pdf_date.h"
#include "render/pdf_labels.h"
#include "render/pdf_security.h"

static void dates_parse_strictly(void **state)
{
    (void)state;
    cp_pdf_date d;
    assert_true(pdf_date_parse("2026-06-01", &d));
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 6);
    assert_int_equal(d.day, 1);
    assert_true(pdf_date_parse("2026-02-28T13:45:07+05:30", &d));
    assert_int_equal(d.hour, 13);
    assert_int_equal(d.second, 7);
    assert_int_equal(d.zone, '+');
    assert_int_equal(d.zone_minute, 30);
    assert_true(pdf_date_parse("2024-02-29T00:00Z", &d));
    assert_false(pdf_date_parse("2026-02-29", &d));          /* not a leap year */
    assert_false(pdf_date_parse("2026-13-01", &d));
    assert_false(pdf_date_parse("2026-6-1", &d));
    assert_false(pdf_date_parse("2026-06-01T25:00Z", &d));
    assert_false(pdf_date_parse("2026-06-01 junk", &d));
    assert_false(pdf_date_parse("-001-01-01", &d));
    assert_false(pdf_date_parse("", &d));
    assert_false(pdf_date_parse(NULL, &d));
}

static void dates_fall_back_to_source_date_epoch(void **state)
{
    (void)state;
    char buf[64];
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    pdf_date_text(NULL, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-02T00:00:00Z");
    pdf_date_text("2026-06-01", buf, sizeof buf);     /* the data wins */
    assert_string_equal(buf, "2026-06-01");
    pdf_date_text("June 2026", buf, sizeof buf);      /* not a date: the fallback */
    assert_string_equal(buf, "1970-01-02T00:00:00Z");
    const char *why;
    assert_true(pdf_date_check_env(&why));
    static const char *const bad[] = {"-86400", "abc", "1e5", "+5", " 5", "253402300800",
                                      "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("SOURCE_DATE_EPOCH", bad[i], 1);
        assert_false(pdf_date_check_env(&why));
        assert_non_null(strstr(why, "SOURCE_DATE_EPOCH"));
    }
    setenv("SOURCE_DATE_EPOCH", "", 1);               /* empty: unset */
    assert_true(pdf_date_check_env(&why));
    unsetenv("SOURCE_DATE_EPOCH");
    pdf_date_text(NULL, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

static void label_ranges(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *doc = dl_doc_new(a);
    const char *labels[] = {"Cover", NULL, "1", "2", "3", "map", "7", "8", NULL};
    size_t n = sizeof labels / sizeof *labels;
    for (size_t i = 0; i < n; i++)
        dl_page_add(doc, 595, 842)->label = labels[i];
    pdf_label_range *r;
    size_t count = pdf_label_ranges(doc, &r);
    /* Cover | 2 (unlabelled: its number in the file) | 1-3 | map | 7-9 (the last page,
     * unlabelled, is number 9 in the file, which continues 7, 8) */
    assert_int_equal(count, 5);
    assert_string_equal(r[0].text, "Cover");
    assert_int_equal(r[1].first_page, 1);
    assert_null(r[1].text);
    assert_int_equal(r[1].start, 2);
    assert_int_equal(r[2].first_page, 2);
    assert_int_equal(r[2].start, 1);
    assert_string_equal(r[3].text, "map");
    assert_int_equal(r[4].first_page, 6);
    assert_int_equal(r[4].start, 7);
    g_free(r);
    arena_free(a);
}

static void passwords_and_permissions(void **state)
{
    (void)state;
    const char *why;
    assert_true(pdf_password_ok("k7#Vq-2mRt", &why));
    assert_true(pdf_password_ok("0123456789abcdef0123456789abcdef", &why));
    assert_false(pdf_password_ok("0123456789abcdef0123456789abcdefX", &why));
    assert_non_null(strstr(why, "32 characters"));
    assert_false(pdf_password_ok("", &why));
    assert_false(pdf_password_ok("pässword", &why));
    char owner[PDF_PASSWORD_MAX + 1];
    pdf_derive_owner_password("0123456789abcdef0123456789abcdef", owner);
    assert_int_equal(strlen(owner), PDF_PASSWORD_MAX);
    assert_string_equal(owner, "careerpdf-owner:0123456789abcdef");
    unsigned p;
    assert_true(pdf_parse_permissions(NULL, &p));
    assert_int_equal(p, PDF_PERM_PRINT);
    assert_true(pdf_parse_permissions("copy,annotate", &p));
    assert_int_equal(p, PDF_PERM_COPY | PDF_PERM_ANNOTATE);
    assert_false(pdf_parse_permissions("print,fly", &p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_parse_strictly),
        cmocka_unit_test(dates_fall_back_to_source_date_epoch),
        cmocka_unit_test(label_ranges),
        cmocka_unit_test(passwords_and_permissions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
