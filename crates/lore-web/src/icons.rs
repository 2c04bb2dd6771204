//! Lore's icon, drawn by our own code: an SVG for browsers that take one, and PNG and ICO
//! renderings of the same shape for the favicon and the web app manifest. Nothing is fetched
//! or checked in as a binary; the pixels are computed once, on first request.

use std::io::Write;

/// The accent colour of `assets/lore.css` (`--accent`, light theme): the icon's background
/// and the manifest's theme colour.
pub const ACCENT: &str = "#4338ca";
const ACCENT_RGB: [u8; 3] = [0x43, 0x38, 0xca];
/// The page background of `assets/lore.css` (`--bg`), shown while an installed Lore starts.
pub const BACKGROUND: &str = "#f7f7f9";

/// The icon on a 100 × 100 grid: a rounded square in the accent colour holding a white "L".
/// The SVG and the rasteriser below both read these numbers.
const CORNER: f64 = 22.0;
/// The "L" as two rectangles, (left, top, right, bottom): its stem and its foot.
const STEM: (f64, f64, f64, f64) = (34.0, 22.0, 48.0, 78.0);
const FOOT: (f64, f64, f64, f64) = (34.0, 64.0, 70.0, 78.0);

/// The icon as SVG.
pub fn svg() -> String {
    let (sl, st, sr, sb) = STEM;
    let (_, ft, fr, _) = FOOT;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">\
         <rect width=\"100\" height=\"100\" rx=\"{CORNER}\" fill=\"{ACCENT}\"/>\
         <path d=\"M{sl} {st}H{sr}V{ft}H{fr}V{sb}H{sl}Z\" fill=\"#fff\"/></svg>\n"
    )
}

/// The web app manifest: what a phone needs to put Lore on its home screen.
pub fn manifest() -> String {
    format!(
        r#"{{
  "name": "Lore",
  "short_name": "Lore",
  "description": "Learning, written by the people who do the work.",
  "start_url": "/",
  "scope": "/",
  "display": "standalone",
  "background_color": "{BACKGROUND}",
  "theme_color": "{ACCENT}",
  "icons": [
    {{ "src": "/icon-192.png", "sizes": "192x192", "type": "image/png" }},
    {{ "src": "/icon-512.png", "sizes": "512x512", "type": "image/png" }},
    {{ "src": "/icon.svg", "sizes": "any", "type": "image/svg+xml" }}
  ]
}}
"#
    )
}

/// How much of the point (x, y) on the 100 grid is covered: 0 outside the rounded square,
/// 1 on the background, 2 on the letter.
fn paint_at(x: f64, y: f64) -> u8 {
    let inside = |(l, t, r, b): (f64, f64, f64, f64)| x >= l && x < r && y >= t && y < b;
    // Distance from the nearest point of the square shrunk by the corner radius.
    let dx = x - x.clamp(CORNER, 100.0 - CORNER);
    let dy = y - y.clamp(CORNER, 100.0 - CORNER);
    if dx * dx + dy * dy > CORNER * CORNER || !(0.0..100.0).contains(&x) {
        0
    } else if inside(STEM) || inside(FOOT) {
        2
    } else {
        1
    }
}

/// The icon as RGBA pixels, `size` × `size`, each pixel averaged over 4 × 4 samples so the
/// edges are smooth.
fn pixels(size: u32) -> Vec<u8> {
    const SAMPLES: u32 = 4;
    let scale = 100.0 / f64::from(size * SAMPLES);
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        for px in 0..size {
            let (mut background, mut letter) = (0u32, 0u32);
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let x = (f64::from(px * SAMPLES + sx) + 0.5) * scale;
                    let y = (f64::from(py * SAMPLES + sy) + 0.5) * scale;
                    match paint_at(x, y) {
                        1 => background += 1,
                        2 => letter += 1,
                        _ => {}
                    }
                }
            }
            let covered = background + letter;
            if covered == 0 {
                out.extend_from_slice(&[0, 0, 0, 0]);
                continue;
            }
            // Mix accent and white by their share of the covered samples.
            let mix = |accent: u8| {
                let v = (u32::from(accent) * background + 255 * letter) / covered;
                u8::try_from(v).unwrap_or(u8::MAX)
            };
            let alpha = u8::try_from(covered * 255 / (SAMPLES * SAMPLES)).unwrap_or(u8::MAX);
            out.extend_from_slice(&[
                mix(ACCENT_RGB[0]),
                mix(ACCENT_RGB[1]),
                mix(ACCENT_RGB[2]),
                alpha,
            ]);
        }
    }
    out
}

