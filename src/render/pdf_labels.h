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

/* Writes `pdf` followed by an update that sets the pages' labels. When the file has no
 * /PageLabels object to replace, writes `pdf` unchanged. False on a write error. */
bool pdf_write_with_labels(FILE *out, const char *pdf, size_t len, const dl_doc *doc);

#endif
