/* paginate.h - where each piece goes: the pagination decisions, free of drawing so
 * they can be tested on their own.
 *
 * Rules: a piece is never split; space_before is dropped at the top of a page; a chain
 * of keep_with_next pieces moves to a new page together (a chain taller than a page
 * flows on piece by piece, keeping only its first piece with the second and its last
 * with the one before); a piece that continues a table on a new page gets the table's
 * header repeated above it. */
#ifndef CP_PAGINATE_H
#define CP_PAGINATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    double height, space_before;
    bool keep_with_next;
    int header;              /* index of its header piece, or -1 */
} cp_box;

typedef struct {
    size_t page;             /* 0-based */
    double y;                /* offset from the top of the page's content area */
    bool header_repeated;    /* the header is drawn at y - header height first */
} cp_slot;

/* Fills slots[0..n); returns the page count, or 0 when box *too_tall is taller than
 * `room` (nothing sensible can be done with it). */
size_t paginate_plan(const cp_box *boxes, size_t n, double room, cp_slot *slots,
                     size_t *too_tall);

/* Side-by-side columns taller than a page are cut into bands of about `band` points:
 * fills band_of[0..n) with the band of each piece of one column, in order, and returns
 * the number of bands. A band takes the pieces that end within it, and at least one
 * (so a piece taller than a band moves on); spacing is counted as in a page. */
size_t paginate_column_bands(const cp_box *boxes, size_t n, double band, size_t *band_of);

/* `page.justify`: a section that fits one page of `room` gets the leftover height
 * spread over the gaps between its boxes (each gap at most four times as wide), except
 * the gap after a box that keeps with the next. Widens boxes[].space_before and returns
 * true; false (nothing changed) when the section is taller than `room` or has no gap
 * to widen. */
bool paginate_justify(cp_box *boxes, size_t n, double room);

#endif
