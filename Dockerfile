# syntax=docker/dockerfile:1
# The container image the README's Kubernetes and AWS Batch recipes name:
#
#   docker build -t registry.example/i797:latest .
#   docker run --rm -v "$PWD/samples:/data:ro" registry.example/i797:latest i797 scan /data
#
# Build stage: Debian with Rust. scripts/setup, the project's one install path, installs what the
# build needs (Tesseract, Leptonica, libheif, clang for bindgen) and fetches the neural reader's
# models, checked against their SHA-256 sums, into $I797_MODELS.
ARG RUST_VERSION=1.95
ARG DEBIAN=bookworm
FROM rust:${RUST_VERSION}-${DEBIAN} AS build
ENV I797_MODELS=/opt/i797/models
WORKDIR /src
COPY scripts/setup scripts/setup
RUN scripts/setup && rm -rf /var/lib/apt/lists/*
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin i797 \
    && cp target/release/i797 /usr/local/bin/i797

# Runtime stage: the shared libraries the binary links (Tesseract, Leptonica, libheif and what
# they pull in), Tesseract's English and orientation data, the models; nothing to build with.
FROM debian:${DEBIAN}-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libtesseract5 liblept5 libheif1 tesseract-ocr-eng tesseract-ocr-osd \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/i797/models /opt/i797/models
COPY --from=build /usr/local/bin/i797 /usr/local/bin/i797
ENV I797_MODELS=/opt/i797/models
# Notices are personal data: the reader runs as a user of its own, not root.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/i797 i797
USER i797
WORKDIR /home/i797
# No ENTRYPOINT: AWS Batch passes a job's `command` as the image's CMD (an ENTRYPOINT would take
# the recipe's `sh -c …` as i797's arguments), and Kubernetes' `command` replaces both. So run
# `docker run IMAGE i797 scan …`.
CMD ["i797", "--help"]
