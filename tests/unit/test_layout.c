/* Unit tests for the layout maths: money formatting, paper sizes, pagination. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "layout/paginate.h"
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

/* --- pagination --------------------------------------------------------------------------- */

static cp_box box(double h, double space, bool keep, int header)
{
    return (cp_box){h, space, keep, header};
}

static void fills_pages_in_order(void **state)
{
    (void)state;
    cp_box b[] = {box(40, 10, false, -1), box(40, 10, false, -1), box(40, 10, false, -1)};
    cp_slot s[3];
    size_t bad;
    assert_int_equal(paginate_plan(b, 3, 100, s, &bad), 2);
    assert_int_equal(s[0].page, 0);
    assert_true(s[0].y == 0);          /* no gap at the top of a page */
    assert_true(s[1].y == 50);
    assert_int_equal(s[2].page, 1);
    assert_true(s[2].y == 0);
}

/* Columns taller than a page: each band takes the pieces that end within it, at least
 * one, so a piece taller than a band moves on and nothing is lost or reordered. */
static void column_bands_cut_between_pieces(void **state)
{
    (void)state;
    cp_box b[] = {box(30, 0, false, -1), box(40, 5, false, -1), box(40, 5, false, -1),
                  box(250, 5, false, -1), box(20, 5, false, -1)};
    size_t band[5];
    /* Ends at 30, 75, 120, 375, 400 with bands of 100: 0 0 1 2 3. */
    assert_int_equal(paginate_column_bands(b, 5, 100, band), 4);
    assert_int_equal(band[0], 0);
    assert_int_equal(band[1], 0);
    assert_int_equal(band[2], 1);
    assert_int_equal(band[3], 2);      /* taller than a band: a band of its own */
    assert_int_equal(band[4], 3);
    assert_int_equal(paginate_column_bands(b, 0, 100, band), 0);
    /* A first piece taller than a band stays in band 0. */
    cp_box tall[] = {box(150, 0, false, -1), box(10, 5, false, -1)};
    assert_int_equal(paginate_column_bands(tall, 2, 100, band), 2);
    assert_int_equal(band[0], 0);
    assert_int_equal(band[1], 1);
}

static void heading_keeps_with_next(void **state)
{
    (void)state;
    /* The heading fits on page 1 alone, but not with its paragraph: both move. */
    cp_box b[] = {box(70, 0, false, -1), box(10, 5, true, -1), box(30, 5, false, -1)};
    cp_slot s[3];
    size_t bad;
    assert_int_equal(paginate_plan(b, 3, 100, s, &bad), 2);
    assert_int_equal(s[1].page, 1);
    assert_int_equal(s[2].page, 1);
    assert_true(s[2].y == 15);
}

static void table_repeats_header(void **state)
{
    (void)state;
    /* header(20) + rows of 30: the 3rd row continues on page 2 under a repeated header */
    cp_box b[] = {box(20, 0, true, -1), box(30, 0, false, 0), box(30, 0, false, 0),
                  box(30, 0, false, 0), box(30, 0, false, 0)};
    cp_slot s[5];
    size_t bad;
    assert_int_equal(paginate_plan(b, 5, 100, s, &bad), 2);
    assert_int_equal(s[2].page, 0);
    assert_int_equal(s[3].page, 1);
    assert_true(s[3].header_repeated);
    assert_true(s[3].y == 20);
    assert_false(s[4].header_repeated);
    assert_true(s[4].y == 50);
    assert_false(s[1].header_repeated);
}

static void too_tall_is_reported(void **state)
{
    (void)state;
    cp_box b[] = {box(10, 0, false, -1), box(120, 0, false, -1)};
    cp_slot s[2];
    size_t bad = 99;
    assert_int_equal(paginate_plan(b, 2, 100, s, &bad), 0);
    assert_int_equal(bad, 1);
}

static void overlong_chain_keeps_first_piece_only(void **state)
{
    (void)state;
    cp_box b[] = {box(50, 0, false, -1), box(40, 0, true, -1), box(40, 0, true, -1),
                  box(40, 0, false, -1)};
    cp_slot s[4];
    size_t bad;
    assert_true(paginate_plan(b, 4, 100, s, &bad) >= 2);
    assert_int_equal(s[1].page, 0); /* chain of 120 > room: it does not force a break */
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
        cmocka_unit_test(fills_pages_in_order),
        cmocka_unit_test(heading_keeps_with_next),
        cmocka_unit_test(column_bands_cut_between_pieces),
        cmocka_unit_test(table_repeats_header),
        cmocka_unit_test(too_tall_is_reported),
        cmocka_unit_test(overlong_chain_keeps_first_piece_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
