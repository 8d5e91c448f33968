/* pdf_content.h - the tokens of PDF content streams and CMaps (ISO 32000-1, 7.2, 7.3
 * and 7.8.2), read in one place.
 *
 * Every pass over a page's content reads it through this tokenizer: the text layer
 * (pdf_text.h) with the finisher's artifacts in the same walk, and the finisher's cut
 * points for shared drawing (pdf_finish.c); ToUnicode CMaps have the same syntax. A
 * token points into the caller's bytes (no copy); operators are classified once, so
 * the passes compare small numbers, not strings. */
#ifndef CP_PDF_CONTENT_H
#define CP_PDF_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

typedef enum { TK_END, TK_OP, TK_NUM, TK_NAME, TK_HEX, TK_LIT, TK_OPEN, TK_CLOSE,
               TK_DOPEN, TK_DCLOSE } tk_kind;

/* One token: its kind and its bytes [s, e). */
typedef struct { tk_kind kind; const char *s, *e; } tk;

/* The operators the passes tell apart; everything else is OP_OTHER. OP_STATE: those
 * that only set the graphics or text state (no marked content needs to hold them). */
typedef enum {
    OP_OTHER, OP_STATE, OP_BDC, OP_BMC, OP_EMC, OP_BT, OP_ET, OP_TF,
    OP_SHOW,      /* Tj, ' and " */
    OP_TJ,        /* TJ (a show operator too) */
    OP_INLINE,    /* BI or ID: inline image data follows, which is not tokens */
} pdf_op_kind;

/* The token at p (TK_END at `end`); returns where the next one may begin. */
const char *pdf_lex(const char *p, const char *end, tk *t);

bool pdf_tk_is(const tk *t, const char *word);

/* The value of a TK_NUM token (an integer read without strtod: most of cairo's are). */
double pdf_tk_number(const tk *t);

/* What kind of operator a TK_OP token is. */
pdf_op_kind pdf_op_classify(const tk *op);

static inline bool pdf_op_shows(pdf_op_kind k)
{
    return k == OP_SHOW || k == OP_TJ;
}

static inline bool pdf_op_marks(pdf_op_kind k)
{
    return k == OP_BDC || k == OP_BMC || k == OP_EMC;
}

/* The bytes of a string token (hex or literal, escapes resolved). */
GByteArray *pdf_string_bytes(const tk *t);

/* UTF-16BE (with or without its byte order mark) as UTF-8 (g_free); NULL when not UTF-16. */
char *pdf_utf16be_to_utf8(const guint8 *b, size_t n);

#endif
