# alo153 — build, test, run.  `make run` and `make test` are the two entry points.
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium icu-uc icu-i18n
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  := $(OPT) $(SAN) -std=c11 -D_GNU_SOURCE $(WARN) -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -llinear -lpthread -lm

BUILD   ?= build
SRC     := $(shell find src -name '*.c' ! -name main.c | sort)
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
OBJ     := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
BIN     := $(BUILD)/alo153
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

DB      ?= alo153.db
LISTEN  ?= 127.0.0.1:8153

.PHONY: all setup run test unit valgrind api routing fault browser asan check clean bench
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql.sh $@ $(MIGRATIONS)

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/liballo153.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(BUILD)/liballo153.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liballo153.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/liballo153.a $(LDLIBS) -lcmocka

setup:
	bash scripts/setup.sh

run: setup $(BIN)
	bash scripts/run-demo.sh $(BIN) $(DB) $(LISTEN)

unit: $(UNIT_BIN)
	@bash tests/lib/run-unit.sh $(UNIT_BIN)

api: $(BIN)
	ALO153_BIN=$(abspath $(BIN)) node --test --test-concurrency=1 tests/api/

# the unit tests again under valgrind (leaks and uninitialised reads)
valgrind: $(UNIT_BIN)
	@VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9" \
	  bash tests/lib/run-unit.sh $(UNIT_BIN)

routing: $(BIN)
	ALO153_BIN=$(abspath $(BIN)) bash tests/routing/accuracy.sh

browser: $(BIN)
	ALO153_BIN=$(abspath $(BIN)) node --test --test-concurrency=1 tests/browser/

fault: $(BIN)
	ALO153_BIN=$(abspath $(BIN)) bash tests/fault/run.sh

# The whole suite: normal build, then the unit and API tests again under ASan+UBSan.
test: setup
	$(MAKE) all unit
	$(MAKE) check valgrind
	$(MAKE) routing api fault browser
	$(MAKE) asan

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  all unit api

check:
	bash scripts/check.sh

bench: $(BIN)
	bash bench/run.sh $(BIN)

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
