/* test_haru_out.c - the libharu writer: encryption on and off, permissions, refused
 * scripts, outline and named destinations, attachments, determinism across documents
 * (fonts are kept per process), write errors, and the same geometry as the cairo
 * writer. The display list is built by hand with the bundled fonts; the geometry test
 * uses poppler's pdftotext and pdftoppm and is skipped when they are missing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pdf_bytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <pango/pangocairo.h>

#include "core/diag.h"
#include "layout/fonts.h"
#include "render/cairo_out.h"
#include "render/haru_out.h"

static const cp_rgba RED = {1, 0, 0, 1};
static const cp_rgba BLUE = {0, 0, 1, 1};
static const cp_rgba BLACK = {0, 0, 0, 1};
static const cp_rgba GREEN_HALF = {0, 0.6, 0.2, 0.5};

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
    cp_fonts *fonts;
    char *png_path;
} fixture;

/* ---- building documents ---------------------------------------------------------- */

static char *make_png(void)
{
    char *path = NULL;
    int fd = g_file_open_tmp("cp_haru_XXXXXX.png", &path, NULL);
    assert_true(fd >= 0);
    close(fd);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 4);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgba(cr, 0, 0, 1, 0.8);
    cairo_paint(cr);
    cairo_destroy(cr);
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return path;
}

static PangoLayout *layout_of(fixture *f, const char *text, double size, double width)
{
    PangoLayout *l = pango_layout_new(fonts_context(f->fonts));
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, fonts_family_list(f->fonts));
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE));
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

static dl_item *add_text_to(fixture *f, dl_doc *d, dl_page *p, const char *text, double x,
                            double y, double size, double width)
{
    PangoLayout *l = layout_of(f, text, size, width);
    dl_item *it = dl_text(d, p, l, x, y, BLACK);
    g_object_unref(l);
    return it;
}

static dl_item *add_text(fixture *f, dl_page *p, const char *text, double x, double y,
                         double size, double width)
{
    return add_text_to(f, f->doc, p, text, x, y, size, width);
}

/* A one-page document (in arena `a`) with these texts, one per line. */
static dl_doc *texts_doc(fixture *f, cp_arena *a, const char *const *texts)
{
    dl_doc *d = dl_doc_new(a);
    dl_page *p = dl_page_add(d, 300, 200);
    for (int i = 0; texts[i]; i++)
        add_text_to(f, d, p, texts[i], 10, 10 + 30 * i, 12, 0);
    return d;
}

/* Two pages of different sizes with every item kind: text (wrapped, bold, kerned
 * pairs), rects (plain, rounded, framed, translucent), a dashed line, a path, an
 * image with alpha, links inside and out, destinations and a nested outline. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->arena = arena_new();
    f->doc = dl_doc_new(f->arena);
    f->fonts = fonts_new("fonts");
    assert_non_null(f->fonts);
    f->png_path = make_png();
    dl_doc *d = f->doc;
    d->meta = (dl_meta){"Test report", "Tester", "Subject", "a, b", "careerpdf test",
                        "2026-06-01T00:00:00Z", "en"};

    dl_page *p1 = dl_page_add(d, 300, 220);
    p1->label = "1";
    dl_dest(d, p1, "top", 0, 0);
    add_text(f, p1, "Hello, careers: AVATAR Wave “quotes” — 10/10", 10, 62, 12, 0);
    add_text(f, p1, "A longer paragraph that wraps over a few lines so that every line "
                    "is placed where Pango put it.", 150, 150, 8, 140);
    dl_rect(d, p1, 10, 10, 50, 40, RED, 0);
    dl_frame(d, p1, 70, 10, 50, 40, BLUE, 2, 6);
    dl_rect(d, p1, 130, 10, 50, 40, BLUE, 8)->stroke_width = 1;
    dl_rect(d, p1, 190, 10, 50, 40, GREEN_HALF, 4);
    dl_line(d, p1, 10, 100, 290, 100, BLACK, 1)->dash = 3;
    dl_line(d, p1, 10, 110, 290, 110, RED, 2);
    dl_shape(d, p1, &TRIANGLE, 200, 120, 3, BLUE);
    dl_image(d, p1, f->png_path, 10, 120, 40, 40);
    dl_image(d, p1, "/nonexistent/logo.png", 60, 120, 40, 40);
    add_text(f, p1, "Go to part two", 10, 180, 10, 0);
    dl_link_dest(d, p1, 10, 180, 120, 14, "part 'two'");
    dl_link_dest(d, p1, 10, 200, 120, 14, "nowhere");
    dl_link_uri(d, p1, 150, 180, 120, 14, "https://example.org/?q=a");

    /* Tall enough that a dashed line's numbers, scaled for libharu's whole-number
     * dashes, would overflow its +-32767 limit if drawn from the page origin. */
    dl_page *p2 = dl_page_add(d, 400, 700);
    p2->label = "2";
    dl_dest(d, p2, "part 'two'", 20, 30);
    add_text(f, p2, "Part two", 20, 30, 16, 0);
    dl_line(d, p2, 380, 20, 380, 680, RED, 3)->dash = 2;
    dl_line(d, p2, 20, 690, 370, 690, BLUE, 2)->dash = 0.5;

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
    fonts_free(f->fonts);
    remove(f->png_path);
    g_free(f->png_path);
    free(f);
    haru_release();
    return 0;
}

