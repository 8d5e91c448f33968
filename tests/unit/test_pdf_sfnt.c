/* test_pdf_sfnt.c - moved glyphs added to a TrueType font program (src/render/pdf_sfnt.h):
 * read back by FreeType, the program every reader of ours draws with, each new glyph is
 * the old one's outline at the offset; the tables stay whole (checksums, glyph count,
 * metrics), and fonts the file cannot change are refused. The font is the bundled Arabic
 * one: its shadda is a mark the text layer moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <glib.h>
#include <string.h>

#include "render/pdf_sfnt.h"

static uint8_t *font;
static size_t font_len;
static FT_Library lib;

static int setup(void **state)
{
    (void)state;
    gchar *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents("fonts/NotoSansArabic-Regular.ttf", &data, &len, NULL))
        return -1;
    font = (uint8_t *)data;
    font_len = len;
    return FT_Init_FreeType(&lib) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    g_free(font);
    FT_Done_FreeType(lib);
    return 0;
}

static uint32_t sum32(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 4) {
        uint8_t w[4] = {0};
        memcpy(w, p + i, n - i < 4 ? n - i : 4);
        s += (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 | (uint32_t)w[2] << 8 | w[3];
    }
    return s;
}

/* Glyph gid's outline points in font units (FreeType, unscaled, unhinted). */
static FT_Outline *outline(FT_Face face, unsigned gid)
{
    assert_int_equal(FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    assert_int_equal(face->glyph->format, FT_GLYPH_FORMAT_OUTLINE);
    return &face->glyph->outline;
}

static void test_moved_glyphs_draw_the_old_outline_at_the_offset(void **state)
{
    (void)state;
    sfnt_info info;
    assert_true(sfnt_read_info(font, font_len, &info));
    assert_int_equal(info.units_per_em, 1000);
    FT_Face old;
    assert_int_equal(FT_New_Memory_Face(lib, font, (FT_Long)font_len, 0, &old), 0);
    unsigned shadda = FT_Get_Char_Index(old, 0x0651), alef = FT_Get_Char_Index(old, 0x0627);
    assert_true(shadda > 0 && alef > 0);

    const sfnt_moved moved[] = {{(uint16_t)shadda, 120, -80}, {(uint16_t)alef, -7, 300},
                                {(uint16_t)shadda, 0, 0}};
    size_t len = 0;
    uint8_t *out = sfnt_add_moved(font, font_len, moved, 3, &len);
    assert_non_null(out);
    sfnt_info now;
    assert_true(sfnt_read_info(out, len, &now));
    assert_int_equal(now.num_glyphs, info.num_glyphs + 3);
    /* the whole font sums to the magic number: head's checkSumAdjustment is right */
    assert_int_equal(sum32(out, len), 0xB1B0AFBAu);

    FT_Face face;
    assert_int_equal(FT_New_Memory_Face(lib, out, (FT_Long)len, 0, &face), 0);
    assert_int_equal(face->num_glyphs, (FT_Long)info.num_glyphs + 3);
    for (unsigned i = 0; i < 3; i++) {
        FT_Outline *a = outline(old, moved[i].gid);
        int n = a->n_points;
        FT_Vector *pa = g_memdup2(a->points, sizeof *pa * (size_t)n);
        FT_Outline *b = outline(face, info.num_glyphs + i);
        assert_int_equal(b->n_points, n);
        for (int k = 0; k < n; k++) {
            assert_int_equal(b->points[k].x, pa[k].x + moved[i].dx);
            assert_int_equal(b->points[k].y, pa[k].y + moved[i].dy);
        }
        g_free(pa);
    }
    /* the old glyphs are as they were */
    FT_Outline *a = outline(old, alef);
    int n = a->n_points;
    FT_Vector first = a->points[0];
    FT_Outline *b = outline(face, alef);
    assert_int_equal(b->n_points, n);
    assert_int_equal(b->points[0].x, first.x);
    FT_Done_Face(face);
    FT_Done_Face(old);
    g_free(out);
}

static void test_fonts_it_cannot_change_are_refused(void **state)
{
    (void)state;
    sfnt_info info;
    size_t len = 0;
    const sfnt_moved one = {3, 10, 10};
    assert_false(sfnt_read_info(font, 11, &info));                  /* cut short */
    assert_false(sfnt_read_info(font, font_len / 2, &info));        /* tables cut off */
    assert_null(sfnt_add_moved(font, font_len, &one, 0, &len));     /* nothing to add */
    sfnt_read_info(font, font_len, &info);
    const sfnt_moved far = {(uint16_t)info.num_glyphs, 0, 0};
    assert_null(sfnt_add_moved(font, font_len, &far, 1, &len));     /* no such glyph */
    /* a CFF font (OTTO) has no glyf outlines */
    uint8_t *cff = g_memdup2(font, font_len);
    memcpy(cff, "OTTO", 4);
    assert_false(sfnt_read_info(cff, font_len, &info));
    /* a table sized by the glyph count (hdmx) would be wrong after: refused */
    memcpy(cff, font, 4);
    memcpy(cff + 12, "hdmx", 4);   /* the first directory entry, renamed */
    assert_false(sfnt_read_info(cff, font_len, &info));
    assert_null(sfnt_add_moved(cff, font_len, &one, 1, &len));
    g_free(cff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moved_glyphs_draw_the_old_outline_at_the_offset),
        cmocka_unit_test(test_fonts_it_cannot_change_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
