/* draw.c - drawing the block kinds share: icons by name (fonts/icons.yaml) and bars. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"

static bool icon_codepoint(cp_ctx *ctx, const char *name, uint32_t *cp)
{
    const char *hex = node_str(node_get(ctx->job->icons, "icons"), name);
    if (!hex)
        return false;
    char *end;
    unsigned long v = strtoul(hex, &end, 16);
    if (*end || v == 0 || v > 0x10FFFF)
        return false;
    *cp = (uint32_t)v;
    return true;
}

/* The drawing of an icon, or NULL after an error about `src` (or the block). */
static const dl_path *icon_path(cp_ctx *ctx, const char *name, const cp_node *src)
{
    uint32_t cp = 0;
    const dl_path *path = name && icon_codepoint(ctx, name, &cp) ? fonts_icon(ctx->fonts, cp)
                                                                 : NULL;
    if (path)
        return path;
    if (name && *name)
        layout_error(ctx, src, "unknown icon '%s', expected a name from fonts/icons.yaml",
                     name);
    else
        layout_error(ctx, src, "no icon, expected an icon: name from fonts/icons.yaml");
    return NULL;
}

bool icon_check(cp_ctx *ctx, const char *name, const cp_node *src)
{
    return icon_path(ctx, name, src) != NULL;
}

bool put_icon(cp_ctx *ctx, cp_piece *pc, const char *name, const cp_node *src, double x,
              double y, double size, cp_rgba color)
{
    /* Arrows point along the reading direction. */
    const char *dir = node_str(ctx->job->strings, "direction");
    if (name && dir && !strcmp(dir, "rtl") && !strcmp(name, "arrow-right"))
        name = "arrow-left";
    const dl_path *path = icon_path(ctx, name, src);
    if (!path)
        return false;
    dl_shape(ctx->doc, &pc->canvas, path, x, y, size, color);
    return true;
}

void put_bar(cp_ctx *ctx, cp_piece *pc, double x, double y, double w, double h,
             double share, cp_rgba fill)
{
    if (share < 0) share = 0;
    if (share > 1) share = 1;
    dl_rect(ctx->doc, &pc->canvas, x, y, w, h, ctx->th->color.track, h / 2);
    if (share > 0)
        dl_rect(ctx->doc, &pc->canvas, x, y, w * share < h ? h : w * share, h, fill, h / 2);
}
