/* replay.c - runs a fuzz harness on files, without libFuzzer.
 *
 *   build/fuzz/replay_career FILE...
 *
 * Built with the normal compiler (and in the sanitizer build), so `make test` replays
 * the regression corpus (tests/fuzz/regressions/) through exactly the code the fuzzer
 * ran. Exits 0 when every file ran to the end; a crash or a sanitizer report is the
 * failure. */
#include "fuzz.h"

#include <errno.h>
#include <string.h>

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 2;
        }
        size_t cap = 1 << 16, len = 0;
        unsigned char *buf = malloc(cap);
        for (size_t n; buf && (n = fread(buf + len, 1, cap - len, f)) > 0;) {
            len += n;
            if (len == cap)
                buf = realloc(buf, cap *= 2);
        }
        fclose(f);
        if (!buf) {
            fputs("replay: out of memory\n", stderr);
            return 2;
        }
        /* An exact-size copy, so an over-read past the input is caught as it would be
         * under libFuzzer. */
        unsigned char *exact = malloc(len ? len : 1);
        memcpy(exact, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    return 0;
}
