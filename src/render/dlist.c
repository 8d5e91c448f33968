#include "dlist.h"

#include <stdlib.h>
#include <string.h>

dl_doc *dl_doc_new(cp_arena *a)
{
    dl_doc *d = ARENA_NEW(a, dl_doc);
    d->arena = a;
    return d;
}

dl_page *dl_page_add(dl_doc *d, double width, double height)
{
    dl_page *p = ARENA_NEW(d->arena, dl_page);
    p->width = width;
    p->height = height;
    vec_push(d->arena, &d->pages, p);
    return p;
}

static dl_item *push(dl_doc *d, dl_page *p, dl_kind kind)
{
    dl_item *it = ARENA_NEW(d->arena, dl_item);
    it->kind = kind;
    it->scale = 1.0;
    vec_push(d->arena, &p->items, it);
    return it;
}

static dl_item *boxed(dl_doc *d, dl_page *p, dl_kind kind, double x, double y,
                      double w, double h)
{
    dl_item *it = push(d, p, kind);
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
    return it;
}

dl_item *dl_rect(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                 cp_rgba fill, double radius)
{
    dl_item *it = boxed(d, p, DL_RECT, x, y, w, h);
    it->fill = fill;
    it->radius = radius;
    return it;
}

dl_item *dl_frame(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                  cp_rgba stroke, double stroke_width, double radius)
{
    dl_item *it = boxed(d, p, DL_RECT, x, y, w, h);
    it->stroke = stroke;
    it->stroke_width = stroke_width;
    it->radius = radius;
    return it;
}

dl_item *dl_line(dl_doc *d, dl_page *p, double x0, double y0, double x1, double y1,
                 cp_rgba stroke, double width)
{
    dl_item *it = boxed(d, p, DL_LINE, x0, y0, x1 - x0, y1 - y0);
    it->stroke = stroke;
    it->stroke_width = width;
    return it;
}

dl_item *dl_shape(dl_doc *d, dl_page *p, const dl_path *path, double x, double y,
                  double scale, cp_rgba fill)
{
    dl_item *it = boxed(d, p, DL_PATH, x, y, 0, 0);
    it->path = path;
    it->scale = scale;
    it->fill = fill;
    return it;
}

dl_item *dl_text(dl_doc *d, dl_page *p, PangoLayout *layout, double x, double y,
                 cp_rgba color)
{
    dl_item *it = boxed(d, p, DL_TEXT, x, y, 0, 0);
    it->layout = g_object_ref(layout);
    arena_on_free(d->arena, g_object_unref, layout);
    it->fill = color;
    return it;
}

dl_item *dl_image(dl_doc *d, dl_page *p, const char *png_path, double x, double y,
                  double w, double h)
{
    dl_item *it = boxed(d, p, DL_IMAGE, x, y, w, h);
    it->image_path = png_path;
    return it;
}

dl_item *dl_link_uri(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                     const char *uri)
{
    dl_item *it = boxed(d, p, DL_LINK, x, y, w, h);
    it->uri = uri;
    return it;
}

dl_item *dl_link_dest(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                      const char *dest)
{
    dl_item *it = boxed(d, p, DL_LINK, x, y, w, h);
    it->dest = dest;
    return it;
}

dl_item *dl_dest(dl_doc *d, dl_page *p, const char *name, double x, double y)
{
    dl_item *it = boxed(d, p, DL_DEST, x, y, 0, 0);
    it->dest = name;
    return it;
}

dl_item *dl_slot(dl_doc *d, dl_page *p, int slot, double x, double y, double w, double h)
{
    dl_item *it = boxed(d, p, DL_SLOT, x, y, w, h);
    it->slot = slot;
    return it;
}

dl_item *dl_tag_begin(dl_doc *d, dl_page *p, const char *role)
{
    dl_item *it = push(d, p, DL_TAG_BEGIN);
    it->tag = role;
    return it;
}

void dl_tag_end(dl_doc *d, dl_page *p)
{
    push(d, p, DL_TAG_END);
}

void dl_outline_add(dl_doc *d, int level, const char *title, const char *dest)
{
    dl_outline *o = ARENA_NEW(d->arena, dl_outline);
    o->level = level;
    o->title = title;
    o->dest = dest;
    vec_push(d->arena, &d->outline, o);
}

void dl_rename_dests(dl_doc *d, dl_rename_fn rename, const void *data)
{
    for (size_t p = 0; p < dl_page_count(d); p++) {
        dl_page *page = dl_page_get(d, p);
        for (size_t i = 0; i < page->items.len; i++) {
            dl_item *it = page->items.items[i];
            if ((it->kind == DL_DEST || (it->kind == DL_LINK && !it->uri)) && it->dest)
                it->dest = rename(d->arena, it->dest, data);
        }
    }
    for (size_t i = 0; i < d->outline.len; i++) {
        dl_outline *o = d->outline.items[i];
        if (o->dest)
            o->dest = rename(d->arena, o->dest, data);
    }
}

bool dl_slot_page(const dl_doc *d, int slot, size_t *page)
{
    for (size_t p = 0; p < dl_page_count(d); p++) {
        const dl_page *pg = dl_page_get(d, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const dl_item *it = pg->items.items[i];
            if (it->kind == DL_SLOT && it->slot == slot) {
                *page = p;
                return true;
            }
        }
    }
    return false;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool rgba_parse(const char *s, cp_rgba *out)
{
    size_t n = s ? strlen(s) : 0;
    if ((n != 7 && n != 9) || s[0] != '#')
        return false;
    double v[4] = {0, 0, 0, 1};
    for (size_t i = 0; i < (n - 1) / 2; i++) {
        int hi = hexval(s[1 + 2 * i]), lo = hexval(s[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return false;
        v[i] = (hi * 16 + lo) / 255.0;
    }
    *out = (cp_rgba){v[0], v[1], v[2], v[3]};
    return true;
}

cp_rgba rgba_gray(cp_rgba c)
{
    double y = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    return (cp_rgba){y, y, y, c.a};
}
