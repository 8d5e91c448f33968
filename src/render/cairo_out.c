/* cairo_out.c - display list → cairo PDF, PNG and SVG: the cairo backend of the driver
 * (driver.h), which walks the pages and calls the primitives here.
 *
 * cairo 1.16 (Debian 12) notes that shape this file:
 * - Links damage the PDF (broken cross-reference table) unless the page content sits
 *   inside a structure element, so the whole document is wrapped in one "Document"
 *   element (RD_ROOT_TAG, begun and ended by rd_document).
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
 *   one page to the next (a table whose rows continue stays one Table; rd_document).
 * - Rounded boxes are the driver's Bézier path (rd_box_path), the same curves cairo_arc
 *   draws for a quarter circle: the bytes did not change when they replaced it. */
#include "cairo_out.h"
#include "driver.h"
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

/* ---- the cairo backend ------------------------------------------------------------ */

/* One walk of one page (driver.h) onto a cairo context. The caches are shared by the
 * pages of one write; `used` is this page's own. */
typedef struct {
    cairo_t *cr;
    GHashTable *images; /* path → decoded image, shared by the pages of one write */
    GHashTable *used;   /* paths of the images already drawn on this page */
    GHashTable *pages;  /* dl_page → its recording, for PAGE_REF (one write) */
} cairo_be;

