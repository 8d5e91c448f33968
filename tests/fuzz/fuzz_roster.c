/* fuzz_roster.c - the roster reader: CSV through libcsv (quotes, line breaks, byte
 * order marks, located cells, column and cell limits) or a YAML list of rows, then what
 * the batch does with each row (column lookups, self-rating columns).
 *
 * An input is YAML when its first byte is '-' or '[' (a list), else CSV: the corpus
 * keeps both kinds apart without a header byte, and a file from the corpus can be given
 * to `careerpdf --roster` as it is (named .yaml or .csv). */
#include "fuzz.h"

#include <string.h>

#include "batch/roster.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    return 0;
}

/* Skill names of a career, as the fit block passes them. */
static const char *const SKILLS[] = {
    "Programming logic (Python, C++, Rust)", "Mathematics", "Machine learning",
    "Communication", "",
};
#define N_SKILLS (sizeof SKILLS / sizeof *SKILLS)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool yaml = size > 0 && (data[0] == '-' || data[0] == '[');
    cp_roster *r = roster_open_mem("fuzz-roster", (const char *)data, size, yaml);
    if (!r)
        goto out;
    (void)roster_has_column(r, "name");
    (void)roster_has_column(r, "career");
    cp_arena *a = arena_new();
    cp_roster_row row;
    int got;
    size_t rows = 0;
    while ((got = roster_next(r, a, &row)) == 1) {
        if (row.node) {
            const cp_node *m = row.node;
            (void)node_str(m, "name");
            (void)node_str(m, "career");
            /* Every cell's text as a skill name, and the rows' self-ratings. */
            for (size_t i = 0; i < m->len && i < 16; i++)
                (void)roster_skill_column(a, m->items[i]->text);
            (void)roster_rate_by_index(a, m, SKILLS, N_SKILLS);
        }
        if (++rows % 1024 == 0) { /* as the batch does: memory stays flat */
            arena_free(a);
            a = arena_new();
        }
    }
    arena_free(a);
    roster_close(r);
out:
    diag_reset();
    return 0;
}
