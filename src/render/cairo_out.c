/* cairo_out.c - display list → cairo PDF, PNG and SVG.
 *
 * cairo 1.16 (Debian 12) notes that shape this file:
 * - Links damage the PDF (broken cross-reference table) unless the page content sits
 *   inside a structure element, so the whole document is wrapped in one "Document"
 *   element (see cairo_write_pdf).
 * - Forward links by page number are dead; every internal link and outline entry goes to
 *   a named destination instead.
 * - Without CREATE_DATE and MOD_DATE cairo stamps the clock into the file; both are set
 *   from the data so the same input gives the same bytes.
 * - Tag attribute values are parsed by cairo with '.' as the decimal point, so numbers
 *   are formatted with g_ascii_formatd, never printf (a locale could write ',').
 * - There is no /Alt, /Lang, artifact or XMP in 1.16: item->alt is not written here;
 *   the finisher (pdf_finish.h) adds them to the finished file. Content is marked only
 *   in elements without child elements, and none inside a link.
 * - A structure element may span pages: whole documents carry the open elements from
 *   one page to the next (a table whose rows continue stays one Table). */
#include "cairo_out.h"
#include "pdf_date.h"
#include "pdf_labels.h"
#include "image_load.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib.h>
#include <pango/pangocairo.h>

/* The structure element every page's content sits in (see the note above). */
#define ROOT_TAG "Document"

/* ---- output stream --------------------------------------------------------------- */

/* cairo's stream callback: a failed fwrite (disk full, closed pipe) becomes a cairo
 * error, which makes the surface status fail and the writer return false. */
static cairo_status_t write_stream(void *closure, const unsigned char *data,
                                   unsigned int length)
{
    FILE *f = closure;
    if (length > 0 && fwrite(data, 1, length, f) != length)
        return CAIRO_STATUS_WRITE_ERROR;
    return CAIRO_STATUS_SUCCESS;
}

/* Errors that stdio buffered (e.g. ENOSPC) only show up when flushing. */
static bool stream_ok(FILE *f)
{
    return fflush(f) == 0 && !ferror(f);
}

/* ---- attribute strings ------------------------------------------------------------- */

/* Appends a number the way cairo's attribute parser reads it (locale independent). */
static void attr_num(GString *s, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (!isfinite(v))
        v = 0;
    g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.4f", v));
}

/* Appends key='value', escaping quotes and backslashes as cairo requires. */
static void attr_str(GString *s, const char *key, const char *value)
{
    if (s->len > 0)
        g_string_append_c(s, ' ');
    g_string_append_printf(s, "%s='", key);
    for (const char *p = value; *p; p++) {
        if (*p == '\'' || *p == '\\')
            g_string_append_c(s, '\\');
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, '\'');
}

/* ---- images ------------------------------------------------------------------------ */

static void surface_unref(gpointer p)
{
    cairo_surface_destroy(p);
}

/* Per-write cache: a logo repeated on every page is decoded once, and cairo's PDF
 * backend then also embeds it once (it deduplicates by surface). */
static GHashTable *image_cache_new(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, NULL, surface_unref);
}

/* Recorded pages for PAGE_REF items (see recorded_page), per write like images. */
static void surface_unref_maybe(gpointer p)
{
    if (p)
        cairo_surface_destroy(p);
}

static GHashTable *page_cache_new(void)
{
    return g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, surface_unref_maybe);
}

/* The decoded image at the pixels its box needs in print (image_load.h), or NULL when
 * it is missing or broken (the layout validated images earlier; a file that changed
 * since must not crash the writer). An image keeps the size it was first drawn at. */
static cairo_surface_t *image_get(GHashTable *cache, const dl_item *it)
{
    cairo_surface_t *img = g_hash_table_lookup(cache, it->image_path);
    if (!img) {
        img = image_load(it->image_path, image_print_pixels(it->w), image_print_pixels(it->h));
        if (!img)
            return NULL;
        g_hash_table_insert(cache, (gpointer)it->image_path, img);
    }
    return img;
}

