/* pdf_raw.h - PDF read and written at the byte level, the way cairo 1.16 and the
 * finisher (pdf_doc.h) write it, for the roster assembler (pdf_assemble.h) and the
 * finisher.
 *
 * The assembler copies a template's objects byte for byte and splices a student's
 * overlay into them, so it needs the spans of objects and values in the file, not a
 * parsed object model: the template's bytes and offsets must stay as they are. This is
 * that reader: tokens and values of PDF
 * syntax over [p, end) spans (pdf_raw_syntax.c), objects found through classic xref
 * tables and their /Prev chain, streams with no filter or /FlateDecode, the page list
 * and the structure tree's ParentTree (pdf_raw.c), and the few writers of new objects
 * the assembler needs. Anything it does not read (object streams, xref streams, other
 * generations) makes it fail, never guess: the caller then lays out the document
 * whole. */
#ifndef CP_PDF_RAW_H
#define CP_PDF_RAW_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

/* ---- syntax (pdf_raw_syntax.c) ------------------------------------------------------ */

typedef enum {
    TK_END, TK_BAD, TK_NUM, TK_NAME, TK_STR, TK_HEX, TK_DICT, TK_DICT_END, TK_ARR,
    TK_ARR_END, TK_WORD
} tk_kind;

/* A token: its kind and its bytes in the buffer (a string whole, delimiters included). */
typedef struct {
    tk_kind kind;
    const char *s;
    size_t n;
} raw_token;

raw_token raw_lex(const char **pp, const char *end);
bool raw_tk_is(raw_token t, const char *text);
long raw_tk_int(raw_token t);
bool raw_tk_real(raw_token t, double *v);
bool raw_lex_ref(const char **pp, const char *end, long *num);

/* Walks [p, end) for references, each token lexed once: the last two tokens are kept
 * so that an "R" can look back at its "N 0". */
typedef struct {
    const char *p, *end;
    raw_token prev[2];
    bool bad; /* stopped at bad syntax */
} raw_refs;

raw_refs raw_scan_refs(const char *p, const char *end);
bool raw_next_ref(raw_refs *s, const char **at, long *num);
bool raw_skip_value(const char **pp, const char *end, const char **s);
bool raw_dict_get(const char *d, const char *end, const char *key, const char **vs,
                  const char **ve);
bool raw_dict_has_name(const char *d, const char *end, const char *key, const char *name);
bool raw_read_box(const char *p, const char *end, double *w, double *h);
bool raw_array_items(const char *p, const char *end, GArray *starts, GArray *ends);

/* ---- objects (pdf_raw.c) ------------------------------------------------------------ */

typedef enum { OBJ_UNSET, OBJ_FREE, OBJ_USED, OBJ_PARSING, OBJ_PARSED, OBJ_BROKEN } obj_state;

typedef struct {
    obj_state state;
    size_t start;          /* "N 0 obj" */
    size_t val, val_end;   /* the value: after "obj", up to "stream" or "endobj" */
    size_t data, data_len; /* stream data (data == 0: no stream) */
    size_t end;            /* past "endobj" and its end of line */
} raw_obj;

/* A file being read: the bytes are the caller's and must outlive it. */
typedef struct {
    const char *buf;
    size_t len;
    GArray *objs; /* raw_obj by number */
    long size, root, info;
} raw_file;

/* Reads the cross-reference sections of buf; raw_close frees what it made, also when
 * it failed. */
bool raw_open(raw_file *f, const char *buf, size_t len);
void raw_close(raw_file *f);
raw_obj *raw_obj_at(const raw_file *f, long n);
const raw_obj *raw_obj_get(const raw_file *f, long n);
GString *raw_stream_data(const raw_file *f, const raw_obj *o, size_t cap, bool *whole);
GString *raw_stream_inflate(const raw_file *f, const raw_obj *o);
bool raw_deref(const raw_file *f, const char **vs, const char **ve);
bool raw_dict_get_deref(const raw_file *f, const char *d, const char *de, const char *key,
                        const char **vs, const char **ve);
bool raw_document_pages(const raw_file *f, GArray *pages);
bool raw_parent_tree_array(const raw_file *f, long key, const char **vs, const char **ve,
                           long *num);

/* ---- writing (pdf_raw.c) ------------------------------------------------------------ */

void raw_append_stream(GString *out, long num, const char *extra, const char *data,
                       size_t len);
void raw_append_num(GString *out, size_t v, int width);
/* `text` as a PDF literal string, its parentheses and backslashes escaped. */
void raw_append_literal(GString *out, const char *text);

#endif
