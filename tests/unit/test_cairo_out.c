/* test_cairo_out.c - the cairo writer: PDF structure and determinism, PNG pixels,
 * SVG, write errors. The display list is built by hand (no layout engine needed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pdf_bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <pango/pangocairo.h>

#include "render/cairo_out.h"

static const cp_rgba RED = {1, 0, 0, 1};
static const cp_rgba BLUE = {0, 0, 1, 1};
static const cp_rgba BLACK = {0, 0, 0, 1};

/* A triangle with one curved side, in 0..10 units. */
static const dl_path_op TRIANGLE_OPS[] = {
    {PATH_MOVE, {0, 10}},
    {PATH_LINE, {5, 0}},
    {PATH_CURVE, {7, 3, 9, 6, 10, 10}},
    {PATH_CLOSE, {0}},
};
static const dl_path TRIANGLE = {sizeof TRIANGLE_OPS / sizeof TRIANGLE_OPS[0],
                                 TRIANGLE_OPS};

typedef struct {
    cp_arena *arena;
    dl_doc *doc;
    PangoFontMap *fonts;
    char *png_path; /* a small valid PNG in the temp dir */
} fixture;

/* Writes a 4x2 blue PNG to a temp file; returns its path (g_free it). */
static char *make_png(void)
{
    char *path = NULL;
    int fd = g_file_open_tmp("cp_test_XXXXXX.png", &path, NULL);
    assert_true(fd >= 0);
    close(fd);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 2);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 1);
    cairo_paint(cr);
    cairo_destroy(cr);
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return path;
}

static void add_text(fixture *f, dl_page *p, const char *text, double x, double y)
{
    PangoContext *ctx = pango_font_map_create_context(f->fonts);
    PangoLayout *layout = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_from_string("Sans 12");
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_text(layout, text, -1);
    dl_text(f->doc, p, layout, x, y, BLACK);
    pango_font_description_free(fd);
    g_object_unref(layout);
    g_object_unref(ctx);
}

/* Two pages of different sizes with every item kind, tags (one left open, one stray
 * end), a link to a destination on page 2, an outside link and a nested outline. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->arena = arena_new();
    f->doc = dl_doc_new(f->arena);
    f->fonts = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(f->fonts), 72);
    f->png_path = make_png();
    dl_doc *d = f->doc;
    d->meta = (dl_meta){"Test 'report'", "Tester", "Subject", "a, b", "careerpdf test",
                        "2026-06-01T00:00:00Z", "en"};

    dl_page *p1 = dl_page_add(d, 300, 200);
    p1->label = "i";
    dl_dest(d, p1, "top", 0, 0);
    dl_tag_begin(d, p1, "H1");
    add_text(f, p1, "Hello, careers", 10, 60);
    dl_tag_end(d, p1);
    dl_rect(d, p1, 10, 10, 50, 40, RED, 0);
    dl_frame(d, p1, 70, 10, 50, 40, BLUE, 2, 6);
    dl_rect(d, p1, 130, 10, 50, 40, BLUE, 8)->stroke_width = 1;
    dl_line(d, p1, 10, 100, 290, 100, BLACK, 1)->dash = 3;
    dl_shape(d, p1, &TRIANGLE, 200, 120, 3, BLUE);
    dl_tag_begin(d, p1, "Figure");
    dl_image(d, p1, f->png_path, 10, 120, 40, 40);
    dl_image(d, p1, f->png_path, 60, 120, 40, 40);
    dl_image(d, p1, "/nonexistent/logo.png", 110, 120, 40, 40);
    dl_tag_end(d, p1);
    dl_tag_begin(d, p1, "P");
    add_text(f, p1, "Go to part two", 10, 170);
    dl_link_dest(d, p1, 10, 170, 120, 16, "part 'two'");
    dl_link_uri(d, p1, 150, 170, 120, 16, "https://example.org/?q='a'\\b");
    /* left open: the writer closes it */

    dl_page *p2 = dl_page_add(d, 400, 250);
    p2->label = "1";
    dl_tag_end(d, p2); /* stray end: must not break the file */
    dl_dest(d, p2, "part 'two'", 20, 30);
    dl_tag_begin(d, p2, "H1");
    add_text(f, p2, "Part two", 20, 30);
    dl_tag_end(d, p2);

    dl_outline_add(d, 1, "Intro", "top");
    dl_outline_add(d, 2, "Details", "part 'two'");
    dl_outline_add(d, 4, "Deep (skips a level)", "part 'two'");
    dl_outline_add(d, 1, "Part two", "part 'two'");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_free(f->arena);
    g_object_unref(f->fonts);
    remove(f->png_path);
    g_free(f->png_path);
    free(f);
    return 0;
}

