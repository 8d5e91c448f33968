/* handbook.h - every career in one book: a cover, contents with page numbers, one
 * chapter per career starting on a right-hand page, running headers, related careers
 * linked to their chapters, nested bookmarks and an index of skills. */
#ifndef CP_HANDBOOK_H
#define CP_HANDBOOK_H

#include <stddef.h>

#include "layout.h"

typedef struct {
    const char *id;
    const cp_node *career;
    dl_doc *doc;            /* laid out with job.chapter set (no page furniture) */
} hb_chapter;

/* `front` gives the theme, labels and fonts for the book's own pages. The chapters'
 * documents are consumed (their pages move into the book). NULL after a message. */
dl_doc *handbook_document(cp_arena *a, const cp_job *front, hb_chapter *chapters, size_t n);

#endif
