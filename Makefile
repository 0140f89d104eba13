# alo153 — build, test, run.  `make run` and `make test` are the two entry points.
CC      ?= cc
PKGS    := libmicrohttpd gnutls jansson sqlite3 libsodium icu-uc icu-i18n libpq xlsxwriter libexif libcurl \
           gmime-3.0 libxml-2.0
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  := $(OPT) $(SAN) -std=c11 -D_GNU_SOURCE $(WARN) -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -llinear -lpthread -lm

BUILD   ?= build
SRC     := $(shell find src -name '*.c' ! -name main.c | sort)
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
PG_MIGRATIONS := $(sort $(wildcard src/store/pg/migrations/*.sql))
OBJ     := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o $(BUILD)/gen/pg_migrations.o
BIN     := $(BUILD)/alo153
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# the store conformance suite (tests/store/README.md): STORE_DB=postgresql://… runs it on
# that database instead of a temporary SQLite file per test
STORE_TEST_SRC := $(sort $(wildcard tests/store/test_*.c))
STORE_TEST_BIN := $(STORE_TEST_SRC:tests/store/%.c=$(BUILD)/tests/store/%)
STORE_HARNESS  := tests/store/conf.c tests/store/fault_store.c
STORE_DB ?=

DB      ?= alo153.db
LISTEN  ?= 127.0.0.1:8153


.PHONY: fuzz fuzz-short print-ldlibs print-pkg-cflags deb deb-test soak
.PHONY: all setup run test unit store-test store-test-pg valgrind api api-pg api-node18 routing fault ami browser asan check clean bench bench-pg bench-kpi mutate
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# the names of the migration files: rewritten when one is added, renamed or removed, so that
# a removed file regenerates the embedded list too (a changed file does it by its date)
MIGRATION_NAMES := $(BUILD)/gen/migration-names.txt
$(shell mkdir -p $(BUILD)/gen && { echo '$(MIGRATIONS) $(PG_MIGRATIONS)' | \
    cmp -s - $(MIGRATION_NAMES) || echo '$(MIGRATIONS) $(PG_MIGRATIONS)' > $(MIGRATION_NAMES); })

$(BUILD)/gen/migrations.c: $(MIGRATIONS) $(MIGRATION_NAMES) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql.sh $@ $(MIGRATIONS)

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CFLAGS) -c $< -o $@

# PostgreSQL's migrations (src/store/pg/migrations), embedded the same way as pg_migrations[]
$(BUILD)/gen/pg_migrations.c: $(PG_MIGRATIONS) $(MIGRATION_NAMES) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql.sh $@.tmp.c $(PG_MIGRATIONS)
	sed 's/store_migrations/pg_migrations/g' $@.tmp.c > $@ && rm -f $@.tmp.c

$(BUILD)/gen/pg_migrations.o: $(BUILD)/gen/pg_migrations.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/liballo153.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(BUILD)/liballo153.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liballo153.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/liballo153.a $(LDLIBS) -lcmocka

$(BUILD)/tests/store/%: tests/store/%.c $(STORE_HARNESS) tests/store/conf.h tests/store/fault_store.h \
                       tests/store/fault_ops.inc $(BUILD)/liballo153.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/store -o $@ $< $(STORE_HARNESS) $(BUILD)/liballo153.a $(LDLIBS) -lcmocka

setup:
	bash scripts/setup.sh

run: setup $(BIN)
	bash scripts/run-demo.sh $(BIN) $(DB) $(LISTEN)

unit: $(UNIT_BIN)
	@bash tests/lib/run-unit.sh $(UNIT_BIN)

store-test: $(STORE_TEST_BIN)
	@ALO153_STORE_DB="$(STORE_DB)" bash tests/lib/run-unit.sh $(STORE_TEST_BIN)

# node:test files, listed (Node 22 takes no folder), one at a time, each test limited in time
# (tests/lib/run-node.sh chooses the flags by node version: Debian 12's nodejs is 18).
NODE    ?= node
API_TESTS     := $(sort $(wildcard tests/api/*.test.mjs))
# API test files run two at a time (each server has its own port and database; most of a
# file's time is spent waiting on fsync and clocks, not CPU): TEST_JOBS=1 for one at a time.
API_JOBS ?= 2
BROWSER_TESTS := $(sort $(wildcard tests/browser/*.test.mjs))

api: $(BIN)
	TEST_JOBS=$(API_JOBS) ALO153_BIN=$(abspath $(BIN)) bash tests/lib/run-node.sh $(NODE) $(API_TESTS)

# The API tests again under Debian 12's own nodejs (18.x), whatever node the machine has:
# scripts/node18.sh apt-get downloads and unpacks it into $(BUILD)/node18 (installs nothing
# but the small node-undici/node-acorn/node-cjs-module-lexer/libc-ares2 it loads).
api-node18: $(BIN)
	@node18=$$(bash scripts/node18.sh $(BUILD)/node18) && \
	  TEST_JOBS=$(API_JOBS) ALO153_BIN=$(abspath $(BIN)) bash tests/lib/run-node.sh "$$node18" $(API_TESTS)

# The API tests with every server on a fresh database of a throw-away PostgreSQL cluster
# (scripts/pg-test.sh; docs/POSTGRESQL.md).
api-pg: $(BIN)
	TEST_JOBS=$(API_JOBS) ALO153_BIN=$(abspath $(BIN)) bash scripts/pg-test.sh \
	  bash tests/lib/run-node.sh $(NODE) $(API_TESTS)

# the store conformance suite on a throw-away PostgreSQL cluster (scripts/pg-test.sh)
store-test-pg: $(STORE_TEST_BIN)
	bash scripts/pg-test.sh sh -c 'ALO153_STORE_DB="$$ALO153_TEST_PG_URL" bash tests/lib/run-unit.sh $(STORE_TEST_BIN)'

# the unit tests again under valgrind (leaks and uninitialised reads)
valgrind: $(UNIT_BIN) $(STORE_TEST_BIN)
	@VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9" \
	  ALO153_STORE_DB="$(STORE_DB)" bash tests/lib/run-unit.sh $(UNIT_BIN) $(STORE_TEST_BIN)

routing: $(BIN)
	ALO153_BIN=$(abspath $(BIN)) bash tests/routing/accuracy.sh

# on Node 18, with playwright-core 1.61.1 (the last for Node 18) from $(BUILD)/playwright-node18
browser: $(BIN)
	@pw=$$(bash scripts/playwright-node18.sh $(NODE) $(BUILD)/playwright-node18) && \
	  ALO153_PLAYWRIGHT="$$pw" ALO153_BIN=$(abspath $(BIN)) TEST_TIMEOUT=180 \
	  bash tests/lib/run-node.sh $(NODE) $(BROWSER_TESTS)

# the LD_PRELOAD shim of the disk-full test: fails the database's writes/fsyncs on demand
$(BUILD)/tests/fault/iofail.so: tests/fault/iofail.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -Wall -Wextra -Werror -shared -fPIC -o $@ $< -ldl

fault: $(BIN) $(BUILD)/tests/fault/iofail.so
	ALO153_BIN=$(abspath $(BIN)) ALO153_IOFAIL_SO=$(abspath $(BUILD)/tests/fault/iofail.so) \
	  bash tests/fault/run.sh

# `alo153 ami` against Asterisk transcripts replayed on 127.0.0.1 (tests/ami/run.sh)
ami: $(BIN)
	ALO153_BIN=$(abspath $(BIN)) bash tests/ami/run.sh

# The whole suite: normal build, then the unit and API tests again under ASan+UBSan.
# The API suite runs once per backend and once per node: SQLite under Debian 12's nodejs 18
# (api-node18), PostgreSQL under the machine's node (api-pg), then SQLite again under ASan
# (asan); `make api` alone is the SQLite run under the machine's node.
test: setup
	$(MAKE) all unit store-test store-test-pg
	$(MAKE) check valgrind
	$(MAKE) routing api-node18 api-pg fault ami browser
	$(MAKE) asan fuzz-short

# libFuzzer targets (tests/fuzz, scripts/fuzz.sh): make test runs each for FUZZ_SHORT seconds
# from the seed corpus; make fuzz for FUZZ_SECONDS each (FUZZ_MERGE=1 keeps what it found).
FUZZ_SHORT ?= 20
FUZZ_SECONDS ?= 300
# the flags other scripts need (scripts/fuzz.sh links the fuzz targets with them)
print-ldlibs:
	@echo $(LDLIBS)

print-pkg-cflags:
	@echo $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

fuzz-short:
	bash scripts/fuzz.sh $(FUZZ_SHORT)

fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  all unit store-test api

check:
	bash scripts/check.sh

# Mutation score (docs/TESTING.md): the bugs of tests/mutations/mutations.tsv, one at a time,
# in a copy under /tmp; not part of `make test`. MUTATE_ARGS="--only ID,ID" or "--min 90".
mutate:
	python3 scripts/mutate.py $(MUTATE_ARGS)

bench: $(BIN)
	bash bench/run.sh $(BIN)

# the same on PostgreSQL with 1, 2 and 4 serve processes (bench/pg.sh, a throw-away cluster)
bench-pg: $(BIN)
	bash scripts/pg-test.sh bash bench/pg.sh $(BIN)

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# KPIs for a year of 1.2 million calls, and telephony ingest over HTTP (bench/kpi.sh)
$(BUILD)/bench/kpi_gen: bench/kpi_gen.c $(BUILD)/liballo153.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/liballo153.a $(LDLIBS)

bench-kpi: $(BIN) $(BUILD)/bench/kpi_gen
	bash bench/kpi.sh $(BIN) $(BUILD)/bench/kpi_gen

# The Debian package (debian/, docs/OPERATIONS.md "Debian package"): built with debhelper from a
# clean copy of the tree in $(BUILD)/deb; deb-test installs it with a real dpkg into a throw-away
# root (dpkg --root --force-script-chrootless: the maintainer scripts run), serves from it as
# the alo153 user, lints it, verifies the systemd unit and purges it (debian/deb-test.sh; on a
# package already built: bash debian/deb-test.sh). Not part of make test: the package build
# compiles everything again (minutes).
deb:
	bash debian/make-deb.sh $(BUILD)/deb

deb-test: deb
	bash debian/deb-test.sh $(BUILD)/deb

# 100 kill -9 cycles under 32 writers, every acknowledged create checked after each
# (bench/soak.mjs; SOAK_CYCLES=N). Not part of make test (minutes); result in docs/TESTING.md.
soak: $(BIN)
	ALO153_BIN=$(abspath $(BIN)) node bench/soak.mjs
