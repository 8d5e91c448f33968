/* shorten.h - how a fixed-size layout (one with `max_pages`: the handout, the poster)
 * makes a long career fit, and how it refuses one that cannot.
 *
 * The layout file declares its shortening: blocks marked `if_room: N` are dropped (the
 * highest N first), then lists with `shorten_to: N` are cut item by item down to N
 * (each cut list gets a "+3 more in the full report" note). The layouts tried on the
 * way are thrown away silently; only the one kept speaks. When even the shortest
 * declared form does not fit, the message names the career's own file, line and data
 * path, the block and what would fit ("salary.levels: 6 levels do not fit the
 * handout's salary chart (room for 4)"). Every decision depends on the career and the
 * layout alone, so a roster run shortens exactly as a single career does.
 * It sits beside engine.c at the top of src/layout: the pass it runs is given to it.
 * Internal to src/layout. */
#ifndef CP_SHORTEN_H
#define CP_SHORTEN_H

#include <stddef.h>

#include "ctx.h"

/* After a block of a fixed-size layout is built: the "+N more in the full report" note
 * under it when its list shows fewer items than the career has. */
void shorten_note(cp_ctx *ctx, const cp_node *block);

/* One layout pass (engine.c's run_pass): every block to pieces, pieces to pages. */
typedef bool (*shorten_pass_fn)(cp_ctx *ctx, const cp_node *blocks);

/* Runs `pass` over `*blocks` and, for a layout with `max_pages`, shortens it as its
 * layout file declares until it fits. On return ctx holds the pass kept and *blocks
 * its block list. False after the errors were reported; true may still leave a
 * document longer than max_pages, which the engine reports by name. */
bool shorten_fit(cp_ctx *ctx, const cp_node **blocks, shorten_pass_fn pass);

#endif
