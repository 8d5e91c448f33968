/* pdf_assemble.h - one PDF from a template and an overlay, both written by cairo.
 *
 * Personalised reports in bulk (src/layout/layout.h, templates) share every page but
 * the student's own boxes. The template is written once per career by the cairo writer
 * (cairo_pdf_bytes, whole) and finished (pdf_finish.h): fonts, pages, structure tags,
 * outline, links and labels, with a stand-in form XObject for each DL_SLOT (a 1 pt
 * square at x = 10 + slot, see cairo_out.c) inside a structure element reserved for the
 * slot. Per student only the overlay is written (cairo_pdf_bytes, not whole: the drawing
 * and its tags) and finished: one page per slot holding the student's blocks. The
 * assembler copies the template's objects as they are and puts each overlay page into
 * its slot's page:
 *
 * - its content becomes the page's own, between what the template draws before the
 *   stand-in and what it draws after (the page lists three streams), under the matrix
 *   that undoes the template page's flip; its resources join the page's under names of
 *   their own (renumbered after the template's objects);
 * - its structure elements take the place of the slot's element among its parent's
 *   kids, on the template's page, their marked content numbered after the page's own
 *   and listed in the page's ParentTree array. The slot's own marked-content sequence
 *   goes. So a student's report holds the same elements as the same report laid out
 *   whole, with the same languages (the finisher marked the overlay's runs), and
 *   readers find the student's marked content where they look: in the page's content.
 *
 * A template without a structure tree gets the overlay page as a form in place of the
 * stand-in. Parsing relies on what cairo 1.16 and the finisher write (classic xref tables,
 * possibly followed by the page-label update of pdf_labels.c), not on PDF in general:
 * anything unexpected makes pdf_template_new return NULL, and the caller writes the
 * document directly. */
#ifndef CP_PDF_ASSEMBLE_H
#define CP_PDF_ASSEMBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cp_pdf_template cp_pdf_template;

/* Parses a template with `slots` stand-ins (numbered 0..slots-1). The bytes are
 * copied. NULL when the file is not what cairo writes or a stand-in is missing. */
cp_pdf_template *pdf_template_new(const char *pdf, size_t len, size_t slots);
void pdf_template_free(cp_pdf_template *t);

/* Writes the template with overlay page i drawn in slot i. The overlay must have
 * exactly as many pages as the template has slots. False on a malformed overlay or a
 * write error (check ferror(out) to tell them apart). Deterministic: the same inputs
 * give the same bytes. */
bool pdf_assemble(const cp_pdf_template *t, const char *overlay, size_t len, FILE *out);

/* The same file in two steps: the template's part, which does not depend on the
 * overlay, then the rest. A caller can start writing (and the disk start storing) the
 * head while it still draws the overlay. After a failed tail the file is useless. */
bool pdf_assemble_head(const cp_pdf_template *t, FILE *out);
bool pdf_assemble_tail(const cp_pdf_template *t, const char *overlay, size_t len,
                       FILE *out);

#endif
