/* cairo_out.h - display list → cairo: PDF (whole document), PNG and SVG (one page).
 *
 * The cairo backend of the driver (driver.h): the driver walks the display list and
 * decides what each output shows, how tags balance, destination names and outline
 * nesting; this file only draws. It never measures or breaks text.
 * All functions return false on any cairo or stream error (including write errors of
 * the FILE*, e.g. a full disk) and print nothing: the caller reports. */
#ifndef CP_CAIRO_OUT_H
#define CP_CAIRO_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cairo.h>

#include "dlist.h"

typedef enum { OUT_PDF, OUT_PNG, OUT_SVG } cp_out_format;

/* Whole document as PDF: per-page sizes, metadata (dates from doc->meta.date, else
 * SOURCE_DATE_EPOCH, else 1970-01-01; never the clock), outline, named destinations,
 * links, page labels and structure tags. Same document, same bytes. */
bool cairo_write_pdf(const dl_doc *doc, FILE *out);

/* Once, at the start of the program, before any thread: asks cairo to write each PDF
 * page's content as it is, not deflated. Every PDF cairo writes for us goes through the
 * finisher (pdf_finish.h), which reads every page's content and deflates it again
 * (faster, with libdeflate): cairo's zlib pass and the finisher's inflate were 5 % of a
 * report's instructions (20 M on the English one, 32 M on the Arabic one). cairo's only
 * switch for it is the environment variable CAIRO_DEBUG_PDF, read when a surface is
 * made; setting it is not safe once other threads run (Pango starts one for its fonts).
 * A cairo that ignores it costs the time again, nothing else. */
void cairo_out_init(void);

/* The same PDF in memory (*buf from malloc, the caller frees it). Without `whole` only
 * the drawing and its structure tags are written, for an overlay (pdf_assemble.h): no
 * links, destinations, outline or page labels. */
bool cairo_pdf_bytes(const dl_doc *doc, bool whole, char **buf, size_t *len);

/* One page (0-based) as PNG at `dpi` on a white background. */
bool cairo_write_png(const dl_doc *doc, size_t page, double dpi, FILE *out);

/* One page (0-based) as SVG, sized in points. */
bool cairo_write_svg(const dl_doc *doc, size_t page, FILE *out);

/* Draw one page onto any cairo context whose user space is in points (shared by the
 * three writers). With pdf_features the page's tags, links and destinations are emitted
 * too; otherwise they are skipped. Tags balance by the driver's rule (rd_walk: what the
 * page leaves open is closed, a stray end is ignored). Images are loaded for this call
 * only.
 * A caller drawing onto its own PDF surface with pdf_features must keep its pages inside
 * a structure element (cairo_write_pdf opens one "Document" around all pages): cairo
 * 1.16 writes a broken file when links sit outside any structure element. */
void cairo_draw_page(cairo_t *cr, const dl_doc *doc, const dl_page *page, bool pdf_features);

/* Pages of documents drawn one after another onto a caller's PDF surface (merged print
 * files), with their tags, links and destinations, carrying what cairo_write_pdf
 * carries from page to page: a structure element left open on one page (a table whose
 * rows continue) stays one element until cairo_pen_end_doc closes what the document
 * left open. Images are loaded once for all documents, so the surface stores each
 * once. Free the pen only after finishing the surface (it holds the images). */
typedef struct cairo_pen cairo_pen;
cairo_pen *cairo_pen_new(void);
/* Destination names (and internal links) get `prefix` in front when it is not NULL
 * (rd_walk names them: a merged file holds many reports). */
void cairo_pen_draw(cairo_pen *pen, cairo_t *cr, const dl_page *page, const char *prefix);
void cairo_pen_end_doc(cairo_pen *pen, cairo_t *cr);
void cairo_pen_free(cairo_pen *pen);

/* The document's outline on a PDF surface, nested by the one rule (driver.h:
 * rd_outline), names prefixed with `prefix` when not NULL. With a `bookmark`, it is
 * first added as a closed top-level entry opening `dest`, and the document's entries
 * of level 2 and deeper hang below it (its level-1 entry, the cover's title, is the
 * bookmark now). Returns the bookmark's id (CAIRO_PDF_OUTLINE_ROOT without one). */
int cairo_add_outline(cairo_surface_t *s, const dl_doc *doc, const char *bookmark,
                      const char *dest, const char *prefix);

/* Destroys `cr`, then finishes and destroys its surface `s` (which writes the rest of
 * the file); false when either had failed. */
bool cairo_finish(cairo_t *cr, cairo_surface_t *s);

#endif
