/* blocks.c - the table of block kinds. */
#include <string.h>

#include "blocks.h"
#include "../model/money.h"

typedef struct { const char *name; block_build_fn build; } kind_entry;

static const kind_entry KINDS[] = {
    {"cover", build_cover},           {"heading", build_heading},
    {"prose", build_prose},           {"callout", build_callout},
    {"personal", build_personal},     {"faq", build_faq},
    {"contents", build_contents},
    {"stat_cards", build_stat_cards}, {"compare", build_compare},
    {"chips", build_chips},           {"icon_grid", build_icon_grid},
    {"checklist", build_checklist},   {"cards", build_cards},
    {"columns", build_columns},       {"rating_bars", build_rating_bars},
    {"timeline", build_timeline},     {"table", build_table},
    {"salary_chart", build_salary_chart}, {"qr", build_qr},
    {"page_break", build_page_break}, {"fit", build_fit},
};
#define NKINDS (sizeof KINDS / sizeof *KINDS)

block_build_fn block_kind(const char *name)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (!strcmp(KINDS[i].name, name))
            return KINDS[i].build;
    return NULL;
}

const char *const *layout_block_kinds(void)
{
    static const char *names[NKINDS + 1];
    for (size_t i = 0; i < NKINDS; i++)
        names[i] = KINDS[i].name;
    return names;
}

/* The back of a handout starts on its own page, whatever the front holds; a student
 * block framed as a page has one before and after it (student.c). */
bool build_page_break(cp_ctx *ctx, const cp_node *block)
{
    piece_new(ctx, 0, block->path)->page_break = true;
    return true;
}

void put_card(cp_ctx *ctx, cp_piece *pc, double x, double y, double w, double h,
              cp_rgba fill, cp_rgba border)
{
    dl_item *it = dl_rect(ctx->doc, &pc->canvas, x, y, w, h, fill, ctx->th->radius);
    it->stroke = border;
    it->stroke_width = ctx->th->rule;
}

const char *item_text(const cp_node *item, const char *key)
{
    if (node_is_scalar(item))
        return item->text;
    return node_str(item, key);
}

/* "9.5" stays "9.5", "10.0" becomes "10". */
const char *format_number(cp_ctx *ctx, double v)
{
    if (v == (long long)v)
        return arena_printf(ctx->a, "%lld", (long long)v);
    return arena_printf(ctx->a, "%.1f", v);
}

/* How the document's language writes amounts: separators, units and currency
 * templates from the labels (money.*, currency.CODE), digits from `digits:`. */
static money_locale locale_of(cp_ctx *ctx, const char *code)
{
    const cp_node *s = ctx->job->strings;
    const cp_node *m = node_get(s, "money");
    return (money_locale){
        .thousands_sep = node_str(m, "thousands_separator"),
        .decimal_sep = node_str(m, "decimal_separator"),
        .thousand = node_str(m, "thousand"), .million = node_str(m, "million"),
        .lakh = node_str(m, "lakh"), .crore = node_str(m, "crore"),
        .currency = code ? node_str(node_get(s, "currency"), code) : NULL,
        .digits = node_str(s, "digits"),
    };
}

const char *money_text(cp_ctx *ctx, double amount, const char *code, money_style st)
{
    char buf[256];
    money_locale loc = locale_of(ctx, code);
    return money_format_in(buf, sizeof buf, amount, code, st, &loc)
               ? arena_strdup(ctx->a, buf) : NULL;
}

const char *money_range_text(cp_ctx *ctx, double lo, double hi, const char *code,
                             money_style st, bool open_ended)
{
    const char *a = money_text(ctx, lo, code, st), *b = money_text(ctx, hi, code, st);
    if (!a || !b)
        return NULL;
    if (open_ended)
        b = label(ctx, "money.open_ended", "amount", b);
    const char *dir = node_str(ctx->job->strings, "direction");
    if (!dir || strcmp(dir, "rtl"))
        return label(ctx, "money.range", "min", a, "max", b);
    /* A right-to-left page reads a range from the right: the lower amount first. Each
     * amount is isolated (U+2068 FIRST STRONG ISOLATE ... U+2069) so that it keeps its
     * own order ("CN¥95,000", "95 ألف دولار") and moves as one piece, and a leading
     * RIGHT-TO-LEFT MARK sets the line's direction: without it a range of Latin symbols
     * and digits ("CN¥95,000 – CN¥140,000") is a left-to-right line, which an Arabic
     * reader takes from its right end, the upper amount. */
    return arena_printf(ctx->a, "\u200F%s",
                        label(ctx, "money.range", "min", arena_printf(ctx->a, "\u2068%s\u2069", a),
                              "max", arena_printf(ctx->a, "\u2068%s\u2069", b)));
}

const char *format_value(cp_ctx *ctx, const cp_node *v, const char *format)
{
    double num;
    if (format && !strcmp(format, "score") && node_number(v, &num))
        return label(ctx, "scores.out_of", "score", format_number(ctx, num));
    if (format && !strncmp(format, "money", 5) && node_is_map(v)) {
        bool open = false;
        node_bool(node_get(v, "open_ended"), &open);
        money_style st = strstr(format, "short") ? MONEY_SHORT : MONEY_FULL;
        const char *text = money_range_text(ctx, node_num(v, "min", 0), node_num(v, "max", 0),
                                            node_str(v, "currency"), st, open);
        if (text)
            return text;
        diag_error(&v->loc, v->path, "cannot format this amount, expected min, max and a "
                   "currency (%s)", currency_list());
        return "";
    }
    return node_is_scalar(v) ? v->text : "";
}
