# Every command a developer or CI needs. `make run` and `make test` install what is missing.
.PHONY: deps build build-edge run test lint unit bench clean

PORT ?= 8501
EDGE_PORT ?= 8787
HOST ?= 127.0.0.1
# Shared by the local origin and edge only; production uses `wrangler secret put EDGE_SECRET`.
EDGE_SECRET ?= local-dev-secret

deps:
	@bash scripts/install-deps.sh

build: deps build-edge
	cargo build --release --locked -p resume-compiler

build-edge: deps
	bash scripts/build-edge.sh

# The origin in the background, the edge Worker (workerd, local KV) in the foreground.
run: build
	@echo "Resume Engine origin: http://$(HOST):$(PORT)  (docs: http://$(HOST):$(PORT)/docs)"
	@echo "Resume Engine edge:   http://$(HOST):$(EDGE_PORT)"
	@HOST=$(HOST) PORT=$(PORT) EDGE_SECRET=$(EDGE_SECRET) ./target/release/resume-compiler serve & \
	  origin=$$!; trap 'kill $$origin' EXIT INT TERM; \
	  WRANGLER_SEND_METRICS=false ./node_modules/.bin/wrangler dev --local --ip $(HOST) --port $(EDGE_PORT) \
	    --var ORIGIN_URL:http://$(HOST):$(PORT) --var EDGE_SECRET:$(EDGE_SECRET)

lint:
	cargo fmt --all --check
	cargo clippy --workspace --exclude resume-edge --all-targets --locked -- -D warnings
	cargo clippy -p resume-edge --target wasm32-unknown-unknown --locked -- -D warnings
	cargo check -p resume-common --target wasm32-unknown-unknown --locked
	@# common must stay free of IO runtimes so the edge can use it.
	@! cargo tree -p resume-common -e normal --target wasm32-unknown-unknown | grep -Eq '(tokio|hyper|redis|axum) v'

unit:
	CI=true cargo test --workspace --exclude resume-edge --locked

test: deps lint build-edge unit

bench: build
	bash scripts/bench.sh

clean:
	cargo clean
