/* driver.c - the walk over the display list and the rules every writer shares (see
 * driver.h for the map of src/render/). */
#include "driver.h"

#include <math.h>
#include <stdlib.h>

#include <glib.h>

/* Bézier control distance for a quarter circle (what cairo_arc uses for 90 degrees). */
#define ARC_K 0.5522847498307936

/* ---- shapes ---------------------------------------------------------------------- */

static dl_path_op op(dl_path_op_kind k, double a, double b, double c, double d, double e,
                     double f)
{
    return (dl_path_op){k, {a, b, c, d, e, f}};
}

void rd_box_path(double x, double y, double w, double h, double r, rd_shape *out,
                 dl_path_op ops[RD_BOX_OPS])
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    if (h < 0) {
        y += h;
        h = -h;
    }
    r = fmin(r, fmin(w, h) / 2);
    out->scale = 1;
    out->x = out->y = 0;
    if (r <= 0) {
        out->box = true;
        out->rect[0] = x;
        out->rect[1] = y;
        out->rect[2] = w;
        out->rect[3] = h;
        out->ops = NULL;
        out->len = 0;
        return;
    }
    double k = r * ARC_K, x1 = x + w, y1 = y + h;
    ops[0] = op(PATH_MOVE, x1 - r, y, 0, 0, 0, 0);
    ops[1] = op(PATH_CURVE, x1 - r + k, y, x1, y + r - k, x1, y + r);
    ops[2] = op(PATH_LINE, x1, y1 - r, 0, 0, 0, 0);
    ops[3] = op(PATH_CURVE, x1, y1 - r + k, x1 - r + k, y1, x1 - r, y1);
    ops[4] = op(PATH_LINE, x + r, y1, 0, 0, 0, 0);
    ops[5] = op(PATH_CURVE, x + r - k, y1, x, y1 - r + k, x, y1 - r);
    ops[6] = op(PATH_LINE, x, y + r, 0, 0, 0, 0);
    ops[7] = op(PATH_CURVE, x, y + r - k, x + r - k, y, x + r, y);
    ops[8] = op(PATH_CLOSE, 0, 0, 0, 0, 0, 0);
    out->box = false;
    out->ops = ops;
    out->len = RD_BOX_OPS;
}

/* A box: filled and/or stroked (its stroke with the default square ends). */
static void draw_rect(const rd_backend *b, void *be, const dl_item *it)
{
    bool fill = it->fill.a > 0, stroke = it->stroke_width > 0 && it->stroke.a > 0;
    if (!fill && !stroke)
        return;
    dl_path_op ops[RD_BOX_OPS];
    rd_shape s = {.fill = fill, .fill_color = it->fill, .stroke = stroke,
                  .stroke_color = it->stroke, .width = it->stroke_width};
    rd_box_path(it->x, it->y, it->w, it->h, it->radius, &s, ops);
    b->shape(be, &s);
}

/* A straight stroke with round ends, solid or dashed. */
static void draw_line(const rd_backend *b, void *be, const dl_item *it)
{
    if (!(it->stroke_width > 0))
        return;
    dl_path_op ops[2] = {op(PATH_MOVE, it->x, it->y, 0, 0, 0, 0),
                         op(PATH_LINE, it->x + it->w, it->y + it->h, 0, 0, 0, 0)};
    rd_shape s = {.ops = ops, .len = 2, .scale = 1, .stroke = true,
                  .stroke_color = it->stroke, .width = it->stroke_width,
                  .dash = it->dash > 0 ? it->dash : 0, .round_cap = true};
    b->shape(be, &s);
}

/* A filled vector shape (icons, chart marks) in its own coordinates. A fully
 * transparent one draws nothing. */
static void draw_path(const rd_backend *b, void *be, const dl_item *it)
{
    const dl_path *p = it->path;
    if (!p || p->len == 0 || !(it->scale > 0) || !(it->fill.a > 0))
        return;
    rd_shape s = {.ops = p->ops, .len = p->len, .x = it->x, .y = it->y,
                  .scale = it->scale, .fill = true, .fill_color = it->fill};
    b->shape(be, &s);
}

/* ---- structure elements ---------------------------------------------------------- */

struct rd_tags {
    GPtrArray *open;   /* roles, innermost last; NULL for a begin without a role */
};

rd_tags *rd_tags_new(void)
{
    rd_tags *t = g_new(rd_tags, 1);
    t->open = g_ptr_array_new();
    return t;
}

static void tag_begin(const rd_backend *b, void *be, rd_tags *t, const char *role)
{
    if (role && !*role)
        role = NULL;
    if (role)
        b->tag_begin(be, role);
    g_ptr_array_add(t->open, (gpointer)role);
}

static void tag_end(const rd_backend *b, void *be, rd_tags *t)
{
    if (t->open->len == 0)
        return; /* an end without a begin is the layout's bug; ignoring it keeps the
                   file valid */
    const char *role = g_ptr_array_remove_index(t->open, t->open->len - 1);
    if (role && b && b->tag_end)   /* no backend: a document given up, only freed */
        b->tag_end(be, role);
}

void rd_tags_close(rd_tags *t, const rd_backend *b, void *be)
{
    while (t->open->len > 0)
        tag_end(b, be, t);
    g_ptr_array_free(t->open, TRUE);
    g_free(t);
}

