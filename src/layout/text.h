/* text.h - paragraphs, labels and placeholders (text.c): everything that turns words
 * into shaped PangoLayouts. Internal to src/layout. */
#ifndef CP_TEXT_H
#define CP_TEXT_H

#include "ctx.h"

/* A shaped, broken paragraph at `width` (<= 0: one line). `src` locates errors: a glyph
 * that no bundled font has is reported against it. Never NULL. */
PangoLayout *text_new(cp_ctx *ctx, const char *text, cp_style_id style, double width,
                      const cp_node *src);
PangoLayout *text_styled(cp_ctx *ctx, const char *text, const cp_style *st, double width,
                         const cp_node *src);
/* Text that must fit a box: `max_lines` lines of the given width, never a word broken
 * inside. Set at the style's size when it fits on one line, else shrunk step by step
 * down to `min_size`; if one line is still too long, wrapped onto 2..max_lines lines,
 * again from the full size down. NULL after an error naming the field (`src`) and the
 * box: text is never clipped or left to overflow silently. */
typedef struct {
    int max_lines;          /* >= 1 */
    double min_size;        /* points, already scaled to the paper */
    const char *box;        /* for messages: "title box of the cover (blocks[0])" */
} cp_fit;
PangoLayout *text_fit(cp_ctx *ctx, const char *text, const cp_style *st, double width,
                      const cp_fit *fit, const cp_node *src);
/* Fit rules of a block's text field from its `fit:` option ({title: {max_lines: 2,
 * min_size: 40}}); false when the block sets none for that field. */
bool block_fit(cp_ctx *ctx, const cp_node *block, const char *field, cp_fit *out);
/* A block's text field: fitted by the block's `fit:` rule for `field` when it has one,
 * else wrapped at `width` onto as many lines as it needs. NULL after an error. */
PangoLayout *text_in_box(cp_ctx *ctx, const cp_node *block, const char *field,
                         const char *text, const cp_style *st, double width,
                         const cp_node *src);
double text_height(PangoLayout *l);
/* The height of one line of text in a style (what a box reserves per line). */
double text_line_height(cp_ctx *ctx, cp_style_id style);
double text_width(PangoLayout *l);
/* Distance from the top of the layout to the first baseline. */
double text_baseline(PangoLayout *l);
/* Adds the text to the piece; returns its height. */
double put_text(cp_ctx *ctx, cp_piece *pc, PangoLayout *l, double x, double y,
                cp_style_id style);

/* Label from the strings file ("sections.skills"), placeholders filled from the career
 * ({role}, {field}, {title}...), the student ({student.name}) and extra name, value
 * pairs: label(ctx, "footer.page", "page", "3", "pages", "8"), at most 8 pairs. Missing
 * label: error naming key and language, returns "". The macro ends the pairs with a
 * (const char *)NULL: a bare NULL may be a plain 0, which a variadic function must not
 * read as a pointer, and a forgotten end would be read past. */
#define label(ctx, ...) label_pairs((ctx), __VA_ARGS__, (const char *)NULL)
const char *label_pairs(cp_ctx *ctx, const char *key, ...);
/* Fills placeholders of any template the same way. */
const char *expand(cp_ctx *ctx, const char *tmpl, const char *const *extra);

#endif
