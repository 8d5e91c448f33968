/* dlist.h - the display list: what every page looks like, decided once.
 *
 * The layout engine fills a dl_doc; writers (cairo → PDF/PNG/SVG, libharu → PDF) only
 * draw it. Nothing here measures or breaks text: a text item carries a PangoLayout that
 * the layout engine has already shaped and broken into lines at its final width.
 *
 * Coordinates are PDF points (1/72 in), origin top-left of the page, y downwards.
 * All memory belongs to the document's arena. */
#ifndef CP_DLIST_H
#define CP_DLIST_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

#include "../core/arena.h"

typedef struct { double r, g, b, a; } cp_rgba;

typedef enum { PATH_MOVE, PATH_LINE, PATH_CURVE, PATH_CLOSE } dl_path_op_kind;
typedef struct { dl_path_op_kind op; double pts[6]; } dl_path_op;
/* A vector outline in its own coordinates; drawn translated by (x, y) and scaled. */
typedef struct { size_t len; const dl_path_op *ops; } dl_path;

typedef enum {
    DL_RECT,      /* box, optionally rounded, filled and/or stroked */
    DL_LINE,      /* straight stroke, optionally dashed */
    DL_PATH,      /* filled vector shape (icons, chart marks) */
    DL_TEXT,      /* a laid-out PangoLayout, top-left at (x, y) */
    DL_IMAGE,     /* a PNG (logo), scaled into the box */
    DL_LINK,      /* clickable area: uri or named destination */
    DL_DEST,      /* named destination (target of links and outline entries) */
    DL_TAG_BEGIN, /* structure element for tagged PDF: H1, H2, P, L, LI, Lbl, LBody,
                     Table, TR, TH, TD, Figure, Sect..., or DL_ARTIFACT_ROLE */
    DL_TAG_END,
    DL_PAGE_REF,  /* a region of another page drawn here (poster tiles, assembly map):
                     the region of `ref` whose top-left is (ref_x, ref_y), scaled by
                     `scale`, fills the box (x, y, w, h) and is clipped to it. Writers
                     draw it without its links and destinations, and without its tags
                     unless `with_tags` (the one place that stands for the page's text:
                     a tiled poster's assembly map). */
    DL_SLOT,      /* a frame kept empty for drawing added later (src/layout/layout.h:
                     templates): the PDF writer draws a stand-in form XObject marked
                     with `slot`, which the assembler replaces (pdf_assemble.h); other
                     writers draw nothing */
} dl_kind;

struct dl_page;

/* The role of page furniture drawn while a structure element is open (a table's header
 * repeated inside the Table that continues): the PDF finisher turns its content into an
 * /Artifact sequence and drops the element (render/pdf_finish.h). cairo 1.16 accepts
 * only the standard structure types as tag names (not "Artifact"); "Private", content
 * private to the writer, is one no block uses for anything else. */
#define DL_ARTIFACT_ROLE "Private"

typedef struct dl_item {
    dl_kind kind;
    double x, y, w, h;         /* RECT, IMAGE, LINK box; LINE from (x,y) to (x+w,y+h);
                                  TEXT, PATH, DEST origin */
    cp_rgba fill;              /* RECT, PATH, TEXT (default colour of the text) */
    cp_rgba stroke;            /* RECT, LINE */
    double stroke_width;       /* RECT, LINE; 0 = no stroke */
    double radius;             /* RECT corner radius */
    double dash;               /* LINE dash length; 0 = solid */
    double scale;              /* PATH: scale applied to the path's coordinates */
    const dl_path *path;       /* PATH */
    PangoLayout *layout;       /* TEXT (a reference owned by the arena) */
    const char *image_path;    /* IMAGE: PNG file */
    const char *uri;           /* LINK to the outside */
    const char *dest;          /* LINK inside the document, or DEST name */
    const char *tag;           /* TAG_BEGIN structure role */
    const char *alt;           /* TAG_BEGIN Figure: alternative text, in the document's
                                  language (the PDF's /Alt, see pdf_finish.h) */
    const struct dl_page *ref; /* PAGE_REF: the page shown (of this or another document
                                  in the same arena) */
    double ref_x, ref_y;       /* PAGE_REF: top-left of the region shown, in ref's points */
    bool with_tags;            /* PAGE_REF: drawn with ref's structure elements */
    int slot;                  /* SLOT: its number in the document, from 0 */
} dl_item;

