# careerpdf - YAML career data to print-ready PDF reports, handouts and posters.
#
#   make            build ./careerpdf
#   make deps       install missing Debian packages (apt-get; sudo when not root)
#   make demo       deps + build + examples/out/ai-engineer.pdf
#   make test       deps + build + unit, CLI and golden tests (side by side, under 90 s)
#   make test-full  the same with the exhaustive checks make test samples (CI)
#   make asan-test  the same tests against an AddressSanitizer/UBSan build
#   make clang-test the same tests built with clang
#   make valgrind   memcheck on the demo and a 20-row roster run (tests/valgrind.sh)
#   make bench      timings and sizes (whole numbers)
#   make proptest   500 careers generated from the schema, checked for overlaps and margins
#   make fuzz       libFuzzer harnesses (clang), FUZZ_SECONDS (60) each: tests/fuzz/run.sh
#   make install PREFIX=/usr/local
#   make deb        build/deb/careerpdf_VERSION_ARCH.deb (dpkg-buildpackage) and lintian
#   make deb-test   make deb, then the package unpacked into a temporary root and run there
#   make image      the container image (Containerfile) with podman or docker

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
CC       ?= cc
PKGS     := cairo cairo-pdf cairo-svg cairo-png pangocairo pangoft2 fontconfig yaml-0.1 libqrencode zlib libqpdf libdeflate \
            json-glib-1.0 libpng16 libjpeg

