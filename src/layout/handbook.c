/* handbook.c - assembling chapters into a book.
 *
 * Chapters are laid out on their own (the report layout, as chapters); the book then
 * renames their destinations so they stay unique ("ID/sec-skills"), points "career:ID"
 * links at chapter openings, adds its cover, contents and index, blank versos so every
 * chapter opens on a right-hand page, running headers and page numbers. */
#include "handbook.h"

#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "engine.h"
#include "flow.h"
#include "page.h"

#define G (ctx->th->gap)

typedef struct {
    const char *skill, *role, *dest;
    size_t page;
} index_entry;

/* --- destinations ----------------------------------------------------------------------- */

/* A chapter's destination "ID/name"; a "career:ID" link opens chapter ID. */
static const char *chapter_dest(cp_arena *a, const char *dest, const void *id)
{
    if (!strncmp(dest, "career:", 7))
        return arena_printf(a, "%s/top", dest + 7);
    return arena_printf(a, "%s/%s", (const char *)id, dest);
}

/* --- the book's own pages ------------------------------------------------------------ */

static void book_cover(cp_ctx *ctx, size_t n)
{
    const cp_theme *th = ctx->th;
    cp_piece *pc = piece_new(ctx, 0, "handbook cover");
    double pad = G * 5, inner = ctx->width - 2 * pad;
    char count[16];
    snprintf(count, sizeof count, "%zu", n);
    cp_style title = th->style[ST_TITLE];
    title.size *= 1.6;
    PangoLayout *k = text_new(ctx, th->organisation, ST_LABEL, inner, NULL);
    PangoLayout *t = text_styled(ctx, label(ctx, "cover.handbook"), &title, inner, NULL);
    PangoLayout *s = text_new(ctx, label(ctx, "handbook.careers", "count", count),
                              ST_TAGLINE, inner, NULL);
    double h = ctx->th->page_h * 0.45;
    dl_rect(ctx->doc, &pc->canvas, 0, 0, ctx->width, h, th->color.primary, th->radius * 2);
    double y = h - pad - text_height(s) - G * 2 - text_height(t) - G - text_height(k);
    dl_text(ctx->doc, &pc->canvas, k, pad, y, th->color.chip);
    y += text_height(k) + G;
    dl_tag_begin(ctx->doc, &pc->canvas, "H1");
    dl_dest(ctx->doc, &pc->canvas, "book", 0, 0);
    dl_text(ctx->doc, &pc->canvas, t, pad, y, title.color);
    dl_tag_end(ctx->doc, &pc->canvas);
    y += text_height(t) + G * 2;
    dl_text(ctx->doc, &pc->canvas, s, pad, y, th->style[ST_TAGLINE].color);
    pc->height = h;
}

/* A heading with its destination and outline entry. */
static void book_heading(cp_ctx *ctx, const char *text, const char *dest)
{
    heading_piece(ctx, text_new(ctx, text, ST_H2, ctx->width, NULL), dest, "H1", 0, dest);
}

/* One linked line: text on the left, a page reference on the right. Returns its piece. */
static cp_piece *ref_line(cp_ctx *ctx, const char *text, cp_style_id st, const char *page,
                     const char *dest, double space)
{
    cp_piece *pc = piece_new(ctx, space, dest);
    PangoLayout *n = text_new(ctx, page, ST_STRONG, 0, NULL);
    PangoLayout *l = text_new(ctx, text, st, ctx->width - text_width(n) - G * 4, NULL);
    /* TOCI > Reference > Link holding the line's text, as in a report's contents
     * (build_contents): the text in a Span that the PDF finisher moves into the Link */
    dl_tag_begin(ctx->doc, &pc->canvas, "TOCI");
    dl_tag_begin(ctx->doc, &pc->canvas, "Reference");
    dl_tag_begin(ctx->doc, &pc->canvas, "Span");
    double h = put_text(ctx, pc, l, 0, 0, st);
    put_text(ctx, pc, n, ctx->width - text_width(n), 0, ST_STRONG);
    dl_tag_end(ctx->doc, &pc->canvas);
    dl_link_dest(ctx->doc, &pc->canvas, 0, 0, ctx->width, h, dest);
    dl_tag_end(ctx->doc, &pc->canvas);
    dl_tag_end(ctx->doc, &pc->canvas);
    dl_line(ctx->doc, &pc->canvas, 0, h + G * 0.6, ctx->width, h + G * 0.6, ctx->th->color.rule,
            ctx->th->rule * 0.6);
    pc->height = h + G * 0.6;
    return pc;
}

/* The TOC element that holds a run of ref_lines: opened in a piece of no height that
 * keeps with the first line, closed by the last line (it may be pages later: one
 * element all the same). */
