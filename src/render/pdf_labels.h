/* pdf_labels.h - page labels for a finished PDF, as an incremental update.
 *
 * cairo 1.16 writes an empty /PageLabels number tree whatever labels it is given, so
 * the cairo writer appends a new version of that one object (PDF 1.7 §7.5.6): the
 * original bytes stay as they are, the result is deterministic, and every reader
 * applies the update. */
#ifndef CP_PDF_LABELS_H
#define CP_PDF_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dlist.h"

/* The one rule for page labels, for every writer. A page's label comes from the
 * layout (dl_page.label); a page without one is labelled with its number in the file,
 * as a reader shows it anyway. Consecutive numbers make one decimal range; any other
 * label is a range of one page that prints it as written. */
typedef struct {
    size_t first_page;       /* 0-based index where the range starts */
    unsigned start;          /* decimal ranges: the first page's number */
    const char *text;        /* other labels: the page's label; NULL for decimal */
} pdf_label_range;

/* The document's ranges into a new array (free with g_free); returns their count. */
size_t pdf_label_ranges(const dl_doc *doc, pdf_label_range **out);

/* Writes `pdf` followed by an update that sets the pages' labels. When the file has no
 * /PageLabels object to replace, writes `pdf` unchanged. False on a write error. */
bool pdf_write_with_labels(FILE *out, const char *pdf, size_t len, const dl_doc *doc);

#endif