static buffer write_pdf(const dl_doc *d)
{
    buffer b = {0};
    FILE *mem = open_memstream(&b.data, &b.len);
    assert_non_null(mem);
    assert_true(cairo_write_pdf(d, mem));
    fclose(mem);
    return b;
}

/* Page objects: "/Type /Page" followed by a delimiter, which excludes "/Type /Pages". */
static int count_pages(const buffer *b)
{
    int n = 0;
    const char *key = "/Type /Page";
    size_t k = strlen(key);
    for (const char *p = b->data; (p = find(p, b, key)); p += k) {
        char next = (size_t)(p + k - b->data) < b->len ? p[k] : '\0';
        if (next == ' ' || next == '\n' || next == '\r' || next == '/' || next == '>')
            n++;
    }
    return n;
}

static void test_pdf_structure(void **state)
{
    fixture *f = *state;
    buffer b = write_pdf(f->doc);
    assert_true(b.len > 1000);
    assert_memory_equal(b.data, "%PDF", 4);
    assert_int_equal(count_pages(&b), 2);
    assert_true(contains(&b, "/StructTreeRoot"));
    assert_true(contains(&b, "/Outlines"));
    assert_true(contains(&b, "/Dests") || contains(&b, "/Names"));
    assert_true(contains(&b, "/MediaBox [ 0 0 300 200 ]"));
    assert_true(contains(&b, "/MediaBox [ 0 0 400 250 ]"));
    assert_true(contains(&b, "/PageLabels"));
    assert_true(contains(&b, "/CreationDate (20260601000000Z)"));
    assert_true(contains(&b, "/ModDate (20260601000000Z)"));
    assert_true(contains(&b, "/URI"));
    assert_true(contains(&b, "/MarkInfo << /Marked true >>"));
    assert_int_equal(count(&b, "/S /Document"), 1); /* one root spans both pages */
    assert_int_equal(count(&b, "/S /Link"), 2);
    assert_xref_ok(&b);
    free(b.data);
}

/* Links and a destination without a single tag from the layout: the file must stay
 * intact (cairo 1.16 breaks its xref table unless a structure element is open). */
static void test_pdf_links_without_tags(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *d = dl_doc_new(a);
    dl_page *p1 = dl_page_add(d, 300, 200), *p2 = dl_page_add(d, 300, 200);
    dl_rect(d, p1, 10, 10, 50, 50, RED, 0);
    dl_link_dest(d, p1, 10, 10, 50, 10, "two");
    dl_link_uri(d, p1, 10, 30, 50, 10, "https://example.org");
    dl_dest(d, p2, "two", 10, 10);
    dl_outline_add(d, 1, "Two", "two");
    buffer b = write_pdf(d);
    assert_xref_ok(&b);
    assert_true(contains(&b, "/MarkInfo << /Marked true >>"));
    assert_true(contains(&b, "/Dest (two)"));
    free(b.data);
    arena_free(a);
}

static void test_pdf_deterministic(void **state)
{
    fixture *f = *state;
    buffer a = write_pdf(f->doc);
    buffer b = write_pdf(f->doc);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    free(a.data);
    free(b.data);
}

