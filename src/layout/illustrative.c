/* illustrative.c - "Illustrative" notes: data the editors wrote where the source had
 * none is listed in the career's `illustrative` paths, and the blocks showing it say so
 * underneath (once at length, then briefly; posters: a word each and a footnote). */
#include <string.h>

#include "illustrative.h"
#include "text.h"

/* True when data path `path` is `parent` or lies under it (salary.levels[0] under
 * salary, salary.levels under salary). */
static bool path_under(const char *path, const char *parent)
{
    size_t n = strlen(parent);
    return !strncmp(path, parent, n) &&
           (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

/* Data the editors wrote where the source had none is listed in the career's
 * `illustrative` paths (a part or a whole section); blocks whose `data:` is at or under
 * such a path say so underneath. */
const char *illustrative_parent(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *list = node_get(ctx->job->career, "illustrative");
    const char *data = node_str(block, "data");
    for (size_t i = 0; data && node_is_seq(list) && i < list->len; i++)
        if (node_is_scalar(list->items[i]) && list->items[i]->text &&
            path_under(data, list->items[i]->text))
            return list->items[i]->text;
    return NULL;
}

/* `illustrative: footnote` (posters): every block says only "Illustrative" and the
 * explanation is printed once at the end, instead of inside the first narrow column. */
static bool footnote_mode(cp_ctx *ctx)
{
    const char *mode = node_str(ctx->job->layout, "illustrative");
    return mode && !strcmp(mode, "footnote");
}

static void note_piece(cp_ctx *ctx, const char *key, double space, cp_style_id style)
{
    cp_style st = ctx->th->style[style];
    st.italic = true;
    st.color = ctx->th->color.muted;
    cp_piece *pc = piece_new(ctx, space, "illustrative");
    PangoLayout *l = text_styled(ctx, label(ctx, key), &st, ctx->width, NULL);
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    dl_text(ctx->doc, &pc->canvas, l, 0, 0, st.color);
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = text_height(l);
}

static void illustrative_note(cp_ctx *ctx)
{
    const char *key = ctx->illustrative_explained || footnote_mode(ctx)
                          ? "labels.illustrative" : "labels.illustrative_note";
    ctx->illustrative_explained = true;
    /* A footnote's tags are one word each: footer-sized, close under their block. */
    if (footnote_mode(ctx))
        note_piece(ctx, key, ctx->th->gap * 0.5, ST_FOOTER);
    else
        note_piece(ctx, key, ctx->th->gap * 0.8, ST_SMALL);
}

/* The tag owed to the blocks just built, if any. */
void illustrative_flush(cp_ctx *ctx)
{
    if (!ctx->illustrative_pending)
        return;
    ctx->illustrative_pending = NULL;
    illustrative_note(ctx);
}

void illustrative_footnote(cp_ctx *ctx)
{
    if (footnote_mode(ctx) && ctx->illustrative_explained)
        note_piece(ctx, "labels.illustrative_note", ctx->th->gap * 2, ST_FOOTER);
}
