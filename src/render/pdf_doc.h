/* pdf_doc.h - a PDF file cairo wrote, opened to be changed and written again, for the
 * accessibility finisher (pdf_finish.h).
 *
 * The finisher changes a few hundred objects of a file of thousands (the catalog, the
 * structure elements, the pages, their content streams and the fonts' maps). A general
 * PDF library reads and writes every object of the file to do that: on a report it cost
 * as much as laying the report out. Here an object is parsed only when it is first
 * asked for, into a small tree of values that can be changed; the writer copies every
 * object nobody asked for byte for byte (its span, found by pdf_raw.h) and writes the
 * others from their trees, then a classic cross-reference table. What pdf_raw.h does
 * not read (object streams, xref streams, other generations) is refused.
 *
 * Values: a pd_obj pointer; NULL is the null object, and every reader takes NULL (and
 * any value of the wrong type) and answers "no", 0 or NULL, so a missing key needs no
 * test of its own. A value read from a dictionary or an array that refers to another
 * object is that object, resolved: changing it changes the object. A value put into a
 * dictionary or an array that is an object of the file (pd_id() != 0) is stored as a
 * reference to it. Everything belongs to the document and is freed with it. */
#ifndef CP_PDF_DOC_H
#define CP_PDF_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

typedef struct pd_doc pd_doc;
typedef struct pd_obj pd_obj;

/* Opens `buf` (which must outlive the document); NULL when pdf_raw.h cannot read it. */
pd_doc *pd_open(const char *buf, size_t len);
void pd_close(pd_doc *d);

/* The whole file again, with every change (a classic xref table, a deterministic /ID
 * from the bytes). */
GString *pd_write(pd_doc *d);

pd_obj *pd_root(pd_doc *d);
size_t pd_page_count(const pd_doc *d);
pd_obj *pd_page(pd_doc *d, size_t i);
pd_obj *pd_object(pd_doc *d, long num);
/* The structure tree's ParentTree array for `page` (by its /StructParents): which
 * element each of the page's marked-content ids belongs to; NULL when there is none.
 * The number tree is read once per document: a merged file has thousands of pages. */
pd_obj *pd_parent_array(pd_doc *d, pd_obj *page);

/* ---- reading ------------------------------------------------------------------------ */

bool pd_is_dict(const pd_obj *o);   /* a dictionary, not a stream */
bool pd_is_array(const pd_obj *o);
bool pd_is_int(const pd_obj *o);
bool pd_is_number(const pd_obj *o);
bool pd_is_string(const pd_obj *o);
bool pd_is_stream(const pd_obj *o);
/* A name, written with its slash: pd_is_name(o, "/Link"). */
bool pd_is_name(const pd_obj *o, const char *name);
const char *pd_name(pd_doc *d, pd_obj *o);   /* "/Link", or NULL */
long long pd_int(const pd_obj *o);
double pd_number(const pd_obj *o);
/* A string's text as UTF-8 (UTF-16BE with its mark, else PDFDocEncoding read as
 * Latin-1), owned by the document; NULL when not a string. */
const char *pd_utf8(pd_doc *d, pd_obj *o);
long pd_id(const pd_obj *o);   /* the object number, 0 for a direct value */

/* A dictionary's (or a stream's dictionary's) value for `key` ("/K"), resolved. */
pd_obj *pd_get(pd_doc *d, pd_obj *dict, const char *key);
bool pd_has(const pd_obj *dict, const char *key);
size_t pd_len(const pd_obj *array);   /* 0 when not an array */
pd_obj *pd_at(pd_doc *d, pd_obj *array, size_t i);
/* The number of entries of a dictionary (or a stream's), and the value of the i-th,
 * resolved: to visit every entry (a page's /XObject resources). */
size_t pd_dict_len(pd_obj *dict);
pd_obj *pd_dict_value_at(pd_doc *d, pd_obj *dict, size_t i);

/* ---- making and changing -------------------------------------------------------------- */

pd_obj *pd_new_int(pd_doc *d, long long v);
pd_obj *pd_new_name(pd_doc *d, const char *name);   /* "/S" */
pd_obj *pd_new_text(pd_doc *d, const char *utf8);   /* a text string */
pd_obj *pd_new_array(pd_doc *d);
/* A direct value from PDF syntax ("<< /Marked true >>"); NULL when it is not one. */
pd_obj *pd_parse(pd_doc *d, const char *text);
/* `o` when it is an array, else a new array holding `o` (nothing for null). */
pd_obj *pd_wrap_in_array(pd_doc *d, pd_obj *o);
/* A new object of the file: an empty stream. */
pd_obj *pd_new_stream(pd_doc *d);

/* Sets `key`; a NULL value removes it. */
void pd_put(pd_doc *d, pd_obj *dict, const char *key, pd_obj *v);
void pd_append(pd_doc *d, pd_obj *array, pd_obj *v);
void pd_set_at(pd_doc *d, pd_obj *array, size_t i, pd_obj *v);
void pd_erase_at(pd_obj *array, size_t i);

/* ---- streams --------------------------------------------------------------------------- */

/* A stream's decoded bytes (g_free), or NULL when `s` is not a stream or its filter is
 * not one we read (none, or /FlateDecode without parameters: what cairo writes). */
guint8 *pd_stream_bytes(pd_doc *d, pd_obj *s, size_t *len);
/* `data` as the content of `stream`, deflated (/FlateDecode) by libdeflate, which does
 * zlib's work at the same level in about half the instructions. */
void pd_stream_put(pd_doc *d, pd_obj *stream, const char *data, size_t len);
/* Every stream of the file stored as it is (no filter) deflated, the metadata (XMP,
 * which a reader must find as it is) aside. */
void pd_deflate_plain_streams(pd_doc *d);
/* `data` as the content of `stream`, as it is (no filter). */
void pd_stream_put_plain(pd_doc *d, pd_obj *stream, const char *data, size_t len);

#endif
