//! Rendering for pages that are not one picture (vector-drawn text, tiles), with a pure-Rust renderer.
