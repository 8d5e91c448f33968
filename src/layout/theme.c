#include "theme.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/image.h"

#define MM (72.0 / 25.4)
#define IN 72.0

typedef struct { const char *name; double w, h; } paper_size;

static const paper_size PAPERS[] = {
    {"A0", 841 * MM, 1189 * MM}, {"A1", 594 * MM, 841 * MM}, {"A2", 420 * MM, 594 * MM},
    {"A3", 297 * MM, 420 * MM},  {"A4", 210 * MM, 297 * MM}, {"A5", 148 * MM, 210 * MM},
    {"Letter", 8.5 * IN, 11 * IN}, {"Legal", 8.5 * IN, 14 * IN},
    {"Tabloid", 11 * IN, 17 * IN},
};

static bool number_with_unit(const char *text, double *value, const char **unit)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || !isfinite(v) || v < 0)
        return false;
    *value = v;
    *unit = end;
    return true;
}

static bool unit_factor(const char *unit, double *factor)
{
    if (!*unit || !strcmp(unit, "pt")) *factor = 1;
    else if (!strcmp(unit, "mm")) *factor = MM;
    else if (!strcmp(unit, "cm")) *factor = 10 * MM;
    else if (!strcmp(unit, "in")) *factor = IN;
    else return false;
    return true;
}

bool length_parse(const char *text, double *pt)
{
    double v, f;
    const char *unit;
    if (!text || !number_with_unit(text, &v, &unit) || !unit_factor(unit, &f))
        return false;
    *pt = v * f;
    return true;
}

bool paper_parse(const char *text, double *w, double *h)
{
    if (!text)
        return false;
    for (size_t i = 0; i < sizeof PAPERS / sizeof *PAPERS; i++)
        if (!strcasecmp(text, PAPERS[i].name)) {
            *w = PAPERS[i].w;
            *h = PAPERS[i].h;
            return true;
        }
    /* WxH with one unit at the end: "18x24in", "500x700mm". */
    double a, b, f;
    const char *unit;
    char *end;
    a = strtod(text, &end);
    if (end == text || (*end != 'x' && *end != 'X') || !isfinite(a))
        return false;
    if (!number_with_unit(end + 1, &b, &unit) || !unit_factor(unit, &f) || !*unit)
        return false;
    if (a * f < 72 || b * f < 72 || a * f > 14400 || b * f > 14400)
        return false; /* 1 in to 200 in: PDF's own page size limit */
    *w = a * f;
    *h = b * f;
    return true;
}

/* --- defaults: a calm indigo theme that also reads in grey --------------------------- */

static cp_rgba hex(const char *s)
{
    cp_rgba c = {0, 0, 0, 1};
    rgba_parse(s, &c);
    return c;
}

static void set_defaults(cp_theme *th)
{
    cp_palette *c = &th->color;
    c->primary = hex("#312E81");
    c->primary_ink = hex("#FFFFFF");
    c->accent = hex("#4F46E5");
    c->ink = hex("#1F2433");
    c->muted = hex("#5B6275");
    c->rule = hex("#DADDE8");
    c->card = hex("#F4F5FB");
    c->card_border = hex("#DFE2F0");
    c->chip = hex("#E6E8FA");
    c->chip_ink = hex("#312E81");
    c->good = hex("#15803D");
    c->good_bg = hex("#EAF7EF");
    c->warn = hex("#B45309");
    c->warn_bg = hex("#FDF3E7");
    c->track = hex("#E4E6EF");
    c->note_bg = hex("#FFF8E1");
    c->page = hex("#FFFFFF");

    th->margin_top = th->margin_bottom = 16 * MM;
    th->margin_inner = th->margin_outer = 16 * MM;
    th->gap = 6;
    th->radius = 4;
    th->rule = 0.6;
    th->organisation = "CareerSteps";
    th->footer = "{organisation} · {title}";
}

/* Styles take their colours from the palette, so they are set after the layout's own
 * colours are read: re-colouring a theme re-colours its text too. */
static void set_style_defaults(cp_theme *th)
{
    const cp_palette *c = &th->color;
    cp_style base = {.size = 9.5, .leading = 1.06, .color = c->ink};
    for (int i = 0; i < ST_COUNT; i++)
        th->style[i] = base;
    th->style[ST_STRONG].bold = true;
    th->style[ST_SMALL].size = 8.5;
    th->style[ST_SMALL_STRONG] = th->style[ST_SMALL];
    th->style[ST_SMALL_STRONG].bold = true;
    th->style[ST_LABEL] = (cp_style){.size = 6.8, .bold = true, .caps = true,
                                     .tracking = 0.09, .leading = 1.0, .color = c->accent};
    th->style[ST_TITLE] = (cp_style){.size = 22, .bold = true, .leading = 0.9,
                                     .color = c->primary_ink};
    th->style[ST_TAGLINE] = (cp_style){.size = 10, .leading = 1.05, .color = c->primary_ink};
    th->style[ST_H2] = (cp_style){.size = 13, .bold = true, .leading = 1.0,
                                  .color = c->primary};
    th->style[ST_H3] = (cp_style){.size = 9.5, .bold = true, .leading = 1.0,
                                  .color = c->primary};
    th->style[ST_STAT] = (cp_style){.size = 13, .bold = true, .leading = 1.0,
                                    .color = c->ink};
    th->style[ST_FOOTER] = (cp_style){.size = 7.5, .leading = 1.0, .color = c->muted};
}