/* ---- looking at the output ------------------------------------------------------- */

static buffer write_pdf(const dl_doc *d, const haru_options *opt)
{
    buffer b = {0};
    FILE *mem = open_memstream(&b.data, &b.len);
    assert_non_null(mem);
    assert_true(haru_write_pdf(d, mem, opt));
    fclose(mem);
    return b;
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_structure(void **state)
{
    fixture *f = *state;
    buffer b = write_pdf(f->doc, NULL);
    assert_memory_equal(b.data, "%PDF-1.", 7);
    assert_int_equal(count(&b, "/Type /Page\n") + count(&b, "/Type /Page "), 2);
    assert_true(contains(&b, "/MediaBox [ 0 0 300 220 ]"));
    assert_true(contains(&b, "/MediaBox [ 0 0 400 700 ]"));
    assert_true(contains(&b, "/Outlines"));
    assert_true(contains(&b, "/PageLabels"));
    assert_true(contains(&b, "/CreationDate (D:20260601000000Z"));
    /* libharu escapes '/' in strings */
    assert_true(contains(&b, "/URI (https:\\057\\057example.org\\057?q=a)"));
    assert_true(contains(&b, "/Border [ 0 0 0 ]"));
    assert_true(contains(&b, "/FontFile2"));
    assert_true(contains(&b, "/SMask"));
    assert_true(contains(&b, "/ca 0.5")); /* the translucent rect */
    assert_false(contains(&b, "/Encrypt"));
    assert_false(contains(&b, "/ID"));
    /* two links: the one to an unknown destination is left out */
    assert_int_equal(count(&b, "/Subtype /Link"), 2);
    assert_xref_ok(&b);
    free(b.data);
}

/* Named destinations in a name tree, sorted byte-wise, each an XYZ that keeps the
 * zoom; outline entries nest by level. */
static void test_outline_and_dests(void **state)
{
    fixture *f = *state;
    buffer b = write_pdf(f->doc, NULL);
    assert_true(contains(&b, "/Dests"));
    const char *two = find(b.data, &b, "(part 'two')"), *top = find(b.data, &b, "(top)");
    assert_non_null(two);
    assert_non_null(top);
    assert_true(two < top);
    assert_true(contains(&b, "/XYZ 0 220 0 ]"));  /* "top": page 1, keep zoom */
    assert_true(contains(&b, "/XYZ 20 670 0 ]")); /* "part 'two'": 700 - 30 */
    assert_int_equal(count(&b, "/Title <FEFF"), 5); /* 4 entries and the document */
    assert_true(contains(&b, "/Count 3")); /* "Intro" holds Details (which holds Deep) */
    free(b.data);
}

static void test_encryption(void **state)
{
    fixture *f = *state;
    haru_options opt = {.user_password = "S3cret", .owner_password = "owner-pw",
                        .permissions = HARU_PERM_PRINT};
    buffer b = write_pdf(f->doc, &opt);
    assert_memory_equal(b.data, "%PDF-1.4", 8);
    assert_true(contains(&b, "/Encrypt"));
    assert_true(contains(&b, "/Filter /Standard"));
    assert_true(contains(&b, "/V 2"));
    assert_true(contains(&b, "/R 3"));
    assert_true(contains(&b, "/Length 128"));
    assert_true(contains(&b, "/P -1340")); /* print (high quality too), accessibility */
    assert_true(contains(&b, "/ID"));
    assert_false(contains(&b, "Tester")); /* strings are encrypted */
    assert_xref_ok(&b);
    free(b.data);

    opt.permissions = HARU_PERM_PRINT | HARU_PERM_COPY | HARU_PERM_EDIT |
                      HARU_PERM_ANNOTATE;
    b = write_pdf(f->doc, &opt);
    assert_true(contains(&b, "/P -4"));
    free(b.data);
    opt.permissions = 0;
    b = write_pdf(f->doc, &opt);
    assert_true(contains(&b, "/P -3392"));
    free(b.data);
}

static void test_bad_options(void **state)
{
    fixture *f = *state;
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);
    haru_options same = {.user_password = "abc", .owner_password = "abc"};
    assert_false(haru_write_pdf(f->doc, null, &same));
    haru_options no_owner = {.user_password = "abc"};
    assert_false(haru_write_pdf(f->doc, null, &no_owner));
    haru_options too_long = {.user_password = "0123456789abcdef0123456789abcdefX",
                             .owner_password = "owner"};
    assert_false(haru_write_pdf(f->doc, null, &too_long));
    haru_options missing = {.attach_paths = {"/nonexistent/career.yaml"}};
    assert_false(haru_write_pdf(f->doc, null, &missing));
    dl_doc *empty = dl_doc_new(f->arena);
    assert_false(haru_write_pdf(empty, null, NULL));
    fclose(null);
    /* a failed document leaves the next one unharmed */
    buffer b = write_pdf(f->doc, NULL);
    assert_xref_ok(&b);
    free(b.data);
}

