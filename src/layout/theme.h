/* theme.h - colours, type scale and page geometry, read from a layout file.
 *
 * Every size in the theme is derived from the page: a layout states sizes for its
 * reference paper and the engine scales type and strokes for other papers (posters),
 * while A4 and Letter keep the same type size and re-flow instead. */
#ifndef CP_THEME_H
#define CP_THEME_H

#include <stdbool.h>

#include "../model/node.h"
#include "../render/dlist.h"

typedef enum {
    ST_BODY,     /* running text */
    ST_STRONG,   /* bold body */
    ST_SMALL,    /* table cells, captions */
    ST_SMALL_STRONG,
    ST_LABEL,    /* small capitals labels above values ("SALARY") */
    ST_TITLE,    /* document title on the cover */
    ST_TAGLINE,  /* cover subtitle */
    ST_H2,       /* section headings */
    ST_H3,       /* card titles */
    ST_STAT,     /* big numbers in stat cards */
    ST_FOOTER,
    ST_COUNT
} cp_style_id;

typedef struct {
    double size;       /* points */
    bool bold, italic;
    bool caps;         /* upper-case the text */
    double tracking;   /* letter spacing, em */
    double leading;    /* line height as a multiple of the size */
    cp_rgba color;
} cp_style;

typedef struct {
    cp_rgba primary, primary_ink, accent, ink, muted, rule, card, card_border,
        chip, chip_ink, good, good_bg, warn, warn_bg, track, note_bg, page;
} cp_palette;

typedef struct {
    double page_w, page_h;                    /* points */
    double margin_top, margin_bottom, margin_inner, margin_outer;
    double gap;                               /* base vertical rhythm unit */
    double radius;                            /* card corner radius */
    double rule;                              /* hairline width */
    double scale;                             /* this paper / the layout's reference paper
                                                 (page.reference); 1 without one. Every
                                                 size above is already scaled; blocks
                                                 scale their own fixed sizes by it */
    cp_palette color;
    cp_style style[ST_COUNT];
    const char *organisation;
    const char *footer;                       /* template, e.g. "{organisation} · {title}" */
    const char *logo;                         /* PNG path, resolved against the layout */
    const char *logo_alt;                     /* what the logo shows, for screen readers
                                                 (the PDF's /Alt); NULL for a decorative
                                                 logo, drawn as an artifact */
    bool grayscale;
} cp_theme;

/* Paper names (A0-A5, Letter, Legal, Tabloid, 18x24in, 24x36in) and "WxH{mm,in,pt}".
 * Returns false when the text is none of these. Sizes in points, portrait. */
bool paper_parse(const char *text, double *w, double *h);

/* Length with unit: "16mm", "0.5in", "12pt" or a plain number of points. */
bool length_parse(const char *text, double *pt);

/* Fills `th` from a layout document's `page` and `theme` mappings. Reports bad values
 * with their location; returns false when any is bad. */
bool theme_load(cp_theme *th, const cp_node *layout, const char *paper, bool grayscale,
                const char *layout_dir, cp_arena *a);

#endif