static void toc_begin(cp_ctx *ctx, const char *what)
{
    cp_piece *open = piece_new(ctx, 0, what);
    open->keep_with_next = true;
    dl_tag_begin(ctx->doc, &open->canvas, "TOC");
}

static void book_contents(cp_ctx *ctx, const hb_chapter *ch, size_t n, const size_t *starts)
{
    book_heading(ctx, label(ctx, "cover.contents"), "contents");
    toc_begin(ctx, "contents");
    cp_piece *last = NULL;
    for (size_t i = 0; i < n; i++) {
        char page[16] = "";
        if (starts)
            snprintf(page, sizeof page, "%zu", starts[i] + 1);
        last = ref_line(ctx, node_str(ch[i].career, "title"), ST_BODY, page,
                        arena_printf(ctx->a, "%s/top", ch[i].id), G * 1.2);
    }
    if (last)
        dl_tag_end(ctx->doc, &last->canvas);
}

/* --- index of skills -------------------------------------------------------------------- */

static int by_skill(const void *x, const void *y)
{
    const index_entry *a = x, *b = y;
    int c = g_utf8_collate(a->skill, b->skill);
    return c ? c : strcmp(a->role, b->role);
}

static size_t page_of(dl_doc *book, const char *dest)
{
    for (size_t p = 0; p < dl_page_count(book); p++) {
        dl_page *page = dl_page_get(book, p);
        for (size_t i = 0; i < page->items.len; i++) {
            const dl_item *it = page->items.items[i];
            if (it->kind == DL_DEST && !strcmp(it->dest, dest))
                return p + 1;
        }
    }
    return 0;
}

static void book_index(cp_ctx *ctx, dl_doc *book, const hb_chapter *ch, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += node_get(ch[i].career, "skills")->len;
    index_entry *e = ARENA_ARRAY(ctx->a, index_entry, total ? total : 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const cp_node *skills = node_get(ch[i].career, "skills");
        /* The chapter's skills section; a layout without one (a handout lists the top
         * skills under another heading, a poster has no headings) sends the reader to
         * the chapter's first page. */
        const char *dest = arena_printf(ctx->a, "%s/sec-skills", ch[i].id);
        size_t page = page_of(book, dest);
        if (page == 0) {
            dest = arena_printf(ctx->a, "%s/top", ch[i].id);
            page = page_of(book, dest);
        }
        for (size_t s = 0; s < skills->len; s++)
            e[k++] = (index_entry){node_str(skills->items[s], "name"),
                                   node_str(ch[i].career, "role"), dest, page};
    }
    qsort(e, total, sizeof *e, by_skill);
    book_heading(ctx, label(ctx, "handbook.index"), "index");
    cp_piece *intro = piece_new(ctx, G * 1.6, "index");
    PangoLayout *il = text_new(ctx, label(ctx, "handbook.index_intro"), ST_SMALL,
                               ctx->width, NULL);
    intro->height = put_text(ctx, intro, il, 0, 0, ST_SMALL);
    toc_begin(ctx, "index");
    cp_piece *last = NULL;
    for (size_t i = 0; i < total; i++) {
        char page[16];
        snprintf(page, sizeof page, "%zu", e[i].page);
        const char *text = arena_printf(ctx->a, "%s — %s", e[i].skill, e[i].role);
        last = ref_line(ctx, text, ST_SMALL, label(ctx, "handbook.page_ref", "page", page),
                        e[i].dest, i ? G * 0.6 : G * 1.6);
    }
    if (last)
        dl_tag_end(ctx->doc, &last->canvas);
}

/* --- assembly ------------------------------------------------------------------------------ */

static void append_pages(dl_doc *book, dl_doc *part, size_t from)
{
    for (size_t p = from; p < dl_page_count(part); p++)
        vec_push(book->arena, &book->pages, dl_page_get(part, p));
}

static void blank_page(dl_doc *book, const cp_theme *th)
{
    dl_page_add(book, th->page_w, th->page_h);
}

/* Chapter title at the head of every chapter page but its first; page numbers at the
 * foot of every page but the cover and the blanks. */