/// The icon as a PNG file (8-bit RGBA, no filtering, zlib-compressed).
pub fn png(size: u32) -> Vec<u8> {
    let rgba = pixels(size);
    let row = (size * 4) as usize;
    let mut raw = Vec::with_capacity(rgba.len() + size as usize);
    for line in rgba.chunks(row) {
        raw.push(0); // filter type: none
        raw.extend_from_slice(line);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    z.write_all(&raw).ok();
    let compressed = z.finish().unwrap_or_default();

    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&size.to_be_bytes());
    // Bit depth 8, colour type 6 (RGBA), deflate, standard filters, no interlace.
    header.extend_from_slice(&[8, 6, 0, 0, 0]);

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &compressed);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// The icon as a `.ico` file holding 16 and 32 pixel PNGs (every current browser reads PNG
/// inside ICO).
pub fn ico() -> Vec<u8> {
    let images: Vec<(u8, Vec<u8>)> = [16u8, 32].iter().map(|&s| (s, png(s.into()))).collect();
    let count = u16::try_from(images.len()).unwrap_or(0);
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_le_bytes()); // reserved
    out.extend_from_slice(&1u16.to_le_bytes()); // type: icon
    out.extend_from_slice(&count.to_le_bytes());
    let mut offset = 6 + 16 * images.len();
    for (size, data) in &images {
        out.extend_from_slice(&[*size, *size, 0, 0]); // width, height, no palette, reserved
        out.extend_from_slice(&1u16.to_le_bytes()); // colour planes
        out.extend_from_slice(&32u16.to_le_bytes()); // bits per pixel
        let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&u32::try_from(offset).unwrap_or(u32::MAX).to_le_bytes());
        offset += data.len();
    }
    for (_, data) in &images {
        out.extend_from_slice(data);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_colours_are_the_stylesheets() {
        let css = include_str!("../assets/lore.css");
        assert!(css.contains(&format!("--accent: {ACCENT};")));
        assert!(css.contains(&format!("--bg: {BACKGROUND};")));
        let hex = |i: usize| u8::from_str_radix(&ACCENT[i..i + 2], 16).ok();
        assert_eq!(
            [hex(1), hex(3), hex(5)],
            ACCENT_RGB.map(Some),
            "ACCENT_RGB spells ACCENT"
        );
    }

    #[test]
    fn the_png_has_the_size_it_says_and_valid_chunks() {
        let png = png(48);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(&png[16..24], &[0, 0, 0, 48, 0, 0, 0, 48]);
        // Every chunk's CRC matches.
        let mut at = 8;
        while at < png.len() {
            let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]) as usize;
            let body = &png[at + 4..at + 8 + len];
            let crc = &png[at + 8 + len..at + 12 + len];
            assert_eq!(crc32fast::hash(body).to_be_bytes(), crc);
            at += 12 + len;
        }
        assert_eq!(at, png.len());
    }

    #[test]
    fn the_corners_are_clear_and_the_letter_is_white() {
        let size = 100;
        let px = pixels(size);
        let at =
            |x: u32, y: u32| &px[((y * size + x) * 4) as usize..((y * size + x) * 4 + 4) as usize];
        assert_eq!(at(0, 0), &[0, 0, 0, 0], "a round corner");
        assert_eq!(at(50, 10), &[0x43, 0x38, 0xca, 255], "the background");
        assert_eq!(at(40, 50), &[255, 255, 255, 255], "the stem of the L");
    }

    #[test]
    fn the_ico_points_at_its_pngs() {
        let ico = ico();
        assert_eq!(&ico[..6], &[0, 0, 1, 0, 2, 0]);
        let offset = u32::from_le_bytes([ico[18], ico[19], ico[20], ico[21]]) as usize;
        assert_eq!(&ico[offset..offset + 8], b"\x89PNG\r\n\x1a\n");
    }
}
