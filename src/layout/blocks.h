/* blocks.h - the builders of every block kind (one file per family of kinds), above the
 * helpers they share (ctx.h lists the layers). */
#ifndef CP_BLOCKS_H
#define CP_BLOCKS_H

#include "ctx.h"
#include "dests.h"
#include "draw.h"
#include "page.h"
#include "text.h"
#include "../model/money.h"

/* blocks_text.c */
/* A section heading: text in the h2 style over a rule, a named destination, tagged as
 * `role`, kept with what follows. */
cp_piece *heading_piece(cp_ctx *ctx, PangoLayout *l, const char *dest, const char *role,
                        double space, const char *what);
bool build_cover(cp_ctx *ctx, const cp_node *block);
bool build_heading(cp_ctx *ctx, const cp_node *block);
bool build_prose(cp_ctx *ctx, const cp_node *block);
bool build_callout(cp_ctx *ctx, const cp_node *block);
bool build_personal(cp_ctx *ctx, const cp_node *block);
bool build_faq(cp_ctx *ctx, const cp_node *block);
bool build_contents(cp_ctx *ctx, const cp_node *block);

/* blocks_cards.c */
bool build_stat_cards(cp_ctx *ctx, const cp_node *block);
bool build_compare(cp_ctx *ctx, const cp_node *block);
bool build_chips(cp_ctx *ctx, const cp_node *block);
bool build_icon_grid(cp_ctx *ctx, const cp_node *block);
bool build_checklist(cp_ctx *ctx, const cp_node *block);
bool build_cards(cp_ctx *ctx, const cp_node *block);
bool build_columns(cp_ctx *ctx, const cp_node *block);
/* Lays blocks out side by side in `columns` equal columns (columns.c) and returns the
 * piece, or the last of the chained bands of a set taller than a page. */
cp_piece *piece_columns(cp_ctx *ctx, const cp_node *blocks, double space_before,
                        bool align_first);

/* blocks_data.c */
bool build_rating_bars(cp_ctx *ctx, const cp_node *block);
bool build_timeline(cp_ctx *ctx, const cp_node *block);
bool build_table(cp_ctx *ctx, const cp_node *block);
bool build_salary_chart(cp_ctx *ctx, const cp_node *block);

/* blocks_fit.c: "Your profile" from the roster row's rate:SKILL columns */
bool build_fit(cp_ctx *ctx, const cp_node *block);

/* blocks_qr.c */
bool build_qr(cp_ctx *ctx, const cp_node *block);
/* The address a QR code points to: the block's `url:` (placeholders filled), else the
 * career's `url`, else `next_step.url`; NULL when there is none. `src` locates it. */
const char *qr_url(cp_ctx *ctx, const cp_node *block, const cp_node **src);
/* A scannable QR code of `url` on a white size x size square (quiet zone included),
 * linked to the address. False after a message (an address too long to encode). */
bool put_qr(cp_ctx *ctx, cp_piece *pc, const char *url, const cp_node *src, double x,
            double y, double size);
/* A QR code with its caption centred below, from a spec {url, size, title} (cover
 * `qr:` option). Returns its height; 0 when there is no address. pc NULL: measure only. */
double put_qr_badge(cp_ctx *ctx, cp_piece *pc, const cp_node *spec, double x, double y,
                    cp_rgba ink);

/* The builder of a block kind by name, or NULL (blocks.c). */
block_build_fn block_kind(const char *name);

/* blocks.c */
bool build_page_break(cp_ctx *ctx, const cp_node *block);

/* Shared by the builders: a card background (fill + border) on a piece. */
void put_card(cp_ctx *ctx, cp_piece *pc, double x, double y, double w, double h,
              cp_rgba fill, cp_rgba border);
/* Items of a list node as text (scalars, or the `key` field of mappings). */
const char *item_text(const cp_node *item, const char *key);

/* Value of a data node in a display format: "score" (9.5/10), "money_range" and
 * "money_range_short" (a {min, max, currency, open_ended} mapping), or its text. */
const char *format_value(cp_ctx *ctx, const cp_node *v, const char *format);
const char *format_number(cp_ctx *ctx, double v);
/* Amounts as the document's language writes them (NULL for an unknown currency). */
const char *money_text(cp_ctx *ctx, double amount, const char *code, money_style st);
const char *money_range_text(cp_ctx *ctx, double lo, double hi, const char *code,
                             money_style st, bool open_ended);

#endif