/* ---- items ------------------------------------------------------------------------- */

static void set_rgba(cairo_t *cr, cp_rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static void rect_path(cairo_t *cr, double x, double y, double w, double h, double r)
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    if (h < 0) {
        y += h;
        h = -h;
    }
    r = fmin(r, fmin(w, h) / 2);
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static void draw_rect(cairo_t *cr, const dl_item *it)
{
    bool fill = it->fill.a > 0, stroke = it->stroke_width > 0 && it->stroke.a > 0;
    if (!fill && !stroke)
        return;
    rect_path(cr, it->x, it->y, it->w, it->h, it->radius);
    if (fill) {
        set_rgba(cr, it->fill);
        if (stroke)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (stroke) {
        set_rgba(cr, it->stroke);
        cairo_set_line_width(cr, it->stroke_width);
        cairo_stroke(cr);
    }
}

static void draw_line(cairo_t *cr, const dl_item *it)
{
    if (it->stroke_width <= 0)
        return;
    cairo_move_to(cr, it->x, it->y);
    cairo_line_to(cr, it->x + it->w, it->y + it->h);
    set_rgba(cr, it->stroke);
    cairo_set_line_width(cr, it->stroke_width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    if (it->dash > 0)
        cairo_set_dash(cr, &it->dash, 1, 0);
    cairo_stroke(cr);
}

static void draw_path(cairo_t *cr, const dl_item *it)
{
    const dl_path *p = it->path;
    if (!p || p->len == 0 || it->scale <= 0)
        return;
    cairo_translate(cr, it->x, it->y);
    cairo_scale(cr, it->scale, it->scale);
    cairo_new_path(cr);
    for (size_t i = 0; i < p->len; i++) {
        const double *q = p->ops[i].pts;
        switch (p->ops[i].op) {
        case PATH_MOVE: cairo_move_to(cr, q[0], q[1]); break;
        case PATH_LINE: cairo_line_to(cr, q[0], q[1]); break;
        case PATH_CURVE: cairo_curve_to(cr, q[0], q[1], q[2], q[3], q[4], q[5]); break;
        case PATH_CLOSE: cairo_close_path(cr); break;
        }
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    set_rgba(cr, it->fill);
    cairo_fill(cr);
}

static void draw_text(cairo_t *cr, const dl_item *it)
{
    if (!it->layout)
        return;
    /* The default colour; colour attributes inside the layout still win for spans. */
    set_rgba(cr, it->fill);
    cairo_move_to(cr, it->x, it->y);
    pango_cairo_show_layout(cr, it->layout);
}

/* A private copy of an image (new surface, same pixels). */
static cairo_surface_t *image_copy(cairo_surface_t *img)
{
    cairo_surface_t *copy = cairo_surface_create_similar_image(
        img, cairo_image_surface_get_format(img), cairo_image_surface_get_width(img),
        cairo_image_surface_get_height(img));
    cairo_t *cr = cairo_create(copy);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_destroy(cr);
    return copy;
}

/* Fits the image into the box keeping its aspect ratio, centred. `used` holds the
 * paths already drawn on this page: cairo 1.16 lists a surface drawn twice on one page
 * twice in the page's /XObject dictionary (a duplicated key qpdf warns about), so a
 * repeat on the same page draws a copy. Across pages the cached surface is shared and
 * embedded once. */
static void draw_image(cairo_t *cr, const dl_item *it, GHashTable *cache, GHashTable *used)
{
    cairo_surface_t *img = it->image_path ? image_get(cache, it) : NULL;
    if (!img || it->w <= 0 || it->h <= 0)
        return;
    if (!g_hash_table_add(used, (gpointer)it->image_path))
        img = image_copy(img);
    else
        cairo_surface_reference(img);
    double iw = cairo_image_surface_get_width(img);
    double ih = cairo_image_surface_get_height(img);
    double s = fmin(it->w / iw, it->h / ih);
    cairo_translate(cr, it->x + (it->w - iw * s) / 2, it->y + (it->h - ih * s) / 2);
    cairo_scale(cr, s, s);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_rectangle(cr, 0, 0, iw, ih);
    cairo_fill(cr);
    cairo_surface_destroy(img);
}

static void draw_link(cairo_t *cr, const dl_item *it)
{
    const char *key = it->uri ? "uri" : it->dest ? "dest" : NULL;
    if (!key)
        return;
    GString *a = g_string_new("rect=[");
    attr_num(a, it->x);
    g_string_append_c(a, ' ');
    attr_num(a, it->y);
    g_string_append_c(a, ' ');
    attr_num(a, it->w);
    g_string_append_c(a, ' ');
    attr_num(a, it->h);
    g_string_append_c(a, ']');
    attr_str(a, key, it->uri ? it->uri : it->dest);
    cairo_tag_begin(cr, CAIRO_TAG_LINK, a->str);
    cairo_tag_end(cr, CAIRO_TAG_LINK);
    g_string_free(a, TRUE);
}

static void draw_dest(cairo_t *cr, const dl_item *it)
{
    if (!it->dest || !*it->dest)
        return;
    GString *a = g_string_new(NULL);
    attr_str(a, "name", it->dest);
    g_string_append(a, " x=");
    attr_num(a, it->x);
    g_string_append(a, " y=");
    attr_num(a, it->y);
    cairo_tag_begin(cr, CAIRO_TAG_DEST, a->str);
    cairo_tag_end(cr, CAIRO_TAG_DEST);
    g_string_free(a, TRUE);
}

/* ---- pages ------------------------------------------------------------------------- */

/* What drawing one page needs besides the cairo context. */
typedef struct {
    bool pdf;           /* tags, links and destinations wanted */
    GPtrArray *open;    /* structure roles opened on this page, innermost last */
    GHashTable *images; /* path → decoded image, shared by the pages of one write */
    GHashTable *used;   /* paths of the images already drawn on this page */
    GHashTable *pages;  /* dl_page → its recording, for PAGE_REF (one write) */
    const dl_page *page;
} page_state;

/* cairo_tag_end needs the role again, hence the stack; whatever the page leaves open
 * is closed at its end. A NULL entry stands for a begin without a role, which is
 * skipped together with its end. */
static void tag_begin(cairo_t *cr, page_state *ps, const char *role)
{
    if (role && !*role)
        role = NULL;
    if (role)
        cairo_tag_begin(cr, role, "");
    g_ptr_array_add(ps->open, (gpointer)role);
}

static void tag_end(cairo_t *cr, page_state *ps)
{
    if (ps->open->len == 0)
        return; /* an end without a begin is the layout's bug; ignoring it keeps the
                   file valid */
    const char *role = g_ptr_array_remove_index(ps->open, ps->open->len - 1);
    if (role)
        cairo_tag_end(cr, role);
}

static void draw_page(cairo_t *cr, const dl_page *page, bool pdf, GHashTable *images,
                      GHashTable *pages);

/* A page recorded once per write: the PDF backend then embeds it once as a form
 * XObject that every tile of a poster shows through its own clip, instead of repeating
 * the poster's content on every sheet. Recorded without tags, links and destinations,
 * which belong to the page itself. NULL while the page is being recorded (a page that
 * shows itself is drawn empty, never in an endless loop). */
static cairo_surface_t *recorded_page(page_state *ps, const dl_page *page)
{
    if (g_hash_table_contains(ps->pages, page))
        return g_hash_table_lookup(ps->pages, page);
    g_hash_table_insert(ps->pages, (gpointer)page, NULL);
    cairo_rectangle_t box = {0, 0, page->width, page->height};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &box);
    cairo_t *cr = cairo_create(rec);
    draw_page(cr, page, false, ps->images, ps->pages);
    cairo_destroy(cr);
    g_hash_table_insert(ps->pages, (gpointer)page, rec);
    return rec;
}

static void draw_page_ref(cairo_t *cr, const dl_item *it, page_state *ps)
{
    cairo_surface_t *rec = it->ref && it->scale > 0 ? recorded_page(ps, it->ref) : NULL;
    if (!rec || it->w <= 0 || it->h <= 0)
        return;
    cairo_rectangle(cr, it->x, it->y, it->w, it->h);
    cairo_clip(cr);
    cairo_translate(cr, it->x, it->y);
    cairo_scale(cr, it->scale, it->scale);
    cairo_set_source_surface(cr, rec, -it->ref_x, -it->ref_y);
    cairo_paint(cr);
}

/* The stand-in for a slot: a form XObject of the page's size holding one 1 pt square
 * whose x is 10 + slot, so the assembler can tell the slots apart by their content.
 * cairo leaves out a form that draws nothing, hence the square. */
static void draw_slot(cairo_t *cr, const dl_item *it, const dl_page *page)
{
    cairo_rectangle_t box = {0, 0, page->width, page->height};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &box);
    cairo_t *rc = cairo_create(rec);
    cairo_rectangle(rc, 10 + it->slot, 10, 1, 1);
    cairo_fill(rc);
    cairo_destroy(rc);
    cairo_set_source_surface(cr, rec, 0, 0);
    cairo_paint(cr);
    cairo_surface_destroy(rec);
}

static void draw_item(cairo_t *cr, const dl_item *it, page_state *ps)
{
    switch (it->kind) {
    case DL_RECT: draw_rect(cr, it); break;
    case DL_LINE: draw_line(cr, it); break;
    case DL_PATH: draw_path(cr, it); break;
    case DL_TEXT: draw_text(cr, it); break;
    case DL_IMAGE: draw_image(cr, it, ps->images, ps->used); break;
    case DL_LINK: if (ps->pdf) draw_link(cr, it); break;
    case DL_DEST: if (ps->pdf) draw_dest(cr, it); break;
    case DL_TAG_BEGIN: if (ps->pdf) tag_begin(cr, ps, it->tag); break;
    case DL_TAG_END: if (ps->pdf) tag_end(cr, ps); break;
    case DL_PAGE_REF: draw_page_ref(cr, it, ps); break;
    case DL_SLOT: if (ps->pdf) draw_slot(cr, it, ps->page); break;
    }
}

/* `carry` (whole documents) is the stack of structure elements still open from the
 * pages before: an element the layout opens on one page and closes on a later one (a
 * table whose rows continue) stays one element. Without it, whatever the page leaves
 * open is closed at its end. */
static void draw_page_tags(cairo_t *cr, const dl_page *page, bool pdf, GHashTable *images,
                           GHashTable *pages, GPtrArray *carry)
{
    page_state ps = {pdf, carry ? carry : g_ptr_array_new(), images,
                     g_hash_table_new(g_str_hash, g_str_equal), pages, page};
    for (size_t i = 0; i < page->items.len; i++) {
        /* Each item starts from the same state: no clip, transform, dash or colour
         * leaks from one item into the next. */
        cairo_save(cr);
        draw_item(cr, page->items.items[i], &ps);
        cairo_restore(cr);
    }
    if (!carry) {
        while (ps.open->len > 0)
            tag_end(cr, &ps);
        g_ptr_array_free(ps.open, TRUE);
    }
    g_hash_table_destroy(ps.used);
}

static void draw_page(cairo_t *cr, const dl_page *page, bool pdf, GHashTable *images,
                      GHashTable *pages)
{
    draw_page_tags(cr, page, pdf, images, pages, NULL);
}

void cairo_draw_page(cairo_t *cr, const dl_doc *doc, const dl_page *page, bool pdf_features)
{
    (void)doc; /* part of the shared signature; everything needed is on the page */
    GHashTable *images = image_cache_new(), *pages = page_cache_new();
    draw_page(cr, page, pdf_features, images, pages);
    g_hash_table_destroy(pages);
    g_hash_table_destroy(images);
}

struct cairo_pen {
    GHashTable *images, *pages;
    GPtrArray *carry;
};

cairo_pen *cairo_pen_new(void)
{
    cairo_pen *pen = g_new0(cairo_pen, 1);
    pen->images = image_cache_new();
    pen->pages = page_cache_new();
    pen->carry = g_ptr_array_new();
    return pen;
}

void cairo_pen_draw(cairo_pen *pen, cairo_t *cr, const dl_page *page)
{
    draw_page_tags(cr, page, true, pen->images, pen->pages, pen->carry);
}

void cairo_pen_end_doc(cairo_pen *pen, cairo_t *cr)
{
    page_state last = {.pdf = true, .open = pen->carry};
    while (pen->carry->len > 0)
        tag_end(cr, &last);
}

void cairo_pen_free(cairo_pen *pen)
{
    if (!pen)
        return;
    g_hash_table_destroy(pen->pages);
    g_hash_table_destroy(pen->images);
    g_ptr_array_free(pen->carry, TRUE);
    g_free(pen);
}

/* ---- PDF --------------------------------------------------------------------------- */

static void set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key, const char *value)
{
    if (value && *value)
        cairo_pdf_surface_set_metadata(s, key, value);
}

static void write_metadata(cairo_surface_t *s, const dl_meta *m)
{
    set_meta(s, CAIRO_PDF_METADATA_TITLE, m->title);
    set_meta(s, CAIRO_PDF_METADATA_AUTHOR, m->author);
    set_meta(s, CAIRO_PDF_METADATA_SUBJECT, m->subject);
    set_meta(s, CAIRO_PDF_METADATA_KEYWORDS, m->keywords);
    set_meta(s, CAIRO_PDF_METADATA_CREATOR, m->creator);
    char date[64];
    pdf_date_text(m->date, date, sizeof date);
    set_meta(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    set_meta(s, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/* Outline entries nest by level: each one hangs under the latest entry of a shallower
 * level (a skipped level attaches to the nearest one above). Top level starts open. */
static void write_outline(cairo_surface_t *s, const dl_doc *doc)
{
    enum { MAX_DEPTH = 16 };
    int parent[MAX_DEPTH + 1] = {CAIRO_PDF_OUTLINE_ROOT};
    int depth = 0; /* entries valid in parent[0..depth] */
    for (size_t i = 0; i < doc->outline.len; i++) {
        const dl_outline *o = doc->outline.items[i];
        if (!o->dest || !*o->dest)
            continue;
        int level = o->level < 1 ? 1 : o->level > MAX_DEPTH ? MAX_DEPTH : o->level;
        if (level > depth + 1)
            level = depth + 1;
        GString *a = g_string_new(NULL);
        attr_str(a, "dest", o->dest);
        int flags = level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0;
        parent[level] = cairo_pdf_surface_add_outline(s, parent[level - 1],
                                                      o->title ? o->title : "", a->str,
                                                      flags);
        depth = level;
        g_string_free(a, TRUE);
    }
}

/* The document drawn onto a PDF surface writing into `mem`; with `whole`, also its
 * structure, links, destinations, outline, metadata and labels. */
static bool draw_pdf(const dl_doc *doc, bool whole, FILE *mem)
{
    size_t n = dl_page_count(doc);
    const dl_page *first = dl_page_get(doc, 0);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_stream, mem,
                                                             first->width, first->height);
    cairo_t *cr = cairo_create(s);
    GHashTable *images = image_cache_new(), *pages = page_cache_new();
    GPtrArray *carry = g_ptr_array_new();
    write_metadata(s, &doc->meta);
    for (size_t i = 0; i < n; i++) {
        const dl_page *p = dl_page_get(doc, i);
        /* Size and label apply to the page being started: set them before drawing. */
        cairo_pdf_surface_set_size(s, p->width, p->height);
        if (p->label && whole)
            cairo_pdf_surface_set_page_label(s, p->label);
        /* One root element spans the whole document (a root per page makes poppler
         * warn that StructTreeRoot has several children). cairo 1.16 silently drops a
         * tag begun before the first page's size is set, and the end must come before
         * the last page is shown. The root is not on the page's tag stack, so a stray
         * end from the layout cannot close it. */
        if (i == 0 && whole)
            cairo_tag_begin(cr, ROOT_TAG, "");
        draw_page_tags(cr, p, whole, images, pages, whole ? carry : NULL);
        if (i == n - 1 && whole) {
            page_state last = {.pdf = true, .open = carry};
            while (carry->len > 0)
                tag_end(cr, &last);
            cairo_tag_end(cr, ROOT_TAG);
        }
        cairo_show_page(cr);
    }
    if (whole)
        write_outline(s, doc);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(s);
    ok = ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    /* Images and recorded pages stay referenced by the surface until it is finished. */
    g_hash_table_destroy(pages);
    g_hash_table_destroy(images);
    g_ptr_array_free(carry, TRUE);
    return ok;
}

bool cairo_pdf_bytes(const dl_doc *doc, bool whole, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    if (dl_page_count(doc) == 0)
        return false;
    /* The file is made in memory: page labels are appended to it as an update. */
    char *raw = NULL;
    size_t raw_len = 0;
    FILE *mem = open_memstream(&raw, &raw_len);
    if (!mem)
        return false;
    bool ok = draw_pdf(doc, whole, mem);
    ok = fclose(mem) == 0 && ok;
    if (ok && whole) {
        FILE *out = open_memstream(buf, len);
        ok = out && pdf_write_with_labels(out, raw, raw_len, doc);
        ok = out && fclose(out) == 0 && ok;
        free(raw);
    } else {
        *buf = raw;
        *len = raw_len;
    }
    if (!ok) {
        free(*buf);
        *buf = NULL;
        *len = 0;
    }
    return ok;
}

bool cairo_write_pdf(const dl_doc *doc, FILE *out)
{
    char *buf;
    size_t len;
    bool ok = cairo_pdf_bytes(doc, true, &buf, &len);
    ok = ok && fwrite(buf, 1, len, out) == len;
    free(buf);
    return stream_ok(out) && ok;
}

/* ---- PNG and SVG ------------------------------------------------------------------- */

/* Pixels covering `pt` points at `dpi`, 0 when out of cairo's range (32767). The
 * slack keeps floating-point noise (a size converted from mm and back) from adding a
 * blank row or column. */
static int pixels(double pt, double dpi)
{
    double px = ceil(pt * dpi / 72.0 - 1e-6);
    return px >= 1 && px <= 32767 ? (int)px : 0;
}

bool cairo_write_png(const dl_doc *doc, size_t page, double dpi, FILE *out)
{
    if (page >= dl_page_count(doc) || !(dpi > 0) || !isfinite(dpi))
        return false;
    const dl_page *p = dl_page_get(doc, page);
    int w = pixels(p->width, dpi), h = pixels(p->height, dpi);
    if (w <= 0 || h <= 0)
        return false;
    /* Opaque white paper: RGB24 needs no alpha channel. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    cairo_draw_page(cr, doc, p, false);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    ok = ok && cairo_surface_write_to_png_stream(s, write_stream, out) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return stream_ok(out) && ok;
}

bool cairo_write_svg(const dl_doc *doc, size_t page, FILE *out)
{
    if (page >= dl_page_count(doc))
        return false;
    const dl_page *p = dl_page_get(doc, page);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(write_stream, out,
                                                             p->width, p->height);
    cairo_t *cr = cairo_create(s);
    /* Like the PDF writer: recorded pages (PAGE_REF) outlive the surface's finish, which
     * still reads them; destroyed earlier, cairo 1.16 leaks its snapshot of them. */
    GHashTable *images = image_cache_new(), *pages = page_cache_new();
    draw_page(cr, p, false, images, pages);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(s);
    ok = ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    g_hash_table_destroy(pages);
    g_hash_table_destroy(images);
    return stream_ok(out) && ok;
}
