/* merge.c - one cairo PDF surface, fed report by report.
 *
 * Every page is drawn with its tags, so each student's report in the file has the
 * whole structure of a report of its own (headings, lists, tables, contents, the
 * student's own boxes inside the element the template keeps for them). A report built
 * from a shared template draws the template's pages again for each student; the
 * finisher (render/pdf_finish.h) stores the drawing those pages have in common once,
 * so the file stays about as small as when the shared pages were one picture. */
#include "merge.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>

#include "../core/diag.h"
#include "../core/outfile.h"
#include "../core/xalloc.h"
#include "cairo_out.h"
#include "driver.h"
#include "pdf_date.h"
#include "pdf_finish.h"

/* Same root element as every whole document (driver.h): cairo 1.16 damages links
 * outside one. */

struct cp_merge {
    cp_outfile out;
    cairo_surface_t *surface;
    cairo_t *cr;
    size_t pages;
    bool page_open;          /* the last page is drawn but not yet shown */
    double last_w, last_h;
    bool dated;
    int write_error;         /* errno of the first failed write, 0 when none */
    cairo_pen *pen;          /* draws pages with their tags; images loaded once */
    pdf_a11y *a11y;          /* what the finisher adds (tags cairo cannot write) */
    pdf_finish_opts finish;  /* the output filter's: a11y, and encryption if asked */
};

static cairo_status_t write_stream(void *closure, const unsigned char *data,
                                   unsigned int length)
{
    cp_merge *m = closure;
    if (length > 0 && fwrite(data, 1, length, m->out.fp) != length) {
        if (!m->write_error)
            m->write_error = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

cp_merge *merge_open(const char *path, const char *title, const cp_pdf_security *sec)
{
    cp_merge *m = xcalloc(1, sizeof *m);
    m->a11y = pdf_a11y_open(title);
    m->finish = (pdf_finish_opts){m->a11y, sec, true};
    if (!outfile_open_filtered(&m->out, path, pdf_finish_filter, &m->finish)) {
        pdf_a11y_free(m->a11y);
        free(m);
        return NULL;
    }
    m->pen = cairo_pen_new();
    m->surface = cairo_pdf_surface_create_for_stream(write_stream, m, 595, 842);
    m->cr = cairo_create(m->surface);
    cairo_pdf_surface_set_metadata(m->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(m->surface, CAIRO_PDF_METADATA_CREATOR, "careerpdf");
    return m;
}

/* The file's dates come from the data like a single report's (cairo would otherwise
 * stamp the clock): the first report's date by the one rule (render/pdf_date.h). */
static void set_dates(cp_merge *m, const char *date)
{
    char buf[64];
    pdf_date_text(date, buf, sizeof buf);
    cairo_pdf_surface_set_metadata(m->surface, CAIRO_PDF_METADATA_CREATE_DATE, buf);
    cairo_pdf_surface_set_metadata(m->surface, CAIRO_PDF_METADATA_MOD_DATE, buf);
    m->dated = true;
}

/* Starts a page; the previous one is shown only now, because the root element must end
 * before the last page is shown and only merge_commit knows which page is last. */
static void next_page(cp_merge *m, double w, double h)
{
    if (m->page_open)
        cairo_show_page(m->cr);
    cairo_pdf_surface_set_size(m->surface, w, h);
    if (m->pages == 0)
        cairo_tag_begin(m->cr, RD_ROOT_TAG, "");
    m->page_open = true;
    m->pages++;
    m->last_w = w;
    m->last_h = h;
}

/* A report's destination names, prefixed with the report's own key. */
static const char *prefixed(cp_arena *a, const char *dest, const void *prefix)
{
    return arena_printf(a, "%s%s", (const char *)prefix, dest);
}

/* Starts the next report: a blank page first when it would start on an even page. */
static void start_report(cp_merge *m, const char *date, size_t *first_page, size_t *blanks)
{
    if (!m->dated)
        set_dates(m, date);
    *blanks = 0;
    if (m->pages % 2 == 1) {   /* the next page would be even: leave it blank */
        next_page(m, m->last_w, m->last_h);
        pdf_a11y_add_page(m->a11y, NULL, NULL, NULL);
        *blanks = 1;
    }
    *first_page = m->pages + 1;
}

void merge_add(cp_merge *m, dl_doc *doc, size_t key, const char *bookmark,
               size_t *first_page, size_t *blanks)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "r%zu-", key);
    pdf_a11y_set_lang(m->a11y, doc->meta.lang);
    start_report(m, doc->meta.date, first_page, blanks);
    dl_rename_dests(doc, prefixed, prefix);
    /* The student's own destination, at the top of their first page. */
    dl_page *first = dl_page_get(doc, 0);
    dl_item *d = dl_dest(doc, first, prefix, 0, 0);
    /* dl_dest appends: move it to the front so it is placed before any tag opens. */
    memmove(first->items.items + 1, first->items.items,
            (first->items.len - 1) * sizeof *first->items.items);
    first->items.items[0] = d;
    for (size_t p = 0; p < dl_page_count(doc); p++) {
        const dl_page *page = dl_page_get(doc, p);
        next_page(m, page->width, page->height);
        cairo_pen_draw(m->pen, m->cr, page, NULL);   /* renamed above */
        pdf_a11y_add_page(m->a11y, page, doc->meta.lang, NULL);
    }
    cairo_pen_end_doc(m->pen, m->cr);
    /* The student's bookmark, then the report's own entries below it. */
    cairo_add_outline(m->surface, doc, bookmark, prefix, NULL);
}

/* Shared page `p` as the student's own report holds it: the shared items with the
 * student's overlay page k drawn where the shared pages keep slot k (inside the
 * structure element kept for it, so the student's headings, paragraphs and lists come
 * in reading order), and the student's own destination at the top of the first page.
 * Names are prefixed when the page is drawn (rd_walk). Allocated in `a`. */
static void compose_page(cp_arena *a, dl_page *out, const dl_doc *shared,
                         const dl_doc *overlay, size_t p)
{
    const dl_page *page = dl_page_get(shared, p);
    *out = (dl_page){.width = page->width, .height = page->height, .label = page->label};
    if (p == 0) {
        dl_item *d = ARENA_NEW(a, dl_item);
        *d = (dl_item){.kind = DL_DEST, .dest = ""};
        vec_push(a, &out->items, d);
    }
    const dl_item *const *items = (const dl_item *const *)page->items.items;
    for (size_t i = 0; i < page->items.len; i++) {
        const dl_item *it = items[i];
        /* The shared page keeps a slot in an element of its own (layout/frames.c); the
         * student's blocks bring their own elements, as when laid out whole. */
        if (it->kind == DL_TAG_BEGIN && i + 2 < page->items.len &&
            items[i + 1]->kind == DL_SLOT && items[i + 2]->kind == DL_TAG_END) {
            it = items[i + 1];
            i += 2;
        }
        if (it->kind != DL_SLOT) {
            vec_push(a, &out->items, (void *)it);
            continue;
        }
        size_t k = (size_t)it->slot;
        if (!overlay || it->slot < 0 || k >= dl_page_count(overlay))
            continue;
        const dl_page *own = dl_page_get(overlay, k);
        for (size_t j = 0; j < own->items.len; j++)
            vec_push(a, &out->items, own->items.items[j]);
    }
}

void merge_add_shared(cp_merge *m, const dl_doc *shared, const dl_doc *overlay,
                      size_t key, const char *bookmark, size_t *first_page, size_t *blanks)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "r%zu-", key);
    pdf_a11y_set_lang(m->a11y, shared->meta.lang);
    start_report(m, shared->meta.date, first_page, blanks);
    cp_arena *a = arena_new();
    for (size_t p = 0; p < dl_page_count(shared); p++) {
        dl_page page;
        compose_page(a, &page, shared, overlay, p);
        next_page(m, page.width, page.height);
        cairo_pen_draw(m->pen, m->cr, &page, prefix);
        /* Every student's page p shares the shared page's drawing, which the finisher
         * stores once. */
        pdf_a11y_add_page(m->a11y, &page, shared->meta.lang, dl_page_get(shared, p));
    }
    cairo_pen_end_doc(m->pen, m->cr);
    arena_free(a);
    cairo_add_outline(m->surface, shared, bookmark, prefix, prefix);
}

