/* merge.h - many students' reports as one PDF for a single print job: the merging
 * writer, drawn through the cairo backend (cairo_out.h) and so through the one driver
 * (driver.h: tags, destination names, outline nesting, shapes).
 *
 * Reports are drawn onto one cairo PDF surface as they come and their memory is freed
 * at once, so a merged file of a thousand students needs no more memory for layout
 * than one report (cairo itself keeps a little per page until the end). Every report
 * starts on an odd page - a blank page is put in when needed - so printing duplex never
 * puts two students on one sheet. Each student gets one bookmark (their name) with the
 * report's own section bookmarks nested below; named destinations are renamed per
 * student so links inside one report never jump into another. Fonts are embedded once
 * for the whole file, and so are the pages students share (merge_add_shared). */
#ifndef CP_MERGE_H
#define CP_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "dlist.h"
#include "pdf_security.h"

typedef struct cp_merge cp_merge;

/* Writes to a temporary file next to `path`, encrypted when committed if `sec` is not
 * NULL (it must live until then); NULL after a message. */
cp_merge *merge_open(const char *path, const char *title, const cp_pdf_security *sec);
/* Appends one report (whose destinations are renamed in place: the document is used up).
 * `key` makes its destinations unique (the roster row); `bookmark` is the student's
 * name. Sets *first_page (1-based) and *blanks (0 or 1: the blank page put in before). */
void merge_add(cp_merge *m, dl_doc *doc, size_t key, const char *bookmark,
               size_t *first_page, size_t *blanks);
/* Appends a report made of shared pages and the student's overlay (the layout's
 * templates, src/layout/layout.h): `shared` holds a stand-in (DL_SLOT) for each of the
 * student's frames, and overlay page k is drawn on the page of slot k (overlay NULL when
 * there are no frames). The shared pages are drawn from recordings kept for the whole
 * file, so each is stored once however many students share it, and only the student's
 * frames, links and destinations are added per student. `shared` must outlive the
 * merge. */
void merge_add_shared(cp_merge *m, const dl_doc *shared, const dl_doc *overlay,
                      size_t key, const char *bookmark, size_t *first_page, size_t *blanks);
/* Pages so far. */
size_t merge_pages(const cp_merge *m);
/* Finishes and renames into place; false after a message. Frees m either way. A merge
 * with no page at all is an error (and nothing is written). */
bool merge_commit(cp_merge *m);
void merge_abort(cp_merge *m);

#endif
