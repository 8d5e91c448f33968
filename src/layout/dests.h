/* dests.h - named destinations (dests.c): the anchors that headings set and that
 * contents entries and the handbook's index link to, and the pages they landed on.
 * Internal to src/layout. */
#ifndef CP_DESTS_H
#define CP_DESTS_H

#include "ctx.h"

/* A new unique named destination. */
const char *new_dest(cp_ctx *ctx, const char *hint);
/* The destination of a section heading, derived from its label key so that a contents
 * block can link to it before it is built ("sections.salary" → "sec-salary"). */
const char *heading_dest(cp_ctx *ctx, const char *key);
/* 1-based page of a destination as text, "" before pagination is known. */
const char *dest_page(cp_ctx *ctx, const char *dest);
/* Where each destination of ctx->doc landed (name to 1-based page as text), for the
 * second pass; freed with the arena. */
GHashTable *collect_dest_pages(cp_ctx *ctx);

#endif