/* --- reading overrides --------------------------------------------------------------- */

typedef struct { const char *name; size_t offset; } named_field;

#define COLOR(n) {#n, offsetof(cp_palette, n)}
static const named_field COLORS[] = {
    COLOR(primary), COLOR(primary_ink), COLOR(accent), COLOR(ink), COLOR(muted),
    COLOR(rule), COLOR(card), COLOR(card_border), COLOR(chip), COLOR(chip_ink),
    COLOR(good), COLOR(good_bg), COLOR(warn), COLOR(warn_bg), COLOR(track),
    COLOR(note_bg), COLOR(page),
};

static const char *const STYLE_NAMES[ST_COUNT] = {
    "body", "strong", "small", "small_strong", "label", "title",
    "tagline", "h2", "h3", "stat", "footer",
};

static cp_rgba *palette_slot(cp_palette *p, const char *name)
{
    for (size_t i = 0; i < sizeof COLORS / sizeof *COLORS; i++)
        if (!strcmp(COLORS[i].name, name))
            return (cp_rgba *)((char *)p + COLORS[i].offset);
    return NULL;
}

static bool bad(const cp_node *n, const char *expected)
{
    diag_error(&n->loc, n->path, "invalid value '%s', expected %s",
               n->text ? n->text : "(not a scalar)", expected);
    return false;
}

/* Settings given as a list or a text where a mapping of names belongs. */
static bool not_a_map(const cp_node *n, const char *expected)
{
    if (!n || node_is_map(n))
        return false;
    diag_error(&n->loc, n->path, "expected a mapping of %s", expected);
    return true;
}

static bool read_colors(cp_theme *th, const cp_node *colors)
{
    bool ok = true;
    if (not_a_map(colors, "colour names to colours (primary: \"#312E81\")"))
        return false;
    for (size_t i = 0; colors && i < colors->len; i++) {
        cp_rgba *slot = palette_slot(&th->color, colors->keys[i]);
        const cp_node *v = colors->items[i];
        if (!slot) {
            diag_error(&colors->key_locs[i], v->path,
                       "unknown colour name, expected primary, accent, ink, muted, ...");
            ok = false;
        } else if (!node_is_scalar(v) || !rgba_parse(v->text, slot)) {
            ok = bad(v, "a colour like \"#312E81\"");
        }
    }
    return ok;
}

/* A style colour names a palette entry, so re-colouring a theme recolours its text. */
static bool read_style(cp_theme *th, cp_style *st, const cp_node *spec)
{
    bool ok = true;
    for (size_t i = 0; i < spec->len; i++) {
        const char *key = spec->keys[i];
        const cp_node *v = spec->items[i];
        double num;
        bool flag;
        if (!strcmp(key, "color")) {
            cp_rgba *c = node_is_scalar(v) ? palette_slot(&th->color, v->text) : NULL;
            if (c) st->color = *c;
            else ok = bad(v, "a colour name from theme.colors");
        } else if (!strcmp(key, "bold") || !strcmp(key, "italic") || !strcmp(key, "caps")) {
            if (!node_bool(v, &flag)) ok = bad(v, "true or false");
            else if (key[0] == 'b') st->bold = flag;
            else if (key[0] == 'i') st->italic = flag;
            else st->caps = flag;
        } else if (!strcmp(key, "size") || !strcmp(key, "leading") ||
                   !strcmp(key, "tracking")) {
            if (!node_number(v, &num) || num < 0 || num > 500) ok = bad(v, "a number");
            else if (key[0] == 's') st->size = num;
            else if (key[0] == 'l') st->leading = num;
            else st->tracking = num;
        } else {
            diag_error(&spec->key_locs[i], v->path, "unknown style setting, expected "
                       "size, bold, italic, caps, tracking, leading or color");
            ok = false;
        }
    }
    return ok;
}

