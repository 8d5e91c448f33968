/* illustrative.h - the notes under blocks whose data the editors wrote where the source
 * had none (the career's `illustrative:` paths), illustrative.c. Internal to
 * src/layout. */
#ifndef CP_ILLUSTRATIVE_H
#define CP_ILLUSTRATIVE_H

#include "ctx.h"

/* The `illustrative:` path of the career that the block's `data:` is at or under, or
 * NULL. */
const char *illustrative_parent(cp_ctx *ctx, const cp_node *block);
/* Adds the tag owed to the blocks just built (ctx->illustrative_pending), if any. */
void illustrative_flush(cp_ctx *ctx);
/* `illustrative: footnote` layouts: the explanation once, at the end of the flow, when
 * a block was tagged. */
void illustrative_footnote(cp_ctx *ctx);

#endif
