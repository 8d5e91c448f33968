/* pdf_assemble_int.h - what the files of the roster assembler share (pdf_assemble.h
 * says what it does): the parsed template, the parsed overlay and the functions one
 * file of the assembler calls in another. Nothing outside src/render/pdf_assemble*.c
 * includes it.
 *
 *   pdf_assemble_template.c  the template parsed once: its objects cut into runs, the
 *                            cross-reference table planned
 *   pdf_assemble_slots.c     the stand-ins, and the structure and content around them
 *   pdf_assemble_overlay.c   a student's overlay read, its objects renumbered
 *   pdf_assemble_page.c      a slot's page: the student's content and resources
 *   pdf_assemble_tree.c      the student's structure elements spliced into the tree
 *   pdf_assemble.c           the output: the template's runs, then the per-call part
 *
 * The bytes are read and written with pdf_raw.h. */
#ifndef CP_PDF_ASSEMBLE_INT_H
#define CP_PDF_ASSEMBLE_INT_H

#include "pdf_assemble.h"
#include "pdf_raw.h"

#include <glib.h>

/* cairo's own header: the binary comment tells transfer tools the file is not text. */
#define ASM_HEADER "%PDF-1.5\n%\xb5\xed\xae\xfb\n"

/* ---- the template (pdf_assemble_template.c, pdf_assemble_slots.c) -------------------- */

typedef struct {
    size_t start, len;
} span;

typedef struct {
    long num;          /* its object number, kept for the new form */
    size_t slot;
    double w, h;       /* its /BBox: the page it stands on */
} stand_in;

/* The resource subdictionaries whose names the content uses. */
enum { N_RES_KINDS = 7 };
extern const char *const asm_res_kinds[N_RES_KINDS];

/* Where a slot's student elements go in the template's structure tree. The template
 * reserves an element for the slot (a Div whose marked content paints the stand-in);
 * each student's elements take its place among its parent's kids. Their content goes
 * into the page's own content, between what the template draws before the stand-in and
 * what it draws after (the page lists three streams), with its marked content numbered
 * after the page's own (`base` on) and listed in the page's ParentTree array: readers
 * look for a page's marked content in the page's content, not in the forms it paints.
 * The slot's own marked-content sequence goes, so that the student's are not nested in
 * it; the student's resources join the page's under names of their own. */
typedef struct {
    bool tagged;       /* false: an untagged template, the drawing goes in as a form */
    long page;         /* the page object */
    const char *page_s, *page_e; /* its value in the template */
    const char *res_s, *res_e;   /* its resources */
    const char *kind_s[N_RES_KINDS], *kind_e[N_RES_KINDS]; /* their subdictionaries */
    long stand_in;     /* the stand-in form: its number holds the student's content */
    long content;      /* the page's content stream: now what comes before the slot */
    long after;        /* a new stream: what comes after it */
    GString *before_obj, *after_obj; /* those two objects, made once */
    GString *before_raw, *after_raw; /* their content until then */
    long parents;      /* the page's ParentTree array */
    const char *pt_s, *pt_e; /* its value in the template */
    long mcid;         /* the slot's MCID: its entry becomes null */
    long base;         /* the array's length: the student's first MCID */
    long elem, parent; /* the slot's element and the element it is a kid of */
    const char *par_s, *par_e; /* the parent's value in the template */
} slot_tree;

struct cp_pdf_template {
    char *buf;
    size_t len;
    size_t slots;
    GArray *runs;      /* span: template bytes written as they are, in file order */
    size_t fixed_len;  /* the header and the runs: where per-call objects begin */
    GArray *stand_ins; /* stand_in, by object number */
    slot_tree *trees;  /* by slot */
    GArray *patched;   /* long: template objects written again per call, ascending */
    GString *xref;     /* 20-byte entries 0..size-1; per-call objects' offsets patched */
    long size, root, info;
};

/* ---- the overlay (pdf_assemble_overlay.c) ------------------------------------------- */

/* What one overlay page gives its stand-in. */
typedef struct {
    long num;                 /* the page object */
    long struct_parents;      /* its /StructParents, -1 when none */
    raw_token w, h;           /* /MediaBox width and height, as written */
    const char *res, *res_end; /* /Resources: a reference or a dictionary */
    const raw_obj *content;
    const char *filter, *filter_end; /* the content's /Filter, NULL when none */
} ov_page;

typedef struct {
    raw_file f;
    GArray *pages;  /* ov_page, in page order */
    long *renum;    /* overlay number → output number, 0 when not copied */
    GArray *copied; /* overlay numbers copied, ascending */
    long doc;       /* the overlay's root structure element, 0 when untagged */
    GArray *tops;   /* long: the root's kids, in order (each a slot's element) */
    long *slot_of;  /* overlay number → the slot of the element, -1 when not one */
} overlay;

/* What a rewritten dictionary's values are written for. */
typedef struct {
    const cp_pdf_template *t;
    const overlay *ov;
    size_t slot;
} rewrite;

typedef bool (*value_fn)(GString *out, raw_token key, const char *v, const char *ve,
                         const rewrite *rw);

/* ---- between the files -------------------------------------------------------------- */

/* pdf_assemble_slots.c */
long asm_stand_in_slot(const raw_file *f, const raw_obj *o);
bool asm_find_trees(cp_pdf_template *t, const raw_file *f);
int asm_by_num(const void *a, const void *b);
bool asm_is_patched(const cp_pdf_template *t, long num);

/* pdf_assemble_overlay.c: asm_overlay_free also after a failed read. */
bool asm_overlay_read(overlay *ov, const cp_pdf_template *t, const char *buf, size_t len);
void asm_overlay_free(overlay *ov);
void asm_append_renumbered(GString *out, const overlay *ov, const char *p, const char *end);

/* pdf_assemble_page.c */
bool asm_append_student_stream(GString *out, const cp_pdf_template *t, const overlay *ov,
                               size_t slot);
void asm_append_form(GString *out, const overlay *ov, const stand_in *s, const ov_page *pg);
bool asm_page_value(GString *out, raw_token key, const char *v, const char *ve,
                    const rewrite *rw);

/* pdf_assemble_tree.c */
bool asm_element_value(GString *out, raw_token key, const char *v, const char *ve,
                       const rewrite *rw);
bool asm_parent_value(GString *out, raw_token key, const char *v, const char *ve,
                      const rewrite *rw);
bool asm_append_parents(GString *out, const cp_pdf_template *t, const overlay *ov,
                        size_t slot);

#endif
