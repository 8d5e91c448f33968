/* testing.h - behaviour that exists only in the test build.
 *
 * Some tests need to reach inside a run: kill a worker halfway through a report, or
 * lay every report out whole to compare it with its assembled twin. Those switches are
 * environment variables read through testing_setting(), which is real only when the
 * file is compiled with -DCAREERPDF_TESTING (`make test` builds such a second binary,
 * BUILD/testing/careerpdf, and the suites that need a switch run it). In the product
 * binary the call is a constant NULL and the variable's name is not even in the file:
 * whatever a user's environment holds, it cannot change the output or kill a worker. */
#ifndef CP_TESTING_H
#define CP_TESTING_H

#ifdef CAREERPDF_TESTING
#include <stdlib.h>
#define testing_setting(name) ((const char *)getenv(name))
#else
/* sizeof: the name is type-checked but never stored in the binary. */
#define testing_setting(name) ((void)sizeof(name), (const char *)NULL)
#endif

#endif
