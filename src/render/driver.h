/* driver.h - the one walk over the display list that every PDF, PNG and SVG writer
 * shares, and the document rules decided once for all of them.
 *
 * The display list (dlist.h) is the contract between layout and writers. The driver
 * reads it and decides everything that is not drawing: which items a given output
 * shows (tags, links, destinations and slots only in a whole PDF), how structure
 * elements balance (a stray end is ignored, what a page leaves open is closed, or
 * carried to the next page in a whole document, all inside one root element), what a
 * destination is called (with a per-report prefix in merged files), how outline
 * entries nest, what shape a box is (a rounded rectangle becomes one path here), and
 * that a page shown inside itself is drawn without that region. A backend implements
 * drawing primitives only (rd_backend): fill or stroke a path, show a laid-out text,
 * an image, a region of another page, a link, a destination, a tag.
 *
 * Map of src/render/ (callers above, callees below):
 *
 *   app/app.c, app/student.c, batch/batch.c   choose a writer and an output file
 *        |                 |                 \
 *   cairo_out.c       haru_out.c           merge.c
 *   cairo backend:    libharu backend:     many reports into one cairo PDF (roster
 *   PDF, PNG, SVG;    encrypted PDF with   --merge): report after report on one
 *   page recordings   attachments          surface, shared pages stored once
 *        \                 |                 /
 *         driver.c  the walk (rd_walk), tag balance, destination names, outline
 *                   nesting (rd_outline), shapes (rd_box_path)
 *        /       |          \                \
 *   dlist.c   pdf_date.c   pdf_labels.c    image_load.c
 *   the list  the one date  the one page-   images decoded at
 *   and its   rule (and     label rule      print resolution
 *   builders  SOURCE_DATE_
 *             EPOCH)
 *
 *   After a writer: pdf_finish.c (accessibility tags cairo cannot write, encryption,
 *   run as the output filter of core/outfile; its text layer is pdf_text*.c, with
 *   pdf_content.c, pdf_lang.c, pdf_artifacts.c; the file it changes is pdf_doc.c's,
 *   objects read on first use and the rest copied), pdf_security.c
 *   (password rules), and the roster assembler (a cairo template PDF plus a
 *   per-student overlay, byte level, pdf_assemble.h):
 *
 *   pdf_assemble.c           the output: the template's bytes, then each student's part
 *   pdf_assemble_template.c  the template parsed once, the output planned
 *   pdf_assemble_slots.c     the stand-ins and the structure and content around them
 *   pdf_assemble_overlay.c   a student's overlay read and renumbered
 *   pdf_assemble_page.c      a slot's page: the student's content and resources
 *   pdf_assemble_tree.c      the student's elements spliced into the structure tree
 *   pdf_raw_syntax.c, pdf_raw.c   PDF read and written at the byte level (pdf_raw.h) */
#ifndef CP_DRIVER_H
#define CP_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dlist.h"

/* The structure element every page's content sits in (cairo 1.16 damages links that
 * sit outside any structure element, and one root keeps the tree single-rooted). */
#define RD_ROOT_TAG "Document"

/* Outline entries deeper than this hang at this level. */
#define RD_OUTLINE_MAX_DEPTH 16

/* ---- shapes ---------------------------------------------------------------------- */

/* What a backend fills and strokes. The outline is either a plain rectangle (`box`:
 * backends write it as one rectangle operator) or a path of `ops`, drawn translated by
 * (x, y) and scaled by `scale`. */
typedef struct {
    bool box;                   /* a plain rectangle: rect[] = x, y, w (>= 0), h (>= 0) */
    double rect[4];
    const dl_path_op *ops;      /* otherwise: the path */
    size_t len;
    double x, y, scale;
    bool fill;                  /* fill with fill_color (non-zero winding) */
    cp_rgba fill_color;
    bool stroke;                /* then stroke with stroke_color */
    cp_rgba stroke_color;
    double width;               /* stroke width */
    double dash;                /* dash length; 0 = solid */
    bool round_cap;             /* lines: round ends */
} rd_shape;

/* The outline of a box with corners of radius r (clamped to half the shorter side),
 * the one shape rule of every writer: a plain rectangle when r <= 0, else four
 * quarter circles as Bézier curves, clockwise on the page from the top edge. Negative
 * sizes flip the box. `ops` holds at least RD_BOX_OPS entries. */
#define RD_BOX_OPS 9
void rd_box_path(double x, double y, double w, double h, double r, rd_shape *out,
                 dl_path_op ops[RD_BOX_OPS]);

/* ---- backends -------------------------------------------------------------------- */