static void test_passwords(void **state)
{
    (void)state;
    const char *why;
    assert_true(haru_password_ok("S3cret", &why));
    assert_null(why);
    assert_true(haru_password_ok("0123456789abcdef0123456789abcdef", &why));
    assert_false(haru_password_ok("", &why));
    assert_non_null(why);
    assert_false(haru_password_ok("0123456789abcdef0123456789abcdefX", &why));
    assert_false(haru_password_ok("pässword", &why));
    assert_false(haru_password_ok("tab\there", &why));
}

static void test_permissions(void **state)
{
    (void)state;
    unsigned p = 99;
    assert_true(pdf_parse_permissions(NULL, &p));
    assert_int_equal(p, HARU_PERM_PRINT);
    assert_true(pdf_parse_permissions("print,copy,edit,annotate", &p));
    assert_int_equal(p, HARU_PERM_PRINT | HARU_PERM_COPY | HARU_PERM_EDIT |
                            HARU_PERM_ANNOTATE);
    assert_true(pdf_parse_permissions(" copy , print ", &p));
    assert_int_equal(p, HARU_PERM_PRINT | HARU_PERM_COPY);
    assert_true(pdf_parse_permissions("annotate", &p));
    assert_int_equal(p, HARU_PERM_ANNOTATE);
    assert_true(pdf_parse_permissions("none", &p));
    assert_int_equal(p, 0);
    assert_true(pdf_parse_permissions("", &p));
    assert_int_equal(p, 0);
    p = 7;
    assert_false(pdf_parse_permissions("print,fly", &p));
    assert_int_equal(p, 7); /* untouched on error */
    assert_false(pdf_parse_permissions("print,,copy", &p));
    assert_false(pdf_parse_permissions("PRINT", &p));
}

/* Text that needs shaping is refused, naming the text and the script. */
static void test_refuses_shaping(void **state)
{
    fixture *f = *state;
    const char *why = NULL;
    assert_true(haru_can_render(f->doc, &why));
    assert_null(why);

    cp_arena *a = arena_new();
    dl_doc *d = texts_doc(f, a, (const char *const[]){
        "Latin first", "नमस्ते दुनिया, this is Hindi in Devanagari script", "வணக்கம்",
        NULL});
    assert_false(haru_can_render(d, &why));
    assert_non_null(why);
    assert_string_equal(why, "text \"नमस्ते दुनिया, this is H…\" is in Devanagari, "
                             "which the haru writer cannot shape; use --backend cairo");

    d = texts_doc(f, a, (const char *const[]){"مرحبا", NULL});
    assert_false(haru_can_render(d, &why));
    assert_non_null(strstr(why, "is in Arabic"));

    d = texts_doc(f, a, (const char *const[]){"Tamil: வணக்கம்", NULL});
    assert_false(haru_can_render(d, &why));
    assert_non_null(strstr(why, "text \"Tamil: வணக்கம்\" is in Tamil"));

    d = texts_doc(f, a, (const char *const[]){"A face \xF0\x9F\x98\x80", NULL});
    assert_false(haru_can_render(d, &why));
    assert_non_null(strstr(why, "U+1F600"));
    arena_free(a);
}