typedef struct dl_page {
    double width, height;      /* points */
    const char *label;         /* page label ("1", "i", ...); NULL = default */
    cp_vec items;              /* dl_item *, drawn in order */
} dl_page;

typedef struct {
    int level;                 /* 1 = top */
    const char *title;
    const char *dest;          /* named destination it opens */
} dl_outline;

typedef struct {
    const char *title, *author, *subject, *keywords, *creator;
    const char *date;          /* ISO 8601 "2026-06-01T00:00:00Z", from data, never the clock */
    const char *lang;          /* BCP 47 language of the document's labels ("en", "hi") */
} dl_meta;

typedef struct {
    cp_arena *arena;
    cp_vec pages;              /* dl_page * */
    cp_vec outline;            /* dl_outline *, in document order */
    dl_meta meta;
} dl_doc;

dl_doc *dl_doc_new(cp_arena *a);
dl_page *dl_page_add(dl_doc *d, double width, double height);
static inline size_t dl_page_count(const dl_doc *d) { return d->pages.len; }
static inline dl_page *dl_page_get(const dl_doc *d, size_t i) { return d->pages.items[i]; }

/* Builders: each appends one item to the page and returns it for further settings. */
dl_item *dl_rect(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                 cp_rgba fill, double radius);
dl_item *dl_frame(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                  cp_rgba stroke, double stroke_width, double radius);
dl_item *dl_line(dl_doc *d, dl_page *p, double x0, double y0, double x1, double y1,
                 cp_rgba stroke, double width);
dl_item *dl_shape(dl_doc *d, dl_page *p, const dl_path *path, double x, double y,
                  double scale, cp_rgba fill);
/* Takes a new reference to `layout`, released with the arena. */
dl_item *dl_text(dl_doc *d, dl_page *p, PangoLayout *layout, double x, double y,
                 cp_rgba color);
dl_item *dl_image(dl_doc *d, dl_page *p, const char *png_path, double x, double y,
                  double w, double h);
dl_item *dl_link_uri(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                     const char *uri);
dl_item *dl_link_dest(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                      const char *dest);
dl_item *dl_dest(dl_doc *d, dl_page *p, const char *name, double x, double y);
dl_item *dl_slot(dl_doc *d, dl_page *p, int slot, double x, double y, double w, double h);
/* Returns the item, for its `alt`. */
dl_item *dl_tag_begin(dl_doc *d, dl_page *p, const char *role);
void dl_tag_end(dl_doc *d, dl_page *p);
void dl_outline_add(dl_doc *d, int level, const char *title, const char *dest);

/* Destination names, renamed in one place for every document that gathers others
 * (merged rosters, the handbook): each named destination (DL_DEST), each internal link
 * (DL_LINK without a uri) and each outline entry gets rename(arena, name, data) as its
 * new name, so the links of one part keep pointing into that part. */
typedef const char *(*dl_rename_fn)(cp_arena *a, const char *name, const void *data);
void dl_rename_dests(dl_doc *d, dl_rename_fn rename, const void *data);

/* The 0-based page holding the stand-in of slot `slot` (DL_SLOT); false when there is
 * none. */
bool dl_slot_page(const dl_doc *d, int slot, size_t *page);

/* Colour from "#rrggbb" or "#rrggbbaa"; false when malformed. */
bool rgba_parse(const char *s, cp_rgba *out);
/* Perceptual grey of a colour (for --grayscale, applied by the layout's theme). */
cp_rgba rgba_gray(cp_rgba c);

#endif
