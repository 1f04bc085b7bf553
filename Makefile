# Every command a developer or CI needs. `make run` and `make test` install what is missing.
.PHONY: deps build run test lint unit bench clean

PORT ?= 8501
HOST ?= 127.0.0.1

deps:
	@bash scripts/install-deps.sh

build: deps
	cargo build --release --locked -p resume-compiler

run: build
	@echo "Resume Engine origin: http://$(HOST):$(PORT)  (docs: http://$(HOST):$(PORT)/docs)"
	HOST=$(HOST) PORT=$(PORT) ./target/release/resume-compiler serve

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo check -p resume-common --target wasm32-unknown-unknown --locked
	@# common must stay free of IO runtimes so the edge can use it.
	@! cargo tree -p resume-common -e normal --target wasm32-unknown-unknown | grep -Eq '(tokio|hyper|redis|axum) v'

unit:
	CI=true cargo test --workspace --locked

test: deps lint unit

bench: build
	bash scripts/bench.sh

clean:
	cargo clean