static void test_attachments(void **state)
{
    fixture *f = *state;
    char *path = NULL;
    int fd = g_file_open_tmp("cp_haru_XXXXXX.yaml", &path, NULL);
    assert_true(fd >= 0);
    const char yaml[] = "id: test\ntitle: \"A (tricky) file\"\n";
    assert_int_equal(write(fd, yaml, sizeof yaml - 1), (ssize_t)(sizeof yaml - 1));
    close(fd);
    haru_options opt = {.attach_paths = {path, NULL},
                        .attach_names = {"career.yaml", "row.yaml"},
                        .attach_texts = {NULL, "name: Ada\n"}};
    buffer b = write_pdf(f->doc, &opt);
    assert_true(contains(&b, "/EmbeddedFiles"));
    assert_int_equal(count(&b, "/Type /Filespec"), 2);
    assert_true(contains(&b, "/Type /EmbeddedFile"));
    const char *c = find(b.data, &b, "(career.yaml)");
    const char *r = find(b.data, &b, "(row.yaml)");
    assert_non_null(c);
    assert_non_null(r);
    assert_true(c < r);
    assert_xref_ok(&b);
    free(b.data);
    remove(path);
    g_free(path);
}

/* Same document, same bytes, also after other documents with other characters and
 * fonts went through the same process-wide libharu handle. */
static void test_deterministic(void **state)
{
    fixture *f = *state;
    buffer a = write_pdf(f->doc, NULL);

    cp_arena *ar = arena_new();
    dl_doc *d = dl_doc_new(ar);
    dl_page *p = dl_page_add(d, 200, 200);
    PangoLayout *l = layout_of(f, "Other words, ÆØÅ, italic and bold", 30, 0);
    PangoFontDescription *fd =
        pango_font_description_copy(pango_layout_get_font_description(l));
    pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    dl_text(d, p, l, 5, 5, RED);
    g_object_unref(l);
    buffer other = write_pdf(d, NULL);
    free(other.data);
    arena_free(ar);

    buffer b = write_pdf(f->doc, NULL);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    free(a.data);
    free(b.data);
}

static void test_date_fallback(void **state)
{
    fixture *f = *state;
    const char *saved = f->doc->meta.date;
    f->doc->meta.date = NULL;
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    buffer b = write_pdf(f->doc, NULL);
    assert_true(contains(&b, "/CreationDate (D:19700102000000Z"));
    free(b.data);
    unsetenv("SOURCE_DATE_EPOCH");
    f->doc->meta.date = "2026-02-30"; /* not a date: ignored */
    b = write_pdf(f->doc, NULL);
    assert_true(contains(&b, "/CreationDate (D:19700101000000Z"));
    free(b.data);
    f->doc->meta.date = saved;
}

static void test_write_error(void **state)
{
    fixture *f = *state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    assert_false(haru_write_pdf(f->doc, full, NULL));
    fclose(full);
}

/* ---- same geometry as cairo ------------------------------------------------------ */

static char *save_tmp(const buffer *b, const char *suffix)
{
    char *path = NULL;
    char *tmpl = g_strdup_printf("cp_haru_XXXXXX%s", suffix);
    int fd = g_file_open_tmp(tmpl, &path, NULL);
    g_free(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
    close(fd);
    return path;
}

static char *run(const char *cmd)
{
    char *out = NULL;
    int status = -1;
    assert_true(g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL));
    assert_int_equal(status, 0);
    return out;
}

/* Word boxes from pdftotext -bbox, as "text x0 y0 x1 y1" per word. */
static GPtrArray *word_boxes(const char *pdf)
{
    char *cmd = g_strdup_printf("pdftotext -bbox '%s' -", pdf);
    char *html = run(cmd);
    g_free(cmd);
    GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
    for (char *p = html; (p = strstr(p, "<word ")); p++) {
        double x0, y0, x1, y1;
        char text[256];
        if (sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">"
                      "%255[^<]", &x0, &y0, &x1, &y1, text) == 5)
            g_ptr_array_add(words,
                            g_strdup_printf("%s %f %f %f %f", text, x0, y0, x1, y1));
    }
    g_free(html);
    return words;
}

