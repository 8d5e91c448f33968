/* pdf_artifacts.h - the finisher's rule for page content outside the structure tree.
 *
 * Whatever a page draws outside every marked-content sequence is page furniture the
 * layout drew outside its tags (rules, card backgrounds, icons, running heads, footers):
 * PDF/UA wants it marked as an /Artifact so that nothing is left neither tagged nor
 * artifact. The content of a furniture element (pdf_finish.c's artifact_ids: a table
 * header repeated on a later page) becomes an /Artifact sequence too. Marked content and
 * text objects nest (ISO 32000-1, 14.6), so an artifact sequence never spans BT or ET.
 *
 * Applied while the content pass writes each operator (pdf_text.h), so a page is read
 * once: the caller says what comes next, the rule writes what goes before it. */
#ifndef CP_PDF_ARTIFACTS_H
#define CP_PDF_ARTIFACTS_H

#include <stdbool.h>

#include <glib.h>

#include "pdf_content.h"

typedef struct {
    const GArray *furniture;   /* bool per MCID: its element is furniture, or NULL */
    int depth;                 /* marked-content nesting */
    bool open;                 /* inside an /Artifact sequence of ours */
    bool failed;               /* unbalanced marked content: leave the page as it was */
    bool changed;
} pdf_artifacts;

/* Before an operator of kind `k` (`mcid`: the id a BDC carries, or -1) is written:
 * what the rule writes before it into `out`. False when the operator is replaced
 * (a furniture element's BDC, now `/Artifact BMC`): the caller writes nothing of it,
 * nor the white space before it. */
bool pdf_artifacts_before(pdf_artifacts *a, GString *out, pdf_op_kind k, long mcid);

/* Whether marked-content id `mcid` is the content of a furniture element. */
bool pdf_artifacts_furniture(const pdf_artifacts *a, long mcid);

/* At the end of the content: closes an open sequence; false when the content was not
 * balanced (then the page is left as it was). */
bool pdf_artifacts_end(pdf_artifacts *a, GString *out);

#endif
