//! Image files for the media tests, built here so that every byte that
//! matters is explained: photos with EXIF GPS tags and an orientation, a
//! decompression bomb, polyglots, an SVG, truncated files.

use std::io::Cursor;

/// A JPEG photo-like gradient `width` × `height`.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(width, height, image::ImageFormat::Jpeg)
}

/// A PNG gradient `width` × `height`.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encode(width, height, image::ImageFormat::Png)
}

/// A GIF `width` × `height`.
pub fn gif(width: u32, height: u32) -> Vec<u8> {
    encode(width, height, image::ImageFormat::Gif)
}

/// A (lossless) WebP `width` × `height`.
pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encode(width, height, image::ImageFormat::WebP)
}

/// The same gradient with a seed mixed in, so each call is a new file.
pub fn unique_jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, seed])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn encode(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// The latitude the GPS fixture carries, as its three EXIF rationals
/// (51° 30′ 26.34″), in the file's little-endian byte order.
pub fn gps_latitude_bytes() -> Vec<u8> {
    [(51u32, 1u32), (30, 1), (2634, 100)]
        .iter()
        .flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
        .collect()
}

/// A JPEG `width` × `height` as stored by a camera held sideways: an EXIF
/// block (APP1) with `Orientation` = 6 (turn 90° clockwise to view) and a
/// GPS block with latitude 51° 30′ 26.34″ N and longitude 0° 7′ 39.93″ W.
pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let tiff = exif_tiff();
    let mut app1 = vec![0xFF, 0xE1];
    let length = u16::try_from(2 + 6 + tiff.len()).unwrap();
    app1.extend_from_slice(&length.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    // Right after SOI (FF D8), where cameras put it.
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

/// The EXIF TIFF structure: IFD0 (orientation, GPS pointer), the GPS IFD
/// and the GPS rationals, little-endian.
fn exif_tiff() -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&value);
    }
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const ASCII: u16 = 2;
    const RATIONAL: u16 = 5;
    let mut t = b"II\x2A\x00".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: two entries, ends at 8 + 2 + 24 + 4 = 38.
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0112, SHORT, 1, [6, 0, 0, 0]);
    entry(&mut t, 0x8825, LONG, 1, 38u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD at 38: four entries, ends at 38 + 2 + 48 + 4 = 92.
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, RATIONAL, 3, 92u32.to_le_bytes());
    entry(&mut t, 0x0003, ASCII, 2, *b"W\0\0\0");
    entry(&mut t, 0x0004, RATIONAL, 3, 116u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 92);
    t.extend_from_slice(&gps_latitude_bytes());
    for (n, d) in [(0u32, 1u32), (7, 1), (3993, 100)] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    t
}

/// A real PNG decompression bomb: 50,000 × 50,000 one-bit grey pixels,
/// every row complete (312,550,000 bytes once inflated), in a file of about
/// 2 MB. Its deflate stream is written by hand: one zero byte, then
/// repeated back-references "copy 258 bytes from 1 back" (13 bits each).
pub fn png_bomb(side: u32) -> Vec<u8> {
    let row = 1 + u64::from(side).div_ceil(8);
    let raw_len = row * u64::from(side);
    let mut bits = BitWriter::default();
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // BTYPE = fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    let copies = (raw_len - 1) / 258;
    let rest = (raw_len - 1) % 258;
    for _ in 0..copies {
        bits.code(0xC5, 8); // length 258 (symbol 285)
        bits.code(0, 5); // distance 1 (code 0)
    }
    for _ in 0..rest {
        bits.code(0x30, 8);
    }
    bits.code(0, 7); // end of block (256)
    let mut zlib = vec![0x78, 0x01];
    zlib.extend_from_slice(&bits.finish());
    // Adler-32 of zeros: a stays 1, b counts the bytes.
    let adler = ((raw_len % 65521) << 16) | 1;
    zlib.extend_from_slice(&(adler as u32).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]); // 1 bit, greyscale
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Bits packed least-significant first, as deflate wants.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    current: u64,
    used: u32,
}

impl BitWriter {
    /// `count` bits of `value`, least significant first (header fields).
    fn put(&mut self, value: u64, count: u32) {
        self.current |= value << self.used;
        self.used += count;
        while self.used >= 8 {
            self.bytes.push(self.current as u8);
            self.current >>= 8;
            self.used -= 8;
        }
    }

    /// A Huffman code of `count` bits, most significant first.
    fn code(&mut self, code: u64, count: u32) {
        let mut reversed = 0;
        for i in 0..count {
            reversed |= ((code >> i) & 1) << (count - 1 - i);
        }
        self.put(reversed, count);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.used > 0 {
            self.bytes.push(self.current as u8);
        }
        self.bytes
    }
}

/// An SVG with a script in it.
pub const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"#;

/// An HTML page behind a JPEG's first bytes (it announces an image and
/// decodes as none).
pub fn jpeg_headed_html() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
    bytes
}

/// A valid PNG with a script appended after its end: it decodes, and the
/// script must not survive.
pub fn png_with_script(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(width, height);
    bytes.extend_from_slice(b"<script>alert(document.cookie)</script>");
    bytes
}

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_fixtures_are_what_they_claim() {
    use image::ImageDecoder;
    let photo = jpeg_with_gps(40, 20);
    assert!(contains(&photo, b"Exif\0\0"));
    assert!(contains(&photo, &gps_latitude_bytes()));
    let mut decoder = image::ImageReader::new(Cursor::new(&photo))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    assert_eq!(
        decoder.orientation().unwrap(),
        image::metadata::Orientation::Rotate90
    );
    // The bomb's header says what it is, and its stream really inflates:
    // a small bomb of the same construction decodes to all black.
    let small = image::load_from_memory(&png_bomb(64)).unwrap();
    assert_eq!((small.width(), small.height()), (64, 64));
    assert!(small.to_luma8().pixels().all(|p| p.0[0] == 0));
    let bomb = png_bomb(50_000);
    assert!(bomb.len() < 3_000_000, "{} bytes", bomb.len());
    let (w, h) = image::ImageReader::new(Cursor::new(&bomb))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap();
    assert_eq!((w, h), (50_000, 50_000));
}