/* Grey pixels of page `page` at 36 dpi; *width receives the row length. */
static GByteArray *raster(const char *pdf, int page, int *width)
{
    char *cmd = g_strdup_printf("pdftoppm -r 36 -gray -f %d -l %d '%s'", page, page, pdf);
    char *ppm = NULL;
    int status = -1;
    assert_true(g_spawn_sync(NULL, (char *[]){"/bin/sh", "-c", cmd, NULL}, NULL, 0, NULL,
                             NULL, &ppm, NULL, &status, NULL));
    g_free(cmd);
    assert_int_equal(status, 0);
    int w, h, max, n = 0;
    assert_int_equal(sscanf(ppm, "P5 %d %d %d%n", &w, &h, &max, &n), 3);
    GByteArray *px = g_byte_array_new();
    g_byte_array_append(px, (const guint8 *)ppm + n + 1, (guint)(w * h));
    g_free(ppm);
    *width = w;
    return px;
}

/* Pixels of `a` that no pixel of `b` within one pixel matches: anti-aliasing may put
 * an edge a pixel apart, a misplaced shape differs by many. */
static unsigned pixels_off(const GByteArray *a, const GByteArray *b, int w)
{
    int h = (int)a->len / w;
    unsigned off = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            bool near = false;
            for (int dy = -1; dy <= 1 && !near; dy++)
                for (int dx = -1; dx <= 1 && !near; dx++) {
                    int xx = x + dx, yy = y + dy;
                    near = xx >= 0 && yy >= 0 && xx < w && yy < h &&
                           abs(a->data[y * w + x] - b->data[yy * w + xx]) <= 48;
                }
            off += !near;
        }
    return off;
}

static void test_same_geometry_as_cairo(void **state)
{
    fixture *f = *state;
    char *tool = g_find_program_in_path("pdftotext");
    char *tool2 = g_find_program_in_path("pdftoppm");
    bool have_tools = tool && tool2;
    g_free(tool);
    g_free(tool2);
    if (!have_tools)
        skip();
    buffer h = write_pdf(f->doc, NULL), c = {0};
    FILE *mem = open_memstream(&c.data, &c.len);
    assert_true(cairo_write_pdf(f->doc, mem));
    fclose(mem);
    char *hp = save_tmp(&h, ".pdf"), *cp = save_tmp(&c, ".pdf");

    GPtrArray *hw = word_boxes(hp), *cw = word_boxes(cp);
    assert_true(cw->len >= 20);
    assert_int_equal(hw->len, cw->len);
    double worst = 0;
    for (guint i = 0; i < cw->len; i++) {
        char ht[256], ct[256];
        double a[4], b[4];
        assert_int_equal(sscanf(hw->pdata[i], "%255s %lf %lf %lf %lf", ht, &a[0], &a[1],
                                &a[2], &a[3]), 5);
        assert_int_equal(sscanf(cw->pdata[i], "%255s %lf %lf %lf %lf", ct, &b[0], &b[1],
                                &b[2], &b[3]), 5);
        assert_string_equal(ht, ct);
        for (int k = 0; k < 4; k++)
            worst = fmax(worst, fabs(a[k] - b[k]));
    }
    assert_true(worst < 0.05);

    /* Shapes, lines, the path and the image: the same pixels, give or take one. */
    for (int page = 1; page <= 2; page++) {
        int wh, wc;
        GByteArray *hx = raster(hp, page, &wh), *cx = raster(cp, page, &wc);
        assert_int_equal(hx->len, cx->len);
        assert_int_equal(wh, wc);
        assert_true(pixels_off(hx, cx, wh) < 20);
        assert_true(pixels_off(cx, hx, wh) < 20);
        g_byte_array_free(hx, TRUE);
        g_byte_array_free(cx, TRUE);
    }
    g_ptr_array_free(hw, TRUE);
    g_ptr_array_free(cw, TRUE);
    remove(hp);
    remove(cp);
    g_free(hp);
    g_free(cp);
    free(h.data);
    free(c.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_outline_and_dests),
        cmocka_unit_test(test_encryption),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_passwords),
        cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_refuses_shaping),
        cmocka_unit_test(test_attachments),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_date_fallback),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_same_geometry_as_cairo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