static void set_rgba(cairo_t *cr, cp_rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

/* Every primitive starts from the same state: no clip, transform, dash or colour
 * leaks from one item into the next. */
static void be_shape(void *be, const rd_shape *sh)
{
    cairo_t *cr = ((cairo_be *)be)->cr;
    cairo_save(cr);
    if (sh->box) {
        cairo_rectangle(cr, sh->rect[0], sh->rect[1], sh->rect[2], sh->rect[3]);
    } else {
        if (sh->x != 0 || sh->y != 0 || sh->scale != 1) {
            cairo_translate(cr, sh->x, sh->y);
            cairo_scale(cr, sh->scale, sh->scale);
        }
        cairo_new_path(cr);
        for (size_t i = 0; i < sh->len; i++) {
            const double *q = sh->ops[i].pts;
            switch (sh->ops[i].op) {
            case PATH_MOVE: cairo_move_to(cr, q[0], q[1]); break;
            case PATH_LINE: cairo_line_to(cr, q[0], q[1]); break;
            case PATH_CURVE: cairo_curve_to(cr, q[0], q[1], q[2], q[3], q[4], q[5]); break;
            case PATH_CLOSE: cairo_close_path(cr); break;
            }
        }
    }
    if (sh->fill) {
        set_rgba(cr, sh->fill_color);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
        if (sh->stroke)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (sh->stroke) {
        set_rgba(cr, sh->stroke_color);
        cairo_set_line_width(cr, sh->width);
        if (sh->round_cap)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        if (sh->dash > 0)
            cairo_set_dash(cr, &sh->dash, 1, 0);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

static void be_text(void *be, const dl_item *it)
{
    cairo_t *cr = ((cairo_be *)be)->cr;
    cairo_save(cr);
    /* The default colour; colour attributes inside the layout still win for spans. */
    set_rgba(cr, it->fill);
    cairo_move_to(cr, it->x, it->y);
    pango_cairo_show_layout(cr, it->layout);
    cairo_restore(cr);
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
static void be_image(void *be, const dl_item *it)
{
    cairo_be *c = be;
    cairo_surface_t *img = image_get(c->images, it);
    if (!img || it->w <= 0 || it->h <= 0)
        return;
    if (!g_hash_table_add(c->used, (gpointer)it->image_path))
        img = image_copy(img);
    else
        cairo_surface_reference(img);
    double iw = cairo_image_surface_get_width(img);
    double ih = cairo_image_surface_get_height(img);
    double s = fmin(it->w / iw, it->h / ih);
    cairo_save(c->cr);
    cairo_translate(c->cr, it->x + (it->w - iw * s) / 2, it->y + (it->h - ih * s) / 2);
    cairo_scale(c->cr, s, s);
    cairo_set_source_surface(c->cr, img, 0, 0);
    cairo_rectangle(c->cr, 0, 0, iw, ih);
    cairo_fill(c->cr);
    cairo_restore(c->cr);
    cairo_surface_destroy(img);
}

static void be_link(void *be, const dl_item *it)
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
    cairo_t *cr = ((cairo_be *)be)->cr;
    cairo_tag_begin(cr, CAIRO_TAG_LINK, a->str);
    cairo_tag_end(cr, CAIRO_TAG_LINK);
    g_string_free(a, TRUE);
}

static void be_dest(void *be, const dl_item *it)
{
    if (!*it->dest)
        return;
    GString *a = g_string_new(NULL);
    attr_str(a, "name", it->dest);
    g_string_append(a, " x=");
    attr_num(a, it->x);
    g_string_append(a, " y=");
    attr_num(a, it->y);
    cairo_t *cr = ((cairo_be *)be)->cr;
    cairo_tag_begin(cr, CAIRO_TAG_DEST, a->str);
    cairo_tag_end(cr, CAIRO_TAG_DEST);
    g_string_free(a, TRUE);
}

static void be_tag_begin(void *be, const char *role)
{
    cairo_tag_begin(((cairo_be *)be)->cr, role, "");
}

static void be_tag_end(void *be, const char *role)
{
    cairo_tag_end(((cairo_be *)be)->cr, role);
}

/* The stand-in for a slot: a form XObject of the page's size holding one 1 pt square
 * whose x is 10 + slot, so the assembler can tell the slots apart by their content.
 * cairo leaves out a form that draws nothing, hence the square. */
static void be_slot(void *be, const dl_item *it, const dl_page *page)
{
    cairo_t *cr = ((cairo_be *)be)->cr;
    cairo_rectangle_t box = {0, 0, page->width, page->height};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &box);
    cairo_t *rc = cairo_create(rec);
    cairo_rectangle(rc, 10 + it->slot, 10, 1, 1);
    cairo_fill(rc);
    cairo_destroy(rc);
    cairo_save(cr);
    cairo_set_source_surface(cr, rec, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(rec);
}

static void be_page_ref(void *be, const dl_item *it, const rd_walk_state *walk);

static const rd_backend cairo_backend = {
    .shape = be_shape,
    .text = be_text,
    .image = be_image,
    .page_ref = be_page_ref,
    .link = be_link,
    .dest = be_dest,
    .tag_begin = be_tag_begin,
    .tag_end = be_tag_end,
    .slot = be_slot,
};

/* One page through the driver onto `cr`, with its own set of images drawn. */
static void walk_page(cairo_t *cr, const dl_page *page, unsigned what, const char *prefix,
                      GHashTable *images, GHashTable *pages, rd_tags *carry,
                      const rd_walk_state *outer)
{
    cairo_be c = {cr, images, g_hash_table_new(g_str_hash, g_str_equal), pages};
    rd_walk(&cairo_backend, &c, page, what, prefix, carry, outer);
    g_hash_table_destroy(c.used);
}

/* A page recorded for one page reference (a poster's sheet): the PDF backend embeds it
 * as a form XObject holding what lies in the region shown, through the reference's
 * clip. One recording per reference, not per page: cairo 1.16 cuts a recording's form
 * to the region it is first drawn through and writes that same form for every later
 * use, so the second sheet showed the first sheet's part (while the assembly map drew
 * the whole poster first, it was whole). Recorded without tags, links and
 * destinations, which belong to the page itself. */
static cairo_surface_t *recorded_page(cairo_be *c, const dl_item *it,
                                      const rd_walk_state *walk)
{
    const dl_page *page = it->ref;
    cairo_surface_t *rec = g_hash_table_lookup(c->pages, it);
    if (rec)
        return rec;
    cairo_rectangle_t box = {0, 0, page->width, page->height};
    rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &box);
    cairo_t *cr = cairo_create(rec);
    walk_page(cr, page, RD_DRAW, NULL, c->images, c->pages, NULL, walk);
    cairo_destroy(cr);
    g_hash_table_insert(c->pages, (gpointer)it, rec);
    return rec;
}

/* A region of another page: through the page's recorded form, or, for the one place
 * that stands for the page's text (it->with_tags, in a walk that writes tags), drawn
 * here with its structure elements, so that its text is read once, in its structure,
 * and goes through the finisher's text layer like any page's. */
static void be_page_ref(void *be, const dl_item *it, const rd_walk_state *walk)
{
    cairo_be *c = be;
    if (it->scale <= 0 || it->w <= 0 || it->h <= 0)
        return;
    bool tagged = it->with_tags && (walk->what & RD_TAGS);
    cairo_surface_t *rec = tagged ? NULL : recorded_page(c, it, walk);
    if (!tagged && !rec)
        return;
    cairo_t *cr = c->cr;
    cairo_save(cr);
    cairo_rectangle(cr, it->x, it->y, it->w, it->h);
    cairo_clip(cr);
    cairo_translate(cr, it->x, it->y);
    cairo_scale(cr, it->scale, it->scale);
    if (tagged) {
        cairo_translate(cr, -it->ref_x, -it->ref_y);
        walk_page(cr, it->ref, RD_DRAW | RD_TAGS, NULL, c->images, c->pages, NULL, walk);
    } else {
        cairo_set_source_surface(cr, rec, -it->ref_x, -it->ref_y);
        cairo_paint(cr);
    }
    cairo_restore(cr);
}

/* With pdf_features: everything a whole PDF page shows; otherwise the drawing only. */
static unsigned features(bool pdf)
{
    return pdf ? RD_WHOLE : RD_DRAW;
}

void cairo_draw_page(cairo_t *cr, const dl_doc *doc, const dl_page *page, bool pdf_features)
{
    (void)doc; /* part of the shared signature; everything needed is on the page */
    GHashTable *images = image_cache_new(), *pages = page_cache_new();
    walk_page(cr, page, features(pdf_features), NULL, images, pages, NULL, NULL);
    g_hash_table_destroy(pages);
    g_hash_table_destroy(images);
}

struct cairo_pen {
    GHashTable *images, *pages;  /* loaded once for every document the pen draws */
    rd_tags *carry;              /* elements the current document left open */
};

cairo_pen *cairo_pen_new(void)
{
    cairo_pen *pen = g_new0(cairo_pen, 1);
    pen->images = image_cache_new();
    pen->pages = page_cache_new();
    pen->carry = rd_tags_new();
    return pen;
}

void cairo_pen_draw(cairo_pen *pen, cairo_t *cr, const dl_page *page, const char *prefix)
{
    walk_page(cr, page, RD_WHOLE, prefix, pen->images, pen->pages, pen->carry, NULL);
}

void cairo_pen_end_doc(cairo_pen *pen, cairo_t *cr)
{
    cairo_be c = {cr, pen->images, NULL, pen->pages};
    rd_tags_close(pen->carry, &cairo_backend, &c);
    pen->carry = rd_tags_new();
}

void cairo_pen_free(cairo_pen *pen)
{
    if (!pen)
        return;
    g_hash_table_destroy(pen->pages);
    g_hash_table_destroy(pen->images);
    rd_tags_close(pen->carry, NULL, NULL);
    g_free(pen);
}

/* One outline entry (rd_outline_fn): cairo's ids are the handles. */
static bool add_outline_entry(void *be, intptr_t parent, const char *title,
                              const char *dest, bool open, intptr_t *made)
{
    GString *a = g_string_new(NULL);
    attr_str(a, "dest", dest);
    *made = cairo_pdf_surface_add_outline(be, (int)parent, title, a->str,
                                          open ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
    g_string_free(a, TRUE);
    return true;
}

int cairo_add_outline(cairo_surface_t *s, const dl_doc *doc, const char *bookmark,
                      const char *dest, const char *prefix)
{
    intptr_t root = CAIRO_PDF_OUTLINE_ROOT;
    if (bookmark)
        add_outline_entry(s, root, bookmark, dest, false, &root);
    rd_outline(doc, bookmark ? 2 : 1, root, prefix, add_outline_entry, s);
    return (int)root;
}

bool cairo_finish(cairo_t *cr, cairo_surface_t *s)
{
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(s);
    ok = ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return ok;
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

/* A whole document's walk: the page backend plus the surface whose pages it starts. */
typedef struct {
    cairo_be c;          /* first: the primitives take this struct as a cairo_be */
    cairo_surface_t *s;
    bool whole;
} cairo_doc_be;

static void be_begin_page(void *be, size_t index, const dl_page *p)
{
    cairo_doc_be *d = be;
    /* Size and label apply to the page being started: set them before drawing. */
    cairo_pdf_surface_set_size(d->s, p->width, p->height);
    if (p->label && d->whole)
        cairo_pdf_surface_set_page_label(d->s, p->label);
    g_hash_table_remove_all(d->c.used);
}

static void be_end_page(void *be, size_t index, const dl_page *p)
{
    cairo_show_page(((cairo_be *)be)->cr);
}

void cairo_out_init(void)
{
    g_setenv("CAIRO_DEBUG_PDF", "1", FALSE);
}

/* The document drawn onto a PDF surface writing into `mem`, with its structure; with
 * `whole`, also its links, destinations, outline and labels. */
static bool draw_pdf(const dl_doc *doc, bool whole, FILE *mem)
{
    const dl_page *first = dl_page_get(doc, 0);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_stream, mem,
                                                             first->width, first->height);
    cairo_t *cr = cairo_create(s);
    GHashTable *images = image_cache_new(), *pages = page_cache_new();
    cairo_doc_be d = {{cr, images, g_hash_table_new(g_str_hash, g_str_equal), pages}, s,
                      whole};
    rd_backend b = cairo_backend;
    b.begin_page = be_begin_page;
    b.end_page = be_end_page;
    write_metadata(s, &doc->meta);
    /* An overlay keeps its structure: the assembler puts its elements in the template's
     * tree (pdf_assemble.h). */
    rd_document(&b, &d, doc, whole ? RD_WHOLE : RD_DRAW | RD_TAGS);
    if (whole)
        cairo_add_outline(s, doc, NULL, NULL, NULL);
    bool ok = cairo_finish(cr, s);
    /* Images and recorded pages stay referenced by the surface until it is finished. */
    g_hash_table_destroy(d.c.used);
    g_hash_table_destroy(pages);
    g_hash_table_destroy(images);
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
    walk_page(cr, p, RD_DRAW, NULL, images, pages, NULL, NULL);
    bool ok = cairo_finish(cr, s);
    g_hash_table_destroy(pages);
    g_hash_table_destroy(images);
    return stream_ok(out) && ok;
}
