/* mirror.h - right-to-left pages (mirror.c). Internal to src/layout. */
#ifndef CP_MIRROR_H
#define CP_MIRROR_H

#include "ctx.h"

/* Mirrors every page of ctx->doc for a right-to-left language when the labels say so. */
void engine_direction(cp_ctx *ctx);

#endif
