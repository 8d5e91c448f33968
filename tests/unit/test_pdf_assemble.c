/* test_pdf_assemble.c - template + overlay → one PDF. The fixtures are drawn with cairo
 * directly, the way cairo_out.c draws a document (one "Document" element, stand-ins
 * made like draw_slot, page labels appended by pdf_labels.c as an update), plus small
 * hand-written overlays for the cases cairo never produces. The checks use qpdf and
 * poppler's pdftotext when they are installed and are skipped otherwise. */
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
#include <sys/wait.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <zlib.h>

#include "render/dlist.h"
#include "render/pdf_assemble.h"
#include "render/pdf_labels.h"

typedef struct {
    buffer tmpl;      /* three pages, stand-ins for slots 0 and 1 on pages 1 and 2 */
    buffer plain;     /* the same pages without stand-ins */
    buffer untagged;  /* the same pages with stand-ins, without structure */
    buffer overlay;   /* two pages, the sizes of pages 1 and 2 */
    buffer overlay1;  /* one page */
    buffer overlay3;  /* three pages */
    buffer wide;      /* two pages, the first wider than the template's */
} fixture;

/* ---- drawing the fixtures ---------------------------------------------------------- */

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int n)
{
    return fwrite(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A font map of the test's own, released at the end (pango's default one never is,
 * which the leak checker of `make asan-test` would report). */
static PangoFontMap *fonts;

static void show_text(cairo_t *cr, const char *text, double x, double y)
{
    PangoContext *ctx = pango_font_map_create_context(fonts);
    pango_cairo_update_context(cr, ctx);
    PangoLayout *layout = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_from_string("Sans 12");
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_text(layout, text, -1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(fd);
    g_object_unref(layout);
    g_object_unref(ctx);
}

/* The stand-in exactly as cairo_out.c's draw_slot makes it. */
static void stand_in(cairo_t *cr, int slot, double w, double h)
{
    cairo_rectangle_t box = {0, 0, w, h};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &box);
    cairo_t *rc = cairo_create(rec);
    cairo_rectangle(rc, 10 + slot, 10, 1, 1);
    cairo_fill(rc);
    cairo_destroy(rc);
    cairo_save(cr);
    cairo_set_source_surface(cr, rec, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(rec);
}

typedef enum { TAGGED_SLOTS, NO_SLOTS, UNTAGGED_SLOTS } template_kind;

static void tag(cairo_t *cr, template_kind kind, const char *role, bool begin)
{
    if (kind == UNTAGGED_SLOTS)
        return;
    if (begin)
        cairo_tag_begin(cr, role, "");
    else
        cairo_tag_end(cr, role);
}

static void tagged_text(cairo_t *cr, template_kind kind, const char *text, double x, double y)
{
    tag(cr, kind, "P", true);
    show_text(cr, text, x, y);
    tag(cr, kind, "P", false);
}

static void tagged_slot(cairo_t *cr, template_kind kind, int slot, double w, double h)
{
    if (kind == NO_SLOTS)
        return;
    tag(cr, kind, "Sect", true);
    stand_in(cr, slot, w, h);
    tag(cr, kind, "Sect", false);
}

/* Text before and after the stand-in on page 1 (cairo 1.16 refuses a structure
 * element that starts a page with a form), a second page of another size with its
 * own stand-in, and a third page without one. Labels come as pdf_labels.c's update. */
static buffer make_template(template_kind kind)
{
    buffer raw = {0}, out = {0};
    FILE *mem = open_memstream(&raw.data, &raw.len);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_cb, mem, 595, 842);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2026-01-01T00:00:00Z");
    cairo_t *cr = cairo_create(s);
    static const char *const labels[] = {"i", "1", "2"};
    for (int page = 0; page < 3; page++) {
        static const double size[3][2] = {{595, 842}, {400, 300}, {300, 200}};
        cairo_pdf_surface_set_size(s, size[page][0], size[page][1]);
        cairo_pdf_surface_set_page_label(s, labels[page]);
        if (page == 0) {
            tag(cr, kind, "Document", true);
            tagged_text(cr, kind, "Template before", 50, 50);
            tagged_slot(cr, kind, 0, 595, 842);
            tagged_text(cr, kind, "Template after", 50, 700);
        } else if (page == 1) {
            tagged_text(cr, kind, "Second page", 20, 250);
            tagged_slot(cr, kind, 1, 400, 300);
        } else {
            tagged_text(cr, kind, "Closing page", 20, 20);
            tag(cr, kind, "Document", false);
        }
        cairo_show_page(cr);
    }
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    fclose(mem);

    cp_arena *arena = arena_new();
    dl_doc *doc = dl_doc_new(arena);
    for (int page = 0; page < 3; page++)
        dl_page_add(doc, 100, 100)->label = labels[page];
    mem = open_memstream(&out.data, &out.len);
    assert_true(pdf_write_with_labels(mem, raw.data, raw.len, doc));
    fclose(mem);
    arena_free(arena);
    free(raw.data);
    assert_true(contains(&out, "/Prev ")); /* the update is there to be followed */
    return out;
}

/* An overlay as cairo_out.c writes one (untagged), `pages` pages; page 1 holds text
 * and a translucent square (a second graphics state), the others text. */
static buffer make_overlay(int pages, double first_width)
{
    buffer b = {0};
    FILE *mem = open_memstream(&b.data, &b.len);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_cb, mem, first_width, 842);
    cairo_t *cr = cairo_create(s);
    for (int page = 0; page < pages; page++) {
        if (page > 0)
            cairo_pdf_surface_set_size(s, 400, 300);
        cairo_set_source_rgb(cr, 0, 0, 0);
        show_text(cr, page == 0 ? "Overlay one" : "Overlay two", page == 0 ? 100 : 30,
                  page == 0 ? 100 : 40);
        if (page == 0) {
            cairo_set_source_rgba(cr, 1, 0, 0, 0.5);
            cairo_rectangle(cr, 100, 200, 50, 50);
            cairo_fill(cr);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    fclose(mem);
    return b;
}

/* A PDF from object bodies 1..n (NULL: a free number), with a correct xref table. */
static buffer hand_pdf(const char *const *bodies, int n, int root)
{
    GString *s = g_string_new("%PDF-1.5\n");
    long *off = g_new0(long, n + 1);
    for (int i = 1; i <= n; i++) {
        if (!bodies[i - 1])
            continue;
        off[i] = (long)s->len;
        g_string_append_printf(s, "%d 0 obj\n%s\nendobj\n", i, bodies[i - 1]);
    }
    long xref = (long)s->len;
    g_string_append_printf(s, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 1; i <= n; i++)
        g_string_append_printf(s, "%010ld 00000 %c \n", off[i], off[i] ? 'n' : 'f');
    g_string_append_printf(s, "trailer\n<< /Size %d /Root %d 0 R >>\n", n + 1, root);
    g_string_append_printf(s, "startxref\n%ld\n%%%%EOF\n", xref);
    g_free(off);
    buffer b = {0};
    b.len = s->len;
    b.data = g_string_free(s, FALSE);
    return b;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    fonts = pango_cairo_font_map_new();
    f->tmpl = make_template(TAGGED_SLOTS);
    f->plain = make_template(NO_SLOTS);
    f->untagged = make_template(UNTAGGED_SLOTS);
    f->overlay = make_overlay(2, 595);
    f->overlay1 = make_overlay(1, 595);
    f->overlay3 = make_overlay(3, 595);
    f->wide = make_overlay(2, 600);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->tmpl.data);
    free(f->plain.data);
    free(f->untagged.data);
    free(f->overlay.data);
    free(f->overlay1.data);
    free(f->overlay3.data);
    free(f->wide.data);
    free(f);
    g_object_unref(fonts);
    return 0;
}

/* ---- looking at the result --------------------------------------------------------- */

/* pdf_assemble into memory; *ok receives its result. */
static buffer assemble(const cp_pdf_template *t, const buffer *overlay, bool *ok)
{
    buffer b = {0};
    FILE *mem = open_memstream(&b.data, &b.len);
    *ok = pdf_assemble(t, overlay->data, overlay->len, mem);
    assert_int_equal(fclose(mem), 0);
    return b;
}

/* How many Flate streams of the file contain `needle` once inflated (cairo's stream
 * data runs from "stream\n" to "\nendstream"). */
static int inflated_count(const buffer *b, const char *needle)
{
    int n = 0;
    for (const char *p = b->data; (p = find(p, b, "stream\n")); p++) {
        if (p > b->data && p[-1] == 'd')
            continue; /* "endstream\n" */
        const char *data = p + strlen("stream\n");
        const char *end = find(data, b, "\nendstream");
        assert_non_null(end);
        uLongf cap = 1 << 20;
        Bytef *out = malloc(cap);
        if (uncompress(out, &cap, (const Bytef *)data, (uLong)(end - data)) == Z_OK) {
            buffer plain = {(char *)out, cap};
            n += contains(&plain, needle);
        }
        free(out);
    }
    return n;
}

/* The number after the first "g0 " (the overlay's "/g0", or "/Sg0", its name in the
 * page it joins) that is followed by one (content has "/g0 gs" too); -1 when none. */
static long g0_ref(const buffer *b, const char **after)
{
    for (const char *p = *after; (p = find(p, b, "g0 ")); p++)
        if (p[3] >= '0' && p[3] <= '9') {
            *after = p + 1;
            return strtol(p + 3, NULL, 10);
        }
    return -1;
}

static bool have(const char *tool)
{
    char *path = g_find_program_in_path(tool);
    bool found = path != NULL;
    g_free(path);
    return found;
}

static char *save_tmp(const buffer *b)
{
    char *path = NULL;
    int fd = g_file_open_tmp("cp_assemble_XXXXXX.pdf", &path, NULL);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
    close(fd);
    return path;
}

/* qpdf's verdict: 0 is clean (2 errors, 3 warnings). */
static int qpdf_check(const char *pdf)
{
    char *cmd = g_strdup_printf("qpdf --check '%s' >/dev/null 2>&1", pdf);
    int status = system(cmd);
    g_free(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *pdftotext(const char *pdf, const char *options)
{
    char *cmd = g_strdup_printf("pdftotext %s '%s' -", options, pdf);
    char *out = NULL;
    int status = -1;
    assert_true(g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL));
    assert_int_equal(status, 0);
    g_free(cmd);
    return out;
}

/* The box of the first `word` on `page` (pdftotext -bbox): x0 y0 x1 y1. */
static void word_box(const char *pdf, int page, const char *word, double box[4])
{
    char *options = g_strdup_printf("-bbox -f %d -l %d", page, page);
    char *html = pdftotext(pdf, options);
    g_free(options);
    bool found = false;
    for (char *p = html; !found && (p = strstr(p, "<word ")); p++) {
        char text[256];
        found = sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%255[^<]",
                       &box[0], &box[1], &box[2], &box[3], text) == 5 &&
                !strcmp(text, word);
    }
    g_free(html);
    assert_true(found);
}

/* ---- tests ------------------------------------------------------------------------- */

static void test_structure(void **state)
{
    fixture *f = *state;
    /* The fixture really holds the stand-ins the assembler must find. */
    assert_int_equal(inflated_count(&f->tmpl, "10 10 1 1 re"), 1);
    assert_int_equal(inflated_count(&f->tmpl, "11 10 1 1 re"), 1);
    cp_pdf_template *t = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    assert_non_null(t);
    bool ok;
    buffer out = assemble(t, &f->overlay, &ok);
    assert_true(ok);
    assert_memory_equal(out.data, "%PDF-1.5\n", 9);
    assert_xref_ok(&out);
    assert_int_equal(count(&out, "startxref"), 1); /* one table, no update left */
    assert_false(contains(&out, "/Prev"));
    /* Each overlay page's content is in its slot's page, under the matrix that undoes
     * the template page's flip, between what the page draws before and after it. */
    assert_int_equal(inflated_count(&out, "q 1 0 0 -1 0 842 cm"), 1);
    assert_int_equal(inflated_count(&out, "q 1 0 0 -1 0 300 cm"), 1);
    assert_int_equal(count(&out, "/Contents [ "), 2);
    assert_false(contains(&out, "/Subtype /Form"));
    /* The stand-ins are gone, and so are the slots' elements (the overlay, untagged,
     * has none to put in their place); the rest of the structure and the updated
     * labels stay. */
    assert_int_equal(inflated_count(&out, "10 10 1 1 re"), 0);
    assert_int_equal(inflated_count(&out, "11 10 1 1 re"), 0);
    assert_true(contains(&out, "/StructTreeRoot"));
    assert_false(contains(&out, "/S /Sect"));
    assert_true(contains(&out, "/P (i)"));
    free(out.data);
    pdf_template_free(t);
}

static void test_qpdf_and_text(void **state)
{
    fixture *f = *state;
    if (!have("qpdf") || !have("pdftotext"))
        skip();
    cp_pdf_template *t = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    assert_non_null(t);
    bool ok;
    buffer out = assemble(t, &f->overlay, &ok);
    assert_true(ok);
    char *path = save_tmp(&out), *ov = save_tmp(&f->overlay);
    assert_int_equal(qpdf_check(path), 0);
    char *text = pdftotext(path, "");
    static const char *const words[] = {"Template before", "Template after", "Second page",
                                        "Closing page", "Overlay one", "Overlay two"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        assert_non_null(strstr(text, words[i]));
    g_free(text);
    /* The overlay's text lands where it is on its own page. */
    for (int page = 1; page <= 2; page++) {
        double a[4], b[4];
        word_box(ov, page, "Overlay", a);
        word_box(path, page, "Overlay", b);
        for (int k = 0; k < 4; k++)
            assert_true(fabs(a[k] - b[k]) < 0.01);
    }
    remove(path);
    remove(ov);
    g_free(path);
    g_free(ov);
    free(out.data);
    pdf_template_free(t);
}

/* A template without structure has no element to put the overlay's in: each overlay
 * page goes in as a form in place of its stand-in, under the matrix that undoes the
 * template page's flip. */
static void test_untagged_template(void **state)
{
    fixture *f = *state;
    cp_pdf_template *t = pdf_template_new(f->untagged.data, f->untagged.len, 2);
    assert_non_null(t);
    bool ok;
    buffer out = assemble(t, &f->overlay, &ok);
    assert_true(ok);
    assert_xref_ok(&out);
    assert_int_equal(count(&out, "/Matrix [ 1 0 0 -1 0 842 ]"), 1);
    assert_int_equal(count(&out, "/Matrix [ 1 0 0 -1 0 300 ]"), 1);
    assert_false(contains(&out, "/Contents [ "));
    assert_int_equal(inflated_count(&out, "10 10 1 1 re"), 0);
    if (have("pdftotext")) {
        char *path = save_tmp(&out), *text = pdftotext(path, "");
        assert_non_null(strstr(text, "Overlay one"));
        assert_non_null(strstr(text, "Template after"));
        g_free(text);
        remove(path);
        g_free(path);
    }
    free(out.data);
    pdf_template_free(t);
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    cp_pdf_template *t = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    cp_pdf_template *u = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    bool ok1, ok2, ok3;
    buffer a = assemble(t, &f->overlay, &ok1), b = assemble(t, &f->overlay, &ok2);
    buffer c = assemble(u, &f->overlay, &ok3);
    assert_true(ok1 && ok2 && ok3);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_int_equal(a.len, c.len);
    assert_memory_equal(a.data, c.data, a.len);
    free(a.data);
    free(b.data);
    free(c.data);
    pdf_template_free(t);
    pdf_template_free(u);
}

static void test_refused_templates(void **state)
{
    fixture *f = *state;
    assert_null(pdf_template_new(f->plain.data, f->plain.len, 1)); /* no stand-in */
    assert_null(pdf_template_new(f->tmpl.data, f->tmpl.len, 3));   /* slot 2 missing */
    assert_null(pdf_template_new(f->tmpl.data, f->tmpl.len, 1));   /* slot 1 unknown */
    assert_null(pdf_template_new(f->tmpl.data, f->tmpl.len, 0));
    assert_null(pdf_template_new(f->tmpl.data, f->tmpl.len / 2, 2));
    assert_null(pdf_template_new("%PDF-1.5\nhello\n", 15, 1));
    assert_null(pdf_template_new(NULL, 0, 1));
    pdf_template_free(NULL);
}

/* The caller falls back to writing the document itself: nothing may be written. */
static void assert_refused(const cp_pdf_template *t, const buffer *overlay)
{
    bool ok;
    buffer out = assemble(t, overlay, &ok);
    assert_false(ok);
    assert_int_equal(out.len, 0);
    free(out.data);
}

static void test_refused_overlays(void **state)
{
    fixture *f = *state;
    cp_pdf_template *t = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    assert_non_null(t);
    assert_refused(t, &f->overlay1);
    assert_refused(t, &f->overlay3);
    assert_refused(t, &f->wide);
    buffer half = {f->overlay.data, f->overlay.len / 2};
    assert_refused(t, &half);
    buffer junk = {"%PDF-1.5\nnot really\n", 20};
    assert_refused(t, &junk);
    assert_false(pdf_assemble(t, NULL, 0, stdout));
    pdf_template_free(t);
}

/* Hand-written overlay: uncompressed content, resources inline on page 2, and strings
 * that look like references, which must come through untouched. */
static void test_renumbering(void **state)
{
    fixture *f = *state;
    static const char *const bodies[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [ 3 0 R 4 0 R ] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 595 842 ] /Contents 5 0 R\n"
        "   /Resources 6 0 R >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 400 300 ] /Contents 9 0 R\n"
        "   /Resources << /ExtGState << /g0 7 0 R >> >> >>",
        "<< /Length 8 0 R >>\nstream\n1 0 0 -1 0 842 cm /g0 gs 0 0 1 rg 100 100 20 20 re f\n"
        "endstream",
        "<< /ExtGState << /g0 7 0 R >> /Note (7 0 R \\) 6 0 R) /Hex <3720302052> >>",
        "<< /Type /ExtGState /CA 0.5 /ca 0.5 >>",
        "52",
        "<< /Length 52 >>\nstream\n1 0 0 -1 0 300 cm /g0 gs 0 0 1 rg 100 100 20 20 re f\n"
        "endstream",
    };
    buffer ov = hand_pdf(bodies, 9, 1);
    cp_pdf_template *t = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    assert_non_null(t);
    bool ok;
    buffer out = assemble(t, &ov, &ok);
    assert_true(ok);
    assert_xref_ok(&out);
    assert_true(contains(&out, "/Note (7 0 R \\) 6 0 R) /Hex <3720302052>"));
    /* The content is the pages', its graphics state under the student's name. */
    assert_int_equal(inflated_count(&out, "/Sg0 gs 0 0 1 rg 100 100 20 20 re f"), 2);
    /* The graphics state is renumbered, the same in the copied resources and in page
     * 2's inline ones, and follows the template's numbers. */
    const char *at = out.data;
    long na = g0_ref(&out, &at), nb = g0_ref(&out, &at);
    const char *size = NULL;
    for (const char *p = f->tmpl.data; (p = find(p, &f->tmpl, "/Size ")); p++)
        size = p;
    assert_non_null(size);
    assert_int_equal(na, nb);
    assert_true(na >= strtol(size + 6, NULL, 10));
    char head[64];
    snprintf(head, sizeof head, "%ld 0 obj\n<< /Type /ExtGState /CA 0.5", na);
    assert_true(contains(&out, head));
    if (have("qpdf")) {
        char *path = save_tmp(&out);
        assert_int_equal(qpdf_check(path), 0);
        remove(path);
        g_free(path);
    }
    free(out.data);
    g_free(ov.data);
    pdf_template_free(t);
}

/* Hand-written overlays that are not what cairo writes. */
static void test_odd_overlays(void **state)
{
    fixture *f = *state;
    cp_pdf_template *t = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    static const char *const pages[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [ 3 0 R 4 0 R ] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 595 842 ] /Contents 5 0 R\n"
        "   /Resources 6 0 R >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 400 300 ] /Contents 7 0 R\n"
        "   /Resources << >> >>",
    };
    const char *bodies[8];
    memcpy(bodies, pages, sizeof pages);
    bodies[4] = "<< /Length 18 >>\nstream\n1 0 0 -1 0 842 cm\nendstream";
    bodies[6] = "<< /Length 18 >>\nstream\n1 0 0 -1 0 300 cm\nendstream";
    bodies[7] = "<< /Type /ExtGState /CA 1 >>";
    struct {
        int obj;
        const char *body;
    } cases[] = {
        /* the baseline, accepted */
        {6, "<< /ExtGState << /a 8 0 R >> >>"},
        /* resources leading back to a page would drag the page tree along */
        {6, "<< /XObject << /x 4 0 R >> >>"},
        /* a reference to another generation */
        {6, "<< /ExtGState << /a 8 1 R >> >>"},
        /* a reference to a missing object */
        {6, "<< /ExtGState << /a 12 0 R >> >>"},
        /* content without cairo's flip: the form's /Matrix would be wrong */
        {5, "<< /Length 11 >>\nstream\n0 0 1 rg f\nendstream"},
        /* a flip for another height */
        {5, "<< /Length 18 >>\nstream\n1 0 0 -1 0 800 cm\nendstream"},
        /* a filter cairo does not use */
        {5, "<< /Length 18 /Filter /ASCIIHexDecode >>\nstream\n1 0 0 -1 0 842 cm\nendstream"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bodies[5] = "<< /ExtGState << /a 8 0 R >> >>";
        bodies[cases[i].obj - 1] = cases[i].body;
        buffer ov = hand_pdf(bodies, 8, 1);
        if (i == 0) {
            bool ok;
            buffer out = assemble(t, &ov, &ok);
            assert_true(ok);
            free(out.data);
        } else {
            assert_refused(t, &ov);
        }
        g_free(ov.data);
        bodies[4] = "<< /Length 18 >>\nstream\n1 0 0 -1 0 842 cm\nendstream";
    }
    pdf_template_free(t);
}

static void test_write_error(void **state)
{
    fixture *f = *state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    cp_pdf_template *t = pdf_template_new(f->tmpl.data, f->tmpl.len, 2);
    bool ok = pdf_assemble(t, f->overlay.data, f->overlay.len, full);
    ok = fflush(full) == 0 && ok;
    assert_false(ok);
    assert_true(ferror(full));
    fclose(full);
    pdf_template_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_qpdf_and_text),
        cmocka_unit_test(test_untagged_template),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_refused_templates),
        cmocka_unit_test(test_refused_overlays),
        cmocka_unit_test(test_renumbering),
        cmocka_unit_test(test_odd_overlays),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
