# socklab - see README.md.  Sources are found by folder, so adding a file
# to lib/<module>/, cli/, tests/unit/, tests/cli/ or tests/fuzz/ needs no edit here.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
PKGS     := libpcap libmnl libpcre2-8
SAN      ?=
VERSION  := 0.1.0

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libgd is opened with dlopen when an image is drawn (lib/report/image.c):
# linking it would cost every command its dependencies' start-up
PKG_LIBS   := $(shell pkg-config --libs libpcap libmnl libpcre2-8 2>/dev/null) -ldl
GD_LIBS    := $(shell pkg-config --libs gdlib 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Werror
CFLAGS   ?= -O2 -g
# override: a CFLAGS given on the command line (-O1 -g for ASan) must not
# drop the flags the build needs
override CFLAGS += -std=c17 -D_GNU_SOURCE -DSL_VERSION='"$(VERSION)"' $(WARN) \
            -Iinclude $(PKG_CFLAGS) $(SAN)
override LDFLAGS += $(SAN)
LDLIBS   += $(PKG_LIBS) -lm

LIB_SRC  := $(sort $(wildcard lib/*/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/code.o \
            $(BUILD)/obj/gen/manual.o $(BUILD)/obj/gen/starters.o

# the server's and client's own sources, shipped in the lab's evidence
CODE_SRC := cli/cmd-server.c cli/cmd-client.c $(wildcard lib/serve/*.[ch]) \
            $(wildcard lib/line/*.c) lib/net/sock.c lib/net/dial.c \
            lib/net/resolve.c $(wildcard lib/ev/*.[ch])
# the starter programs `socklab lab --init` writes (no build output of
# starters/c: only sources, the Makefile and the READMEs)
STARTER_SRC := $(sort $(wildcard starters/*/*.py starters/*/*.c \
               starters/*/Makefile starters/*/README.md))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/fuzz-%.c=$(BUILD)/fuzz/replay-%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/fuzz-%.c=$(BUILD)/fuzz/fuzz-%)

.PHONY: all deps check unit cli-tests replay fuzz fuzz-run bench install lab clean golden-update
.DELETE_ON_ERROR:

all: $(BUILD)/socklab

# deps: what the lab needs; DEPS=check (or bench, fuzz) adds what those need
DEPS ?= lab
deps:
	@scripts/deps.sh $(DEPS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/code.c: $(CODE_SRC) scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh sl_embedded_code $(CODE_SRC) >$@

# socklab help shows the manual from the binary, man or no man
$(BUILD)/gen/manual.c: docs/socklab.1 scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh -r sl_embedded_manual docs/socklab.1 >$@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/starters.c: $(STARTER_SRC) scripts/embed-starters.sh
	@mkdir -p $(@D)
	scripts/embed-starters.sh $(STARTER_SRC) >$@

$(BUILD)/obj/gen/starters.o: $(BUILD)/gen/starters.c cli/cli.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Icli -c $< -o $@

$(BUILD)/libsocklab.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/socklab: $(CLI_OBJ) $(BUILD)/libsocklab.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsocklab.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsocklab.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libsocklab.a \
		$(LDFLAGS) $(LDLIBS) $(GD_LIBS) $(shell pkg-config --libs cmocka)

# A replay driver runs a fuzz target over its corpus without libFuzzer, so
# `make check` exercises every corpus entry with the ordinary compiler.
$(BUILD)/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(BUILD)/libsocklab.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libsocklab.a \
		$(LDFLAGS) $(LDLIBS)

unit: $(UNIT_BIN)
replay: $(REPLAY_BIN)

check:
	@scripts/deps.sh check
	@scripts/check.sh

# libFuzzer builds need clang; each target runs FUZZ_SECONDS and keeps what
# it finds in its corpus folder.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -std=c17 -D_GNU_SOURCE -O1 -g -Iinclude $(PKG_CFLAGS) \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_SRC)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS) -lm

fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) -s fuzz-run

fuzz-run: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		name=$${f##*/fuzz-}; mkdir -p tests/fuzz/corpus/$$name; \
		echo "fuzz $$name for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			tests/fuzz/corpus/$$name 2>&1 | tail -n 3 || exit 1; \
	done

bench:
	@scripts/deps.sh bench
	@$(MAKE) -s all
	@bench/run.sh

# Regenerates the expected outputs of tests/golden/TESTLIST.
golden-update: $(BUILD)/socklab
	tests/golden/update.sh $(BUILD)/socklab

# The README's first command: packages, build, then the whole exercise.
# NAME reaches the lab through the environment, never through the shell's
# parser, so any text (O'Brien, José, $HOME, a;b) arrives as typed; only
# NAME given to make counts (WSL sets NAME to the host name).
lab: export SOCKLAB_LAB_NAME = $(if $(filter command line,$(origin NAME)),$(value NAME))
lab:
	@scripts/deps.sh lab
	@$(MAKE) -s all
	@set -- lab; [ -z "$$SOCKLAB_LAB_NAME" ] || \
		set -- "$$@" --name "$$SOCKLAB_LAB_NAME"; exec $(BUILD)/socklab "$$@"

BASH_COMPLETIONS ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS  ?= $(PREFIX)/share/zsh/site-functions

install: $(BUILD)/socklab
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(BASH_COMPLETIONS) $(DESTDIR)$(ZSH_COMPLETIONS)
	install -m 0755 $(BUILD)/socklab $(DESTDIR)$(PREFIX)/bin/socklab
	install -m 0644 docs/socklab.1 $(DESTDIR)$(PREFIX)/share/man/man1/socklab.1
	install -m 0644 completions/socklab.bash $(DESTDIR)$(BASH_COMPLETIONS)/socklab
	install -m 0644 completions/_socklab $(DESTDIR)$(ZSH_COMPLETIONS)/_socklab

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
