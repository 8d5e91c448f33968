/* pdf_finish.h - what cairo cannot write into a tagged PDF, added to its finished file.
 *
 * cairo 1.16 writes a structure tree in reading order, but no document language, no
 * XMP metadata, no /Alt, no /Lang on elements, no table header scopes, no /Contents on
 * link annotations, no /Tabs and no artifacts. The finisher opens cairo's file with
 * pdf_doc.h, changes the objects it must (the catalog, the structure elements, the
 * pages and their content, the fonts' maps) and writes the file again, every other
 * object copied byte for byte. A file that is password-protected (pdf_security.h) or
 * compact (below) then passes through libqpdf, which encrypts it or packs it: a
 * protected report is finished like any other.
 *
 * What the finisher adds comes from two places:
 * - the display list (pdf_a11y_new): the document's language and title, the text
 *   alternative the layout gave each element (a chart's description, a QR code's
 *   address), the language of an element whose text is all in another script, and the
 *   visible text under each link. Elements are matched to the file's structure tree
 *   by order: cairo creates one element per tag, in the order the tags begin, so the
 *   tree read in pre-order is the display list's tags in drawing order.
 * - rules of the format, applied to the tree and the pages: TH /Scope (a header cell
 *   in a table's first row heads its column, one later in a row heads its row), /Tabs
 *   /S on pages with annotations, and every piece of page content that no structure
 *   element holds (outside every marked-content sequence: page furniture such as
 *   rules, card backgrounds, icons, running heads and footers, which the layout draws
 *   outside its tags) marked as an /Artifact.
 *
 * Same input, same bytes (unless encrypted: see pdf_security.h). Prints nothing. */
#ifndef CP_PDF_FINISH_H
#define CP_PDF_FINISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <glib.h>

#include "dlist.h"
#include "pdf_security.h"

typedef struct {
    char *role;   /* the structure type cairo writes ("Figure", "Link"...) */
    char *alt;    /* /Alt, or NULL */
    char *lang;   /* /Lang when the element's text is in another script, or NULL */
} pdf_elem;

typedef struct {
    char *lang;          /* the document's language (catalog /Lang, dc:language) */
    char *title;         /* dc:title; the Info /Title stays cairo's */
    GArray *elems;       /* pdf_elem, in the order the writer begins them, root first */
    GPtrArray *pages;    /* per page: a GPtrArray of each link's visible text */
    GPtrArray *shares;   /* per page: the page it was drawn from, or NULL (below) */
} pdf_a11y;

/* What the finisher needs from a document, taken from its display list; freed with the
 * document's arena. */
pdf_a11y *pdf_a11y_new(const dl_doc *doc);

/* The same for a file drawn page by page (merged print files): open, then each page as
 * it is drawn, with its tags. `page` NULL is a blank page; `lang` is the language of
 * the page's report (its elements get a /Lang when it is not the file's). `share`, when
 * not NULL, names what the page was drawn from (a template page that many students'
 * reports draw): the finisher stores the drawing that all pages with the same `share`
 * have in common (at their start and at their end) once, as content streams those
 * pages share; each page keeps its own structure. The first language set is the
 * document's. */
pdf_a11y *pdf_a11y_open(const char *title);
void pdf_a11y_set_lang(pdf_a11y *x, const char *lang);
void pdf_a11y_add_page(pdf_a11y *x, const dl_page *page, const char *lang, const void *share);
void pdf_a11y_free(pdf_a11y *x);

/* What one pass does: either may be NULL (no a11y: the file's tags are left as they
 * are; no sec: not encrypted). `compact` packs the objects that are not streams
 * (structure elements, annotations, pages) into compressed object streams (PDF 1.5):
 * for files nothing of ours reads again, whose structure trees are large (a merged
 * file holds every student's); without it the file stays one that pdf_assemble.h
 * reads. */
typedef struct {
    const pdf_a11y *a11y;
    const cp_pdf_security *sec;
    bool compact;
} pdf_finish_opts;

/* Writes `pdf` (a whole file written by cairo) to `out`, finished. False with a
 * sentence in `why` when the file cannot be read or the write fails. */
bool pdf_finish(const char *pdf, size_t len, const pdf_finish_opts *f, FILE *out, char *why,
                size_t why_len);

/* The same as an output filter (core/outfile.h): `ctx` is a pdf_finish_opts. */
bool pdf_finish_filter(void *ctx, const char *pdf, size_t len, FILE *out, char *why,
                       size_t why_len);

#endif
