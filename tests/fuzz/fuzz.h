/* fuzz.h - what the libFuzzer harnesses share.
 *
 * Each harness defines LLVMFuzzerInitialize (loads what stays fixed: schema, icons,
 * fonts, a career) and LLVMFuzzerTestOneInput. Built with clang -fsanitize=fuzzer by
 * `make fuzz`, or with the normal compiler and replay.c (a main that feeds files to
 * the same two functions), which is how `make test` replays tests/fuzz/regressions/.
 *
 * The data folders are found from the working directory (the repository root, where
 * make runs) or from $CAREERPDF_ROOT. */
#ifndef CP_FUZZ_H
#define CP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The repository root: $CAREERPDF_ROOT or ".". */
static inline const char *fuzz_root(void)
{
    const char *r = getenv("CAREERPDF_ROOT");
    return r && *r ? r : ".";
}

/* Set-up that must work: a harness that cannot load its fixed data is useless. */
static inline void fuzz_require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: cannot load %s (run from the repository root or set "
                        "CAREERPDF_ROOT)\n", what);
        exit(2);
    }
}

/* Messages are formatted (that code runs too) but not printed: thousands of inputs a
 * second would otherwise flood the terminal. FUZZ_VERBOSE=1 prints them. */
static inline void fuzz_quiet(void)
{
    const char *v = getenv("FUZZ_VERBOSE");
    diag_set_quiet(!(v && *v == '1'));
}

#endif
