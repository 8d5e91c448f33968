/* paginate.c - where each piece goes (paginate.h): plain numbers in, plain numbers out. */
#include "paginate.h"

#include <math.h>

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

size_t paginate_plan(const cp_box *b, size_t n, double room, cp_slot *slots,
                     size_t *too_tall)
{
    size_t page = 0;
    double y = 0;
    bool at_top = true;
    int last_header = -1;  /* header of the table being continued */
    for (size_t i = 0; i < n; i++) {
        if (b[i].height > room) {
            *too_tall = i;
            return 0;
        }
        double need = chain_height(b, n, i, at_top);
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