# libqpdf is compiled against but loaded at run time, when a file is encrypted or packed
# (src/render/pdf_qpdf.h): by the soname of the library pkg-config finds.
LINKED_PKGS := $(filter-out libqpdf,$(PKGS))
# Recursive (=) so pkg-config runs when a recipe first needs the flags, after `make deps`;
# the first use keeps the answer (:=), so it runs once a make, not once a compile.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $$(PKGS)))$(PKG_CFLAGS)
# libcsv and libharu ship no pkg-config file on Debian 12.
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $$(LINKED_PKGS)) -lcsv -lhpdf -lm)$(PKG_LIBS)
QPDF_SONAME = $(shell objdump -p "$$(pkg-config --variable=libdir libqpdf)/libqpdf.so" \
                  2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
# The version has one source, the top entry of debian/changelog (a release is a changelog
# entry); --version and the package both read it.
VERSION   := $(shell head -n 1 debian/changelog | cut -d ' ' -f 2 | tr -d '()')
OPT       ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Wshadow -Wno-unused-parameter
# gcc's -Wformat-truncation flags snprintf calls that cut on purpose; clang has no such
# warning (and refuses the option).
IS_CLANG  := $(findstring clang,$(shell $(CC) --version 2>/dev/null))
WARN      += $(if $(IS_CLANG),,-Wno-format-truncation)
# Warnings are errors in development and CI (make test, asan-test...), not in the plain
# build a user runs, perhaps with a newer compiler that warns about more.
WERROR    ?=
DEV_WERROR := WERROR=-Werror
DEFS      := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -DCAREERPDF_DATADIR='"$(PREFIX)/share/careerpdf"'
CFLAGS_ALL = $(OPT) $(WARN) $(WERROR) $(DEFS) $(SANITIZE) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
# gold links in a third of GNU ld's time (a test build links twenty programs: the two
# binaries, the unit programs, the replayers, the tools); where the compiler cannot use
# it, the default linker.
FAST_LD   := $(if $(shell $(CC) -fuse-ld=gold -Wl,--version 2>/dev/null | grep -F 'GNU gold'),-fuse-ld=gold)
LDFLAGS_ALL = $(FAST_LD) $(SANITIZE) $(LDFLAGS)

SRC      := $(sort $(shell find src -name '*.c'))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
# The test build (src/core/testing.h): the files that use test-only switches are
# compiled again with -DCAREERPDF_TESTING and linked with everything else into a second
# binary that only the tests run.
TESTING_SRC := $(sort $(shell grep -l 'core/testing.h' $(SRC)))
TESTING_OBJ := $(TESTING_SRC:%.c=$(BUILD)/testing/%.o)
TEST_BIN    := $(BUILD)/testing/careerpdf
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Packages the build, the tests and the demo need (Debian 12 names).
DEB_PKGS := build-essential pkg-config libcairo2-dev libpango1.0-dev libfontconfig-dev \
            libyaml-dev libcmocka-dev libcsv-dev libhpdf-dev libqrencode-dev libqpdf-dev \
            libdeflate-dev libjson-glib-dev libpng-dev libjpeg62-turbo-dev python3-yaml \
            python3-jsonschema patch \
            poppler-utils qpdf zbar-tools parallel fonts-noto-cjk fonts-symbola python3 \
            valgrind libjs-pdf nodejs

ifeq ($(BUILD),build)
BIN := careerpdf
else
BIN := $(BUILD)/careerpdf
endif

.PHONY: proptest all deps demo test test-full unit cli cli-suites asan-test unit-asan valgrind bench install uninstall clean golden-update \
        golden-update-print print-test
all: $(BIN)

$(BIN): $(OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $(OBJ) $(PKG_LIBS)

# Each output's folder is an order-only prerequisite (its time is no reason to rebuild),
# made once by the rule below rather than by one `mkdir -p` per file (a process costs
# 5-8 ms of CPU here). Precious: make would remove folders a pattern rule made.
.SECONDEXPANSION:
.PRECIOUS: %/
%/:
	@mkdir -p $@

# The compile flags of this build folder, rewritten only when they change. Everything
# compiled depends on them, so `make OPT=-O0` after `make` rebuilds rather than mixes
# objects. Left out: WERROR (it changes no object, and make and make test share build/)
# and the data folder PREFIX gives (`make install PREFIX=...` installs the build as it
# is, which tests/cli/run.sh does while other suites run ./careerpdf; no system header
# reads it, so the precompiled header below stays valid).
COMPILE_FLAGS := $(BUILD)/compile-flags
.PHONY: FORCE
$(COMPILE_FLAGS): FORCE | $$(@D)/
	$(file >$@.new,$(CC) $(filter-out $(WERROR) -DCAREERPDF_DATADIR=%,$(CFLAGS_ALL)))
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@

$(BUILD)/%.o: %.c $(COMPILE_FLAGS) | $$(@D)/
	$(CC) $(CFLAGS_ALL) $(call pch_use,$<) -MMD -MP -c $< -o $@

$(BUILD)/testing/%.o: %.c $(COMPILE_FLAGS) | $$(@D)/
	$(CC) $(CFLAGS_ALL) $(call pch_use,$<) -DCAREERPDF_TESTING -MMD -MP -c $< -o $@

# Precompiled system headers (gcc). Half the files reach Pango through their includes
# (render/dlist.h brings it to most of layout/, render/ and app/) and each parsed glib,
# cairo and pango again, 130-200 ms of CPU a file here.
# gcc parses them once a build folder (src/core/sysdeps.h into $(PCH)) and those files
# load that image with -include instead: 50 ms less a file. The other files do without:
# loading the 16 MB image costs 60-70 ms (page faults), more than they would save.
# clang builds take no image and no forced include (so they check that each file
# includes what it uses).
#
# The image must be made with the objects' own flags (gcc refuses it otherwise, and a
# mismatched -fsanitize crashes it), so it depends on $(COMPILE_FLAGS): a change to them
# or to the header makes the image again and so every file that takes it. -Winvalid-pch
# says when gcc refuses the image and parses the header instead (an error in
# development builds, -Werror).
PCH_H     := src/core/sysdeps.h
PCH_DIR   := $(BUILD)/pch
PCH       := $(PCH_DIR)/sysdeps.h.gch
# The C files that reach <pango/...> through their includes (ours followed by name,
# until nothing changes), less those that define a feature-test macro, which must come
# before any system header.
define PCH_USERS_AWK
FNR == 1 { name = FILENAME; sub(/.*\//, "", name); base[FILENAME] = name }
/^#define _[A-Z0-9_]*SOURCE/ { own_features[FILENAME] = 1 }
/^#include <pango\// { reaches[FILENAME] = 1 }
/^#include "/ { h = $$2; gsub(/"/, "", h); sub(/.*\//, "", h); inc[FILENAME] = inc[FILENAME] " " h }
END {
    do {
        grew = 0
        for (f in reaches) reached_name[base[f]] = 1
        for (f in inc) {
            if (f in reaches) continue
            n = split(inc[f], hs, " ")
            for (i = 1; i <= n; i++)
                if (hs[i] in reached_name) { reaches[f] = 1; grew = 1; break }
        }
    } while (grew)
    for (f in reaches) if (f ~ /\.c$$/ && !(f in own_features)) print f
}
endef
PCH_USERS := $(if $(IS_CLANG),,$(sort $(shell awk '$(PCH_USERS_AWK)' \
                 $(shell find src -name '*.[ch]'))))
pch_use    = $(if $(filter $1,$(PCH_USERS)),-include $(PCH_DIR)/sysdeps.h -Winvalid-pch)

$(filter $(PCH_USERS:%.c=$(BUILD)/%.o),$(OBJ)) $(filter $(PCH_USERS:%.c=$(BUILD)/testing/%.o),$(TESTING_OBJ)): $(PCH)

# The image is made from a copy beside it, which gcc parses instead when it refuses the
# image; -MD: a system header that changes (a package upgrade) makes it again.
$(PCH): $(PCH_H) $(COMPILE_FLAGS) | $$(@D)/
	cp $(PCH_H) $(PCH_DIR)/sysdeps.h
	$(CC) $(CFLAGS_ALL) -x c-header -MD -MP -MF $@.d -c $(PCH_DIR)/sysdeps.h -o $@
-include $(PCH).d

$(TEST_BIN): $(filter-out $(TESTING_SRC:%.c=$(BUILD)/%.o),$(OBJ)) $(TESTING_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

# The unit programs and the fuzz replayers link the program's objects from one archive:
# the linker takes only the objects each needs (a fifth of the time of linking them all,
# twelve programs a build).
LIB_A := $(BUILD)/libcareerpdf.a
$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The unit programs and the replayers are drivers of that archive: their own code is
# compiled at -O0 (unless OPT is given, as the sanitizer build does), which takes 3.4 s
# of CPU for the thirteen unit programs against 5.4 s at -O2 with the precompiled header
# (and the image, made with -O2, would not match -O0 anyway). What they test, the
# archive, stays -O2.
DRIVER_OPT    = $(if $(filter command line environment,$(origin OPT)),$(OPT),-O0 -g)
DRIVER_CFLAGS = $(DRIVER_OPT) $(filter-out $(OPT),$(CFLAGS_ALL))
$(BUILD)/tests/%: tests/unit/%.c $(LIB_A) $(COMPILE_FLAGS) | $$(@D)/
	$(CC) $(DRIVER_CFLAGS) -Isrc -MMD -MP -o $@ $< $(LIB_A) $(LDFLAGS_ALL) $(PKG_LIBS) -lcmocka

-include $(OBJ:.o=.d) $(UNIT_BIN:=.d) $(TESTING_OBJ:.o=.d)

# private: not passed on to the objects' prerequisites (the precompiled header's flags).
$(BUILD)/src/main.o: private CFLAGS_ALL += -DCP_VERSION='"$(VERSION)"'
$(BUILD)/src/render/pdf_qpdf.o: private CFLAGS_ALL += -DCP_QPDF_SONAME='"$(QPDF_SONAME)"'
$(BUILD)/src/main.o: debian/changelog

# One dpkg-query for all the packages (one a package took a second before every test run).
deps:
	@installed=" $$(dpkg-query -W -f='$${Status} $${Package}\n' $(DEB_PKGS) 2>/dev/null | \
	    awk '/^install ok installed / {printf "%s ", $$4}')"; \
	missing=""; for p in $(DEB_PKGS); do \
	  case $$installed in *" $$p "*) ;; *) missing="$$missing $$p" ;; esac; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p examples/out
	./careerpdf --career ai-engineer -o examples/out/ai-engineer.pdf
	./careerpdf --career ai-engineer --layout examples/school-layout.yaml \
	    -o examples/out/ai-engineer-school.pdf
	@echo examples/out/ai-engineer.pdf

unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

# The golden pixel tests compare PNGs with this small cairo program (never sanitized:
# it is a test tool, not the program under test).
PNGDIFF := build/tools/pngdiff
$(PNGDIFF): tests/tools/pngdiff.c | $$(@D)/
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror $(shell pkg-config --cflags cairo) -o $@ $< \
	    $(FAST_LD) $(shell pkg-config --libs cairo)

# Test images of any size and format (logos), written row by row.
MKIMAGE := build/tools/mkimage
$(MKIMAGE): tests/tools/mkimage.c | $$(@D)/
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror $(shell pkg-config --cflags libpng16 libjpeg) \
	    -o $@ $< $(FAST_LD) $(shell pkg-config --libs libpng16 libjpeg)

# The CLI suites (tests/cli/all.sh: side by side, CLI_JOBS at a time, default one per
# core); CLI_FLAGS=--full adds the exhaustive checks (make test-full).
CLI_DEPS  := $(BIN) $(TEST_BIN) $(PNGDIFF) $(MKIMAGE)
CLI_FLAGS ?=
cli-suites: $(CLI_DEPS)
	@CAREERPDF=./$(BIN) CAREERPDF_TESTING=./$(TEST_BIN) PNGDIFF=./$(PNGDIFF) MKIMAGE=./$(MKIMAGE) \
	    tests/cli/all.sh $(CLI_FLAGS)

cli: cli-suites
	@$(MAKE) --no-print-directory fuzz-regressions

# Rewrites tests/golden/ from the current build: run it after an intended change to the
# report's look or text, look at the new pictures, and commit them with the change.
golden-update: $(BIN)
	@mkdir -p tests/golden
	./$(BIN) --career ai-engineer --format png --dpi 30 --page 1 -o tests/golden/report-p1.png
	./$(BIN) --career ai-engineer --format png --dpi 30 --page 2 -o tests/golden/report-p2.png
	@t=$$(mktemp -d) && trap 'rm -rf "$$t"' EXIT && \
	    ./$(BIN) --career ai-engineer -o "$$t/report.pdf" && \
	    pdftotext "$$t/report.pdf" tests/golden/report.txt
	@echo "tests/golden updated: review the images and text before committing"

# make test builds everything first, then runs the unit tests, the CLI suites and the
# fuzz regressions side by side (each one's output printed whole when it ends, -O).
# Under `make -jN` the parent's job slots are used; otherwise one job per core.
TEST_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
TEST_PAR   = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(TEST_JOBS))
test: deps
	@$(MAKE) --no-print-directory $(DEV_WERROR) $(TEST_PAR) all $(UNIT_BIN) $(CLI_DEPS) $(REPLAY_BIN)
	@$(MAKE) --no-print-directory $(DEV_WERROR) $(TEST_PAR) --output-sync=target \
	    unit cli-suites fuzz-regressions

# What CI runs besides: the same with the exhaustive checks (every career on every paper
# in every language, ...) that make test samples.
test-full: deps
	@$(MAKE) --no-print-directory $(DEV_WERROR) CLI_FLAGS=--full test

# The same tests built with clang (its warnings are errors too), in build-clang/.
.PHONY: clang-test
clang-test: DEB_PKGS += clang
clang-test: deps
	@$(MAKE) --no-print-directory CC=clang BUILD=build-clang test

# Property test of the report: 500 careers generated from the schema (seeded: a failure
# prints the command that replays it) and the named extremes, each checked from its
# word boxes. PROPTEST_N, PROPTEST_SEED change the count and the first seed.
PROPTEST_N ?= 500
PROPTEST_SEED ?= 1
proptest: $(BIN)
	@CAREERPDF=./$(BIN) tests/proptest/run.sh --fixed -n $(PROPTEST_N) -s $(PROPTEST_SEED) -j 2

# Posters, handouts, tiling, bleed and QR codes (tests/cli/print.sh, a script of its own).
print-test: $(BIN) $(TEST_BIN) $(PNGDIFF)
	@CAREERPDF=./$(BIN) PNGDIFF=./$(PNGDIFF) tests/cli/print.sh

# The poster and handout goldens of tests/cli/print.sh, rewritten with the report's.
PRINT_GOLDEN = ./$(BIN) --career ai-engineer --format png --dpi 30
golden-update: golden-update-print
golden-update-print: $(BIN)
	@mkdir -p tests/golden
	$(PRINT_GOLDEN) --layout poster --paper A3 --page 1 -o tests/golden/poster-a3.png
	$(PRINT_GOLDEN) --layout handout --page 1 -o tests/golden/handout-a4-p1.png
	$(PRINT_GOLDEN) --layout handout --page 2 -o tests/golden/handout-a4-p2.png
	$(PRINT_GOLDEN) --layout handout --paper Letter --page 1 -o tests/golden/handout-letter-p1.png

# Full stacks (the system libraries have no frame pointers): the suppressions in
# tests/lsan.supp name library functions and only match complete stacks.
ASAN_RUN := detect_leaks=1:fast_unwind_on_malloc=0

asan-test: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" $(DEV_WERROR) \
	    build-asan/careerpdf build-asan/testing/careerpdf unit-asan
	@$(MAKE) --no-print-directory $(PNGDIFF) $(MKIMAGE)
	@ASAN_OPTIONS=$(ASAN_RUN) UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    CAREERPDF=./build-asan/careerpdf CAREERPDF_TESTING=./build-asan/testing/careerpdf \
	    PNGDIFF=./$(PNGDIFF) tests/cli/all.sh
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" fuzz-regressions

unit-asan: $(UNIT_BIN)
	@ASAN_OPTIONS=$(ASAN_RUN) UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    tests/run-unit.sh $(UNIT_BIN)

valgrind: deps
	@$(MAKE) --no-print-directory all
	@tests/valgrind.sh ./careerpdf

bench: deps $(MKIMAGE)
	@$(MAKE) --no-print-directory all
	@tests/bench.sh ./careerpdf
	@tests/bench-batch.sh ./careerpdf

# Fuzzing (tests/fuzz/): libFuzzer harnesses for the career loader and schema check, the
# layout loader and engine, and the roster reader, built with clang into build-fuzz/ and
# run for FUZZ_SECONDS each (default 60, so CI is not burdened). A 30-minute run:
#   make fuzz FUZZ_SECONDS=1800                  (one harness after the other), or
#   make fuzz-build && tests/fuzz/run.sh 1800 layout    (one harness; two in parallel
#                                                      on two cores)
# The corpus (build-fuzz/corpus/) is kept between runs; findings land in
# build-fuzz/findings/ and go, once fixed, to tests/fuzz/regressions/NAME/.
FUZZ_CC      ?= clang
FUZZ_BUILD   := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := career layout roster
FUZZ_CFLAGS   = -g -O1 -fno-omit-frame-pointer $(filter-out -Werror -Wno-format-truncation,$(WARN)) \
                $(DEFS) \
                -fsanitize=address,undefined -fno-sanitize-recover=all $(PKG_CFLAGS) $(CFLAGS)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
# The same harnesses without libFuzzer (tests/fuzz/replay.c), built like everything else:
# `make cli` (and asan-test) replay tests/fuzz/regressions/ through them.
REPLAY_BIN   := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)

.PHONY: fuzz fuzz-build fuzz-regressions
# clang and its sanitizer runtimes are needed by `make fuzz` only.
fuzz fuzz-build: DEB_PKGS += clang libclang-rt-14-dev
fuzz-build: deps
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

$(FUZZ_BUILD)/%.o: %.c | $$(@D)/
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(PKG_LIBS)

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIB_A) \
                       $(COMPILE_FLAGS) | $$(@D)/
	$(CC) $(DRIVER_CFLAGS) -Isrc -o $@ tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(LIB_A) \
	    $(LDFLAGS_ALL) $(PKG_LIBS)