/* ---- the walk -------------------------------------------------------------------- */

/* Whether `page` is being drawn by this walk or one it was started from. */
static bool showing(const rd_walk_state *w, const dl_page *page)
{
    for (; w; w = w->outer)
        if (w->page == page)
            return true;
    return false;
}

/* A link or destination under its final name. */
static void named(void (*fn)(void *, const dl_item *), void *be, const dl_item *it,
                  const char *prefix)
{
    if (!fn)
        return;
    if (!prefix || !it->dest || it->uri) {
        fn(be, it);
        return;
    }
    dl_item copy = *it;
    char *name = g_strconcat(prefix, it->dest, NULL);
    copy.dest = name;
    fn(be, &copy);
    g_free(name);
}

static void draw_item(const rd_backend *b, void *be, const dl_item *it, unsigned what,
                      const char *prefix, rd_tags *tags, const rd_walk_state *w)
{
    bool draw = what & RD_DRAW;
    switch (it->kind) {
    case DL_RECT: if (draw) draw_rect(b, be, it); break;
    case DL_LINE: if (draw) draw_line(b, be, it); break;
    case DL_PATH: if (draw) draw_path(b, be, it); break;
    case DL_TEXT: if (draw && it->layout) b->text(be, it); break;
    case DL_IMAGE: if (draw && it->image_path) b->image(be, it); break;
    case DL_PAGE_REF:
        if (draw && b->page_ref && it->ref && !showing(w, it->ref))
            b->page_ref(be, it, w);
        break;
    case DL_LINK:
        if (what & RD_LINKS)
            named(b->link, be, it, prefix);
        break;
    case DL_DEST:
        if ((what & RD_DESTS) && it->dest)
            named(b->dest, be, it, prefix);
        break;
    case DL_TAG_BEGIN: if ((what & RD_TAGS) && b->tag_begin) tag_begin(b, be, tags, it->tag); break;
    case DL_TAG_END: if ((what & RD_TAGS) && b->tag_end) tag_end(b, be, tags); break;
    case DL_SLOT: if ((what & RD_SLOTS) && b->slot) b->slot(be, it, w->page); break;
    }
}

void rd_walk(const rd_backend *b, void *be, const dl_page *page, unsigned what,
             const char *prefix, rd_tags *carry, const rd_walk_state *outer)
{
    rd_walk_state w = {page, outer, what};
    rd_tags *tags = carry ? carry : rd_tags_new();
    for (size_t i = 0; i < page->items.len; i++) {
        if (b->failed && b->failed(be))
            break;
        draw_item(b, be, page->items.items[i], what, prefix, tags, &w);
    }
    if (!carry)
        rd_tags_close(tags, b, be);
}

void rd_document(const rd_backend *b, void *be, const dl_doc *doc, unsigned what)
{
    size_t n = dl_page_count(doc);
    bool tags = (what & RD_TAGS) && b->tag_begin && b->tag_end;
    rd_tags *carry = tags ? rd_tags_new() : NULL;
    for (size_t i = 0; i < n && !(b->failed && b->failed(be)); i++) {
        const dl_page *p = dl_page_get(doc, i);
        if (b->begin_page)
            b->begin_page(be, i, p);
        /* One root element spans the whole document (a root per page makes poppler
         * warn that StructTreeRoot has several children). It begins once the first
         * page is started (cairo 1.16 drops a tag begun before) and ends before the
         * last page ends. It is not on the tag stack, so a stray end cannot close it. */
        if (i == 0 && tags)
            b->tag_begin(be, RD_ROOT_TAG);
        rd_walk(b, be, p, what, NULL, carry, NULL);
        if (i == n - 1 && tags) {
            rd_tags_close(carry, b, be);
            carry = NULL;
            b->tag_end(be, RD_ROOT_TAG);
        }
        if (b->end_page)
            b->end_page(be, i, p);
    }
    if (carry)
        rd_tags_close(carry, b, be);
}

/* ---- outline --------------------------------------------------------------------- */

void rd_outline(const dl_doc *doc, int min_level, intptr_t root, const char *prefix,
                rd_outline_fn add, void *be)
{
    if (min_level < 1)
        min_level = 1;
    if (min_level > RD_OUTLINE_MAX_DEPTH)
        return;
    intptr_t parent[RD_OUTLINE_MAX_DEPTH + 1] = {0};
    parent[min_level - 1] = root;
    int depth = min_level - 1; /* entries valid in parent[min_level - 1 .. depth] */
    for (size_t i = 0; i < doc->outline.len; i++) {
        const dl_outline *o = doc->outline.items[i];
        if (!o->dest || !*o->dest)
            continue;
        int level = o->level < 1 ? 1 : o->level > RD_OUTLINE_MAX_DEPTH
                                           ? RD_OUTLINE_MAX_DEPTH : o->level;
        if (level < min_level)
            continue;
        if (level > depth + 1)
            level = depth + 1;
        char *dest = prefix ? g_strconcat(prefix, o->dest, NULL) : NULL;
        intptr_t made;
        if (add(be, parent[level - 1], o->title ? o->title : "", dest ? dest : o->dest,
                level == 1, &made)) {
            parent[level] = made;
            depth = level;
        }
        g_free(dest);
    }
}
