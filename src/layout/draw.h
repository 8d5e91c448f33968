/* draw.h - drawing the block kinds share (draw.c): icons by name and bars. Internal to
 * src/layout. */
#ifndef CP_DRAW_H
#define CP_DRAW_H

#include "ctx.h"

/* An icon by name from fonts/icons.yaml, drawn in a size x size box; false after an
 * error about `src` (or the block) when there is no such icon. */
bool put_icon(cp_ctx *ctx, cp_piece *pc, const char *name, const cp_node *src, double x,
              double y, double size, cp_rgba color);
/* The same check without drawing: a block whose items share one icon checks it once,
 * so a wrong name is one message, not one per item. */
bool icon_check(cp_ctx *ctx, const char *name, const cp_node *src);
/* A horizontal bar: track plus a filled share (0..1). */
void put_bar(cp_ctx *ctx, cp_piece *pc, double x, double y, double w, double h,
             double share, cp_rgba fill);

#endif
