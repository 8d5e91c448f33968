/* layout.h - from model to display list: the engine's public surface.
 *
 * A job names the (validated) documents to lay out; the engine builds every block of
 * the layout into unbreakable pieces measured with Pango, paginates them, adds page
 * furniture and returns the finished display list. */
#ifndef CP_LAYOUT_H
#define CP_LAYOUT_H

#include <stdbool.h>

#include "../model/node.h"
#include "../render/dlist.h"
#include "fonts.h"

typedef struct {
    const cp_node *career;   /* content/careers/ID.yaml, schema-checked */
    const cp_node *strings;  /* content/strings/LANG.yaml */
    const cp_node *layout;   /* layout with `extends` already merged */
    const char *layout_dir;  /* folder of the layout file (logo paths are relative to it) */
    const cp_node *student;  /* roster row (mapping of column → value) or NULL */
    const cp_node *icons;    /* fonts/icons.yaml: icon name → codepoint */
    const char *paper;       /* --paper, or NULL for the layout's own */
    bool grayscale;
    bool chapter;            /* part of a book: no page furniture (the book adds its own);
                                cards naming another career link to its chapter */
    cp_fonts *fonts;
} cp_job;

/* NULL after reporting through diag_error() (text that does not fit, a glyph no font
 * has, bad layout values...). The document lives in `a`. */
dl_doc *layout_document(cp_arena *a, const cp_job *job);

/* --- personalised reports in bulk: templates and overlays (frames.c) -----------------
 *
 * Only a layout's `when: student` blocks change from one student to the next. When each
 * of them has a `frame:` (a box of a fixed number of text lines, or a page of its
 * own), all students with the same career, language and set of student blocks share a
 * template: the document laid out with an empty frame (a DL_SLOT) where each student
 * block goes. A student's own blocks are then laid out alone and drawn into those
 * frames: the overlay. Template plus overlay look exactly like the document laid out
 * whole for that student; a student whose blocks do not fill their frames exactly
 * (a note longer than the box, a profile longer than its page) gets the whole layout. */

#define CP_MAX_FRAMES 16

typedef struct {
    size_t page;             /* 0-based page of the template */
    double x, y, w, h;       /* the box reserved for the block (left-to-right points) */
    bool whole_page;         /* `frame: page`: the block runs to the foot of the page */
    bool at_top;             /* the box starts the page's content (no gap above) */
} cp_frame;

typedef struct {
    dl_doc *doc;
    unsigned mask;           /* the student blocks it has frames for (bit n: block n) */
    size_t n_frames;         /* one per bit of mask, in layout order */
    cp_frame frames[CP_MAX_FRAMES];
    double gap_factor;       /* applied to the gaps inside a frame, like everywhere */
} cp_template;

typedef enum { TEMPLATE_OK, TEMPLATE_NONE, TEMPLATE_ERROR } cp_template_status;

/* The template for students whose blocks are `mask` (job->student is not used).
 * TEMPLATE_NONE when this layout cannot share pages (a student block without `frame:`,
 * or student data printed outside student blocks); TEMPLATE_ERROR after a message. */
cp_template_status layout_template(cp_arena *a, const cp_job *job, unsigned mask,
                                   cp_template *out);

/* A student's blocks, built but not yet placed. */
typedef struct cp_parts cp_parts;

/* NULL after a message (a bad rating, a glyph no font has...). */
cp_parts *layout_parts(cp_arena *a, const cp_job *job);
unsigned layout_parts_mask(const cp_parts *p);

/* The student's blocks drawn where the template keeps their frames, one page per
 * frame (each as large as its template page). NULL when they do not fill their frames
 * exactly: the caller lays the whole document out instead. */
dl_doc *layout_overlay(cp_arena *a, const cp_parts *p, const cp_template *t);

/* Names of the block kinds the engine knows, NULL-terminated (for --check and docs). */
const char *const *layout_block_kinds(void);

#endif