/* Without a date in the data the date comes from SOURCE_DATE_EPOCH, never the clock. */
static void test_pdf_date_fallback(void **state)
{
    fixture *f = *state;
    const char *saved = f->doc->meta.date;
    f->doc->meta.date = NULL;
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    buffer b = write_pdf(f->doc);
    assert_true(contains(&b, "/CreationDate (19700102000000Z)"));
    free(b.data);
    unsetenv("SOURCE_DATE_EPOCH");
    b = write_pdf(f->doc);
    assert_true(contains(&b, "/CreationDate (19700101000000Z)"));
    free(b.data);
    f->doc->meta.date = saved;
}

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int length)
{
    buffer *b = closure;
    if (length > b->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, b->data, length);
    b->data += length;
    b->len -= length;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_of(const dl_doc *d, size_t page, double dpi)
{
    buffer b = {0};
    FILE *mem = open_memstream(&b.data, &b.len);
    assert_true(cairo_write_png(d, page, dpi, mem));
    fclose(mem);
    assert_memory_equal(b.data, "\x89PNG", 4);
    buffer cursor = b;
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_mem, &cursor);
    free(b.data);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    return img;
}

static uint32_t pixel(cairo_surface_t *img, int x, int y)
{
    cairo_surface_flush(img);
    const unsigned char *row = cairo_image_surface_get_data(img) +
                               y * cairo_image_surface_get_stride(img);
    return ((const uint32_t *)row)[x] & 0xffffff;
}

static void test_png(void **state)
{
    fixture *f = *state;
    cairo_surface_t *img = png_of(f->doc, 0, 72);
    assert_int_equal(cairo_image_surface_get_width(img), 300);
    assert_int_equal(cairo_image_surface_get_height(img), 200);
    assert_int_equal(pixel(img, 30, 30), 0xff0000);  /* inside the red rect */
    assert_int_equal(pixel(img, 295, 5), 0xffffff);  /* white paper */
    assert_int_equal(pixel(img, 20, 140), 0x0000ff); /* the blue image */
    cairo_surface_destroy(img);

    img = png_of(f->doc, 1, 144);
    assert_int_equal(cairo_image_surface_get_width(img), 800);
    assert_int_equal(cairo_image_surface_get_height(img), 500);
    cairo_surface_destroy(img);
}

static void test_svg(void **state)
{
    fixture *f = *state;
    buffer b = {0};
    FILE *mem = open_memstream(&b.data, &b.len);
    assert_true(cairo_write_svg(f->doc, 1, mem));
    fclose(mem);
    assert_true(b.len > 5);
    assert_memory_equal(b.data, "<?xml", 5);
    assert_true(contains(&b, "400pt"));
    free(b.data);
}

static void test_bad_requests(void **state)
{
    fixture *f = *state;
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);
    assert_false(cairo_write_png(f->doc, 2, 72, null));
    assert_false(cairo_write_png(f->doc, 0, 0, null));
    assert_false(cairo_write_png(f->doc, 0, 1e9, null)); /* beyond cairo's 32767 px */
    assert_false(cairo_write_svg(f->doc, 2, null));
    dl_doc *empty = dl_doc_new(f->arena);
    assert_false(cairo_write_pdf(empty, null));
    fclose(null);
}

/* A full disk must turn into false, for every format. */
static void test_write_error(void **state)
{
    fixture *f = *state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    assert_false(cairo_write_pdf(f->doc, full));
    fclose(full);
    full = fopen("/dev/full", "w");
    assert_false(cairo_write_png(f->doc, 0, 72, full));
    fclose(full);
    full = fopen("/dev/full", "w");
    assert_false(cairo_write_svg(f->doc, 0, full));
    fclose(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf_structure),
        cmocka_unit_test(test_pdf_links_without_tags),
        cmocka_unit_test(test_pdf_deterministic),
        cmocka_unit_test(test_pdf_date_fallback),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
