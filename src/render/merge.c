/* merge.c - one cairo PDF surface, fed report by report. */
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
    GHashTable *recorded;    /* shared template page → its recording, painted by many */
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
    m->finish = (pdf_finish_opts){m->a11y, sec};
    if (!outfile_open_filtered(&m->out, path, pdf_finish_filter, &m->finish)) {
        pdf_a11y_free(m->a11y);
        free(m);
        return NULL;
    }
    m->recorded = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify)cairo_surface_destroy);
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
        cairo_draw_page(m->cr, doc, page, true);
        pdf_a11y_add_page(m->a11y, page, doc->meta.lang, NULL);
    }
    /* The student's bookmark, then the report's own entries below it. */
    cairo_add_outline(m->surface, doc, bookmark, prefix, NULL);
}

static cairo_surface_t *recording_of(cp_merge *m, const dl_page *page)
{
    cairo_surface_t *rec = g_hash_table_lookup(m->recorded, page);
    if (!rec) {
        rec = cairo_record_page(page);
        g_hash_table_insert(m->recorded, (gpointer)page, rec);
    }
    return rec;
}

void merge_add_shared(cp_merge *m, const dl_doc *shared, const dl_doc *overlay,
                      size_t key, const char *bookmark, size_t *first_page, size_t *blanks)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "r%zu-", key);
    pdf_a11y_set_lang(m->a11y, shared->meta.lang);
    start_report(m, shared->meta.date, first_page, blanks);
    /* Overlay page k goes where the shared pages keep slot k. */
    size_t n_slots = overlay ? dl_page_count(overlay) : 0;
    size_t *slot_page = g_new(size_t, n_slots ? n_slots : 1);
    for (size_t k = 0; k < n_slots; k++)
        if (!dl_slot_page(shared, (int)k, &slot_page[k]))
            slot_page[k] = SIZE_MAX;
    for (size_t p = 0; p < dl_page_count(shared); p++) {
        const dl_page *page = dl_page_get(shared, p);
        next_page(m, page->width, page->height);
        /* One element per page keeps the shared drawing and the student's in the
         * structure tree (their inner tags are not repeated per student). */
        cairo_tag_begin(m->cr, "Part", "");
        pdf_a11y_add_page(m->a11y, page, shared->meta.lang, "Part");
        if (p == 0) {   /* the student's own destination, at the top of their report */
            dl_item mark = {.kind = DL_DEST, .dest = ""};
            void *only[] = {&mark};
            dl_page marks = {.items = {.items = only, .len = 1, .cap = 1}};
            cairo_draw_links(m->cr, &marks, prefix);
        }
        cairo_save(m->cr);
        /* cairo 1.16 writes no file ("invalid tag nesting") when a recording is the
         * first thing drawn on a page inside a structure element: a white point in the
         * corner of the white page comes first. */
        cairo_set_source_rgb(m->cr, 1, 1, 1);
        cairo_rectangle(m->cr, 0, 0, 1, 1);
        cairo_fill(m->cr);
        cairo_set_source_surface(m->cr, recording_of(m, page), 0, 0);
        cairo_paint(m->cr);
        cairo_restore(m->cr);
        cairo_draw_links(m->cr, page, prefix);
        for (size_t k = 0; k < n_slots; k++)
            if (slot_page[k] == p)
                cairo_draw_page(m->cr, overlay, dl_page_get(overlay, k), false);
        cairo_tag_end(m->cr, "Part");
    }
    g_free(slot_page);
    cairo_add_outline(m->surface, shared, bookmark, prefix, prefix);
}

size_t merge_pages(const cp_merge *m) { return m->pages; }

static void destroy(cp_merge *m)
{
    cairo_destroy(m->cr);
    cairo_surface_finish(m->surface);
    cairo_surface_destroy(m->surface);
    g_hash_table_destroy(m->recorded);
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
    g_hash_table_destroy(m->recorded);   /* painted and written: no longer needed */
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
