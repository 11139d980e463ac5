//! A scanned page's picture, straight from its image stream: the stream is the scan.
