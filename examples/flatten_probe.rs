//! Shows what page geometry (src/geometry) makes of a photo: the sheet's corners, or why there is
//! none, and the flat page written beside it as PNG, to see why a photo was read badly.
//! `cargo run --release --example flatten_probe -- PHOTO [OUT.png]` (JPEG, PNG or TIFF).

#![allow(clippy::print_stdout)] // a command-line tool for developers: stdout is its output

use i797_read::geometry::{find_sheet, flat_page};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let photo = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: flatten_probe PHOTO [OUT.png]"))?;
    let out = args.next().unwrap_or_else(|| "flat.png".into());
    let picture = image::open(&photo)?.to_luma8();
    println!("{photo}: {} x {}", picture.width(), picture.height());
    let Some(quad) = find_sheet(&picture) else {
        println!("no sheet stands out from a background: read as it is");
        return Ok(());
    };
    println!("sheet corners (tl, tr, br, bl): {:?}", quad.corners);
    println!("sides (top, right, bottom, left): {:?}", quad.sides());
    let flat = flat_page(&picture, quad).ok_or_else(|| anyhow::anyhow!("cannot rectify"))?;
    println!(
        "flat page {} x {} at {:.0} dpi -> {out}",
        flat.image.width(),
        flat.image.height(),
        flat.dpi
    );
    flat.image.save(&out)?;
    Ok(())
}
