/* Unit tests for pagination (src/layout/paginate.c): where each piece goes, how columns
 * taller than a page are cut into bands, and how `page.justify` widens gaps. Plain
 * numbers in and out: no fonts, no drawing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "layout/paginate.h"

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

static void overlong_chain_keeps_only_its_ends(void **state)
{
    (void)state;
    cp_box b[] = {box(30, 0, false, -1), box(20, 0, true, -1), box(40, 0, true, -1),
                  box(40, 0, true, -1), box(40, 0, false, -1)};
    cp_slot s[5];
    size_t bad;
    assert_true(paginate_plan(b, 5, 100, s, &bad) >= 2);
    assert_int_equal(s[1].page, 0); /* chain of 140 > room: it does not force a break */
    assert_int_equal(s[2].page, 0); /* its first two pieces fit, and stay */
}

/* The rest of a chain taller than a page flows on: it does not move to a new page whole
 * once it would fit one (that left a page with one table row and the next with the
 * rows and chart after it). Only its last piece keeps with the one before. */
static void overlong_chain_flows_on(void **state)
{
    (void)state;
    cp_box b[] = {box(60, 0, true, -1), box(10, 0, true, -1), box(10, 0, true, -1),
                  box(50, 0, false, -1)};
    cp_slot s[4];
    size_t bad;
    assert_int_equal(paginate_plan(b, 4, 100, s, &bad), 2);
    assert_int_equal(s[1].page, 0);   /* before: 10 + 10 + 50 fit a page, all moved */
    assert_int_equal(s[2].page, 1);   /* the last piece's partner goes with it */
    assert_int_equal(s[3].page, 1);
    assert_true(s[2].y == 0);
}

/* The first piece of a chain taller than a page still keeps with the second: a heading
 * is not left at the foot of a page. */
static void overlong_chain_keeps_its_head(void **state)
{
    (void)state;
    cp_box b[] = {box(70, 0, false, -1), box(20, 0, true, -1), box(60, 0, true, -1),
                  box(60, 0, false, -1)};
    cp_slot s[4];
    size_t bad;
    assert_int_equal(paginate_plan(b, 4, 100, s, &bad), 3);
    assert_int_equal(s[1].page, 1);   /* 70 + 20 fit, but 20 + 60 do not */
    assert_int_equal(s[2].page, 1);
}

/* The gap before a piece that starts a page is dropped, wherever the piece came from. */
static void gap_dropped_at_page_top(void **state)
{
    (void)state;
    cp_box b[] = {box(60, 0, false, -1), box(30, 30, false, -1), box(20, 15, false, -1)};
    cp_slot s[3];
    size_t bad;
    assert_int_equal(paginate_plan(b, 3, 100, s, &bad), 2);
    assert_int_equal(s[1].page, 1);
    assert_true(s[1].y == 0);
    assert_true(s[2].y == 45);
}

/* A header is repeated only when header and row fit together on the new page. */
static void header_repeated_only_when_it_fits(void **state)
{
    (void)state;
    cp_box b[] = {box(40, 0, true, -1), box(50, 0, false, 0), box(70, 0, false, 0)};
    cp_slot s[3];
    size_t bad;
    assert_int_equal(paginate_plan(b, 3, 100, s, &bad), 2);
    assert_int_equal(s[2].page, 1);
    assert_false(s[2].header_repeated);   /* 40 + 70 > 100 */
    assert_true(s[2].y == 0);
}

static void no_pieces_one_page(void **state)
{
    (void)state;
    cp_slot s[1];
    size_t bad = 7;
    assert_int_equal(paginate_plan(NULL, 0, 100, s, &bad), 1);
    assert_int_equal(bad, 7);
}

/* Leftover height is shared by the gaps in proportion to their size. */
static void justify_spreads_leftover_over_gaps(void **state)
{
    (void)state;
    cp_box b[] = {box(20, 5, false, -1), box(20, 10, false, -1), box(20, 20, false, -1)};
    /* used 20 + 30 + 40 = 90 of 120: 29.99 more over gaps of 30, k = 1 + 29.99 / 30 */
    assert_true(paginate_justify(b, 3, 120));
    double k = 1 + 29.99 / 30;
    assert_true(b[0].space_before == 5);           /* the first gap is dropped anyway */
    assert_true(fabs(b[1].space_before - 10 * k) < 1e-9);
    assert_true(fabs(b[2].space_before - 20 * k) < 1e-9);
    /* The section now ends a hair above its foot. */
    double end = b[0].height + b[1].space_before + b[1].height + b[2].space_before +
                 b[2].height;
    assert_true(end < 120 && end > 119.98);
}

/* A gap after a piece that keeps with the next (a heading) is never widened, and a gap
 * grows to four times its size at most. */
static void justify_keeps_headings_close_and_caps(void **state)
{
    (void)state;
    cp_box b[] = {box(10, 0, false, -1), box(10, 10, true, -1), box(10, 4, false, -1)};
    assert_true(paginate_justify(b, 3, 1000));
    assert_true(b[1].space_before == 40);          /* 10 * (1 + 3) */
    assert_true(b[2].space_before == 4);           /* after the heading: unchanged */
}

static void justify_leaves_full_or_gapless_sections(void **state)
{
    (void)state;
    cp_box over[] = {box(60, 0, false, -1), box(50, 10, false, -1)};
    assert_false(paginate_justify(over, 2, 100));  /* taller than the page */
    assert_true(over[1].space_before == 10);
    cp_box one[] = {box(10, 8, false, -1)};
    assert_false(paginate_justify(one, 1, 100));   /* no gap between pieces */
    cp_box kept[] = {box(10, 0, true, -1), box(10, 5, false, -1)};
    assert_false(paginate_justify(kept, 2, 100));  /* its only gap follows a heading */
    assert_true(kept[1].space_before == 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fills_pages_in_order),
        cmocka_unit_test(heading_keeps_with_next),
        cmocka_unit_test(column_bands_cut_between_pieces),
        cmocka_unit_test(table_repeats_header),
        cmocka_unit_test(too_tall_is_reported),
        cmocka_unit_test(overlong_chain_keeps_only_its_ends),
        cmocka_unit_test(overlong_chain_flows_on),
        cmocka_unit_test(overlong_chain_keeps_its_head),
        cmocka_unit_test(gap_dropped_at_page_top),
        cmocka_unit_test(header_repeated_only_when_it_fits),
        cmocka_unit_test(no_pieces_one_page),
        cmocka_unit_test(justify_spreads_leftover_over_gaps),
        cmocka_unit_test(justify_keeps_headings_close_and_caps),
        cmocka_unit_test(justify_leaves_full_or_gapless_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