struct rd_walk_state;

/* Drawing primitives. `be` is the backend's own state. A NULL entry means the backend
 * has no such thing (libharu writes no structure tags): the driver skips those items.
 * Every primitive leaves the drawing state (colour, transform, clip) as it found it. */
typedef struct rd_backend {
    void (*shape)(void *be, const rd_shape *s);
    void (*text)(void *be, const dl_item *it);
    void (*image)(void *be, const dl_item *it);
    /* A region of it->ref (never a page being drawn already, see rd_walk). The backend
     * draws the page with rd_walk(..., outer = `walk`) so the guard holds. */
    void (*page_ref)(void *be, const dl_item *it, const struct rd_walk_state *walk);
    /* Links and destinations come with their final names (it->dest). */
    void (*link)(void *be, const dl_item *it);
    void (*dest)(void *be, const dl_item *it);
    void (*tag_begin)(void *be, const char *role);
    void (*tag_end)(void *be, const char *role);
    void (*slot)(void *be, const dl_item *it, const dl_page *page);
    /* True once the backend has failed: the rest is not drawn. */
    bool (*failed)(void *be);
    /* Whole documents (rd_document): a page starts (its size and label are known)
     * and ends. */
    void (*begin_page)(void *be, size_t index, const dl_page *page);
    void (*end_page)(void *be, size_t index, const dl_page *page);
} rd_backend;

/* ---- the walk -------------------------------------------------------------------- */

enum {
    RD_DRAW = 1,       /* shapes, text, images, regions of other pages */
    RD_LINKS = 2,      /* link areas */
    RD_DESTS = 4,      /* named destinations */
    RD_TAGS = 8,       /* structure elements */
    RD_SLOTS = 16,     /* stand-ins for frames filled later (pdf_assemble.h) */
    RD_WHOLE = RD_DRAW | RD_LINKS | RD_DESTS | RD_TAGS | RD_SLOTS,
};

/* Structure elements open across pages: the roles begun and not yet ended, innermost
 * last (a NULL entry is a begin without a role, skipped with its end). */
typedef struct rd_tags rd_tags;
rd_tags *rd_tags_new(void);
/* Ends every open element (innermost first), then frees; with no backend (b NULL),
 * only frees. */
void rd_tags_close(rd_tags *t, const rd_backend *b, void *be);

typedef struct rd_walk_state {
    const dl_page *page;
    const struct rd_walk_state *outer;   /* the walk whose page_ref started this one */
    unsigned what;                       /* what the walk draws (RD_DRAW, ...) */
} rd_walk_state;

/* Draws one page's items in order through the backend, those `what` asks for.
 * Destination names (of DL_DEST and internal links) get `prefix` in front when it is
 * not NULL. `carry` (whole documents) holds the elements still open from earlier pages
 * and keeps what this page leaves open; without it, whatever the page leaves open is
 * closed at its end. An end without a begin is ignored. `outer` is NULL, or the walk a
 * page_ref primitive was called from: a page never shows itself, directly or not. */
void rd_walk(const rd_backend *b, void *be, const dl_page *page, unsigned what,
             const char *prefix, rd_tags *carry, const rd_walk_state *outer);

/* A whole document, page by page: begin_page, the page's items (rd_walk, with the
 * elements left open carried to the next page when `what` has RD_TAGS, all inside one
 * RD_ROOT_TAG element), end_page. Stops early once the backend has failed. */
void rd_document(const rd_backend *b, void *be, const dl_doc *doc, unsigned what);

/* ---- outline --------------------------------------------------------------------- */

/* Adds one outline entry under `parent` (a backend's handle, as returned before, or
 * the root given to rd_outline), open when `open`; `dest` is the entry's final
 * destination name. Returns false when the backend cannot add it (e.g. no such
 * destination): the entry is left out and nests nothing. */
typedef bool (*rd_outline_fn)(void *be, intptr_t parent, const char *title,
                              const char *dest, bool open, intptr_t *made);

/* The one nesting rule: entries come in document order and each hangs under the
 * latest entry of a shallower level; a skipped level attaches to the nearest one
 * above; levels below 1 count as 1, above RD_OUTLINE_MAX_DEPTH as that. Entries
 * without a destination name, and those whose level is below `min_level`, are left
 * out; entries at `min_level` hang under `root`. Top-level entries (level 1) start
 * open. Names get `prefix` in front when it is not NULL. */
void rd_outline(const dl_doc *doc, int min_level, intptr_t root, const char *prefix,
                rd_outline_fn add, void *be);

#endif
