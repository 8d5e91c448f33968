/* pdf_text_page.h - one page of the text layer's pass (pdf_text.h): its operators, read
 * once, and what the pass decided for each; shared by the pass (pdf_text.c) and its
 * language runs (pdf_text_lang.c). Internal to the text layer. */
#ifndef CP_PDF_TEXT_PAGE_H
#define CP_PDF_TEXT_PAGE_H

#include <stdbool.h>

#include <glib.h>
#include "pdf_doc.h"

#include "pdf_artifacts.h"
#include "pdf_content.h"
#include "pdf_text.h"
#include "pdf_text_font.h"

struct pdf_text {
    pd_doc *doc;
    GHashTable *fonts;   /* object number -> font_info */
    GPtrArray *order;    /* the same fonts in the order first met: written back so */
    const char *doc_lang;   /* interned */
    GHashTable *elem_lang;   /* element object id -> its language (owned), for every page */
};

/* One operator with its operands: the bytes from the end of the previous operator to
 * its own end, and its operand tokens. */
typedef struct {
    const char *s, *e;
    guint arg0, nargs;
    tk op;
    pdf_op_kind kind;
    font_info *font;     /* the font of the last Tf up to here (NULL: none, not ours) */
    bool drop;           /* an ActualText span's BDC or EMC, replaced by CIDs */
    bool scanned;        /* script known (a text operator's letters are read once) */
    int script;          /* its first letter's script, or FONT_NEUTRAL */
    GArray *codes;       /* the new codes of a text operator inside such a span */
    GString *tj;         /* a TJ written again whole (marks_take_offsets), or NULL */
    bool lead_taken;     /* its leading `<> N` went into the TJ before it, with the mark
                          * that N followed (marks_take_offsets) */
} cop;

/* Where the page's new content goes: the artifact rule (pdf_artifacts.h) sees every
 * operator written, the page's own and the pass's; white space read before an operator
 * waits in `pending` until the rule has written what goes before it. */
typedef struct {
    GString *out;
    GString *pending;
    pdf_artifacts *art;  /* NULL: no artifacts */
} page_out;

typedef struct {
    pdf_text *t;
    pd_obj *fonts;       /* the page's /Resources /Font */
    pd_obj *page;
    pd_obj *parents;     /* the page's ParentTree array: MCID -> element */
    GPtrArray *mcid_lang;  /* MCID -> the language of its element (borrowed strings) */
    tk *args;            /* operand tokens of all operators */
    guint nargs, args_cap;
    GArray *ops;         /* cop */
    /* The fonts Tf set on this page by name ("/f-0-1"; NULL: not ours): few per page,
     * looked up thousands of times. */
    struct { const char *s; size_t n; font_info *f; } tf[16];
    guint ntf;
    /* The order the ops are written in (op indices), NULL for the page's own, and
     * what is written before some of them (op index -> GString): pdf_text_rows.c. */
    GArray *order;
    GHashTable *prefix;
    bool form;           /* a form XObject's content (pdf_text_form) */
} page_ctx;

static inline tk *arg(page_ctx *pc, const cop *o, guint i)
{
    return &pc->args[o->arg0 + i];
}

static inline cop *op_at(page_ctx *pc, guint i)
{
    return &g_array_index(pc->ops, cop, i);
}

/* The glyph codes of a text operator in font f (g_array_free). */
GArray *tp_codes(page_ctx *pc, const cop *o, const font_info *f);

/* The number of bytes a string operand holds. */
guint tp_string_len(const tk *a);

/* A two-byte glyph code as four hex digits. */
void tp_put_hex4(GString *s, guint code);
/* A number as the content writes it: whole thousandths without a point, others with at
 * most six decimals. */
void tp_put_num(GString *s, double v);

/* Whether a font the page sets reads as right-to-left letters (pdf_text_rtl.c). */
bool tp_page_rtl(page_ctx *pc);

/* Right-to-left runs written again in visual order (pdf_text_rtl.c): the first
 * operator of each run gets the run's new bytes (`tj`), the others are dropped. */
void tp_rtl_runs(page_ctx *pc);

/* Rows of tagged text drawn right to left written left to right (pdf_text_rows.c):
 * pc->order and pc->prefix. */
void tp_rows(page_ctx *pc);

/* A word's first glyph that reads with a nonspacing mark hands the mark on to the next
 * glyph (pdf_text_carry.c): new codes for the operators it changes. */
void tp_carry_marks(page_ctx *pc);

/* The operator's bytes as the pass writes them (remapped codes, a TJ written again). */
void tp_emit(page_ctx *pc, page_out *w, const cop *o);

/* Writing: `tp_put_op` before an operator of kind k (BDC: its `mcid`) - the artifact rule's
 * part and the pending white space; false when the operator is replaced (write nothing
 * of it). `tp_put_raw` for white space that belongs to what follows. */
bool tp_put_op(page_out *w, pdf_op_kind k, long mcid);
void tp_put_raw(page_out *w, const char *s, size_t n);

/* The index of the EMC that closes the marked-content sequence begun at op i, or 0. */
guint tp_sequence_end(page_ctx *pc, guint i);

/* The MCID a BDC operator carries, or -1. */
long tp_mcid(page_ctx *pc, const cop *o);

/* ---- languages (pdf_text_lang.c) ---- */

/* The language each MCID of the page is in (pc->mcid_lang, pc->parents). */
void tp_page_langs(page_ctx *pc, pd_obj *page);

/* The script of a text operator's letters (FONT_NEUTRAL: none), read once. */
int tp_script(page_ctx *pc, cop *o, font_info *f);

/* A tagged sequence being split into pieces, one per language run: each piece its own
 * MCID of the same element (the first keeps the sequence's), the foreign ones with a
 * marked-content /Lang. Pieces never cross BT or ET (marked content and text objects
 * nest), so a piece closes before each and the next opens with the next operator. */
typedef struct {
    guint end;           /* the sequence's EMC, 0 when not splitting */
    char *tag;           /* its tag, "/P" */
    long mcid;
    GUnicodeScript own_script;   /* the script of its element's language */
    const char *want;    /* the language of the current run (NULL: own) */
    bool open;
    const char *open_lang;
    bool first;
    bool in_bt;          /* inside a text object */
    GArray *added;       /* the new MCIDs, in order */
    guint nested;        /* inside a span of its own (ActualText kept: a mirrored
                          * bracket of a simple font): no piece begins or ends there */
} split;

/* Whether the tagged sequence from op i to its EMC j holds a run in another script
 * than its element's language `own`, and can be split (no marked content inside it but
 * spans without an MCID, which stay whole inside a piece). */
bool tp_needs_split(page_ctx *pc, guint i, guint j, font_info *font, const char *own);

/* The language a text operator asks for inside a split (NULL: the element's own; ""
 * for no letters: neutral). */
const char *tp_run_lang(page_ctx *pc, cop *o, font_info *f, GUnicodeScript own);

void tp_piece_open(page_ctx *pc, page_out *w, split *sp);
void tp_piece_close(page_out *w, split *sp);

/* The element of a split sequence lists its new pieces right after the first. */
void tp_add_pieces(page_ctx *pc, const split *sp);

#endif