static bool read_styles(cp_theme *th, const cp_node *styles)
{
    bool ok = true;
    if (not_a_map(styles, "style names to settings (body: {size: 9.5})"))
        return false;
    for (size_t i = 0; styles && i < styles->len; i++) {
        int id = -1;
        for (int s = 0; s < ST_COUNT; s++)
            if (!strcmp(STYLE_NAMES[s], styles->keys[i]))
                id = s;
        if (id < 0 || !node_is_map(styles->items[i])) {
            diag_error(&styles->key_locs[i], styles->items[i]->path,
                       "unknown style, expected a mapping for body, strong, small, "
                       "small_strong, label, title, tagline, h2, h3, stat or footer");
            ok = false;
            continue;
        }
        ok &= read_style(th, &th->style[id], styles->items[i]);
    }
    return ok;
}

static bool read_length(const cp_node *map, const char *key, double *out)
{
    const cp_node *v = node_get(map, key);
    if (!v)
        return true;
    if (!node_is_scalar(v) || !length_parse(v->text, out))
        return bad(v, "a length like 16mm, 0.6in or 12pt");
    return true;
}

static bool read_page(cp_theme *th, const cp_node *page, const char *paper)
{
    bool ok = true;
    const cp_node *pn = node_get(page, "paper");
    if (!paper && pn)
        paper = pn->text;
    if (!paper_parse(paper ? paper : "A4", &th->page_w, &th->page_h)) {
        if (pn && paper == pn->text)
            return bad(pn, "A4, Letter, A3, A2, A1, A0 or WxH with mm or in");
        diag_error(NULL, NULL, "unknown paper '%s', expected A4, Letter, A3, A2, A1, A0, "
                   "18x24in, 24x36in or WxH{mm,in}", paper);
        return false;
    }
    /* A poster is composed once, for its reference paper: on any other paper the whole
     * composition is scaled by the smaller of the width and height ratios, the largest
     * uniform scale at which it still fits. ISO sizes share one aspect ratio, so A3 to A0
     * scale by exactly sqrt(area ratio); 18x24in (squatter) is bounded by its height. */
    th->scale = 1;
    const cp_node *ref = node_get(page, "reference");
    double rw, rh;
    if (ref && (!node_is_scalar(ref) || !paper_parse(ref->text, &rw, &rh)))
        ok = bad(ref, "a paper name like A3, the size the layout's sizes are meant for");
    else if (ref)
        th->scale = fmin(th->page_w / rw, th->page_h / rh);
    const cp_node *m = node_get(page, "margins");
    ok &= read_length(m, "top", &th->margin_top);
    ok &= read_length(m, "bottom", &th->margin_bottom);
    ok &= read_length(m, "inner", &th->margin_inner);
    ok &= read_length(m, "outer", &th->margin_outer);
    return ok;
}

static void to_gray(cp_theme *th)
{
    for (size_t i = 0; i < sizeof COLORS / sizeof *COLORS; i++) {
        cp_rgba *c = (cp_rgba *)((char *)&th->color + COLORS[i].offset);
        *c = rgba_gray(*c);
    }
    for (int s = 0; s < ST_COUNT; s++)
        th->style[s].color = rgba_gray(th->style[s].color);
}

/* Sizes were read for the reference paper; multiplying by exactly 1 leaves A4 and
 * Letter layouts bit-for-bit unchanged. */
static void scale_theme(cp_theme *th)
{
    double k = th->scale;
    th->margin_top *= k;
    th->margin_bottom *= k;
    th->margin_inner *= k;
    th->margin_outer *= k;
    th->gap *= k;
    th->radius *= k;
    th->rule *= k;
    for (int s = 0; s < ST_COUNT; s++)
        th->style[s].size *= k;
}

static const char *resolve(cp_arena *a, const char *dir, const char *file)
{
    if (!file || file[0] == '/' || !dir || !strcmp(dir, "."))
        return file;
    return arena_printf(a, "%s/%s", dir, file);
}

static bool bounded(const cp_node *v, double lo, double hi, double *out)
{
    double x;
    if (!node_number(v, &x) || x < lo || x > hi)
        return false;
    *out = x;
    return true;
}

/* The logo is drawn inside a square at the top right of the cover: a missing file, one
 * that is neither PNG nor JPEG, or a shape so long that it would print as a thin line
 * is reported at the layout's `logo:` line rather than left out or drawn unreadable. */
#define LOGO_MAX_ASPECT 4.0

static bool logo_usable(const cp_node *v, const char *path)
{
    cp_image_info info;
    const char *why;
    if (!node_is_scalar(v) || !*v->text) {
        diag_error(&v->loc, v->path, "expected the path of a PNG or JPEG file");
        return false;
    }
    if (!image_probe(path, &info, &why)) {
        diag_report(DIAG_ERROR, &v->loc, v->path, "layout.logo", strstr(why, "expected")
                    ? NULL : "a logo path is relative to the layout file's folder",
                    "cannot use '%s' as the logo: %s%s", diag_path(path), why,
                    strstr(why, "expected") ? "" : ", expected a PNG or JPEG file");
        return false;
    }
    double long_side = fmax(info.width, info.height), short_side = fmin(info.width,
                                                                         info.height);
    if (long_side / short_side > LOGO_MAX_ASPECT)
        diag_report(DIAG_WARNING, &v->loc, v->path, "layout.logo-shape", "crop it, or use "
                    "the logo's square mark", "'%s' is %d x %d pixels: in the cover's square "
                    "logo box it prints %.0f times shorter than its box, too thin to read; "
                    "expected a logo at most %.0f times as wide as it is tall",
                    diag_path(path), info.width, info.height, long_side / short_side,
                    LOGO_MAX_ASPECT);
    return true;
}

