/* paginate.c - where each piece goes (paginate.h): plain numbers in, plain numbers out. */
#include "paginate.h"

#include <math.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Height the chain starting at i needs, counting its first gap unless at a page top. */
static double chain_height(const cp_box *b, size_t n, size_t i, bool at_top)
{
    double h = 0;
    for (size_t k = i; k < n; k++) {
        h += (k == i && at_top ? 0 : b[k].space_before) + b[k].height;
        if (!b[k].keep_with_next)
            break;
    }
    return h;
}

/* Last piece of the chain starting at i. */
static size_t chain_end(const cp_box *b, size_t n, size_t i)
{
    while (i + 1 < n && b[i].keep_with_next)
        i++;
    return i;
}

/* Height of pieces from..to, counting the first gap unless at a page top. */
static double span_height(const cp_box *b, size_t from, size_t to, bool at_top)
{
    double h = 0;
    for (size_t k = from; k <= to; k++)
        h += (k == from && at_top ? 0 : b[k].space_before) + b[k].height;
    return h;
}

/* Pieces at each end of a chain taller than a page that still keep together: its
 * first with the second (a heading with what it heads), its last with the one before
 * (a chart with the table's last row: it does not start a page alone). */
enum { CHAIN_HEAD = 2, CHAIN_TAIL = 2 };

size_t paginate_plan(const cp_box *b, size_t n, double room, cp_slot *slots,
                     size_t *too_tall)
{
    size_t page = 0;
    double y = 0;
    bool at_top = true;
    int last_header = -1;  /* header of the table being continued */
    /* A chain taller than a page cannot move whole: its pieces flow on one by one up to
     * broken_end, keeping together only at its ends. Moving what is left of it whole
     * once the rest fits a page would leave a page all but empty (one table row, then
     * the rows and chart after it on the next). */
    size_t broken_end = 0;
    bool broken = false;
    for (size_t i = 0; i < n; i++) {
        if (b[i].height > room) {
            *too_tall = i;
            return 0;
        }
        if (broken && i > broken_end)
            broken = false;
        double need;
        if (!broken) {
            need = chain_height(b, n, i, at_top);
            if (need > room) {
                broken = true;
                broken_end = chain_end(b, n, i);
                need = span_height(b, i, MIN(i + CHAIN_HEAD - 1, broken_end), at_top);
            }
        } else {
            size_t tail = broken_end >= CHAIN_TAIL - 1 ? broken_end - (CHAIN_TAIL - 1) : 0;
            need = span_height(b, i, i >= tail ? broken_end : i, at_top);
        }
        if (need > room)
            need = b[i].height + (at_top ? 0 : b[i].space_before);
        slots[i].header_repeated = false;
        if (!at_top && y + need > room) {
            page++;
            y = 0;
            at_top = true;
            if (b[i].header >= 0 && b[i].header == last_header &&
                b[b[i].header].height + b[i].height <= room) {
                slots[i].header_repeated = true;
                y = b[b[i].header].height;
                at_top = false;
            }
        }
        if (!at_top && !slots[i].header_repeated)
            y += b[i].space_before;
        slots[i].page = page;
        slots[i].y = y;
        y += b[i].height;
        at_top = false;
        if (b[i].header >= 0)
            last_header = b[i].header;
    }
    return page + 1;
}

size_t paginate_column_bands(const cp_box *b, size_t n, double band, size_t *band_of)
{
    size_t k = 0;
    double top = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && top + b[i].height > band * (double)(k + 1))
            k++;
        band_of[i] = k;
        top += (i > 0 ? b[i].space_before : 0) + b[i].height;
    }
    return n ? k + 1 : 0;
}

/* A gap justify may widen: not the first, and not one after a box that keeps with the
 * next (a heading stays with what it introduces). */
static bool stretchable(const cp_box *b, size_t i)
{
    return i > 0 && !b[i - 1].keep_with_next;
}

bool paginate_justify(cp_box *b, size_t n, double room)
{
    double used = 0, gaps = 0;
    for (size_t i = 0; i < n; i++) {
        used += b[i].height + (i ? b[i].space_before : 0);
        gaps += stretchable(b, i) ? b[i].space_before : 0;
    }
    if (used > room || gaps <= 0)
        return false;
    /* A hair short of the foot: rounding must not push the last box over. */
    double k = 1 + fmin((room - used - 0.01) / gaps, 3);
    for (size_t i = 1; i < n; i++)
        if (stretchable(b, i))
            b[i].space_before *= k;
    return true;
}
