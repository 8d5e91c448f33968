/* Unit tests for the layout maths: money formatting, paper sizes (pagination:
 * test_paginate.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "layout/theme.h"
#include "model/money.h"

/* --- money ------------------------------------------------------------------------------ */

static const char *fmt(double v, const char *cur, money_style st)
{
    static char buf[64];
    assert_true(money_format(buf, sizeof buf, v, cur, st));
    return buf;
}

static void usd_groups_by_thousands(void **state)
{
    (void)state;
    assert_string_equal(fmt(95000, "USD", MONEY_FULL), "$95,000");
    assert_string_equal(fmt(380000, "USD", MONEY_FULL), "$380,000");
    assert_string_equal(fmt(1234567, "USD", MONEY_FULL), "$1,234,567");
    assert_string_equal(fmt(999, "USD", MONEY_FULL), "$999");
    assert_string_equal(fmt(0, "USD", MONEY_FULL), "$0");
}

static void inr_groups_in_lakh_and_crore(void **state)
{
    (void)state;
    assert_string_equal(fmt(1250000, "INR", MONEY_FULL), "₹12,50,000");
    assert_string_equal(fmt(800000, "INR", MONEY_FULL), "₹8,00,000");
    assert_string_equal(fmt(12345678, "INR", MONEY_FULL), "₹1,23,45,678");
    assert_string_equal(fmt(1000, "INR", MONEY_FULL), "₹1,000");
    assert_string_equal(fmt(99999, "INR", MONEY_FULL), "₹99,999");
}

static void short_forms(void **state)
{
    (void)state;
    assert_string_equal(fmt(95000, "USD", MONEY_SHORT), "$95K");
    assert_string_equal(fmt(1200000, "USD", MONEY_SHORT), "$1.2M");
    assert_string_equal(fmt(1250000, "INR", MONEY_SHORT), "₹12.5L");
    assert_string_equal(fmt(12000000, "INR", MONEY_SHORT), "₹1.2Cr");
    assert_string_equal(fmt(240000, "AED", MONEY_SHORT), "AED 240K");
}

static void ranges_and_errors(void **state)
{
    (void)state;
    char buf[64];
    assert_true(money_range(buf, sizeof buf, 95000, 380000, "USD", MONEY_SHORT, true));
    assert_string_equal(buf, "$95K – $380K+");
    assert_true(money_range(buf, sizeof buf, 55000, 90000, "GBP", MONEY_FULL, false));
    assert_string_equal(buf, "£55,000 – £90,000");
    assert_false(money_format(buf, sizeof buf, 5, "XYZ", MONEY_FULL));
    assert_false(money_format(buf, sizeof buf, NAN, "USD", MONEY_FULL));
    assert_false(money_format(buf, 4, 95000, "USD", MONEY_FULL)); /* too small */
    assert_true(currency_known("INR"));
    assert_false(currency_known("inr"));
}

static void languages_write_amounts_their_way(void **state)
{
    (void)state;
    char buf[128];
    money_locale hi = {.thousand = "{n} हज़ार", .lakh = "{n} लाख", .crore = "{n} करोड़",
                       .currency = "₹{amount}", .digits = "devanagari"};
    assert_true(money_format_in(buf, sizeof buf, 1250000, "INR", MONEY_SHORT, &hi));
    assert_string_equal(buf, "₹१२.५ लाख");
    assert_true(money_format_in(buf, sizeof buf, 1250000, "INR", MONEY_FULL, &hi));
    assert_string_equal(buf, "₹१२,५०,०००");
    money_locale ar = {.thousand = "{n} ألف", .currency = "{amount} دولار",
                       .thousands_sep = "٬", .digits = "arabic-indic"};
    assert_true(money_format_in(buf, sizeof buf, 95000, "USD", MONEY_SHORT, &ar));
    assert_string_equal(buf, "٩٥ ألف دولار");
    assert_true(money_format_in(buf, sizeof buf, 95000, "USD", MONEY_FULL, &ar));
    assert_string_equal(buf, "٩٥٬٠٠٠ دولار");
    money_locale de = {.decimal_sep = ",", .million = "{n} Mio.", .currency = "{amount} $"};
    assert_true(money_format_in(buf, sizeof buf, 1200000, "USD", MONEY_SHORT, &de));
    assert_string_equal(buf, "1,2 Mio. $");
    money_locale bad = {.digits = "roman"};
    assert_false(money_format_in(buf, sizeof buf, 5, "USD", MONEY_FULL, &bad));
}

/* --- paper ------------------------------------------------------------------------------ */

static void paper_sizes(void **state)
{
    (void)state;
    double w, h;
    assert_true(paper_parse("A4", &w, &h));
    assert_int_equal((int)lround(w), 595);
    assert_int_equal((int)lround(h), 842);
    assert_true(paper_parse("letter", &w, &h));
    assert_int_equal((int)w, 612);
    assert_int_equal((int)h, 792);
    assert_true(paper_parse("18x24in", &w, &h));
    assert_int_equal((int)w, 1296);
    assert_true(paper_parse("500x700mm", &w, &h));
    assert_int_equal((int)lround(w), 1417);
    assert_false(paper_parse("B7", &w, &h));
    assert_false(paper_parse("10x10", &w, &h));     /* a unit is required */
    assert_false(paper_parse("0x10in", &w, &h));
    assert_false(paper_parse("300x300in", &w, &h)); /* beyond PDF's 200 in */
    double pt;
    assert_true(length_parse("16mm", &pt));
    assert_true(fabs(pt - 45.354) < 0.01);
    assert_false(length_parse("16 furlongs", &pt));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(usd_groups_by_thousands),
        cmocka_unit_test(inr_groups_in_lakh_and_crore),
        cmocka_unit_test(short_forms),
        cmocka_unit_test(ranges_and_errors),
        cmocka_unit_test(languages_write_amounts_their_way),
        cmocka_unit_test(paper_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