/* A logo either says something (the school's name or crest, told by `logo_alt`, the
 * PDF's text alternative) or is decoration (`logo_decorative: true`, drawn as an
 * artifact that screen readers skip): PDF/UA has no third kind, so the layout must
 * say which. */
static bool logo_described(cp_theme *th, const cp_node *theme, const cp_node *logo)
{
    const cp_node *alt = node_get(theme, "logo_alt");
    const cp_node *dec = node_get(theme, "logo_decorative");
    bool decorative = false;
    if (dec && !node_bool(dec, &decorative)) {
        diag_error(&dec->loc, dec->path, "expected true or false");
        return false;
    }
    if (alt && (!node_is_scalar(alt) || !*alt->text)) {
        diag_error(&alt->loc, alt->path, "expected what the logo shows, in words (\"Lakeview "
                   "International School crest\")");
        return false;
    }
    if (alt && decorative) {
        diag_error(&dec->loc, dec->path, "a decorative logo has no text alternative, "
                   "expected either logo_alt or logo_decorative: true, not both");
        return false;
    }
    if (!alt && !decorative) {
        diag_report(DIAG_ERROR, &logo->loc, logo->path, "layout.logo-alt",
                    "add logo_alt: \"...\" with what the logo shows (a school's name or "
                    "crest), or logo_decorative: true when it adds nothing to the page's "
                    "text", "the logo has no text alternative for screen readers, expected "
                    "theme.logo_alt or theme.logo_decorative: true");
        return false;
    }
    th->logo_alt = alt ? alt->text : NULL;
    return true;
}

/* Margins must leave a text column and a page body of a sensible size, and every style
 * must be visible: a layout that would put everything off the page is refused. */
static bool page_fits(const cp_theme *th, const cp_node *layout)
{
    const cp_node *where = node_get(layout, "page") ? node_get(layout, "page") : layout;
    if (th->page_w - th->margin_inner - th->margin_outer < th->page_w * 0.3 ||
        th->page_h - th->margin_top - th->margin_bottom < th->page_h * 0.3) {
        diag_error(&where->loc, "page.margins", "the margins leave less than 30 %% of the "
                   "%.0f x %.0f pt page, expected smaller margins", th->page_w, th->page_h);
        return false;
    }
    for (int s = 0; s < ST_COUNT; s++)
        if (th->style[s].size < 3 || th->style[s].leading < 0.5) {
            diag_error(&where->loc, "theme.styles", "the %s style is %.1f pt with leading "
                       "%.2f, expected at least 3 pt and leading 0.5", STYLE_NAMES[s],
                       th->style[s].size, th->style[s].leading);
            return false;
        }
    return true;
}

bool theme_load(cp_theme *th, const cp_node *layout, const char *paper, bool grayscale,
                const char *layout_dir, cp_arena *a)
{
    memset(th, 0, sizeof *th);
    set_defaults(th);
    const cp_node *theme = node_get(layout, "theme");
    bool ok = read_page(th, node_get(layout, "page"), paper);
    ok &= read_colors(th, node_get(theme, "colors"));
    set_style_defaults(th);
    ok &= read_styles(th, node_get(theme, "styles"));
    const cp_node *v;
    if ((v = node_get(theme, "gap")) && !bounded(v, 0, 100, &th->gap))
        ok = bad(v, "a gap from 0 to 100 pt");
    if ((v = node_get(theme, "radius")) && !bounded(v, 0, 100, &th->radius))
        ok = bad(v, "a corner radius from 0 to 100 pt");
    ok &= page_fits(th, layout);
    if ((v = node_get(theme, "organisation"))) th->organisation = v->text;
    if ((v = node_get(theme, "footer"))) th->footer = v->text;
    if ((v = node_get(theme, "logo"))) {
        th->logo = resolve(a, layout_dir, v->text);
        ok &= logo_usable(v, th->logo) && logo_described(th, theme, v);
    } else if ((v = node_get(theme, "logo_alt")) || (v = node_get(theme, "logo_decorative"))) {
        diag_error(&v->loc, v->path, "there is no logo to describe, expected it next to "
                   "theme.logo");
        ok = false;
    }
    th->grayscale = grayscale;
    if (grayscale)
        to_gray(th);
    scale_theme(th);
    return ok;
}
