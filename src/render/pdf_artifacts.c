/* pdf_artifacts.c - page furniture marked as /Artifact (see pdf_artifacts.h). */
#include "pdf_artifacts.h"

bool pdf_artifacts_furniture(const pdf_artifacts *a, long mcid)
{
    return a && a->furniture && mcid >= 0 && (size_t)mcid < a->furniture->len &&
           g_array_index(a->furniture, bool, (size_t)mcid);
}

bool pdf_artifacts_before(pdf_artifacts *a, GString *out, pdf_op_kind k, long mcid)
{
    if (k == OP_EMC && a->depth == 0)
        a->failed = true;
    if (a->failed)
        return true;
    bool begin = k == OP_BDC || k == OP_BMC;
    if (a->depth == 0 && (k == OP_BT || k == OP_ET)) {
        if (a->open)
            g_string_append(out, "\nEMC\n");
        a->open = false;
        return true;
    }
    /* Only a sequence with an MCID belongs to the tree; one without (a BMC, a span
     * without an id) stays inside the artifact. */
    bool tagged = k == OP_BDC && mcid >= 0;
    if (a->depth == 0 && tagged && a->open) {
        g_string_append(out, "\nEMC\n");
        a->open = false;
        a->changed = true;
    } else if (a->depth == 0 && !tagged && k != OP_EMC && !a->open) {
        g_string_append(out, "\n/Artifact BMC\n");
        a->open = true;
        a->changed = true;
    }
    a->depth += begin ? 1 : k == OP_EMC ? -1 : 0;
    if (tagged && pdf_artifacts_furniture(a, mcid)) {
        g_string_append(out, "\n/Artifact BMC");
        a->changed = true;
        return false;
    }
    return true;
}

bool pdf_artifacts_end(pdf_artifacts *a, GString *out)
{
    if (a->open)
        g_string_append(out, "\nEMC\n");
    a->open = false;
    return !a->failed && a->depth == 0;
}