size_t merge_pages(const cp_merge *m) { return m->pages; }

static void destroy(cp_merge *m)
{
    cairo_destroy(m->cr);
    cairo_surface_finish(m->surface);
    cairo_surface_destroy(m->surface);
    cairo_pen_free(m->pen);
}

bool merge_commit(cp_merge *m)
{
    if (m->pages == 0) {
        cp_loc loc = {m->out.path, 0, 0};
        diag_error(&loc, NULL, "no report could be made, so no merged file was written");
        merge_abort(m);
        return false;
    }
    cairo_tag_end(m->cr, RD_ROOT_TAG);
    cairo_show_page(m->cr);
    bool ok = cairo_finish(m->cr, m->surface) && !m->write_error;
    cairo_pen_free(m->pen);   /* its images are written: no longer needed */
    if (!ok) {
        errno = m->write_error;
        outfile_fail(&m->out, "merged pdf");
        pdf_a11y_free(m->a11y);
        free(m);
        return false;
    }
    ok = outfile_commit(&m->out);
    pdf_a11y_free(m->a11y);
    free(m);
    return ok;
}

void merge_abort(cp_merge *m)
{
    if (!m)
        return;
    /* Finishing the surface writes into the temporary file, which is removed next. */
    destroy(m);
    outfile_abort(&m->out);
    pdf_a11y_free(m->a11y);
    free(m);
}