static void furniture(cp_ctx *ctx, dl_doc *book, const bool *is_blank, const char **running)
{
    const cp_theme *th = ctx->th;
    double x0 = th->margin_inner, x1 = th->page_w - th->margin_outer;
    for (size_t p = 0; p < dl_page_count(book); p++) {
        dl_page *page = dl_page_get(book, p);
        char num[16];
        snprintf(num, sizeof num, "%zu", p + 1);
        page->label = arena_strdup(ctx->a, num);
        if (p == 0 || is_blank[p])
            continue;
        PangoLayout *f = text_new(ctx, label(ctx, "handbook.page", "page", num),
                                  ST_FOOTER, 0, NULL);
        double base = th->page_h - th->margin_bottom - text_height(f);
        dl_line(ctx->doc, page, x0, base - th->gap, x1, base - th->gap, th->color.rule,
                th->rule);
        /* Outer corner: right on right-hand pages, left on left-hand ones. */
        dl_text(ctx->doc, page, f, p % 2 == 0 ? x1 - text_width(f) : x0, base,
                th->style[ST_FOOTER].color);
        if (running[p]) {
            PangoLayout *h = text_new(ctx, running[p], ST_FOOTER, x1 - x0, NULL);
            double y = th->margin_top / 2 - text_height(h) / 2;
            dl_text(ctx->doc, page, h, p % 2 == 0 ? x1 - text_width(h) : x0, y,
                    th->style[ST_FOOTER].color);
        }
    }
}

/* Front matter with the chapters' opening pages known (or placeholders when NULL). */
static dl_doc *front_matter(cp_arena *a, const cp_job *front, const hb_chapter *ch, size_t n,
                            const size_t *starts, cp_ctx *ctx)
{
    if (!engine_ctx_init(ctx, a, front))
        return NULL;
    book_cover(ctx, n);
    if (!engine_flow(ctx))
        return NULL;
    book_contents(ctx, ch, n, starts);
    return engine_flow(ctx) ? ctx->doc : NULL;
}

dl_doc *handbook_document(cp_arena *a, const cp_job *front, hb_chapter *ch, size_t n)
{
    int before = diag_error_count();
    cp_ctx ctx;
    dl_doc *fm = front_matter(a, front, ch, n, NULL, &ctx);
    if (!fm)
        return NULL;
    /* Where each chapter opens: after the front matter, on an odd (right-hand) page. */
    size_t *starts = ARENA_ARRAY(a, size_t, n ? n : 1), next = dl_page_count(fm);
    for (size_t i = 0; i < n; i++) {
        next += next % 2;
        starts[i] = next;
        next += dl_page_count(ch[i].doc);
        dl_rename_dests(ch[i].doc, chapter_dest, ch[i].id);
    }
    fm = front_matter(a, front, ch, n, starts, &ctx);
    if (!fm)
        return NULL;

    dl_doc *book = dl_doc_new(a);
    book->meta = fm->meta;
    book->meta.title = label(&ctx, "cover.handbook");
    book->meta.author = ctx.th->organisation;
    book->meta.creator = "careerpdf";
    book->meta.date = n ? ch[0].doc->meta.date : NULL;
    append_pages(book, fm, 0);
    dl_outline_add(book, 1, label(&ctx, "cover.contents"), "contents");
    cp_vec running = {0};
    for (size_t p = 0; p < dl_page_count(book); p++)
        vec_push(a, &running, NULL);
    for (size_t i = 0; i < n; i++) {
        while (dl_page_count(book) < starts[i]) {
            blank_page(book, ctx.th);
            vec_push(a, &running, (void *)"");
        }
        append_pages(book, ch[i].doc, 0);
        char num[16];
        snprintf(num, sizeof num, "%zu", i + 1);
        const char *head = arena_printf(a, "%s · %s", label(&ctx, "handbook.chapter", "n", num),
                                        node_str(ch[i].career, "role"));
        for (size_t p = 0; p < dl_page_count(ch[i].doc); p++)
            vec_push(a, &running, p ? (void *)head : NULL);
        for (size_t k = 0; k < ch[i].doc->outline.len; k++)
            vec_push(a, &book->outline, ch[i].doc->outline.items[k]);
        if (!book->meta.date || (ch[i].doc->meta.date &&
                                 strcmp(ch[i].doc->meta.date, book->meta.date) > 0))
            book->meta.date = ch[i].doc->meta.date;
    }
    /* The index refers to pages of the finished chapters. */
    size_t index_start = dl_page_count(book);
    ctx.doc = dl_doc_new(a);
    book_index(&ctx, book, ch, n);
    if (!engine_flow(&ctx))
        return NULL;
    append_pages(book, ctx.doc, 0);
    dl_outline_add(book, 1, label(&ctx, "handbook.index"), "index");
    for (size_t p = index_start; p < dl_page_count(book); p++)
        vec_push(a, &running, NULL);

    bool *is_blank = ARENA_ARRAY(a, bool, dl_page_count(book));
    for (size_t p = 0; p < dl_page_count(book); p++)
        is_blank[p] = running.items[p] && !*(const char *)running.items[p];
    for (size_t p = 0; p < dl_page_count(book); p++)
        if (is_blank[p])
            running.items[p] = NULL;
    ctx.doc = book;
    furniture(&ctx, book, is_blank, (const char **)running.items);
    return diag_error_count() == before ? book : NULL;
}
