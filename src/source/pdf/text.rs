//! A page's text layer as layout text (see [`crate::extract::PageText`]).