fuzz-regressions: $(BIN) $(REPLAY_BIN)
	@ASAN_OPTIONS=$(ASAN_RUN) UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    CAREERPDF=./$(BIN) REPLAY_DIR=$(BUILD)/fuzz tests/cli/fuzz-regressions.sh

# Kept: only pattern rules name them, which would make them intermediate files.
.SECONDARY: $(FUZZ_LIB_OBJ)
-include $(FUZZ_LIB_OBJ:.o=.d)

DATADIR = $(DESTDIR)$(PREFIX)/share/careerpdf
COMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DATADIR) $(DESTDIR)$(PREFIX)/share/man/man1 $(COMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/careerpdf
	cp -R content layouts fonts $(DATADIR)/
	sed 's/"careerpdf [0-9.]*"/"careerpdf $(VERSION)"/' doc/careerpdf.1 \
	    >$(DESTDIR)$(PREFIX)/share/man/man1/careerpdf.1
	chmod 644 $(DESTDIR)$(PREFIX)/share/man/man1/careerpdf.1
	install -m 644 doc/careerpdf.bash-completion $(COMPDIR)/careerpdf

uninstall:
	rm -rf $(DATADIR) $(DESTDIR)$(PREFIX)/bin/careerpdf \
	    $(DESTDIR)$(PREFIX)/share/man/man1/careerpdf.1 $(COMPDIR)/careerpdf

# The Debian package, built by dpkg-buildpackage in a copy of the files it needs
# (build/deb/careerpdf-VERSION/), so the source tree gets no debris; lintian must report
# no error (its warnings are printed).
.PHONY: deb deb-test image
DEB_ARCH  = $(shell dpkg --print-architecture)
DEB_FILE  = build/deb/careerpdf_$(VERSION)_$(DEB_ARCH).deb
DEB_FILES := Makefile README.md content debian doc fonts layouts src
deb: DEB_PKGS += debhelper dpkg-dev fakeroot lintian
deb: deps
	rm -rf build/deb && mkdir -p build/deb/careerpdf-$(VERSION)
	cp -R $(DEB_FILES) build/deb/careerpdf-$(VERSION)/
	cd build/deb/careerpdf-$(VERSION) && \
	    dpkg-buildpackage -b -us -uc -j2 >../build.log 2>&1 || { tail -n 40 ../build.log; exit 1; }
	lintian --fail-on error \
	    build/deb/careerpdf_$(VERSION)_$(DEB_ARCH).changes
	@echo $(DEB_FILE)

# The package unpacked into a temporary root, its binary run there with its own data.
deb-test: deb
	@CAREERPDF_DEB=$(DEB_FILE) tests/cli/deb.sh

# The container image: Debian 12 slim with the package (Containerfile). The engine is
# looked for first, so a machine without one is told so before the package is built.
IMAGE ?= careerpdf:$(VERSION)
image:
	@command -v podman >/dev/null || command -v docker >/dev/null || \
	    { echo "make image: needs podman or docker, and neither is installed" >&2; exit 2; }
	@$(MAKE) --no-print-directory deb
	cp Containerfile build/deb/
	$$(command -v podman || command -v docker) build -t $(IMAGE) -f build/deb/Containerfile build/deb

clean:
	rm -rf build build-* careerpdf examples/out tests/out
