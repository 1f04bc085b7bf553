#!/usr/bin/env bash
# Installs the system packages the origin and its tests need, skipping what is already there.
# One list, used by `make run`, `make test` and CI alike.
set -euo pipefail
cd "$(dirname "$0")/.."

# TeX Live subset: no texlive-fonts-extra (the templates must not need it).
# latex-extra brings paracol, titlesec, enumitem, needspace, mylatexformat;
# lang-greek / lang-cyrillic bring the LGR/T2A font encodings for Greek and Cyrillic text.
# tex-gyre is the text font (TeX Gyre Pagella: real glyphs for Central European letters).
# XeTeX typesets documents with Chinese, Japanese, Korean or Vietnamese text: texlive-xetex
# (16 MB), fonts-noto-cjk (Noto Serif CJK, 91 MB), fonts-texgyre (Pagella as OpenType, 14 MB);
# DejaVu (fonts-dejavu-core) prints Greek, Cyrillic and symbols in those documents.
# redis-server backs the shared cache tier in tests; wrk is the load generator of `make bench`.
# LibreOffice (writer, no GUI) opens every template's DOCX in the tests.
# fonts-dejavu-core is also XeTeX's font for Greek, Cyrillic and symbols.
APT_PACKAGES=(
  texlive-latex-base
  texlive-latex-recommended
  texlive-latex-extra
  texlive-fonts-recommended
  tex-gyre
  texlive-xetex
  fonts-noto-cjk
  fonts-texgyre
  texlive-lang-greek
  texlive-lang-cyrillic
  lmodern
  cm-super
  redis-server
  bubblewrap
  poppler-utils
  wrk
  libreoffice-writer-nogui
  fonts-dejavu-core
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# The edge Worker's toolchain: worker-build, wasm-bindgen-cli at exactly the version in
# Cargo.lock, and wrangler (with workerd and esbuild) from npm, pinned by package-lock.json.
# Each is skipped when the right version is already there.
WORKER_BUILD_VERSION=0.8.7
if ! worker-build --version 2>/dev/null | grep -q "$WORKER_BUILD_VERSION"; then
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
fi
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# A copy of the lockfile marks what node_modules was installed from.
if ! cmp -s package-lock.json node_modules/.installed-from-lock.json; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.installed-from-lock.json
fi
